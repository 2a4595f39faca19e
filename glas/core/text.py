"""Cleaning plain text typed by people: normalised line ends and Unicode, no NUL bytes or lone
surrogates (which databases refuse), and a length cap with a clear message."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.utils.translation import gettext as _

from glas.core.exceptions import DomainError


def clean_plain_text(raw: Any, *, cap: int, field: str) -> str:
    if not isinstance(raw, str):
        raise DomainError(_("Enter text."), field=field)
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if "\x00" in text or any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        raise DomainError(_("The text contains characters that cannot be stored."), field=field)
    if len(text) > cap:
        raise DomainError(
            _("Keep the text within %(cap)d characters (it has %(length)d).") % {"cap": cap, "length": len(text)},
            field=field,
        )
    return text
