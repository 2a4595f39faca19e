"""Checking uploaded files by their content: session documents (PDF, DOCX, ODT), minutes (PDF)
and councillors' photos (JPEG, PNG). The name a person gives a file is never trusted: the type
comes from the bytes and the stored name is chosen by the server (``models.document_path``)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from glas.core.exceptions import DomainError

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_PHOTO_BYTES = 2 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _read(upload: UploadedFile, limit: int, field: str, too_big: str) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise DomainError(too_big, field=field, code="size")
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise DomainError(too_big, field=field, code="size")
    upload.seek(0)
    return bytes(data)


def document_format(data: bytes) -> str | None:
    """ "pdf", "docx" or "odt" when the bytes are such a document, else None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, NotImplementedError):
        return None
    return None


def check_document(upload: UploadedFile, *, field: str = "file", pdf_only: bool = False) -> tuple[str, int]:
    """The format and size of an acceptable document, or a DomainError."""
    data = _read(upload, MAX_DOCUMENT_BYTES, field, _("The file is larger than 20 MB."))
    fmt = document_format(data)
    if fmt is None or (pdf_only and fmt != "pdf"):
        message = _("Upload a PDF file.") if pdf_only else _("Upload a PDF, DOCX or ODT document.")
        raise DomainError(message, field=field, code="type")
    return fmt, len(data)


def check_photo(upload: Any, *, field: str = "photo") -> str:
    """The extension ("jpg" or "png") of an acceptable photo, or a DomainError."""
    from PIL import Image, UnidentifiedImageError

    data = _read(upload, MAX_PHOTO_BYTES, field, _("The photo is larger than 2 MB."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        kind = None
    if kind not in ("JPEG", "PNG"):
        raise DomainError(_("Upload the photo as a JPEG or PNG image."), field=field, code="type")
    return "jpg" if kind == "JPEG" else "png"
