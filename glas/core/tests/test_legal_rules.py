"""Legal rules: public with their legal basis, changed only by staff as a new dated version."""

from __future__ import annotations

import datetime as dt
import html
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry, LegalRule
from glas.core.selectors import rule_value
from glas.core.services import legal_rule_change, legal_rules_load

RULES_FILE = settings.GLAS_DATA_DIR / "legal_rules.json"
KEY = "consultation.term.min"
CHANGE_URL = reverse("core:rule_change", args=[KEY])
TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _frozen_today(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC))


def rules_in_file() -> list[dict]:
    return json.loads(RULES_FILE.read_text(encoding="utf-8"))["rules"]


def change_form(**overrides: str) -> dict[str, str]:
    data = {"value": "45", "effective_from": "2026-07-01", "legal_basis": "ЗНА, чл. 26, ал. 4 (изм. 2026)", "note": ""}
    data.update(overrides)
    return data


# --- The service ------------------------------------------------------------------------


def test_a_change_closes_the_open_version_and_opens_a_new_one(legal_rules, council_secretary):
    new = legal_rule_change(
        actor=council_secretary, key=KEY, value="45", effective_from=dt.date(2026, 7, 1), legal_basis="ЗНА, чл. 26"
    )

    versions = list(LegalRule.objects.filter(key=KEY).order_by("effective_from"))
    assert [(v.value, v.effective_from, v.effective_to) for v in versions] == [
        (Decimal("30"), dt.date(2000, 1, 1), dt.date(2026, 7, 1)),
        (Decimal("45"), dt.date(2026, 7, 1), None),
    ]
    assert new == versions[1]
    assert new.unit == versions[0].unit and new.title == versions[0].title


def test_rule_value_returns_the_version_in_force_on_a_date(legal_rules, council_secretary):
    legal_rule_change(
        actor=council_secretary, key=KEY, value="45", effective_from=dt.date(2026, 7, 1), legal_basis="ЗНА, чл. 26"
    )

    assert rule_value(KEY) == Decimal("30")
    assert rule_value(KEY, on=dt.date(2026, 6, 30)) == Decimal("30")
    assert rule_value(KEY, on=dt.date(2026, 7, 1)) == Decimal("45")
    assert rule_value(KEY, on=dt.date(2030, 1, 1)) == Decimal("45")


def test_rule_value_before_a_rule_existed_is_a_domain_error(legal_rules):
    with pytest.raises(DomainError):
        rule_value(KEY, on=dt.date(1999, 12, 31))
    with pytest.raises(DomainError):
        rule_value("no.such.rule")


def test_every_change_writes_an_audit_entry(legal_rules, council_secretary):
    legal_rule_change(
        actor=council_secretary, key=KEY, value="45", effective_from=dt.date(2026, 7, 1), legal_basis="ЗНА, чл. 26"
    )
    legal_rule_change(
        actor=council_secretary, key=KEY, value="40", effective_from=dt.date(2027, 1, 1), legal_basis="ЗНА, чл. 26"
    )

    entries = AuditEntry.objects.filter(action="core.legal_rule.changed").order_by("id")
    assert [(e.actor, e.data["old"], e.data["new"]) for e in entries] == [
        (council_secretary, "30.000000", "45"),
        (council_secretary, "45.000000", "40"),
    ]


@pytest.mark.parametrize("basis", ["", "   "])
def test_a_change_without_a_legal_basis_is_refused(legal_rules, council_secretary, basis):
    with pytest.raises(DomainError) as error:
        legal_rule_change(actor=council_secretary, key=KEY, value="45", effective_from=TODAY, legal_basis=basis)

    assert error.value.field == "legal_basis"
    assert LegalRule.objects.filter(key=KEY).count() == 1


