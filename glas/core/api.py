"""Public API of core: settlements and the legal rules Glas follows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from glas.core.models import LegalRule, PopulationFigure, Settlement
from glas.core.selectors import current_municipality, legal_rule_versions, rules_in_force, settlements_for

router = Router(tags=["municipality"])


class PopulationOut(Schema):
    year: int
    population: int
    approximate: bool
    source: str


class SettlementOut(Schema):
    slug: str
    name: str
    name_en: str
    kind: str
    kmetstvo: str | None = None
    ekatte: str
    voters: int | None
    population: list[PopulationOut]


class MunicipalityOut(Schema):
    code: str
    name: str
    name_en: str
    province: str
    province_en: str
    voters: int | None
    voters_as_of: dt.date | None
    voters_source: str
    population: list[PopulationOut]
    settlements: list[SettlementOut]


class LegalRuleOut(Schema):
    key: str
    value: Decimal
    unit: str
    title: str
    title_en: str
    legal_basis: str
    note: str
    needs_verification: bool
    effective_from: dt.date
    effective_to: dt.date | None


def _population(figures: list[PopulationFigure]) -> list[dict[str, object]]:
    return [
        {"year": f.year, "population": f.population, "approximate": f.approximate, "source": f.source} for f in figures
    ]


@router.get("/municipality", response=MunicipalityOut, summary="The municipality with its settlements")
def municipality(request: HttpRequest) -> dict[str, object]:
    muni = current_municipality()
    figures = list(PopulationFigure.objects.filter(municipality=muni, settlement__isnull=True).order_by("-year"))
    return {
        "code": muni.code,
        "name": muni.name,
        "name_en": muni.name_en,
        "province": muni.province,
        "province_en": muni.province_en,
        "voters": muni.voters,
        "voters_as_of": muni.voters_as_of,
        "voters_source": muni.voters_source,
        "population": _population(figures),
        "settlements": [_settlement(s) for s in settlements_for(muni)],
    }


def _settlement(s: Settlement) -> dict[str, object]:
    return {
        "slug": s.slug,
        "name": s.name,
        "name_en": s.name_en,
        "kind": s.kind,
        "kmetstvo": s.kmetstvo.name if s.kmetstvo else None,
        "ekatte": s.ekatte,
        "voters": s.voters,
        "population": _population(list(s.population_figures.all())),
    }


@router.get("/settlements", response=list[SettlementOut], summary="Settlements of the municipality")
def settlements(request: HttpRequest) -> list[dict[str, object]]:
    return [_settlement(s) for s in settlements_for(current_municipality())]


@router.get("/rules", response=list[LegalRuleOut], summary="Legal rules in force on a date (today by default)")
def rules(request: HttpRequest, on: dt.date | None = None) -> list[LegalRule]:
    return list(rules_in_force(on=on))


@router.get("/rules/{key}", response=list[LegalRuleOut], summary="Every version of one rule, newest first")
def rule_versions(request: HttpRequest, key: str) -> list[LegalRule]:
    versions = legal_rule_versions(key)
    if not versions:
        raise HttpError(404, "No such rule.")
    return versions
