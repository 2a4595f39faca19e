"""The invitations page and the fieldwork monitor, through HTTP: who may see them, the forms'
bad input, sending with confirmation, letters, masked addresses and bounded queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from glas.surveys import services
from glas.surveys.models import Invitation, Response
from glas.surveys.tests.fieldwork_helpers import make_confidential, synthetic_responses, verified_residents
from glas.surveys.tests.test_fieldwork_send import pdf_page_count

pytestmark = pytest.mark.urls("glas.surveys.tests.urls_fieldwork")

PAGES = ["fieldwork_invitations", "fieldwork_monitor"]
ALLOWED = {"researcher", "admin_user"}
FORBIDDEN = [
    "citizen",
    "verified_resident",
    "advisor",
    "commission_member",
    "council_secretary",
    "integrity_officer",
    "outsider",
]


@pytest.fixture
def confidential(researcher, civic_survey):
    return make_confidential(researcher, civic_survey)


@pytest.fixture
def client_for(client_for):
    """Signed-in clients that read the pages in English (the texts asserted are English)."""

    def factory(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return factory


def url(name, survey, **query):
    path = reverse(f"surveys:{name}", args=[survey.public_id])
    return path + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


# --- Who may see and do what ------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_researchers_and_administrators_open_the_fieldwork_pages(request, client_for, confidential, page, persona):
    response = client_for(request.getfixturevalue(persona)).get(url(page, confidential))
    assert response.status_code == 200


@pytest.mark.parametrize("page", [*PAGES, "fieldwork_letters"])
@pytest.mark.parametrize("persona", FORBIDDEN)
def test_other_people_may_not_open_the_fieldwork_pages(request, client_for, confidential, page, persona):
    assert client_for(request.getfixturevalue(persona)).get(url(page, confidential)).status_code == 403


@pytest.mark.parametrize("page", [*PAGES, "fieldwork_letters"])
def test_anonymous_visitors_are_sent_to_sign_in(client, confidential, page):
    response = client.get(url(page, confidential))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("action", ["fieldwork_upload", "fieldwork_sample", "fieldwork_send"])
@pytest.mark.parametrize("persona", ["advisor", "citizen", "verified_resident"])
def test_other_people_may_not_import_draw_or_send(request, client_for, confidential, action, persona):
    data = {"file": SimpleUploadedFile("a.csv", b"email\na@example.org\n"), "size": 1, "kind": "invitation"}
    response = client_for(request.getfixturevalue(persona)).post(url(action, confidential), data)
    assert response.status_code == 403
    assert not Invitation.objects.exists() and not mail.outbox


def test_an_unknown_survey_is_not_found(client_for, researcher, confidential):
    path = reverse("surveys:fieldwork_monitor", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(researcher).get(path).status_code == 404


@pytest.mark.parametrize("action", ["fieldwork_upload", "fieldwork_sample", "fieldwork_send"])
def test_the_actions_refuse_a_get(client_for, researcher, confidential, action):
    assert client_for(researcher).get(url(action, confidential)).status_code == 405


def test_the_actions_need_a_csrf_token(researcher, confidential):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(researcher)
    response = client.post(url("fieldwork_send", confidential), {"kind": "invitation", "confirmed": "on"})
    assert response.status_code == 403


# --- Invitations page ---------------------------------------------------------------------------


def test_a_good_list_is_imported_and_the_page_shows_counts_with_masked_addresses(client_for, researcher, confidential):
    client = client_for(researcher)
    upload = SimpleUploadedFile("list.csv", "email;settlement\nivana@example.org;Влахи\n;Кресна\n".encode())
    response = client.post(url("fieldwork_upload", confidential), {"file": upload}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 invitations were added." in page
    assert "i***@example.org" in page and "ivana@example.org" not in page


def test_a_bad_list_comes_back_with_every_bad_line_and_nothing_saved(client_for, researcher, confidential):
    upload = SimpleUploadedFile("list.csv", b"email\nnot-an-address\nok@example.org\nalso bad\n")
    response = client_for(researcher).post(url("fieldwork_upload", confidential), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Line 2: not an e-mail address." in page and "Line 4: not an e-mail address." in page
    assert 'id="error-summary"' in page
    assert not Invitation.objects.exists()


def test_an_upload_without_a_file_is_a_form_error(client_for, researcher, confidential):
    response = client_for(researcher).post(url("fieldwork_upload", confidential), {})
    assert response.status_code == 400 and not Invitation.objects.exists()


def test_a_sample_larger_than_the_frame_is_a_form_error(client_for, researcher, confidential, make_user, advisor):
    verified_residents(make_user, advisor, {"kresna": 2})
    client = client_for(researcher)
    response = client.post(url("fieldwork_sample", confidential), {"size": 5, "by_settlement": "on"})
    assert response.status_code == 400
    assert "Only 2 verified residents" in response.content.decode()
    for bad in ("", "abc", "0", "99999999999999999999"):
        assert client.post(url("fieldwork_sample", confidential), {"size": bad}).status_code == 400
    response = client.post(url("fieldwork_sample", confidential), {"size": 2})
    assert response.status_code == 302 and Invitation.objects.count() == 2


def test_sending_asks_for_confirmation_first_and_then_sends_once(
    client_for, researcher, confidential, django_capture_on_commit_callbacks
):
    for index in range(2):
        services.invitation_create(actor=researcher, survey=confidential, email=f"p{index}@example.org")
    client = client_for(researcher)
    response = client.post(url("fieldwork_send", confidential), {"kind": "invitation"})
    assert response.status_code == 200 and "2 invitations will be e-mailed." in response.content.decode()
    assert not mail.outbox
    for _twice in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url("fieldwork_send", confidential), {"kind": "invitation", "confirmed": "on"})
        assert response.status_code == 302
    assert len(mail.outbox) == 2


def test_an_unknown_kind_of_sending_is_a_bad_request(client_for, researcher, confidential):
    response = client_for(researcher).post(url("fieldwork_send", confidential), {"kind": "everyone"})
    assert response.status_code == 400


def test_letters_download_as_a_pdf_with_a_page_per_letter(client_for, researcher, confidential):
    for _index in range(2):
        services.invitation_create(actor=researcher, survey=confidential)
    services.invitation_create(actor=researcher, survey=confidential, email="a@example.org")
    response = client_for(researcher).get(url("fieldwork_letters", confidential))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert pdf_page_count(response.content) == 2


@pytest.mark.parametrize("query", [{"settlement": "atlantis"}, {"first": "-1"}, {"first": "x"}])
def test_letters_with_bad_parameters_are_a_bad_request(client_for, researcher, confidential, query):
    assert client_for(researcher).get(url("fieldwork_letters", confidential, **query)).status_code == 400


def test_with_no_letters_to_print_the_page_says_so(client_for, researcher, confidential):
    response = client_for(researcher).get(url("fieldwork_letters", confidential), follow=True)
    assert "There are no letters to print" in response.content.decode()


def test_the_invitations_page_counts_in_a_bounded_number_of_queries(
    client_for, researcher, confidential, django_assert_max_num_queries
):
    services.invitations_import_csv(
        actor=researcher,
        survey=confidential,
        data=(
            "email,settlement,stratum\n" + "\n".join(f"p{i}@example.org,kresna,s{i % 5}" for i in range(300))
        ).encode(),
    )
    client = client_for(researcher)
    client.get(url("fieldwork_invitations", confidential))
    with django_assert_max_num_queries(15):
        response = client.get(url("fieldwork_invitations", confidential))
    assert response.status_code == 200
    assert response.content.decode().count('<td class="number">60</td>') == 5


# --- Monitor ------------------------------------------------------------------------------------


def monitor_queries(client, survey) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("fieldwork_monitor", survey))
    assert response.status_code == 200
    return len(queries)


def test_the_monitor_takes_the_same_number_of_queries_at_20_and_200_responses(
    client_for, researcher, in_fieldwork, django_assert_max_num_queries
):
    client = client_for(researcher)
    now = timezone.now()
    synthetic_responses(in_fieldwork, 20, now=now)
    client.get(url("fieldwork_monitor", in_fieldwork))
    at_20 = monitor_queries(client, in_fieldwork)
    synthetic_responses(in_fieldwork, 180, now=now, start=20)
    at_200 = monitor_queries(client, in_fieldwork)
    assert at_20 == at_200
    with django_assert_max_num_queries(at_20):
        client.get(url("fieldwork_monitor", in_fieldwork))


def test_the_monitor_counts_completion_break_offs_and_the_median_duration(client_for, researcher, in_fieldwork):
    now = timezone.now()
    make = Response.objects.create
    for minutes in (10, 20, 40):
        make(survey=in_fieldwork, channel="web", status="complete", started_at=now - dt.timedelta(hours=1),
             submitted_at=now - dt.timedelta(hours=1) + dt.timedelta(minutes=minutes))  # fmt: skip
    make(survey=in_fieldwork, channel="web", started_at=now - dt.timedelta(hours=30))  # broken off
    make(survey=in_fieldwork, channel="invitation", started_at=now - dt.timedelta(hours=2))  # still going
    from glas.surveys.monitor import fieldwork_monitor

    monitor = fieldwork_monitor(in_fieldwork, now=now)
    assert (monitor.started, monitor.complete, monitor.broken_off) == (5, 3, 1)
    assert monitor.completion_rate == 0.6 and monitor.break_off_rate == 0.2
    assert monitor.median_duration == dt.timedelta(minutes=20)
    channels = {bar.label: (bar.extra, bar.value) for bar in monitor.by_channel.bars}
    assert channels["public link"] == (4, 3) and channels["invitation"] == (1, 0)
    make(
        survey=in_fieldwork,
        channel="web",
        status="complete",
        started_at=now,
        submitted_at=now + dt.timedelta(minutes=30),
    )
    assert fieldwork_monitor(in_fieldwork, now=now).median_duration == dt.timedelta(minutes=25)
    page = client_for(researcher).get(url("fieldwork_monitor", in_fieldwork)).content.decode()
    assert "<svg" in page and "<table" in page


def test_the_monitor_shows_settlements_from_the_settlement_question_and_quota_cells(
    client_for, researcher, civic_survey
):
    services.quota_define(
        actor=researcher,
        survey=civic_survey,
        name="По пол",
        variables=["sex"],
        cells=[({"sex": "f"}, 50), ({"sex": "m"}, 40)],
    )
    survey = services.survey_transition(actor=researcher, survey=civic_survey, to="fieldwork")
    synthetic_responses(survey, 40, now=timezone.now())
    page = client_for(researcher).get(url("fieldwork_monitor", survey)).content.decode()
    for name in ("Kresna", "Slivnitsa", "Vlahi", "Oshtava"):
        assert f'<th scope="row">{name}</th>' in page
    assert "sex=f" in page and 'max="50"' in page


def offered_actions(page: str) -> list[str]:
    """The invitation forms a page offers, by the end of their action's address."""
    return [action for action in ("upload/", "sample/", "send/", "letters.pdf") if f'{action}"' in page]


