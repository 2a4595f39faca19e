"""Privacy and permissions: who sees which case, role by role; secret links; double clicks;
markup in messages; bounded queries on the queue and the case page."""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rules.permissions import permissions

from glas.accounts.models import User
from glas.bureau import services
from glas.bureau.models import Case, CaseMessage
from glas.bureau.tests.conftest import INTAKE_POST, make_article, make_request
from glas.core.models import AuditEntry
from glas.core.tests.test_filters_layout import misplaced

pytestmark = pytest.mark.django_db

PERSONAS = [
    "citizen",
    "verified_resident",
    "advisor",
    "commission_member",
    "council_secretary",
    "integrity_officer",
    "researcher",
    "admin_user",
    "outsider",
    "anonymous",
    "supervisor",
]
Y, N = True, False
# fmt: off
#                          cit ver adv com cou int res adm out anon sup
EXPECTED = {
    "bureau.work_cases":   (N,  N,  Y,  N,  N,  N,  N,  Y,  N,  N,   Y),
    "bureau.supervise":    (N,  N,  N,  N,  N,  N,  N,  Y,  N,  N,   Y),
}
# fmt: on


def person(request, persona):
    if persona == "anonymous":
        return AnonymousUser()
    return User.objects.get(pk=request.getfixturevalue(persona).pk)


def test_the_table_covers_every_bureau_permission_without_an_object():
    registered = {name for name in permissions if name.startswith("bureau.")}
    assert registered == set(EXPECTED) | {"bureau.view_case", "bureau.work_case", "bureau.follow_case"}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_has_exactly_the_bureau_permissions_in_the_table(request, perm, persona):
    assert person(request, persona).has_perm(perm) is EXPECTED[perm][PERSONAS.index(persona)]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_assigned_advisor_and_supervisors_open_a_case(request, client_for, register, advisor, persona):
    case = register(advisor)
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    response = client_for(user).get(reverse("bureau:case_detail", args=[case.reference]))
    expected = {"advisor": 200, "admin_user": 200, "supervisor": 200, "anonymous": 302}.get(persona, 403)
    assert response.status_code == expected


def test_another_advisors_case_by_reference_is_404_and_its_steps_too(client_for, register, advisor, other_advisor):
    case = register(advisor)
    client = client_for(other_advisor)
    assert client.get(reverse("bureau:case_detail", args=[case.reference])).status_code == 404
    reply = client.post(reverse("bureau:case_action", args=[case.reference, "reply"]), {"body": "x"})
    assert reply.status_code == 404
    assert not CaseMessage.objects.exists()
    queue = client.get(reverse("bureau:queue"), {"view": "all"})
    assert case.reference not in queue.content.decode()


def test_a_shared_case_can_be_read_and_noted_but_not_answered_by_the_other_advisor(
    client_for, register, advisor, other_advisor
):
    case = register(advisor)
    services.case_share(actor=advisor, case=case, advisor=other_advisor)
    client = client_for(other_advisor)
    assert client.get(reverse("bureau:case_detail", args=[case.reference])).status_code == 200
    note = client.post(reverse("bureau:case_action", args=[case.reference, "note"]), {"body": "Seen."})
    assert note.status_code == 302
    reply = client.post(reverse("bureau:case_action", args=[case.reference, "reply"]), {"body": "Hi"})
    assert reply.status_code == 403
    assert list(case.messages.values_list("kind", flat=True)) == ["note"]


def test_a_supervisor_assigns_from_the_triage_queue(client_for, citizen, supervisor, other_advisor):
    case, _token = services.case_submit(actor=citizen, request=make_request())
    client = client_for(supervisor)
    assert case.reference in client.get(reverse("bureau:queue"), {"view": "triage"}).content.decode()
    url = reverse("bureau:case_action", args=[case.reference, "assign"])
    assert client.post(url, {"advisor": other_advisor.pk}).status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == other_advisor
    assert client_for(other_advisor).get(reverse("bureau:case_detail", args=[case.reference])).status_code == 200


def test_an_advisor_cannot_assign(client_for, register, advisor, other_advisor):
    case = register(advisor)
    url = reverse("bureau:case_action", args=[case.reference, "assign"])
    assert client_for(advisor).post(url, {"advisor": other_advisor.pk}).status_code == 403


