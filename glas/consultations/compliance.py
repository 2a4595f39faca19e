"""The compliance panel: what a consultation still lacks, as the national portal reports it
(strategy.bg flags terms under 30 days, short terms without reasons, missing documents and a
missing справка). Read-only; computed from the draft and the counts already on the page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from glas.consultations.models import Draft


@dataclass(frozen=True)
class Check:
    label: str | Promise
    ok: bool
    detail: str | Promise = ""
    pending: bool = False  # not yet due (e.g. the справка while the consultation is open)


def compliance_checks(draft: Draft, *, article_count: int, unanswered: int) -> list[Check]:
    today = timezone.localdate()
    checks = [
        Check(_("Text of the draft"), article_count > 0, "" if article_count else _("The draft has no articles.")),
        Check(
            _("Motives"), bool(draft.motives.strip()), "" if draft.motives.strip() else _("The motives are missing.")
        ),
        Check(
            _("Preliminary impact assessment"),
            bool(draft.impact_assessment.strip()),
            "" if draft.impact_assessment.strip() else _("The preliminary impact assessment is missing."),
        ),
    ]
    if draft.opens_on is None or draft.closes_on is None:
        checks.append(Check(_("Consultation term"), False, _("No consultation term has been set.")))
    elif draft.is_short_term:
        has_reasons = bool(draft.short_term_reasons.strip())
        checks.append(
            Check(
                _("Consultation term"),
                has_reasons,
                _("Shorter than the regular term; the reasons are published.")
                if has_reasons
                else _("Shorter than the regular term and no reasons are given."),
            )
        )
    else:
        checks.append(Check(_("Consultation term"), True, _("At least the regular term.")))
    report_due = draft.closes_on is not None and draft.closes_on < today
    if draft.report_published_at is not None:
        checks.append(Check(_("Report on the proposals (справка)"), True, _("Published.")))
    elif draft.status == Draft.Status.DRAFT or not report_due:
        checks.append(
            Check(_("Report on the proposals (справка)"), False, _("Due after the consultation closes."), pending=True)
        )
    else:
        detail = (
            ngettext(
                "The consultation has closed; %(count)s proposal still has no answer.",
                "The consultation has closed; %(count)s proposals still have no answer.",
                unanswered,
            )
            % {"count": unanswered}
            if unanswered
            else _("The consultation has closed; every proposal is answered, the report is not yet published.")
        )
        checks.append(Check(_("Report on the proposals (справка)"), False, detail))
    return checks


def is_compliant(checks: list[Check]) -> bool:
    return all(check.ok or check.pending for check in checks)
