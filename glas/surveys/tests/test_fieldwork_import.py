"""Invitations from a CSV list: encodings, delimiters, caps, per-line errors, duplicates."""

from __future__ import annotations

import pytest

from glas.core.models import AuditEntry
from glas.surveys import services
from glas.surveys.models import Invitation
from glas.surveys.services.invitations import MAX_CSV_ROWS, ImportRefused
from glas.surveys.tests.fieldwork_helpers import make_confidential


@pytest.fixture
def confidential(researcher, civic_survey):
    return make_confidential(researcher, civic_survey)


def upload(researcher, survey, text: str | bytes, encoding: str = "utf-8"):
    data = text if isinstance(text, bytes) else text.encode(encoding)
    return services.invitations_import_csv(actor=researcher, survey=survey, data=data)


def refused(researcher, survey, text, encoding="utf-8") -> list[str]:
    with pytest.raises(ImportRefused) as error:
        upload(researcher, survey, text, encoding)
    assert not Invitation.objects.filter(survey=survey).exists(), "nothing is saved"
    return error.value.errors


def test_a_utf8_list_with_a_byte_order_mark_and_semicolons_is_imported(researcher, confidential):
    text = "\ufeffemail;settlement;stratum\nIvana@Example.org;Сливница;18-29\npetar@example.org;kresna;30-44\n"
    report = upload(researcher, confidential, text)
    assert report.created == 2 and report.skipped_lines == []
    ivana = Invitation.objects.get(email="ivana@example.org")
    assert ivana.settlement.slug == "slivnitsa" and ivana.stratum == "18-29"
    assert Invitation.objects.get(email="petar@example.org").settlement.slug == "kresna"
    entry = AuditEntry.objects.get(action="surveys.invitations.imported")
    assert entry.data == {"created": 2, "skipped_already_invited": 0}
    assert "example.org" not in str(entry.data)


def test_a_windows_1251_list_from_bulgarian_excel_is_imported(researcher, confidential):
    text = "email,населено място,страта\r\nmaria@example.org,с. Ощава,жени\r\n,Влахи,мъже\r\n"
    report = upload(researcher, confidential, text, encoding="cp1251")
    assert report.created == 2
    assert Invitation.objects.get(email="maria@example.org").stratum == "жени"
    letter = Invitation.objects.get(email="")
    assert letter.settlement.slug == "vlahi" and letter.stratum == "мъже"


def test_a_binary_file_is_refused_as_not_text(researcher, confidential):
    errors = refused(researcher, confidential, bytes(range(256)) * 10)
    assert "UTF-8 or Windows-1251" in errors[0]


@pytest.mark.parametrize(
    "data",
    [
        "email\nivana@example.org\n".encode("utf-16"),  # "Unicode text" from Excel
        b"email\n\x80\x81\x83\x8a@example.org\n",  # not Bulgarian in Windows-1251 (Ђ Ѓ ѓ Љ)
        b"email\n\xd0\xd1\x98@example.org\n",  # 0x98 is undefined in Windows-1251
    ],
)
def test_bytes_that_are_neither_utf8_nor_bulgarian_windows_1251_are_refused(researcher, confidential, data):
    errors = refused(researcher, confidential, data)
    assert "UTF-8 or Windows-1251" in errors[0]


def test_a_list_without_an_email_column_is_refused(researcher, confidential):
    errors = refused(researcher, confidential, "name;settlement\nИвана;kresna\n")
    assert "no “email” column" in errors[0]


def test_an_empty_file_is_refused(researcher, confidential):
    assert "empty" in refused(researcher, confidential, "")[0]


def test_every_bad_line_is_reported_by_number_and_nothing_is_saved(researcher, confidential):
    text = "\n".join(
        [
            "email,settlement,stratum",
            "good@example.org,kresna,",
            "not-an-address,,",
            "other@example.org,Атлантида,",
            "bidi\u202e@example.org,,",
            "long@example.org,," + "x" * 101,
        ]
    )
    errors = refused(researcher, confidential, text)
    assert errors == [
        "Line 3: not an e-mail address.",
        "Line 4: unknown settlement (write its name as in the list of settlements).",
        "Line 5: The text contains invisible or direction-changing characters; please retype it.",
        "Line 6: the stratum is longer than 100 characters.",
    ]


def test_more_rows_than_the_cap_are_refused(researcher, confidential):
    rows = "\n".join(f"p{index}@example.org" for index in range(MAX_CSV_ROWS + 1))
    errors = refused(researcher, confidential, "email\n" + rows)
    assert "more than 10000 rows" in errors[0]


def test_a_file_larger_than_two_megabytes_is_refused(researcher, confidential):
    errors = refused(researcher, confidential, "email\n" + "a" * (2 * 1024 * 1024))
    assert "larger than 2 MB" in errors[0]


def test_the_same_address_twice_in_the_file_is_an_error(researcher, confidential):
    errors = refused(researcher, confidential, "email\na@example.org\nb@example.org\nA@EXAMPLE.ORG\n")
    assert errors == ["Line 4: the same e-mail address as line 2."]


def test_addresses_already_invited_to_the_survey_are_skipped_and_reported(researcher, confidential):
    services.invitation_create(actor=researcher, survey=confidential, email="a@example.org")
    report = upload(researcher, confidential, "email\nA@example.org\nb@example.org\n")
    assert report.created == 1 and report.skipped_lines == [2]
    assert Invitation.objects.filter(survey=confidential, email="a@example.org").count() == 1


def test_formula_looking_cells_are_stored_as_plain_text(researcher, confidential):
    upload(researcher, confidential, 'email,stratum\nf@example.org,"=HYPERLINK(""http://x"";""y"")"\n')
    assert Invitation.objects.get().stratum == '=HYPERLINK("http://x";"y")'


def test_an_anonymous_survey_takes_no_invitation_list(researcher, civic_survey):
    with pytest.raises(Exception) as error:
        upload(researcher, civic_survey, "email\na@example.org\n")
    assert getattr(error.value, "code", "") == "anonymous"


def test_imported_invitations_have_their_own_short_codes_and_derivable_tokens(researcher, confidential):
    upload(researcher, confidential, "email\n" + "\n".join(f"p{i}@example.org" for i in range(30)))
    invitations = list(Invitation.objects.filter(survey=confidential))
    assert len({invitation.short_code for invitation in invitations}) == 30
    for invitation in invitations[:3]:
        token = services.invitation_token(invitation)
        response = services.response_start(actor=None, survey=confidential, channel="invitation", token=token)
        assert response.pk