def test_a_citizen_cannot_open_someone_elses_case_link(client_for, citizen, verified_resident):
    mine, my_token = services.case_submit(actor=citizen, request=make_request())
    theirs, their_token = services.case_submit(actor=verified_resident, request=make_request())
    anonymous = client_for(None)
    assert anonymous.get(reverse("bureau:follow", args=[mine.reference, my_token])).status_code == 200
    assert anonymous.get(reverse("bureau:follow", args=[theirs.reference, my_token])).status_code == 404
    assert anonymous.get(reverse("bureau:follow", args=[mine.reference, "x" * 32])).status_code == 404
    assert client_for(citizen).get(reverse("bureau:my_case", args=[theirs.reference])).status_code == 404
    assert client_for(citizen).get(reverse("bureau:my_case", args=[mine.reference])).status_code == 200


def test_the_citizen_sees_public_replies_and_the_deadline_but_never_internal_notes(
    client_for, citizen, advisor, supervisor
):
    case, token = services.case_submit(actor=citizen, request=make_request())
    services.case_assign(actor=supervisor, case=case, advisor=advisor)
    services.case_note(actor=advisor, case=case, body="Internal: check the tax register.", idempotency_key=None)
    services.case_reply(actor=advisor, case=case, body="The discount is 5 %.", idempotency_key=None)
    page = client_for(None).get(reverse("bureau:follow", args=[case.reference, token])).content.decode()
    assert "The discount is 5 %." in page and "check the tax register" not in page
    assert case.due_on.strftime("%d.%m.%Y") in page


def test_a_reply_sent_twice_by_double_click_is_stored_once(client_for, register, advisor):
    case = register(advisor)
    client = client_for(advisor)
    url = reverse("bureau:case_action", args=[case.reference, "reply"])
    data = {"body": "The discount is 5 %.", "key": str(uuid.uuid4())}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert case.messages.filter(kind="reply").count() == 1
    assert client.post(url, {**data, "key": str(uuid.uuid4())}).status_code == 302
    assert case.messages.filter(kind="reply").count() == 2


def test_a_final_reply_double_clicked_closes_once_without_an_error(client_for, register, advisor):
    case = register(advisor)
    url = reverse("bureau:case_action", args=[case.reference, "reply"])
    data = {"body": "Answer.", "key": str(uuid.uuid4()), "final": "on"}
    assert [client_for(advisor).post(url, data).status_code for _ in range(2)] == [302, 302]
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.messages.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_same_final_reply_sent_ten_times_at_once_is_stored_and_closes_once(register, advisor):
    """A double click on a slow connection: the posts arrive together. The case row is locked
    for the reply, so the first stores it and the others find its key."""
    import threading

    case = register(advisor)
    key = uuid.uuid4()
    barrier = threading.Barrier(10)
    outcomes: list[str] = []

    def send() -> None:
        try:
            barrier.wait()
            services.case_reply(actor=advisor, case=case, body="Answer.", idempotency_key=key, final=True)
            outcomes.append("ok")
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["ok"] * 10
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.messages.filter(kind="reply").count() == 1
    assert AuditEntry.objects.filter(action="bureau.case.replied").count() == 1


def test_markup_in_messages_is_shown_as_text(client_for, citizen, advisor, supervisor):
    case, token = services.case_submit(
        actor=citizen,
        request=make_request(subject="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>"),
    )
    services.case_assign(actor=supervisor, case=case, advisor=advisor)
    services.case_reply(actor=advisor, case=case, body="<b>bold</b>", idempotency_key=None)
    for page in (
        client_for(None).get(reverse("bureau:follow", args=[case.reference, token])),
        client_for(advisor).get(reverse("bureau:case_detail", args=[case.reference])),
        client_for(advisor).get(reverse("bureau:queue")),
    ):
        html = page.content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;" in html


def test_the_citizen_rates_the_help_once_after_closure(client_for, citizen, advisor, supervisor):
    case, token = services.case_submit(actor=citizen, request=make_request())
    url = reverse("bureau:follow", args=[case.reference, token])
    assert client_for(None).post(url, {"action": "rate", "rating": "5"}).status_code == 400
    services.case_assign(actor=supervisor, case=case, advisor=advisor)
    services.case_reply(actor=advisor, case=case, body="Answer.", idempotency_key=None, final=True)
    assert client_for(None).post(url, {"action": "rate", "rating": "5", "comment": "Thanks"}).status_code == 302
    assert client_for(None).post(url, {"action": "rate", "rating": "1"}).status_code == 400
    case.refresh_from_db()
    assert (case.rating, case.rating_comment) == (5, "Thanks")


