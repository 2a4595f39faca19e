"""The Bulgarian catalogue is complete, matches the code, and is what visitors see.

Bulgarian is the municipality's language; the message ids are English. Every message must have a
checked Bulgarian translation (none empty, none fuzzy) that keeps the placeholders, and the
committed catalogue must contain every message the code uses: ``makemessages`` run on a copy of
the tree must not find anything new. Refresh the catalogue with

    cd glas && ../.venv/bin/django-admin makemessages -l bg --no-obsolete --ignore=static --ignore=tests

then translate what is new and compile with ``make messages``.
"""

from __future__ import annotations

import ast
import html
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "glas"
CATALOGUE = PACKAGE / "locale" / "bg" / "LC_MESSAGES" / "django.po"
MAKEMESSAGES_OPTIONS = ["-l", "bg", "--no-obsolete", "--ignore=static", "--ignore=tests"]

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfir]|%[sdfir]|\{\{\s*\w+\s*\}\}|\{\w*\}")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass
class Message:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return self.msgctxt, self.msgid

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[index] for index in sorted(self.msgstr)]


def read_catalogue(path: Path) -> list[Message]:
    """The active messages of a PO file, header first (obsolete ``#~`` entries are left out)."""
    messages = []
    for block in re.split(r"\n[ \t]*\n", path.read_text(encoding="utf-8").strip()):
        message, target = Message(), None
        lines = [line.strip() for line in block.splitlines()]
        if all(line.startswith("#~") for line in lines):
            continue
        for line in lines:
            if line.startswith("#,"):
                message.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := _KEYWORD.match(line):
                keyword, index, text = match.group(1), match.group(2), ast.literal_eval(match.group(3))
                target = (keyword, int(index or 0))
                if keyword == "msgstr":
                    message.msgstr[target[1]] = text
                else:
                    setattr(message, keyword, text)
            elif line.startswith('"') and target is not None:
                keyword, index = target
                if keyword == "msgstr":
                    message.msgstr[index] += ast.literal_eval(line)
                else:
                    setattr(message, keyword, getattr(message, keyword) + ast.literal_eval(line))
            else:
                raise ValueError(f"{path}: cannot read the line {line!r}")
        messages.append(message)
    return messages


def _header(messages: list[Message]) -> dict[str, str]:
    header = messages[0]
    assert header.msgid == "", "the catalogue does not start with its header"
    fields = (line.partition(":") for line in header.msgstr[0].splitlines() if line)
    return {name.strip(): value.strip() for name, _, value in fields}


def _placeholders(text: str) -> tuple[set[str], list[str]]:
    """Named placeholders (order free) and positional ones (order matters)."""
    found = [match.group(0) for match in _PLACEHOLDER.finditer(text)]
    return {p for p in found if "(" in p or "{" in p}, [p for p in found if "(" not in p and "{" not in p]


def _edges(text: str) -> tuple[str, str]:
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


@pytest.fixture(scope="module")
def catalogue() -> list[Message]:
    return read_catalogue(CATALOGUE)


def test_the_catalogue_declares_bulgarian_with_its_plural_rule(catalogue: list[Message]) -> None:
    header = _header(catalogue)
    assert header["Language"] == "bg"
    assert header["Project-Id-Version"] == "Glas"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_every_message_has_a_bulgarian_translation(catalogue: list[Message]) -> None:
    untranslated = [m.msgid for m in catalogue[1:] if not m.msgstr or not all(m.translations)]
    assert not untranslated, f"{len(untranslated)} messages have no translation: {untranslated}"


def test_every_plural_message_has_both_bulgarian_forms(catalogue: list[Message]) -> None:
    plurals = [m for m in catalogue if m.msgid_plural is not None]
    wrong = [m.msgid for m in plurals if sorted(m.msgstr) != [0, 1]]
    assert not wrong, f"plural messages without exactly two forms: {wrong}"


def test_no_translation_is_left_fuzzy(catalogue: list[Message]) -> None:
    fuzzy = [m.msgid or "(header)" for m in catalogue if "fuzzy" in m.flags]
    assert not fuzzy, f"check these translations and remove their fuzzy flag: {fuzzy}"


