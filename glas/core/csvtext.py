"""Reading an uploaded CSV file's bytes as text: UTF-8 (with or without a BOM), or Windows-1251,
which Bulgarian municipal spreadsheets still save by default."""

from __future__ import annotations

import unicodedata

# Besides the Cyrillic letters А–я, what Windows-1251 text written in Bulgarian may contain.
BULGARIAN_EXTRA = frozenset("ЍѝЁё№«»–—„“”‘’…•·§°€\u00a0")


def _cp1251(data: bytes) -> str | None:
    """The text if ``data`` reads as Bulgarian in Windows-1251: everything beyond ASCII is a
    Bulgarian letter or a common typographic sign, and there is at least one letter."""
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        return None
    beyond_ascii = [char for char in text if ord(char) > 127]
    letters = [char for char in beyond_ascii if "А" <= char <= "я"]
    if not letters or any(not ("А" <= char <= "я" or char in BULGARIAN_EXTRA) for char in beyond_ascii):
        return None
    return text


def csv_text(data: bytes) -> str | None:
    """The file as text, or None when it is not a text file in either encoding (NUL bytes or
    control characters other than tab and line ends mean a binary file)."""
    if b"\x00" in data:
        return None
    try:
        text: str | None = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _cp1251(data)
    if text is None or any(unicodedata.category(char) == "Cc" and char not in "\t\r\n" for char in text):
        return None
    return text
