"""Writes for survey reports: the report, its blocks, publishing and withdrawing it.

Once a report has been published (``published_at`` is set) its address and the keys of its
findings are frozen: a finding may be cited by its link, so a published finding cannot be
deleted and its key never changes; its caption and specification may still be corrected.
Publishing checks that every finding still computes (a question may have been deleted since).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.core.audit import audit_log
from glas.core.exceptions import DomainError
from glas.surveys.analysis import AnalysisError
from glas.surveys.models import FINDING_KEY_PATTERN, REPORT_SLUG_PATTERN, ReportBlock, Survey, SurveyReport
from glas.surveys.reports import (
    MAX_BLOCKS,
    TEXT_CAP,
    check_finding_spec,
    default_key,
    finding_for_block,
    report_variables,
    slug_from,
)
from glas.surveys.services.common import clean_field_text, require

if TYPE_CHECKING:
    from glas.accounts.models import User

PERM = "surveys.edit_reports"
RESERVED_KEY_PREFIXES = ("frequency-", "mean-", "crosstab-")
REPORT_FIELDS = ("title", "summary", "slug")
BLOCK_FIELDS = ("text", "spec", "caption", "key")


def _touch(report: SurveyReport) -> None:
    report.updated_at = timezone.now()
    report.save(update_fields=["updated_at"])


def _clean_slug(value: Any, *, title: str, report: SurveyReport | None = None) -> str:
    slug = str(value or "").strip().lower() or slug_from(title)
    if not slug:
        slug = "report"
    if not re.fullmatch(REPORT_SLUG_PATTERN, slug):
        raise DomainError(
            _("Use lower-case Latin letters, digits and hyphens for the address, starting with a letter or digit."),
            field="slug",
        )
    others = SurveyReport.objects.filter(slug=slug)
    taken = (others.exclude(pk=report.pk) if report else others).exists()
    if taken and not value:
        base, number = slug[:90], 2
        while SurveyReport.objects.filter(slug=f"{base}-{number}").exists():
            number += 1
        return f"{base}-{number}"
    if taken:
        raise DomainError(_("Another report already has this address."), field="slug")
    return slug


def report_create(*, actor: User, survey: Survey, title: str, summary: str = "", slug: str = "") -> SurveyReport:
    """A draft report on ``survey``; its address comes from the title unless one is given."""
    require(actor, PERM, survey)
    title = clean_field_text(title, field="title", cap=300, required=True)
    summary = clean_field_text(summary, field="summary", cap=TEXT_CAP)
    try:
        with transaction.atomic():
            report = SurveyReport.objects.create(
                survey=survey, title=title, summary=summary, slug=_clean_slug(slug, title=title), author=actor
            )
            audit_log(actor=actor, action="surveys.report.created", obj=report, data={"survey": survey.pk})
    except IntegrityError:  # the address was taken meanwhile
        raise DomainError(_("Another report already has this address."), field="slug") from None
    return report


def report_update(*, actor: User, report: SurveyReport, data: Mapping[str, Any]) -> SurveyReport:
    """Change the title, summary or address (the address only until the first publication)."""
    require(actor, PERM, report.survey)
    unknown = set(data) - set(REPORT_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    changed = []
    if "title" in data:
        report.title = clean_field_text(data["title"], field="title", cap=300, required=True)
        changed.append("title")
    if "summary" in data:
        report.summary = clean_field_text(data["summary"], field="summary", cap=TEXT_CAP)
        changed.append("summary")
    if "slug" in data and (data["slug"] or "") != report.slug:
        if report.keys_frozen:
            raise DomainError(
                _("The report has been published: its address may be cited and can no longer change."), field="slug"
            )
        report.slug = _clean_slug(data["slug"], title=report.title, report=report)
        changed.append("slug")
    with transaction.atomic():
        report.updated_at = timezone.now()
        report.save(update_fields=[*changed, "updated_at"])
        audit_log(actor=actor, action="surveys.report.updated", obj=report, data={"fields": changed})
    return report


# --- Blocks ---------------------------------------------------------------------------------------


def _clean_key(value: Any, spec: Mapping[str, Any], report: SurveyReport, block: ReportBlock | None) -> str:
    blocks = ReportBlock.objects.filter(report=report).exclude(key="")
    if block is not None:
        blocks = blocks.exclude(pk=block.pk)
    taken = set(blocks.values_list("key", flat=True))
    key = str(value or "").strip().lower()
    if not key:
        return default_key(spec, taken)
    if not re.fullmatch(FINDING_KEY_PATTERN, key):
        raise DomainError(
            _("Use lower-case Latin letters, digits and hyphens for the link key (at most 64)."), field="key"
        )
    if key.startswith(RESERVED_KEY_PREFIXES):
        # The finding's own table is anchored "finding-<kind>-…": a key like that would clash.
        raise DomainError(
            _("A link key cannot begin with “frequency-”, “mean-” or “crosstab-”. Choose another."), field="key"
        )
    if key in taken:
        raise DomainError(_("Another finding of this report already has this link key."), field="key")
    return key


def _block_values(
    report: SurveyReport, kind: str, data: Mapping[str, Any], block: ReportBlock | None = None
) -> dict[str, Any]:
    """The checked field values of a block of ``kind``; for an update, what ``data`` leaves
    out keeps its current value."""

    def given(name: str) -> Any:
        return data.get(name, getattr(block, name) if block is not None else "")

    if kind == ReportBlock.Kind.TEXT:
        return {
            "text": clean_field_text(given("text"), field="text", cap=TEXT_CAP, required=True),
            "caption": clean_field_text(given("caption"), field="caption", cap=300),
        }
    if kind == ReportBlock.Kind.METHODOLOGY:
        return {}
    spec = check_finding_spec(given("spec"), report_variables(report.survey))
    same = ReportBlock.objects.filter(report=report, kind=ReportBlock.Kind.FINDING, spec=spec)
    if (same.exclude(pk=block.pk) if block is not None else same).exists():
        raise DomainError(_("The report already shows this finding."), field="variable")
    values: dict[str, Any] = {"spec": spec, "caption": clean_field_text(given("caption"), field="caption", cap=300)}
    wanted = str(data.get("key") or "").strip().lower()
    if block is not None and wanted in ("", block.key):
        values["key"] = block.key
    elif block is not None and report.keys_frozen:
        raise DomainError(
            _("The report has been published: the link of this finding may be cited and cannot change."), field="key"
        )
    else:
        values["key"] = _clean_key(wanted, spec, report, block)
    return values


def block_add(*, actor: User, report: SurveyReport, kind: str, data: Mapping[str, Any]) -> ReportBlock:
    """Add narrative text (``data["text"]``), a finding (``data["spec"]``, optional ``caption``
    and ``key``) or the methodology section at the end of the report."""
    require(actor, PERM, report.survey)
    if kind not in ReportBlock.Kind.values:
        raise DomainError(_("Choose what to add."), field="kind")
    values = _block_values(report, kind, data)
    with transaction.atomic():
        report = SurveyReport.objects.select_for_update().get(pk=report.pk)
        blocks = ReportBlock.objects.filter(report=report)
        if blocks.count() >= MAX_BLOCKS:
            raise DomainError(_("A report has at most %(max)d parts.") % {"max": MAX_BLOCKS})
        if kind == ReportBlock.Kind.METHODOLOGY and blocks.filter(kind=kind).exists():
            raise DomainError(_("The report already has its methodology section."), field="kind")
        last = blocks.order_by("-position").values_list("position", flat=True).first() or 0
        try:
            with transaction.atomic():
                block = ReportBlock.objects.create(report=report, kind=kind, position=last + 1, **values)
        except IntegrityError:
            raise DomainError(_("Another finding of this report already has this link key."), field="key") from None
        _touch(report)
        audit_log(actor=actor, action="surveys.report.block_added", obj=report, data={"block": block.pk, "kind": kind})
    return block


def block_update(*, actor: User, block: ReportBlock, data: Mapping[str, Any]) -> ReportBlock:
    report = block.report
    require(actor, PERM, report.survey)
    unknown = set(data) - set(BLOCK_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    values = _block_values(report, block.kind, data, block)
    with transaction.atomic():
        for name, value in values.items():
            setattr(block, name, value)
        block.save(update_fields=list(values) or None)
        _touch(report)
        audit_log(actor=actor, action="surveys.report.block_updated", obj=report, data={"block": block.pk})
    return block


def block_move(*, actor: User, block: ReportBlock, position: int) -> ReportBlock:
    report = block.report
    require(actor, PERM, report.survey)
    with transaction.atomic():
        blocks = list(ReportBlock.objects.select_for_update().filter(report=report).order_by("position", "id"))
        rest = [other for other in blocks if other.pk != block.pk]
        index = max(0, min(position - 1, len(rest)))
        for number, item in enumerate([*rest[:index], block, *rest[index:]], start=1):
            if item.position != number or item.pk == block.pk:
                item.position = number
                item.save(update_fields=["position"])
        _touch(report)
        audit_log(
            actor=actor, action="surveys.report.block_moved", obj=report, data={"block": block.pk, "to": block.position}
        )
    return block


def block_delete(*, actor: User, block: ReportBlock) -> None:
    """Remove a block; a finding of a report that has been published stays (it may be cited)."""
    report = block.report
    require(actor, PERM, report.survey)
    if block.kind == ReportBlock.Kind.FINDING and report.keys_frozen:
        raise DomainError(
            _(
                "The report has been published and this finding may be cited by its link, so it cannot be "
                "removed. Correct its caption or add narrative text instead."
            ),
            code="cited",
        )
    with transaction.atomic():
        audit_log(actor=actor, action="surveys.report.block_deleted", obj=report, data={"block": block.pk})
        block.delete()
        for number, item in enumerate(ReportBlock.objects.filter(report=report).order_by("position", "id"), start=1):
            if item.position != number:
                item.position = number
                item.save(update_fields=["position"])
        _touch(report)


# --- Publishing -------------------------------------------------------------------------------------


def _check_computes(report: SurveyReport) -> None:
    blocks = list(ReportBlock.objects.filter(report=report).order_by("position", "id"))
    if not blocks:
        raise DomainError(_("An empty report cannot be published. Add text or findings first."), code="empty")
    variables = report_variables(report.survey)
    for block in blocks:
        if block.kind != ReportBlock.Kind.FINDING:
            continue
        name = block.caption or block.key
        try:
            check_finding_spec(block.spec, variables)
            finding_for_block(report.survey, block.spec or {})
        except (DomainError, AnalysisError) as error:
            message = error.message if isinstance(error, DomainError) else str(error)
            raise DomainError(
                _("The finding “%(name)s” can no longer be computed: %(reason)s Change or remove it, then publish.")
                % {"name": name, "reason": message},
                code="finding",
            ) from None


def report_publish(*, actor: User, report: SurveyReport) -> SurveyReport:
    """Make the report public at its address. Refused for a draft survey, an empty report or
    a finding that no longer computes. The first publication freezes the address and the keys."""
    require(actor, PERM, report.survey)
    if report.survey.status == Survey.Status.DRAFT:
        raise DomainError(_("A draft survey has no results to report."), code="draft")
    _check_computes(report)
    with transaction.atomic():
        now = timezone.now()
        report.status = SurveyReport.Status.PUBLISHED
        report.published_at = report.published_at or now
        report.updated_at = now
        report.save(update_fields=["status", "published_at", "updated_at"])
        audit_log(actor=actor, action="surveys.report.published", obj=report)
    return report


def report_unpublish(*, actor: User, report: SurveyReport) -> SurveyReport:
    """Withdraw the report from the public site. Its address and keys stay reserved."""
    require(actor, PERM, report.survey)
    with transaction.atomic():
        report.status = SurveyReport.Status.DRAFT
        report.updated_at = timezone.now()
        report.save(update_fields=["status", "updated_at"])
        audit_log(actor=actor, action="surveys.report.unpublished", obj=report)
    return report