def test_referral_needs_the_citizens_consent(register, advisor):
    from glas.bureau.models import Service
    from glas.core.exceptions import DomainError

    service = Service.objects.create(name="Социално подпомагане", kind="outside", helps_with="Помощи")
    case = register(advisor, consent_refer=False)
    with pytest.raises(DomainError):
        services.case_refer(actor=advisor, case=case, service=service, note="", close=True)
    consenting = register(advisor)
    services.case_refer(actor=advisor, case=consenting, service=service, note="", close=True)
    consenting.refresh_from_db()
    assert consenting.outcome == Case.Outcome.REFERRED


def test_escalation_reaches_the_supervisors_and_a_closed_case_can_be_reopened(register, advisor, supervisor):
    case = register(advisor)
    services.case_escalate(actor=advisor, case=case, reason="Needs a lawyer.")
    assert supervisor.notifications.filter(kind="bureau.escalated").exists()
    services.case_close(actor=advisor, case=case, outcome="answered")
    services.case_reopen(actor=advisor, case=case, reason="The citizen came back.")
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN and case.reopened_count == 1 and case.due_on is not None


def test_unknown_steps_and_queue_parameters_are_harmless(client_for, register, advisor):
    case = register(advisor)
    client = client_for(advisor)
    assert client.post(reverse("bureau:case_action", args=[case.reference, "delete"])).status_code == 404
    response = client.get(
        reverse("bureau:queue"), {"ordering": "email", "view": "all", "page": "999999", "settlement": "1'"}
    )
    assert response.status_code == 200
    assert client.get(reverse("bureau:case_detail", args=["БЮ" * 20])).status_code == 404


def test_the_queue_filters_show_the_values_chosen(client_for, advisor, kresna):
    """The type, category and settlement lists (``{% options %}``) keep what was chosen."""
    from glas.core.models import Settlement

    village = Settlement.objects.filter(kind="village").order_by("name").first()
    html = (
        client_for(advisor)
        .get(reverse("bureau:queue"), {"kind": "zdoi", "category": "taxes", "settlement": str(village.pk)})
        .content.decode()
    )
    assert html.count(" selected>") == 5  # with the view and the ordering, left at their defaults
    assert '<option value="zdoi" selected>' in html and '<option value="taxes" selected>' in html
    assert f'<option value="{village.pk}" selected>{village.prefixed_name}</option>' in html


def test_queue_and_case_page_use_a_bounded_number_of_queries(
    client_for, register, advisor, supervisor, django_assert_max_num_queries
):
    cases = [register(advisor) for _ in range(30)]
    for case in cases[:10]:
        services.case_note(actor=advisor, case=case, body="n", idempotency_key=None)
    client = client_for(supervisor)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("bureau:queue"), {"view": "all"}).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("bureau:case_detail", args=[cases[0].reference])).status_code == 200


def test_an_open_request_page_makes_the_same_queries_however_much_the_case_holds(
    client_for, register, advisor, other_advisor, make_user
):
    """The case page of an open access-to-information request (the page with the most steps).
    A case with referrals, shares and linked articles costs three queries more than a bare case
    (one per list, which a bare case does not read), and no more however long the lists are or
    however many advisors, services and articles the bureau has."""
    from glas.accounts.roles import Role
    from glas.bureau.models import Service

    def queries(case: Case) -> int:
        client = client_for(advisor)
        url = reverse("bureau:case_detail", args=[case.reference])
        assert client.get(url).status_code == 200  # the first view fills the per-process reads
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def add(n: int) -> None:
        make_user(f"advisor{n}@example.org", roles=[Role.ADVISOR])
        service = Service.objects.create(name=f"Служба {n}", kind="outside", helps_with="помощ")
        full.articles.add(
            make_article(advisor, slug=f"a{n}", title=f"Статия {n}", reviewer=other_advisor, body="т" * 5000)
        )
        services.case_note(actor=advisor, case=full, body=f"Бележка {n}", idempotency_key=None)
        services.case_refer(actor=advisor, case=full, service=service, note="", close=False)

    bare = register(advisor, kind="zdoi", category="information", access_form="paper")
    full = register(advisor, kind="zdoi", category="information", access_form="paper")
    before = queries(bare)
    add(0)
    services.case_share(actor=advisor, case=full, advisor=other_advisor)
    with_lists = queries(full)
    assert with_lists == before + 3
    for n in range(1, 5):
        add(n)
    services.case_share(actor=advisor, case=full, advisor=make_user("third@example.org", roles=[Role.ADVISOR]))
    assert queries(full) == with_lists and queries(bare) == before