def test_an_anonymous_survey_explains_that_it_takes_no_invitations(client_for, researcher, in_fieldwork):
    client = client_for(researcher)
    page = client.get(url("fieldwork_invitations", in_fieldwork)).content.decode()
    assert "This survey is anonymous" in page and "No invitations." in page
    assert offered_actions(page) == [] and "draw a sample below" not in page  # no form that could only be refused
    upload = SimpleUploadedFile("list.csv", b"email\na@example.org\n")
    response = client.post(url("fieldwork_upload", in_fieldwork), {"file": upload})
    assert response.status_code == 400 and "This survey is anonymous" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_survey_whose_fieldwork_is_over_offers_no_invitations_and_refuses_them(client_for, researcher, confidential):
    services.invitation_create(actor=researcher, survey=confidential)  # a letter, before the close
    client = client_for(researcher)
    assert offered_actions(client.get(url("fieldwork_invitations", confidential)).content.decode()) == [
        "upload/",
        "sample/",
        "send/",
        "letters.pdf",
    ]
    services.survey_transition(actor=researcher, survey=confidential, to="closed")
    page = client.get(url("fieldwork_invitations", confidential)).content.decode()
    assert "fieldwork of this survey is over" in page and offered_actions(page) == []
    assert '<td class="number">1</td>' in page  # the record of who was invited stays
    upload = SimpleUploadedFile("list.csv", b"email\na@example.org\n")
    for response in (
        client.post(url("fieldwork_upload", confidential), {"file": upload}),
        client.post(url("fieldwork_sample", confidential), {"size": 1}),
        client.post(url("fieldwork_send", confidential), {"kind": "invitation", "confirmed": "on"}),
        client.get(url("fieldwork_letters", confidential)),
    ):
        assert response.status_code == 400
        assert "fieldwork of this survey is over" in response.content.decode()
    assert Invitation.objects.count() == 1 and not mail.outbox


def test_markup_in_an_imported_list_is_shown_as_text(client_for, researcher, confidential):
    services.invitations_import_csv(
        actor=researcher, survey=confidential, data=b'email,stratum\nx@example.org,"<script>alert(1)</script>"\n'
    )
    page = client_for(researcher).get(url("fieldwork_invitations", confidential)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_letters_are_printed_in_parts_of_at_most_the_cap(researcher, confidential, monkeypatch):
    from glas.surveys import letters

    monkeypatch.setattr(letters, "LETTERS_CAP", 3)
    for _index in range(5):
        services.invitation_create(actor=researcher, survey=confidential)
    assert len(letters.letter_invitations(confidential)) == 3
    assert len(letters.letter_invitations(confidential, first=3)) == 2


def test_sending_from_a_draft_is_refused_with_the_reason(client_for, researcher, civic_survey):
    draft = make_confidential(researcher, civic_survey, fieldwork=False)
    services.invitation_create(actor=researcher, survey=draft, email="a@example.org")
    response = client_for(researcher).post(url("fieldwork_send", draft), {"kind": "invitation", "confirmed": "on"})
    assert response.status_code == 400
    assert "E-mails are sent only while the survey is in fieldwork." in response.content.decode()
    assert not mail.outbox
