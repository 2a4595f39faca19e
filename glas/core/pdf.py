"""HTML to PDF with WeasyPrint for every module (codebooks, letters, reports, справки, signature
sheets). Pages carry their own styles; nothing is fetched from anywhere, so a document can never
make the server request a URL written into it."""

from __future__ import annotations

from typing import Any


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError("Documents rendered to PDF load nothing from outside.")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html, url_fetcher=_no_fetch).write_pdf())
