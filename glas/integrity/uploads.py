"""Files attached to integrity reports: the type is read from the content (the name and the
browser's declared type are ignored), dangerous files are refused, and the metadata that could
identify a reporter (EXIF with camera and GPS, PDF document information and XMP, Word document
properties) is removed before the file is encrypted."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from glas.core.exceptions import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
MAX_PIXELS = 40_000_000
KINDS = ("pdf", "jpeg", "png", "docx", "txt")
PDF_DANGEROUS = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")
EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
)
EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
)


@dataclass(frozen=True)
class CleanFile:
    kind: str
    content: bytes
    name: str


def _refuse(name: str) -> DomainError:
    return DomainError(
        _("“%(name)s” cannot be attached: only PDF, JPEG, PNG, Word (.docx) and plain text files are.")
        % {"name": name[:80]},
        field="files",
    )


def _kind(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lowered = text[:4096].lower()
    if any(ord(char) < 32 and char not in "\t\n\r\f" or ord(char) == 127 for char in text):
        return None
    if "\x00" in text or "<script" in lowered or "<html" in lowered or "<svg" in lowered or text.startswith("#!"):
        return None
    return "txt"


def _image(data: bytes, kind: str, name: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise _refuse(name)
            image.load()
            clean = Image.new(image.mode, image.size)
            clean.putdata(list(image.getdata())) if image.mode == "P" else clean.paste(image)
            if image.mode == "P" and image.getpalette():
                clean.putpalette(image.getpalette() or [])
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise _refuse(name) from None
    out = io.BytesIO()
    clean.save(out, format="JPEG" if kind == "jpeg" else "PNG")  # no exif, no text chunks
    return out.getvalue()


def _pdf(data: bytes, name: str) -> bytes:
    if any(marker in data for marker in PDF_DANGEROUS):
        raise DomainError(
            _("“%(name)s” contains scripts, embedded files or forms; print it to a new PDF and attach that.")
            % {"name": name[:80]},
            field="files",
        )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DomainError(
                _("“%(name)s” is password-protected; attach an unprotected copy.") % {"name": name[:80]}, field="files"
            )
        writer = PdfWriter()
        for page in reader.pages:
            if "/Metadata" in page:
                del page["/Metadata"]
            writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)  # a new document: no /Info dictionary and no XMP metadata stream
    except (PdfReadError, ValueError, KeyError, TypeError):
        raise _refuse(name) from None
    return out.getvalue()


def _docx(data: bytes, name: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                raise _refuse(name)
            if any(n.lower().endswith((".bin", ".exe", ".js", ".vbs")) or "vbaproject" in n.lower() for n in names):
                raise DomainError(
                    _("“%(name)s” contains macros or embedded programs and cannot be attached.") % {"name": name[:80]},
                    field="files",
                )
            if sum(info.file_size for info in archive.infolist()) > 8 * MAX_BYTES:
                raise _refuse(name)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as clean:
                for info in archive.infolist():
                    content = archive.read(info.filename)
                    if info.filename == "docProps/core.xml":
                        content = EMPTY_CORE
                    elif info.filename == "docProps/app.xml":
                        content = EMPTY_APP
                    elif info.filename == "docProps/custom.xml":
                        continue
                    clean.writestr(info.filename, content)
    except (zipfile.BadZipFile, KeyError, RuntimeError):
        raise _refuse(name) from None
    return out.getvalue()


def clean_upload(upload: UploadedFile) -> CleanFile:
    name = (upload.name or "file").replace("\x00", "")
    if upload.size is None or upload.size > MAX_BYTES:
        raise DomainError(_("“%(name)s” is larger than 10 MB.") % {"name": name[:80]}, field="files")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise DomainError(_("“%(name)s” is larger than 10 MB.") % {"name": name[:80]}, field="files")
    kind = _kind(data)
    if kind is None:
        raise _refuse(name)
    if kind in ("jpeg", "png"):
        data = _image(data, kind, name)
    elif kind == "pdf":
        data = _pdf(data, name)
    elif kind == "docx":
        data = _docx(data, name)
    return CleanFile(kind=kind, content=data, name=name[:200])


def clean_uploads(uploads: list[UploadedFile]) -> list[CleanFile]:
    if len(uploads) > MAX_FILES:
        raise DomainError(_("Attach at most %(count)d files.") % {"count": MAX_FILES}, field="files")
    return [clean_upload(upload) for upload in uploads]
