"""The list for the civil registry (ГД „ГРАО“) as CSV or XLSX, and printable signature sheets.

The export holds what the registry matches on paper: the line id (which the registry's answer
quotes back), channel, sheet and line, three names, the ЕГН *masked* (Glas never stores it in
clear: the registry reads it on the paper sheet, or checks online signers by the verification
record), permanent address and settlement. Text a spreadsheet would run as a formula gets a
leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from glas.initiatives.models import Initiative, Signature

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def header() -> list[str]:
    return [
        "id",
        _("channel"),
        _("sheet"),
        _("line"),
        _("three names"),
        _("ЕГН"),
        _("permanent address"),
        _("settlement"),
        "result",
        "reason",
    ]


def rows(initiative: Initiative) -> Iterator[list[Any]]:
    """One row per signature that counts now, in a bounded number of queries (chunks)."""
    signatures = (
        Signature.objects.filter(initiative=initiative, status__in=Signature.COUNTING)
        .select_related("settlement", "signer__resident_verification")
        .order_by("pk")
    )
    last = 0
    while True:
        chunk = list(signatures.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        for s in chunk:
            name = s.full_name or (s.signer.full_name if s.signer else "")
            yield [
                str(s.public_id),
                s.channel,
                s.sheet_number or "",
                s.line_number or "",
                neutralise(name),
                f"••••••••{s.egn_last2}" if s.egn_last2 else "",
                neutralise(s.address),
                s.settlement.name if s.settlement else "",
                "",
                "",
            ]
        last = chunk[-1].pk


def csv_chunks(initiative: Initiative) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header())
    for number, row in enumerate(rows(initiative)):
        writer.writerow(row)
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(initiative: Initiative) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Signatures")[:31])
    sheet.append(header())
    for row in rows(initiative):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet_pdf(html: str) -> bytes:
    """A printable signature sheet (nothing is fetched)."""
    from glas.core.pdf import html_to_pdf

    return html_to_pdf(html)
