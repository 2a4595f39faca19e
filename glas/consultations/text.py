"""The text of a draft act: split into articles and paragraphs, compared word by word.

Staff paste the text (or import a DOCX file) in the usual Bulgarian layout::

    Глава първа. Общи положения
    Чл. 1. Тази наредба урежда ...
    Чл. 2. (1) Забранява се ...
    (2) Забраната не се отнася ...

A line starting with "Чл. N." (or "Art. N.") starts an article; "(N)" starts a paragraph of the
current article; a line starting with "Глава", "Раздел" or the closing provisions becomes the
heading of the next article; any other line continues the paragraph before it.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import IO

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from glas.core.exceptions import DomainError

ARTICLE = re.compile(r"^(?:Чл\.|Член|Art\.|Article)\s*(\d+[а-яa-z]?)\.?\s*(.*)$", re.IGNORECASE)
PARAGRAPH = re.compile(r"^\((\d+[а-яa-z]?)\)\s*(.*)$")
HEADING = re.compile(
    r"^(Глава|Раздел|Допълнителн|Преходн|Заключителн|Chapter|Section|Additional|Transitional|Final)",
    re.IGNORECASE,
)
# Control and formatting characters that have no place in a legal text (bidi overrides,
# zero-width characters, NUL); ordinary line breaks and tabs stay.
_FORBIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn"}
MAX_TEXT = 500_000
MAX_ARTICLES = 2000


@dataclass
class ParsedParagraph:
    number: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


@dataclass
class ParsedArticle:
    number: str
    heading: str = ""
    paragraphs: list[ParsedParagraph] = field(default_factory=list)


def clean_plain_text(value: str, *, cap: int, field: str) -> str:
    """Plain text as people type it: normalised (NFC), stripped, without control or invisible
    formatting characters; longer than ``cap`` is refused."""
    if "\x00" in value:
        raise DomainError(_("The text contains characters that are not allowed."), field=field)
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    if any(unicodedata.category(char) in _FORBIDDEN and char not in "\n\t" for char in text):
        raise DomainError(_("The text contains characters that are not allowed."), field=field)
    text = text.strip()
    if len(text) > cap:
        raise DomainError(
            _("The text is too long (at most %(cap)s characters).") % {"cap": cap}, field=field, code="too_long"
        )
    return text


def parse_articles(text: str) -> list[ParsedArticle]:
    """Articles and paragraphs of ``text``; refused when no article can be found."""
    text = clean_plain_text(text, cap=MAX_TEXT, field="text")
    articles: list[ParsedArticle] = []
    heading: list[str] = []
    current: ParsedParagraph | None = None
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        if match := ARTICLE.match(line):
            number, rest = match.groups()
            prefix = "Чл." if line[0] in "ЧчЧ" else "Art."
            article = ParsedArticle(number=f"{prefix} {number}", heading=" ".join(heading))
            heading = []
            articles.append(article)
            inner = PARAGRAPH.match(rest)
            current = ParsedParagraph(number=f"({inner.group(1)})" if inner else "")
            article.paragraphs.append(current)
            first = inner.group(2) if inner else rest
            if first:
                current.lines.append(first)
        elif articles and (match := PARAGRAPH.match(line)):
            current = ParsedParagraph(number=f"({match.group(1)})", lines=[match.group(2)] if match.group(2) else [])
            articles[-1].paragraphs.append(current)
        elif HEADING.match(line) or current is None:
            heading.append(line)
        else:
            current.lines.append(line)
    if not articles:
        raise DomainError(
            _('No article was found. Start each article on a new line with "Чл. 1.", "Чл. 2." and so on.'),
            field="text",
        )
    if len(articles) > MAX_ARTICLES:
        raise DomainError(_("The text has too many articles."), field="text")
    for article in articles:
        article.paragraphs = [p for p in article.paragraphs if p.text] or [ParsedParagraph(number="", lines=["—"])]
    return articles


def docx_to_text(upload: IO[bytes]) -> str:
    """The paragraphs of a Word (DOCX) document as lines of plain text."""
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(upload)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise DomainError(_("The file is not a Word document (DOCX)."), field="file") from None
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def _words(text: str) -> list[str]:
    return re.findall(r"\s+|[^\s]+", text)


def word_diff(old: str, new: str) -> SafeString:
    """``new`` compared with ``old`` word by word: removed words in <del>, added in <ins>.
    Everything is escaped; only the <del>/<ins> markup is ours."""
    before, after = _words(old), _words(new)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(html.escape("".join(before[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{html.escape(''.join(before[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{html.escape(''.join(after[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


@dataclass
class ArticleChange:
    number: str
    change: str  # "same", "changed", "added", "removed"
    diff: SafeString
    old_text: str
    new_text: str


def article_diff(draft_articles: list[tuple[str, str]], adopted_articles: list[tuple[str, str]]) -> list[ArticleChange]:
    """Article by article (matched by number): what changed between the draft and the adopted
    text. Each list holds (number, full text of the article)."""
    old = dict(draft_articles)
    new = dict(adopted_articles)
    order = [number for number, _text in adopted_articles]
    order += [number for number, _text in draft_articles if number not in new]
    changes = []
    for number in order:
        before, after = old.get(number), new.get(number)
        if before is None:
            kind = "added"
        elif after is None:
            kind = "removed"
        else:
            kind = "same" if before == after else "changed"
        changes.append(
            ArticleChange(
                number=number,
                change=kind,
                diff=word_diff(before or "", after or ""),
                old_text=before or "",
                new_text=after or "",
            )
        )
    return changes
