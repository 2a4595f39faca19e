"""The справка (report on the proposals, ЗНА чл. 26, ал. 5) as PDF and DOCX.

One row per published contribution: who (the organisation, or for a private person their
name only with their consent), what they proposed, the decision and its reasons. The HTML
page and both files are built from the same rows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from glas.consultations.models import Draft
from glas.consultations.selectors import hidden_count, report_rows


@dataclass
class ReportRow:
    number: int
    author: str
    channel: str
    where: str
    proposal: str
    proposed_text: str
    decision: str
    reasons: str
    supports: int
    oppositions: int


def rows(draft: Draft) -> list[ReportRow]:
    result = []
    for number, item in enumerate(report_rows(draft), start=1):
        result.append(
            ReportRow(
                number=number,
                author=item.public_author,
                channel=item.get_channel_display(),
                where=item.paragraph.label if item.paragraph else str(_("General comment")),
                proposal=item.text,
                proposed_text=item.proposed_text,
                decision=item.get_decision_display() if item.decision else str(_("no answer")),
                reasons=item.reasons,
                supports=item.supports,
                oppositions=item.oppositions,
            )
        )
    return result


def report_context(draft: Draft) -> dict[str, object]:
    return {"draft": draft, "rows": rows(draft), "hidden": hidden_count(draft), "generated": timezone.localtime()}


def report_pdf(draft: Draft) -> bytes:
    from glas.core.pdf import html_to_pdf

    return html_to_pdf(render_to_string("consultations/report_pdf.html", report_context(draft)))


def report_docx(draft: Draft) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    context = report_context(draft)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.styles["Normal"].font.size = Pt(9)
    document.add_heading(_("Report on the proposals received"), level=1)
    document.add_paragraph(
        _("Draft: %(title)s. Public consultation from %(start)s to %(end)s.")
        % {
            "title": draft.title,
            "start": draft.opens_on.strftime("%d.%m.%Y") if draft.opens_on else "",
            "end": draft.closes_on.strftime("%d.%m.%Y") if draft.closes_on else "",
        }
    )
    headers = [_("No."), _("Who"), _("Where"), _("Proposal"), _("Decision"), _("Reasons")]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
    for row in context["rows"]:  # type: ignore[attr-defined]
        proposal = row.proposal
        if row.proposed_text:
            proposal = f"{proposal}\n{_('Proposed wording')}: {row.proposed_text}".strip()
        values = [str(row.number), f"{row.author} ({row.channel})", row.where, proposal, row.decision, row.reasons]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    if context["hidden"]:
        document.add_paragraph(
            ngettext(
                "%(counter)s contribution was hidden by a moderator; the reason is published on the consultation page.",
                "%(counter)s contributions were hidden by a moderator; the reasons are published on the "
                "consultation page.",
                int(context["hidden"]),  # type: ignore[call-overload]
            )
            % {"counter": context["hidden"]}
        )
    if draft.is_demo:
        document.add_paragraph(_("Demo data: this is not a real consultation."))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def file_name(draft: Draft, fmt: str) -> str:
    return f"spravka-{str(draft.public_id)[:8]}.{fmt}"