def test_the_case_page_shows_referrals_shares_and_articles_only_a_case_has(
    client_for, register, advisor, other_advisor
):
    """The page skips a list its case has nothing in; the lists of a case that has them show."""
    from glas.bureau.models import Service

    bare = register(advisor, kind="inquiry", category="taxes")
    full = register(advisor, kind="inquiry", category="taxes")
    service = Service.objects.create(name="Служба Проба-77", kind="outside", helps_with="помощи")
    services.case_refer(actor=advisor, case=full, service=service, note="", close=False)
    services.case_share(actor=advisor, case=full, advisor=other_advisor)
    full.articles.add(make_article(advisor, slug="proba-88", title="Статия Проба-88", reviewer=other_advisor))
    client = client_for(advisor)
    page = client.get(reverse("bureau:case_detail", args=[full.reference])).content.decode()
    assert "Служба Проба-77" in page and "Статия Проба-88" in page and other_advisor.public_name in page
    empty = client.get(reverse("bureau:case_detail", args=[bare.reference])).content.decode()
    assert "Служба Проба-77" not in empty and "Статия Проба-88" not in empty


def test_the_web_intake_page_renders_for_everyone(client_for, citizen):
    assert client_for(None).get(reverse("bureau:ask")).status_code == 200
    assert client_for(citizen).post(reverse("bureau:ask"), {**INTAKE_POST}).status_code == 302


def test_the_follow_page_is_not_cached_and_sends_no_referrer_to_other_sites(client_for, citizen):
    case, token = services.case_submit(actor=citizen, request=make_request())
    response = client_for(None).get(reverse("bureau:follow", args=[case.reference, token]))
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"


def test_a_reply_template_fills_the_reply_form(client_for, register, advisor):
    from glas.bureau.models import ReplyTemplate

    template = ReplyTemplate.objects.create(title="Данъци", body="Отстъпката е 5 % до 30 април.", category="taxes")
    case = register(advisor)
    client = client_for(advisor)
    page = client.get(reverse("bureau:case_detail", args=[case.reference]), {"template": template.pk})
    html = page.content.decode()
    # The reply panel is drawn open with the template's text, and the choice beside it.
    assert '<details class="panel" open id="action-reply">' in html
    assert "Отстъпката е 5 % до 30 април.</textarea>" in html and f'<option value="{template.pk}" selected>' in html
    assert misplaced(html) == []  # the choice and its button sit in a row of fields
    # The reply step's own form offers the templates too (fetched into the panel, or as a page).
    step = reverse("bureau:case_action", args=[case.reference, "reply"])
    for headers in ({}, {"HX-Request": "true"}):
        fetched = client.get(step, {"template": template.pk}, headers=headers).content.decode()
        assert "Отстъпката е 5 % до 30 април.</textarea>" in fetched and 'name="template"' in fetched
        assert misplaced(fetched) == []
    note = client.get(reverse("bureau:case_action", args=[case.reference, "note"]))
    assert 'name="template"' not in note.content.decode()
    # A template that does not exist: the reply panel opens with the choice's error.
    wrong = client.get(reverse("bureau:case_detail", args=[case.reference]), {"template": "999999"})
    assert wrong.status_code == 200 and '<details class="panel" open id="action-reply">' in wrong.content.decode()
    assert "Select a valid choice" in wrong.content.decode()


def test_the_supervisor_sees_advisors_ranked_by_skill_and_place(client_for, citizen, supervisor, advisor, admin_user):
    from glas.core.models import Settlement

    services.advisor_profile_save(
        actor=admin_user, advisor=advisor, kind="volunteer", skills=["taxes"], available=True, is_supervisor=False
    )
    case, _token = services.case_submit(
        actor=citizen, request=make_request(settlement=Settlement.objects.get(slug="kresna"))
    )
    from glas.bureau.selectors import advisors_for

    assert advisors_for(case)[0].user == advisor
    page = client_for(supervisor).get(reverse("bureau:case_detail", args=[case.reference]))
    assert "knows this topic" in page.content.decode()