@pytest.mark.parametrize("value", ["-1", "-0.000001", "abc"])
def test_a_negative_or_non_numeric_value_is_refused(legal_rules, council_secretary, value):
    with pytest.raises(DomainError) as error:
        legal_rule_change(actor=council_secretary, key=KEY, value=value, effective_from=TODAY, legal_basis="ЗНА")

    assert error.value.field == "value"
    assert not AuditEntry.objects.filter(action="core.legal_rule.changed").exists()


def test_a_change_of_an_unknown_rule_is_refused(legal_rules, council_secretary):
    with pytest.raises(DomainError) as error:
        legal_rule_change(actor=council_secretary, key="no.such.rule", value="1", effective_from=TODAY, legal_basis="x")

    assert error.value.field == "key"


# --- The staff page ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["council_secretary", "admin_user"])
def test_council_staff_and_administrators_change_a_rule_on_the_staff_page(request, legal_rules, client_for, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)

    assert client.get(CHANGE_URL).status_code == 200
    response = client.post(CHANGE_URL, change_form(note="Изменение на закона"))

    assert response.status_code == 302
    assert response.url == reverse("core:rule_history", args=[KEY])
    assert rule_value(KEY, on=dt.date(2026, 7, 1)) == Decimal("45")
    entry = AuditEntry.objects.get(action="core.legal_rule.changed")
    assert entry.actor == user


@pytest.mark.parametrize(
    "persona",
    ["citizen", "outsider", "verified_resident", "advisor", "commission_member", "integrity_officer", "researcher"],
)
def test_other_people_may_not_change_a_rule(request, legal_rules, client_for, persona):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(CHANGE_URL).status_code == 403
    assert client.post(CHANGE_URL, change_form()).status_code == 403
    assert LegalRule.objects.filter(key=KEY).count() == 1


def test_an_anonymous_visitor_is_sent_to_sign_in(legal_rules, client):
    response = client.post(CHANGE_URL, change_form())

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert LegalRule.objects.filter(key=KEY).count() == 1


def test_changing_an_unknown_rule_is_not_found(legal_rules, client_for, council_secretary):
    response = client_for(council_secretary).get(reverse("core:rule_change", args=["no.such.rule"]))

    assert response.status_code == 404


@pytest.mark.parametrize("start", ["2000-01-01", "1999-12-31"])
def test_a_start_date_not_after_the_current_version_is_a_field_error(legal_rules, client_for, council_secretary, start):
    response = client_for(council_secretary).post(CHANGE_URL, change_form(effective_from=start))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["effective_from"]
    assert LegalRule.objects.filter(key=KEY).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"legal_basis": ""}, "legal_basis"),
        ({"legal_basis": "   "}, "legal_basis"),
        ({"value": "-5"}, "value"),
        ({"value": "трийсет"}, "value"),
        ({"value": "1" * 40}, "value"),
        ({"effective_from": "2026-02-30"}, "effective_from"),
        ({"legal_basis": "ЗНА\u202e чл. 26"}, "legal_basis"),
        ({"legal_basis": "ЗНА\x00"}, "legal_basis"),
        ({"note": "x" * 5000}, "note"),
    ],
)
def test_bad_input_on_the_staff_page_is_a_field_error(legal_rules, client_for, council_secretary, overrides, field):
    response = client_for(council_secretary).post(CHANGE_URL, change_form(**overrides))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert LegalRule.objects.filter(key=KEY).count() == 1
    assert not AuditEntry.objects.filter(action="core.legal_rule.changed").exists()


def test_the_history_page_shows_both_versions(legal_rules, client_for, council_secretary, client):
    client_for(council_secretary).post(CHANGE_URL, change_form(legal_basis="ЗНА, чл. 26, ал. 4 (нова редакция)"))

    page = html.unescape(client.get(reverse("core:rule_history", args=[KEY])).content.decode())

    assert "01.01.2000" in page and "01.07.2026" in page
    assert "ЗНА, чл. 26, ал. 4 (нова редакция)" in page
    assert ">30 " in page and ">45 " in page


