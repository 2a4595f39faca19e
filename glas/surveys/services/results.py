"""Writes around results: publishing them, and the audit entry of every data export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.core.audit import audit_log
from glas.core.exceptions import DomainError
from glas.surveys.models import Survey
from glas.surveys.services.common import require

if TYPE_CHECKING:
    from glas.accounts.models import User


def survey_results_publish(*, actor: User, survey: Survey, published: bool) -> Survey:
    """Show (or withdraw) the public results page of a survey. A draft has no results."""
    require(actor, "surveys.view_results", survey)
    if published and survey.status == Survey.Status.DRAFT:
        raise DomainError(_("A draft survey has no results to publish."), code="draft")
    with transaction.atomic():
        survey.results_published = published
        survey.updated_at = timezone.now()
        survey.save(update_fields=["results_published", "updated_at"])
        audit_log(
            actor=actor,
            action="surveys.results.published" if published else "surveys.results.unpublished",
            obj=survey,
        )
    return survey


def survey_export_log(*, actor: User, survey: Survey, fmt: str) -> None:
    """Record who exported the data of which survey in which format (never the data)."""
    require(actor, "surveys.view_results", survey)
    with transaction.atomic():
        audit_log(actor=actor, action="surveys.data.exported", obj=survey, data={"format": fmt})