def test_the_queue_pages_without_counting_every_case(
    client_for, register, advisor, supervisor, django_assert_max_num_queries, monkeypatch
):
    from glas.bureau.views import work

    monkeypatch.setattr(work, "PAGE_SIZE", 3)
    cases = [register(advisor) for _ in range(7)]
    client = client_for(supervisor)
    seen = []
    for number, has_next in ((1, True), (2, True), (3, False)):
        response = client.get(reverse("bureau:queue"), {"view": "all", "ordering": "reference", "page": number})
        page = response.context["page"]
        assert page.number == number and page.has_next() is has_next and page.paginator is None
        seen += [row["reference"] for row in response.context["rows"]]
        html = response.content.decode()
        assert (f"page={number + 1}" in html) is has_next
        assert "view=all&amp;ordering=reference&amp;page=" in html or number == 1 and not has_next
    assert seen == sorted(case.reference for case in cases)
    # A page past the end (an old link) shows the first page instead of an empty one.
    past = client.get(reverse("bureau:queue"), {"view": "all", "page": "40"})
    assert past.context["page"].number == 1 and len(past.context["rows"]) == 3
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("bureau:queue"), {"view": "all"})
    assert not [q for q in queries.captured_queries if "COUNT(*)" in q["sql"] and "bureau_case" in q["sql"]]


def test_each_queue_row_carries_its_labels_and_the_same_link_as_reverse(client_for, register, advisor, kresna):
    from glas.core.models import Settlement

    village = Settlement.objects.get(name="Ощава")
    case = register(advisor, settlement=village)
    response = client_for(advisor).get(reverse("bureau:queue"))
    (row,) = [row for row in response.context["rows"] if row["reference"] == case.reference]
    assert row["url"] == reverse("bureau:case_detail", args=[case.reference])
    assert row["kind"] == str(case.get_kind_display()) and row["category"] == str(case.get_category_display())
    assert row["settlement"] == "Oshtava" and row["advisor"] == advisor.public_name and case.assigned_to == advisor
    assert row["due"] == f"{case.due_on:%d.%m.%Y}" and row["due"] in response.content.decode()


def test_a_queue_row_without_settlement_or_advisor_shows_a_dash(client_for, citizen, supervisor):
    case, _token = services.case_submit(actor=citizen, request=make_request(settlement=None))
    response = client_for(supervisor).get(reverse("bureau:queue"), {"view": "triage"})
    (row,) = [row for row in response.context["rows"] if row["reference"] == case.reference]
    assert row["settlement"] == "—" and row["advisor"] == "—"


ZDOI_STEPS = [
    "reply",
    "note",
    "extend",
    "clarify",
    "decide",
    "forward",
    "article",
    "refer",
    "share",
    "escalate",
    "close",
]


def test_the_case_page_fetches_each_step_s_form_when_its_panel_is_opened(client_for, register, advisor):
    case = register(advisor, kind="zdoi", category="information", access_form="paper")
    response = client_for(advisor).get(reverse("bureau:case_detail", args=[case.reference]))
    page = response.content.decode()
    panels = [panel.name for panel in response.context["panels"]]
    assert panels == ZDOI_STEPS
    assert [p.name for p in response.context["panels"] if not p.lazy] == []
    assert 'id="id_reply_body"' not in page and 'id="id_note_body"' not in page and 'name="template"' not in page
    for name in ZDOI_STEPS:
        url = reverse("bureau:case_action", args=[case.reference, name])
        # Each other panel fetches its form when opened, and links to it without JavaScript.
        assert f'id="action-{name}" hx-get="{url}" hx-trigger="toggle once"' in page
        assert f'<a href="{url}">' in page
        assert f'id="id_{name}_' not in page
    assert 'id="action-assign"' not in page  # only supervisors assign