@pytest.mark.parametrize("key", ["no.such.rule", "consultation.term.min%00", "x" * 300, "%27%20OR%201=1"])
def test_the_history_of_an_unknown_rule_is_not_found(legal_rules, client, key):
    assert client.get(f"/rules/{key}/").status_code == 404


@pytest.mark.parametrize("key", ["consultation.term.min%00", "x" * 300, "<script>"])
def test_changing_a_rule_with_a_malformed_key_is_not_found(legal_rules, client_for, council_secretary, key):
    client = client_for(council_secretary)

    assert client.get(f"/staff/rules/{key}/change/").status_code == 404
    assert client.post(f"/staff/rules/{key}/change/", change_form()).status_code == 404


# --- The public page and the data file -------------------------------------------------


def test_the_rules_page_lists_every_rule_of_the_data_file_with_its_legal_basis(legal_rules, client):
    page = html.unescape(client.get(reverse("core:rules")).content.decode())

    for rule in rules_in_file():
        assert reverse("core:rule_history", args=[rule["key"]]) in page
        assert rule["title"] in page
        assert rule["legal_basis"] in page


def test_the_rules_page_marks_the_rules_still_to_be_verified(legal_rules, client):
    to_verify = [rule for rule in rules_in_file() if rule.get("needs_verification")]
    assert to_verify, "the data file is expected to hold rules still to be verified"

    response = client.get(reverse("core:rules"), headers={"Accept-Language": "en"})
    rows = html.unescape(response.content.decode()).split("<tr>")[2:]

    marked = {row.split('href="')[1].split('"')[0] for row in rows if "to be verified" in row}
    assert marked == {reverse("core:rule_history", args=[rule["key"]]) for rule in to_verify}


def test_loading_the_rules_twice_creates_nothing_the_second_time(db):
    first = legal_rules_load(actor=None, path=RULES_FILE)
    second = legal_rules_load(actor=None, path=RULES_FILE)

    assert first == len(rules_in_file())
    assert second == 0
    assert LegalRule.objects.count() == len(rules_in_file())


def test_loading_the_rules_again_never_overwrites_a_changed_rule(legal_rules, council_secretary):
    legal_rule_change(
        actor=council_secretary, key=KEY, value="45", effective_from=dt.date(2026, 7, 1), legal_basis="ЗНА, чл. 26"
    )

    assert legal_rules_load(actor=None, path=RULES_FILE) == 0

    assert LegalRule.objects.filter(key=KEY).count() == 2
    assert rule_value(KEY, on=dt.date(2026, 7, 1)) == Decimal("45")


def rules_file_with(change) -> str:
    payload = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    change(payload["rules"])
    return json.dumps(payload, ensure_ascii=False)


MALFORMED = {
    "not JSON": ('{"rules": [', "Expecting"),
    "no rules": ("{}", "rules"),
    "rule without legal basis": (rules_file_with(lambda rules: rules[-1].pop("legal_basis")), "legal_basis"),
    "value not a number": (rules_file_with(lambda rules: rules[-1].update(value="тридесет")), "not a number"),
    "negative value": (rules_file_with(lambda rules: rules[-1].update(value="-1")), "negative"),
    "unknown unit": (rules_file_with(lambda rules: rules[-1].update(unit="weeks")), "weeks"),
    "impossible date": (rules_file_with(lambda rules: rules[-1].update(effective_from="2000-13-01")), "month"),
}


@pytest.mark.parametrize(("content", "problem"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_rules_file_is_a_clear_command_error_and_loads_nothing(db, tmp_path, content, problem):
    path = tmp_path / "rules.json"
    path.write_text(content, encoding="utf-8")

    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("load_legal_rules", str(path))

    assert str(error.value).startswith("The legal rules file cannot be read: ")
    assert problem in str(error.value)
    assert not LegalRule.objects.exists()
    assert not AuditEntry.objects.exists()
