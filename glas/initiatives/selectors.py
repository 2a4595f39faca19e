"""Reads for initiatives: territory, live counts (sums of counter shards), the campaign
dashboard, public lists."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.core.models import LegalRule, Settlement
from glas.core.participation import OpenItem
from glas.core.selectors import rule_value, rules_in_force
from glas.initiatives.models import Initiative, Signature, SignatureCounter

if TYPE_CHECKING:
    from glas.accounts.models import User

EXCLUDED_TOPIC_PREFIX = "referendum.excluded_topic."


def excluded_topics() -> list[LegalRule]:
    """The topics the law excludes from a local referendum, as rules in force today."""
    return list(rules_in_force().filter(key__startswith=EXCLUDED_TOPIC_PREFIX, value__gt=0))


def territory_settlements(initiative: Initiative) -> QuerySet[Settlement]:
    if initiative.territory == Initiative.Territory.SETTLEMENT:
        return Settlement.objects.filter(pk=initiative.settlement_id or 0)
    if initiative.territory == Initiative.Territory.KMETSTVO:
        return Settlement.objects.filter(kmetstvo_id=initiative.kmetstvo_id or 0)
    return Settlement.objects.filter(municipality_id=initiative.municipality_id)


def territory_settlement_ids(initiative: Initiative) -> set[int]:
    return set(territory_settlements(initiative).values_list("pk", flat=True))


def signature_count(initiative: Initiative) -> int:
    """Signatures that count now (not held, withdrawn or invalid): the sum of all the shards
    (every settlement's and those of no settlement), one query over a fixed number of rows."""
    total = SignatureCounter.objects.filter(initiative=initiative).aggregate(n=Sum("count"))
    return int(total["n"] or 0)


def settlement_counts(initiative: Initiative) -> list[tuple[Settlement, int]]:
    sums = dict(
        SignatureCounter.objects.filter(initiative=initiative, settlement__isnull=False)
        .values_list("settlement")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return [
        (s, int(sums.get(s.pk, 0)))
        for s in territory_settlements(initiative).order_by("kind", "name")
        if sums.get(s.pk)
    ]


@dataclass(frozen=True)
class Progress:
    count: int
    propose: int | None
    oblige: int | None

    @property
    def target(self) -> int | None:
        return self.oblige or self.propose

    @property
    def percent(self) -> int:
        if not self.target:
            return 0
        return min(100, math.floor(self.count * 100 / self.target))

    @property
    def propose_percent(self) -> int:
        if not self.propose or not self.target:
            return 0
        return min(100, math.floor(self.propose * 100 / self.target))


def progress(initiative: Initiative) -> Progress:
    return Progress(signature_count(initiative), initiative.threshold_propose, initiative.threshold_oblige)


@dataclass(frozen=True)
class Dashboard:
    counted: int
    valid: int
    pending: int
    invalid: int
    held: int
    withdrawn: int
    expected_invalid_percent: Decimal
    expected_valid: int
    more_to_propose: int | None
    more_to_oblige: int | None


def _more_needed(target: int | None, expected_valid: Decimal, share_valid: Decimal) -> int | None:
    if target is None:
        return None
    missing = Decimal(target) - expected_valid
    if missing <= 0:
        return 0
    return math.ceil(missing / share_valid) if share_valid > 0 else None


def campaign_dashboard(initiative: Initiative) -> Dashboard:
    """Valid, pending and invalid counts, and how many more signatures to collect to reach each
    threshold with the expected share of registry rejections (a rule; default 28 %)."""
    by_status = dict(
        Signature.objects.filter(initiative=initiative).values_list("status").annotate(n=Count("id")).order_by()
    )
    valid = by_status.get(Signature.Status.VALID, 0)
    pending = by_status.get(Signature.Status.COUNTED, 0)
    share_invalid = Decimal(rule_value("initiatives.signatures.expected_invalid_percent")) / 100
    share_valid = 1 - share_invalid
    expected_valid = Decimal(valid) + Decimal(pending) * share_valid
    return Dashboard(
        counted=valid + pending,
        valid=valid,
        pending=pending,
        invalid=by_status.get(Signature.Status.INVALID, 0),
        held=by_status.get(Signature.Status.HELD, 0),
        withdrawn=by_status.get(Signature.Status.WITHDRAWN, 0),
        expected_invalid_percent=(share_invalid * 100).normalize(),
        expected_valid=math.floor(expected_valid),
        more_to_propose=_more_needed(initiative.threshold_propose, expected_valid, share_valid),
        more_to_oblige=_more_needed(initiative.threshold_oblige, expected_valid, share_valid),
    )


def public_initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.filter(status__in=Initiative.PUBLIC_STATUSES).select_related(
        "municipality", "kmetstvo", "settlement"
    )


def initiatives_of(user: User) -> QuerySet[Initiative]:
    """Initiatives the person promotes or is a confirmed committee member of."""
    return (
        Initiative.objects.filter(committee__user=user, committee__confirmed_at__isnull=False)
        .distinct()
        .select_related("municipality", "kmetstvo", "settlement")
    )


def initiatives_for_staff() -> QuerySet[Initiative]:
    return Initiative.objects.exclude(status__in=[Initiative.Status.DRAFT, Initiative.Status.COMMITTEE]).select_related(
        "municipality", "kmetstvo", "settlement"
    )


def own_signature(user: Any, initiative: Initiative) -> Signature | None:
    if not user.is_authenticated:
        return None
    return (
        Signature.objects.filter(initiative=initiative, signer=user)
        .exclude(status=Signature.Status.WITHDRAWN)
        .only("status", "initiative_id", "created_at")
        .first()
    )


def open_now(limit: int) -> list[OpenItem]:
    """For the home page: initiatives collecting signatures."""
    today = timezone.localdate()
    items = Initiative.objects.filter(status=Initiative.Status.COLLECTING, collection_closes_on__gte=today).order_by(
        "collection_closes_on"
    )[:limit]
    return [
        OpenItem(
            kind=_("Initiative"),
            title=i.title,
            url=reverse("initiatives:detail", args=[i.public_id]),
            closes_on=i.collection_closes_on,
            summary=i.get_kind_display(),
        )
        for i in items
    ]


def personal_data(user: Any) -> dict[str, Any]:
    """The person's signatures and committee places, for their data export (``/me/data/``)."""
    from glas.initiatives.models import CommitteeMember

    return {
        "signatures": [
            {
                "initiative": s.initiative.title,
                "channel": s.channel,
                "status": s.status,
                "signed_at": s.created_at.isoformat(),
                "withdrawn_at": s.withdrawn_at.isoformat() if s.withdrawn_at else None,
                "egn": f"••••••••{s.egn_last2}" if s.egn_last2 else None,
            }
            for s in Signature.objects.filter(signer=user).select_related("initiative").order_by("created_at")
        ],
        "committees": [
            {"initiative": m.initiative.title, "confirmed_at": m.confirmed_at.isoformat() if m.confirmed_at else None}
            for m in CommitteeMember.objects.filter(user=user).select_related("initiative")
        ],
    }


@dataclass(frozen=True)
class Mismatch:
    sheet_number: int
    line_number: int
    fields: list[str]


def keying_mismatches(initiative: Initiative) -> list[Mismatch]:
    """Lines whose second keying differs from the first entry, and in which fields (the ЕГН is
    compared by its keyed hash and never shown)."""
    from glas.initiatives.models import SecondKeying

    firsts = {
        (s.sheet_number, s.line_number): s
        for s in Signature.objects.filter(initiative=initiative, channel=Signature.Channel.PAPER).only(
            "sheet_number", "line_number", "identity_key", "full_name", "address", "settlement_id"
        )
    }
    found = []
    for again in SecondKeying.objects.filter(initiative=initiative).order_by("sheet_number", "line_number"):
        first = firsts.get((again.sheet_number, again.line_number))
        if first is None:
            continue
        fields = [
            label
            for label, a, b in (
                (_("ЕГН"), first.identity_key, again.identity_key),
                (_("Three names"), first.full_name.casefold(), again.full_name.casefold()),
                (
                    _("Permanent address"),
                    " ".join(first.address.split()).casefold(),
                    " ".join(again.address.split()).casefold(),
                ),
                (_("Settlement"), first.settlement_id, again.settlement_id),
            )
            if a != b
        ]
        if fields:
            found.append(Mismatch(again.sheet_number, again.line_number, fields))
    return found