def test_a_step_form_comes_alone_to_htmx_and_as_a_page_without_javascript(client_for, register, advisor):
    case = register(advisor, kind="zdoi", category="information", access_form="paper")
    client = client_for(advisor)
    url = reverse("bureau:case_action", args=[case.reference, "extend"])
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and fragment["Cache-Control"] == "no-store"
    text = fragment.content.decode()
    assert text.startswith("<form") and "<html" not in text
    assert 'id="id_extend_reason"' in text and 'name="csrfmiddlewaretoken"' in text and f'action="{url}"' in text
    page = client.get(url)
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert 'id="id_extend_reason"' in page.content.decode() and case.subject in page.content.decode()
    # The form posts where the case page's panel posts: an error comes back on the case page.
    response = client.post(url, {"ground": "volume", "reason": ""})
    assert response.status_code == 400
    (panel,) = [p for p in response.context["panels"] if p.name == "extend"]
    assert not panel.lazy and panel.form.errors
    assert '<details class="panel" open id="action-extend">' in response.content.decode()


def test_a_step_not_open_to_the_case_or_the_person_has_no_form(client_for, register, advisor, other_advisor):
    inquiry = register(advisor)
    client = client_for(advisor)
    assert client.get(reverse("bureau:case_action", args=[inquiry.reference, "extend"])).status_code == 404
    assert client.get(reverse("bureau:case_action", args=[inquiry.reference, "assign"])).status_code == 404
    assert client.get(reverse("bureau:case_action", args=[inquiry.reference, "delete"])).status_code == 404
    # Fetched into a panel after the case changed (here: closed), it says so in the panel.
    request = register(advisor, kind="zdoi", category="information", access_form="paper")
    services.case_close(actor=advisor, case=request, outcome="withdrawn")
    gone = client.get(reverse("bureau:case_action", args=[request.reference, "extend"]), headers={"HX-Request": "true"})
    assert gone.status_code == 404 and "<html" not in gone.content.decode()
    assert "no longer open" in gone.content.decode()
    # Another advisor's case: no form, as no page.
    other = client_for(other_advisor)
    assert other.get(reverse("bureau:case_action", args=[inquiry.reference, "note"])).status_code == 404


def test_a_panel_fetched_after_the_session_ended_sends_the_whole_page_to_sign_in(client, client_for, register, advisor):
    """htmx would swap the sign-in page into the panel; it gets ``HX-Redirect`` instead, and after
    signing in the advisor comes back to the case page, not to the bare step form."""
    case = register(advisor, kind="zdoi", category="information", access_form="paper")
    case_url = reverse("bureau:case_detail", args=[case.reference])
    step_url = reverse("bureau:case_action", args=[case.reference, "extend"])
    headers = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{case_url}"}
    response = client.get(step_url, headers=headers)
    assert response.status_code == 200 and response.content == b""
    target = urlsplit(response["HX-Redirect"])
    assert target.path == reverse("account_login")
    assert parse_qs(target.query) == {"next": [case_url]}
    # A page elsewhere is not a place to come back to; the fragment's own URL stays.
    elsewhere = client.get(step_url, headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/x"})
    assert parse_qs(urlsplit(elsewhere["HX-Redirect"]).query) == {"next": [step_url]}
    # Without htmx, and for a boosted link, the ordinary redirect stays.
    assert client.get(step_url).status_code == 302
    assert client.get(step_url, headers={**headers, "HX-Boosted": "true"}).status_code == 302
    # Signed in, the same request gets the form.
    assert client_for(advisor).get(step_url, headers=headers).content.decode().startswith("<form")


def test_the_queue_escapes_what_a_resident_typed_and_marks_escalated_and_overdue_cases(
    client_for, citizen, supervisor, other_advisor
):
    """The queue's rows are written by ``{% queue_rows %}`` (bureau/templatetags/bureau.py), not
    the template language: markup in a subject is still shown as text, never run."""
    case, _token = services.case_submit(
        actor=citizen, request=make_request(subject='<script>alert("x")</script> & „данък“')
    )
    services.case_assign(actor=supervisor, case=case, advisor=supervisor)
    services.case_escalate(actor=supervisor, case=Case.objects.get(pk=case.pk), reason="Спешно.")
    Case.objects.filter(pk=case.pk).update(due_on=dt.date(2020, 1, 2))
    text = client_for(supervisor).get(reverse("bureau:queue"), {"view": "all"}).content.decode()
    assert '<script>alert("x")' not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; „данък“" in text
    row = text[text.index(case.reference) :].split("</tr>")[0]
    assert "02.01.2020" in row and row.count('class="tag tag-warn"') == 2
    assert 'colspan="7"' not in text
    empty = client_for(other_advisor).get(reverse("bureau:queue")).content.decode()
    assert 'colspan="7"' in empty and "<tr><td><a" not in empty  # "no cases here", no rows
