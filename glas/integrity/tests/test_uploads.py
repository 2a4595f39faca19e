"""Attachments: the type comes from the content, dangerous files are refused, metadata removed."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter

from glas.core.exceptions import DomainError
from glas.integrity.uploads import MAX_BYTES, clean_upload, clean_uploads


def upload(content: bytes, name: str = "file.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_pdf_document_information_and_xmp_are_removed():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Иван Подателев", "/Producer": "WordOnIvansPC"})
    buffer = io.BytesIO()
    writer.write(buffer)
    assert PdfReader(io.BytesIO(buffer.getvalue())).metadata.author == "Иван Подателев"
    clean = clean_upload(upload(buffer.getvalue(), "сигнал.pdf"))
    assert clean.kind == "pdf" and b"WordOnIvansPC" not in clean.content
    cleaned = PdfReader(io.BytesIO(clean.content))
    assert len(cleaned.pages) == 1
    assert cleaned.metadata is None or cleaned.metadata.author is None


def test_word_document_properties_are_emptied_and_macros_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr(
            "docProps/core.xml", "<cp:coreProperties><dc:creator>Иван Подателев</dc:creator></cp:coreProperties>"
        )
    clean = clean_upload(upload(buffer.getvalue(), "a.docx"))
    with zipfile.ZipFile(io.BytesIO(clean.content)) as archive:
        assert "Подателев" not in archive.read("docProps/core.xml").decode()
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"\x00macro")
    with pytest.raises(DomainError, match="macros"):
        clean_upload(upload(buffer.getvalue(), "a.docm"))


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00executable",
        b"\x7fELF binary",
        b"#!/bin/sh\nrm -rf /",
        b"<html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"PK\x03\x04not a real archive",
        b"\xff\xd8\xffnot a real jpeg",
        b"%PDF-1.7 broken",
    ],
)
def test_dangerous_or_broken_files_are_refused_whatever_their_name(content):
    with pytest.raises(DomainError):
        clean_upload(upload(content, "evidence.pdf"))


def test_plain_text_is_accepted_as_text():
    assert clean_upload(upload("Бележка за срещата".encode(), "note.pdf")).kind == "txt"


def test_size_and_count_limits():
    with pytest.raises(DomainError, match="larger than 10 MB"):
        clean_upload(upload(b"a" * (MAX_BYTES + 1)))
    with pytest.raises(DomainError, match="at most 5"):
        clean_uploads([upload(b"text")] * 6)