def test_translations_keep_every_placeholder_and_tag(catalogue: list[Message]) -> None:
    wrong = []
    for message in catalogue[1:]:
        source = message.msgid_plural if message.msgid_plural is not None else message.msgid
        named, positional = _placeholders(source)
        for index, translation in enumerate(message.translations):
            got_named, got_positional = _placeholders(translation)
            # The singular form may leave out the count ("ново известие"); every other form keeps all.
            singular_of_plural = message.msgid_plural is not None and index == 0
            named_ok = got_named <= named if singular_of_plural else got_named == named
            tags_ok = sorted(_TAG.findall(translation)) == sorted(_TAG.findall(message.msgid))
            if not (named_ok and got_positional == positional and tags_ok):
                wrong.append((message.msgid, translation))
    assert not wrong, f"placeholders or tags differ from the English: {wrong}"


def test_translations_keep_the_leading_and_trailing_whitespace(catalogue: list[Message]) -> None:
    wrong = [
        (m.msgid, translation)
        for m in catalogue[1:]
        for translation in m.translations
        if translation and _edges(translation) != _edges(m.msgid)
    ]
    assert not wrong, f"leading or trailing whitespace differs from the English: {wrong}"


def test_the_catalogue_compiles_without_errors(tmp_path: Path) -> None:
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> list[Message]:
    """The catalogue as ``makemessages`` makes it from a copy of today's code and the committed file."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed, so messages cannot be extracted")
    copy = tmp_path_factory.mktemp("messages") / "glas"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "locale", "tests", "__pycache__"))
    (copy / "locale" / "bg" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(CATALOGUE, copy / "locale" / "bg" / "LC_MESSAGES" / "django.po")
    # Without settings makemessages writes only into the copy's own locale directory.
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", *MAKEMESSAGES_OPTIONS],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return read_catalogue(copy / "locale" / "bg" / "LC_MESSAGES" / "django.po")


def test_every_message_in_the_code_is_in_the_catalogue(catalogue: list[Message], regenerated: list[Message]) -> None:
    committed = {m.key for m in catalogue}
    new = sorted(m.msgid for m in regenerated if m.key not in committed)
    assert not new, f"run makemessages (see this module's docstring) and translate {len(new)} new messages: {new}"


def test_the_catalogue_has_no_message_the_code_no_longer_uses(
    catalogue: list[Message], regenerated: list[Message]
) -> None:
    in_code = {m.key for m in regenerated}
    stale = sorted(m.msgid for m in catalogue if m.key not in in_code)
    assert not stale, f"run makemessages (see this module's docstring) to drop {len(stale)} messages: {stale}"


def test_the_home_page_is_in_bulgarian_by_default(client: Client, kresna: object) -> None:
    page = client.get(reverse("core:home")).content.decode()
    assert '<html lang="bg"' in page
    assert "Вашият глас в Община Кресна" in page
    assert "Правила, които спазваме" in page, "the translations are not compiled: run `make messages`"
    assert "Rules we follow" not in page


def test_the_home_page_is_in_english_with_the_language_cookie(client: Client, kresna: object) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("core:home")).content.decode()
    assert '<html lang="en"' in page
    assert "Your voice in the Municipality of Kresna" in page
    assert "Rules we follow" in page
    assert "Правила, които спазваме" not in page


BULGARIAN_HEADINGS = {
    "core:home": "Вашият глас в Община Кресна",
    "core:rules": "Правила, които спазваме",
    "core:accessibility": "Декларация за достъпност",
    "account_login": "Вход",
    "account_signup": "Регистрация",
}


@pytest.mark.parametrize("url_name", BULGARIAN_HEADINGS)
def test_public_pages_show_no_english_sentence_from_the_catalogue(
    client: Client, kresna: object, legal_rules: None, catalogue: list[Message], url_name: str
) -> None:
    page = html.unescape(client.get(reverse(url_name)).content.decode())
    assert re.search(rf"<h1[^>]*>\s*{re.escape(BULGARIAN_HEADINGS[url_name])}\s*</h1>", page)
    sentences = [m.msgid for m in catalogue[1:] if len(m.msgid.split()) >= 4 and not _PLACEHOLDER.search(m.msgid)]
    shown_in_english = [sentence for sentence in sentences if sentence in page]
    assert not shown_in_english, f"shown in English on a Bulgarian page: {shown_in_english}"
