"""Municipality data: Kresna from its data file, and any other municipality from its own."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from glas.core.exceptions import DomainError
from glas.core.models import Kmetstvo, Municipality, PopulationFigure, Settlement
from glas.core.services import municipality_load

KRESNA_FILE = settings.GLAS_DATA_DIR / "municipalities" / "kresna.json"
SECOND_FILE = Path(__file__).parent / "fixtures" / "primerna.json"


def population(settlement: Settlement, year: int) -> PopulationFigure:
    return settlement.population_figures.get(year=year)


def counts() -> tuple[int, int, int, int]:
    return (
        Municipality.objects.count(),
        Kmetstvo.objects.count(),
        Settlement.objects.count(),
        PopulationFigure.objects.count(),
    )


def test_kresna_has_seven_settlements_with_their_2011_population(kresna):
    settlements = {s.name: s for s in Settlement.objects.filter(municipality=kresna)}

    figures = {name: population(s, 2011).population for name, s in settlements.items()}
    assert figures == {
        "Кресна": 3470,
        "Долна Градешница": 661,
        "Сливница": 599,
        "Горна Брезница": 564,
        "Стара Кресна": 71,
        "Ощава": 66,
        "Влахи": 10,
    }
    assert settlements["Кресна"].kind == Settlement.Kind.TOWN
    assert {s.kind for name, s in settlements.items() if name != "Кресна"} == {Settlement.Kind.VILLAGE}


def test_only_the_figure_for_vlahi_is_approximate(kresna):
    approximate = PopulationFigure.objects.filter(municipality=kresna, approximate=True)

    assert [(f.settlement.name, f.population) for f in approximate] == [("Влахи", 10)]


def test_kresna_has_its_census_population_and_registered_voters(kresna):
    figures = PopulationFigure.objects.filter(municipality=kresna, settlement__isnull=True)

    assert {f.year: f.population for f in figures} == {2001: 6255, 2011: 5441, 2021: 4546}
    assert all(f.source.startswith("НСИ") for f in figures)
    assert kresna.voters == 4527
    assert kresna.polling_sections == 11
    assert kresna.name == "Кресна" and kresna.province == "Благоевград"


def test_loading_kresna_again_creates_nothing_new(kresna):
    before = counts()

    again = municipality_load(actor=None, path=KRESNA_FILE)

    assert again.pk == kresna.pk
    assert counts() == before == (1, 0, 7, 10)


def test_loading_again_takes_the_corrected_figures_from_the_file(kresna, tmp_path):
    corrected = json.loads(KRESNA_FILE.read_text(encoding="utf-8"))
    corrected["municipality"]["voters"] = 4400
    corrected["settlements"][-1]["population"][0]["population"] = 12
    path = tmp_path / "kresna.json"
    path.write_text(json.dumps(corrected, ensure_ascii=False), encoding="utf-8")

    municipality_load(actor=None, path=path)

    kresna.refresh_from_db()
    assert kresna.voters == 4400
    assert population(Settlement.objects.get(slug="vlahi"), 2011).population == 12
    assert counts() == (1, 0, 7, 10)


def test_a_second_municipality_loads_from_its_own_file(kresna):
    call_command("load_municipality", str(SECOND_FILE), stdout=io.StringIO())

    second = Municipality.objects.get(code="primerna")
    assert second.is_demo
    assert list(second.settlements.values_list("slug", flat=True)) == ["primerna", "gorno-selo"]
    village = second.settlements.get(slug="gorno-selo")
    assert village.kmetstvo is not None and village.kmetstvo.name == "Горно село"
    assert village.voters == 150
    assert Settlement.objects.filter(municipality=kresna).count() == 7


def test_glas_municipality_chooses_which_municipality_the_site_shows(kresna, client):
    municipality_load(actor=None, path=SECOND_FILE)
    english = {"Accept-Language": "en"}

    with override_settings(GLAS_MUNICIPALITY="primerna"):
        page = client.get(reverse("core:home"), headers=english).content.decode()
        api = client.get("/api/v1/municipality").json()
    assert "Municipality of Primerna" in page and "Kresna" not in page
    assert api["code"] == "primerna"
    assert [s["slug"] for s in api["settlements"]] == ["primerna", "gorno-selo"]

    page = client.get(reverse("core:home"), headers=english).content.decode()
    assert "Municipality of Kresna" in page and "Primerna" not in page


def test_the_load_command_loads_the_configured_municipality_by_default(db, capsys):
    call_command("load_municipality")

    assert Municipality.objects.get().code == settings.GLAS_MUNICIPALITY == "kresna"
    assert "7 settlements" in capsys.readouterr().out


def kresna_with(change) -> str:
    payload = json.loads(KRESNA_FILE.read_text(encoding="utf-8"))
    change(payload)
    return json.dumps(payload, ensure_ascii=False)


# What is wrong with the file -> a word the error message must contain.
MALFORMED = {
    "not JSON": ('{"municipality": {"code": "kresna",', "Expecting"),
    "not an object": ("[1, 2, 3]", "JSON object"),
    "no municipality": ('{"settlements": []}', "municipality"),
    "no code": (kresna_with(lambda p: p["municipality"].pop("code")), "code"),
    "code not a slug": (kresna_with(lambda p: p["municipality"].update(code="../kresna")), "code"),
    "settlement without slug": (kresna_with(lambda p: p["settlements"][0].pop("slug")), "slug"),
    "settlement of an unknown kind": (kresna_with(lambda p: p["settlements"][0].update(kind="city")), "city"),
    "population not a number": (kresna_with(lambda p: p["population"][0].update(population="много")), "много"),
    "negative population": (kresna_with(lambda p: p["population"][0].update(population=-5)), "population"),
    "impossible year": (kresna_with(lambda p: p["population"][0].update(year=1066)), "year"),
    "impossible date": (
        kresna_with(lambda p: p["municipality"].update(voters_as_of="2021-02-30")),
        "day is out of range",
    ),
    "bad e-mail": (kresna_with(lambda p: p["municipality"].update(email="not an address")), "email"),
    "settlements not a list": (kresna_with(lambda p: p.update(settlements="Кресна")), "string indices"),
}


@pytest.mark.parametrize(("content", "problem"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_file_is_a_clear_command_error_and_loads_nothing(db, tmp_path, content, problem):
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")

    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("load_municipality", str(path))

    assert str(error.value).startswith("The municipality data file cannot be read: ")
    assert problem in str(error.value)
    assert counts() == (0, 0, 0, 0)


def test_a_missing_file_is_a_clear_command_error(db, tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="cannot be read.*nowhere.json"):
        call_command("load_municipality", str(tmp_path / "nowhere.json"))


def test_a_malformed_file_leaves_a_loaded_municipality_as_it_was(kresna, tmp_path):
    path = tmp_path / "kresna.json"
    path.write_text(kresna_with(lambda p: p["settlements"][-1].update(kind="city", name="Нови Влахи")), "utf-8")

    with pytest.raises(DomainError, match="kind"):
        municipality_load(actor=None, path=path)

    assert Settlement.objects.get(slug="vlahi").name == "Влахи"
    assert counts() == (1, 0, 7, 10)
