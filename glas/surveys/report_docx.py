"""A survey report as a Word document (python-docx).

The document is built from the same markup the report page and the PDF show (the template
``surveys/report_docx.html`` includes the shared body): headings, paragraphs, lists,
definition lists and tables with their captions become their Word counterparts, so the three
versions never drift apart. Charts are not drawn in Word: each chart's place holds a sentence
saying that the chart is in the HTML and PDF versions and that the table beside it has the same
figures (``data-docx-note`` on the chart's ``<figure>``).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import lxml.html
from docx import Document
from docx.document import Document as DocumentType
from docx.table import Table
from docx.text.paragraph import Paragraph

HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3}
SKIPPED = frozenset({"svg", "script", "style", "nav", "form", "button"})
INLINE_BOLD = frozenset({"strong", "b", "th"})


def _words(element: Any) -> str:
    return " ".join(element.text_content().split())


def _tag(element: Any) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _inline(paragraph: Paragraph, element: Any) -> None:
    """The text of ``element`` as runs: bold for <strong>, a link followed by its address."""
    if element.text:
        paragraph.add_run(" ".join(element.text.split()) + (" " if element.text.endswith(" ") else ""))
    for child in element:
        tag = _tag(child)
        if tag in SKIPPED:
            pass
        elif tag == "br":
            paragraph.add_run().add_break()
        else:
            run = paragraph.add_run(_words(child))
            run.bold = tag in INLINE_BOLD or None
            if tag == "a" and child.get("data-docx-url"):
                paragraph.add_run(f" ({child.get('href')})")
        if child.tail and child.tail.strip():
            lead = " " if child.tail[0].isspace() else ""
            paragraph.add_run(lead + " ".join(child.tail.split()))


def _span(cell: Any, name: str) -> int:
    try:
        return max(1, int(cell.get(name, "1") or 1))
    except ValueError:
        return 1


def _table(document: DocumentType, element: Any) -> Table | None:
    """A table with its caption; cells spanning rows or columns are merged as in the page."""
    caption = element.find("caption")
    if caption is not None:
        document.add_paragraph(_words(caption), style="Caption")
    rows = list(element.iter("tr"))
    if not rows:
        return None
    occupied: set[tuple[int, int]] = set()
    placed: list[tuple[int, int, int, int, Any]] = []
    width = 1
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            if _tag(cell) not in ("th", "td"):
                continue
            while (r, c) in occupied:
                c += 1
            down = min(_span(cell, "rowspan"), len(rows) - r)
            across = _span(cell, "colspan")
            occupied.update((r + dr, c + dc) for dr in range(down) for dc in range(across))
            placed.append((r, c, down, across, cell))
            c += across
            width = max(width, c)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, c, down, across, cell in placed:
        target = table.cell(r, c)
        if down > 1 or across > 1:
            target = target.merge(table.cell(r + down - 1, min(c + across, width) - 1))
        run = target.paragraphs[0].add_run(_words(cell))
        run.bold = _tag(cell) == "th" or None
    return table


def _walk(document: DocumentType, element: Any) -> None:
    for child in element:
        tag = _tag(child)
        if tag in SKIPPED or ("visually-hidden" in (child.get("class") or "").split() and tag != "table"):
            continue
        if child.get("data-docx-note"):
            document.add_paragraph().add_run(child.get("data-docx-note")).italic = True
        elif tag in HEADINGS:
            document.add_heading(_words(child), level=HEADINGS[tag])
        elif tag == "p":
            _inline(document.add_paragraph(), child)
        elif tag in ("ul", "ol"):
            style = "List Bullet" if tag == "ul" else "List Number"
            for item in child.iter("li"):
                _inline(document.add_paragraph(style=style), item)
        elif tag == "dl":
            term = ""
            for item in child:
                if _tag(item) == "dt":
                    term = _words(item)
                elif _tag(item) == "dd":
                    paragraph = document.add_paragraph()
                    paragraph.add_run(f"{term}: ").bold = True
                    _inline(paragraph, item)
        elif tag == "table":
            _table(document, child)
        else:
            _walk(document, child)


def report_docx(html: str) -> bytes:
    """The report page's markup (``surveys/report_docx.html``) as a .docx file."""
    root = lxml.html.document_fromstring(html)
    document = Document()
    title = root.find(".//title")
    if title is not None:
        document.core_properties.title = _words(title)
    document.core_properties.language = root.get("lang", "")
    body = root.find("body")
    _walk(document, body if body is not None else root)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
