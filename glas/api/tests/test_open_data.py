"""The public API: the municipality, its settlements and the legal rules, with an OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings

from glas.core.services import legal_rule_change

RULES = json.loads((settings.GLAS_DATA_DIR / "legal_rules.json").read_text(encoding="utf-8"))["rules"]


def test_settlements_lists_the_seven_settlements_of_kresna_town_first(kresna, client):
    response = client.get("/api/v1/settlements")

    assert response.status_code == 200
    data = response.json()
    assert [s["name"] for s in data] == [
        "Кресна",
        "Влахи",
        "Горна Брезница",
        "Долна Градешница",
        "Ощава",
        "Сливница",
        "Стара Кресна",
    ]
    vlahi = next(s for s in data if s["slug"] == "vlahi")
    assert vlahi["kind"] == "village"
    assert vlahi["population"] == [
        {"year": 2011, "population": 10, "approximate": True, "source": "НСИ, Преброяване 2011 (около 10 души)"}
    ]


def test_municipality_gives_population_by_census_and_voters(kresna, client):
    data = client.get("/api/v1/municipality").json()

    assert (data["code"], data["name"], data["name_en"], data["province"], data["province_en"]) == (
        "kresna",
        "Кресна",
        "Kresna",
        "Благоевград",
        "Blagoevgrad",
    )
    assert data["voters"] == 4527
    assert data["voters_as_of"] == "2021-04-04"
    assert {p["year"]: p["population"] for p in data["population"]} == {2001: 6255, 2011: 5441, 2021: 4546}
    assert len(data["settlements"]) == 7


@pytest.mark.parametrize("path", ["/api/v1/municipality", "/api/v1/settlements"])
def test_without_a_loaded_municipality_the_data_is_not_found(db, client, path):
    assert client.get(path).status_code == 404


def test_rules_lists_every_rule_in_force_with_its_legal_basis(legal_rules, client):
    data = client.get("/api/v1/rules").json()

    assert {r["key"]: r["legal_basis"] for r in data} == {r["key"]: r["legal_basis"] for r in RULES}
    flagged = {r["key"] for r in data if r["needs_verification"]}
    assert flagged == {r["key"] for r in RULES if r.get("needs_verification")}


def test_rules_on_a_date_gives_the_versions_in_force_then(legal_rules, council_secretary, client):
    legal_rule_change(
        actor=council_secretary,
        key="consultation.term.min",
        value="45",
        effective_from=dt.date(2030, 1, 1),
        legal_basis="ЗНА, чл. 26",
    )

    def value_on(day: str) -> str:
        rules = client.get("/api/v1/rules", {"on": day}).json()
        return next(r["value"] for r in rules if r["key"] == "consultation.term.min")

    assert float(value_on("2029-12-31")) == 30
    assert float(value_on("2030-01-01")) == 45
    assert client.get("/api/v1/rules", {"on": "1999-12-31"}).json() == []


@pytest.mark.parametrize("day", ["yesterday", "2026-02-30", "2026-1-1x", "' OR 1=1 --", "9" * 1000])
def test_rules_on_a_malformed_date_is_a_client_error(legal_rules, client, day):
    response = client.get("/api/v1/rules", {"on": day})

    assert response.status_code == 422


def test_one_rule_lists_all_its_versions_newest_first(legal_rules, council_secretary, client):
    legal_rule_change(
        actor=council_secretary,
        key="consultation.term.min",
        value="45",
        effective_from=dt.date(2030, 1, 1),
        legal_basis="ЗНА, чл. 26",
    )

    versions = client.get("/api/v1/rules/consultation.term.min").json()

    assert [(v["effective_from"], v["effective_to"]) for v in versions] == [
        ("2030-01-01", None),
        ("2000-01-01", "2030-01-01"),
    ]


@pytest.mark.parametrize("key", ["no.such.rule", "x" * 500, "%27%20OR%201%3D1", "<script>", "consultation%00", "%C0"])
def test_an_unknown_rule_is_not_found(legal_rules, client, key):
    response = client.get(f"/api/v1/rules/{key}")

    assert response.status_code == 404
    assert "<script>" not in response.content.decode()


def test_the_openapi_schema_lists_the_endpoints(db, client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/settlements", "/api/v1/municipality", "/api/v1/rules", "/api/v1/rules/{key}", "/api/v1/me"} <= set(
        paths
    )
    assert "get" in paths["/api/v1/me"] and paths["/api/v1/me"]["get"]["security"]


def test_the_public_endpoints_need_a_bounded_number_of_queries(
    kresna, legal_rules, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/municipality").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/settlements").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/api/v1/rules").status_code == 200
