"""The commission's pages through HTTP: the public record, the secretariat and the workspace."""

from __future__ import annotations

import pytest
from django.urls import reverse

from glas.commission import services
from glas.commission.models import ConflictDeclaration, Opinion, OpinionVote

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(item, members, council_secretary) -> Opinion:
    opinion = services.opinion_draft_save(actor=members[0].user, item=item, text="Подкрепяме.", base_revision=0)
    services.attendance_record(actor=council_secretary, meeting=item.meeting, present=[m.pk for m in members])
    services.opinion_vote_open(actor=council_secretary, opinion=opinion)
    for member, choice in zip(members, ["for", "for", "for", "against", "for"], strict=True):
        services.opinion_vote(actor=member.user, opinion=opinion, choice=choice)
    opinion = services.opinion_vote_close(actor=council_secretary, opinion=opinion)
    services.dissent_add(actor=members[3].user, opinion=opinion, text="Особено мнение: <b>не</b>.")
    return services.opinion_publish(actor=council_secretary, opinion=opinion)


def test_anyone_reads_the_published_opinion_with_the_roll_call_and_the_dissent(client, published):
    page = client.get(reverse("commission:opinion", args=[published.public_id]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Подкрепяме." in text and "Експерт 3" in text
    assert "Особено мнение: &lt;b&gt;не&lt;/b&gt;." in text  # escaped, never markup
    assert "For 4, against 1, abstained 0, of 5 members present and entitled to vote." in text


def test_an_unpublished_opinion_is_not_public(client, item, members):
    opinion = services.opinion_draft_save(actor=members[0].user, item=item, text="Чернова", base_revision=0)
    assert client.get(reverse("commission:opinion", args=[opinion.public_id])).status_code == 404
    assert client.get(reverse("commission:opinion", args=["not-a-uuid"])).status_code == 404


def test_the_public_pages_show_members_meetings_and_opinions(client, item, members, published):
    home = client.get(reverse("commission:home"))
    assert home.status_code == 200 and "Експерт 0" in home.content.decode()
    assert reverse("commission:opinion", args=[published.public_id]) in home.content.decode()
    page = client.get(reverse("commission:meeting", args=[item.meeting.public_id]))
    assert page.status_code == 200
    assert "Проект на наредба" in page.content.decode()


def test_a_declared_conflict_is_shown_on_the_meeting_page(client, item, members):
    services.conflict_declare(actor=members[1].user, item=item, nature="Свързано лице")
    page = client.get(reverse("commission:meeting", args=[item.meeting.public_id])).content.decode()
    assert "Експерт 1 declared a conflict of interest (Свързано лице) and took no part." in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("citizen", 403),
        ("researcher", 403),
        ("advisor", 403),
        ("commission_member", 200),
        ("council_secretary", 200),
        ("admin_user", 200),
    ],
)
def test_who_opens_a_meeting_workspace(request, client_for, meeting, persona, status):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("commission:workspace", args=[meeting.public_id])).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client, meeting):
    response = client.get(reverse("commission:workspace", args=[meeting.public_id]))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"), [("commission_member", 403), ("researcher", 403), ("council_secretary", 200)]
)
def test_only_the_secretariat_opens_the_secretariat_page(request, client_for, commission, persona, status):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("commission:manage")).status_code == status


def test_a_member_drafts_votes_and_dissents_through_the_workspace(client_for, item, members, council_secretary):
    member = client_for(members[0].user)
    secretary = client_for(council_secretary)
    base = item.meeting.public_id
    response = member.post(
        reverse("commission:draft", args=[base, item.pk]),
        {f"item{item.pk}-text": "Становище", f"item{item.pk}-base_revision": "0"},
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    present = {"present": [str(m.pk) for m in members]}
    assert secretary.post(reverse("commission:attendance", args=[base]), present).status_code == 302
    assert secretary.post(reverse("commission:vote_open", args=[base, opinion.public_id])).status_code == 302
    assert member.post(reverse("commission:vote", args=[base, opinion.public_id]), {"choice": "for"}).status_code == 302
    assert OpinionVote.objects.get().choice == "for"
    page = member.get(reverse("commission:workspace", args=[base]))
    assert "you can change it until the vote closes" in page.content.decode()


def test_a_stale_draft_is_refused_and_the_members_text_is_shown_again(client_for, item, members):
    services.opinion_draft_save(actor=members[1].user, item=item, text="Първа", base_revision=0)
    services.opinion_draft_save(actor=members[1].user, item=item, text="Втора", base_revision=1)
    response = client_for(members[0].user).post(
        reverse("commission:draft", args=[item.meeting.public_id, item.pk]),
        {f"item{item.pk}-text": "Моят текст", f"item{item.pk}-base_revision": "1"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Another member saved a newer version (revision 2)" in text and "Моят текст" in text
    assert Opinion.objects.get().text == "Втора"


def test_a_refused_post_shows_one_error_summary_which_takes_focus(client_for, item, members):
    base = item.meeting.public_id
    member = client_for(members[0].user)
    invalid = member.post(reverse("commission:draft", args=[base, item.pk]), {f"item{item.pk}-text": ""})
    refused = member.post(reverse("commission:conflict", args=[base, item.pk]), {"nature": ""})
    for response in (invalid, refused):
        text = response.content.decode()
        assert response.status_code == 400
        assert text.count('class="error-summary"') == 1 and text.count('id="error-summary"') == 1


def test_an_item_of_another_meeting_is_not_found(client_for, item, members, commission, council_secretary):
    other = services.meeting_schedule(
        actor=council_secretary, commission=commission, starts_at=item.meeting.starts_at, place="Село"
    )
    response = client_for(members[0].user).post(
        reverse("commission:conflict", args=[other.public_id, item.pk]), {"nature": "Интерес"}
    )
    assert response.status_code == 404
    for bad in ("abc", "-1", "99999"):
        url = reverse("commission:conflict", args=[item.meeting.public_id, bad])
        assert client_for(members[0].user).post(url, {"nature": "x"}).status_code == 404
    assert not ConflictDeclaration.objects.exists()


def test_a_member_cannot_do_the_secretariats_steps(client_for, item, members):
    opinion = services.opinion_draft_save(actor=members[0].user, item=item, text="Т", base_revision=0)
    response = client_for(members[0].user).post(
        reverse("commission:vote_open", args=[item.meeting.public_id, opinion.public_id])
    )
    assert response.status_code == 403
    assert Opinion.objects.get().status == "drafting"


def test_bad_input_gets_a_400_with_the_reason(client_for, item, members, council_secretary):
    base = item.meeting.public_id
    member = client_for(members[0].user)
    empty = member.post(reverse("commission:draft", args=[base, item.pk]), {f"item{item.pk}-text": ""})
    assert empty.status_code == 400
    not_voting = member.post(reverse("commission:conflict", args=[base, item.pk]), {"nature": ""})
    assert not_voting.status_code == 400
    secretary = client_for(council_secretary)
    assert secretary.post(reverse("commission:attendance", args=[base]), {"present": ["x"]}).status_code == 400
    assert (
        secretary.post(
            reverse("commission:item_add", args=[base]), {"title": "", "subject_url": "javascript:alert(1)"}
        ).status_code
        == 400
    )


def test_the_secretariat_appoints_a_member_and_schedules_a_meeting(
    client_for, commission, council_secretary, make_user
):
    expert = make_user("new.expert@example.org")
    secretary = client_for(council_secretary)
    response = secretary.post(
        reverse("commission:member_appoint"),
        {
            "email": "NEW.expert@example.org",
            "name": "Нов експерт",
            "organisation": "НПО",
            "expertise": "финанси",
            "term_start": "2026-01-01",
            "term_end": "2027-12-31",
        },
    )
    assert response.status_code == 302
    assert commission.members.get().user == expert
    unknown = secretary.post(
        reverse("commission:member_appoint"),
        {
            "email": "nobody@example.org",
            "name": "Х",
            "organisation": "О",
            "expertise": "Е",
            "term_start": "2026-01-01",
            "term_end": "2027-01-01",
        },
    )
    assert unknown.status_code == 400 and "must sign up first" in unknown.content.decode()
    backwards = secretary.post(
        reverse("commission:member_appoint"),
        {
            "email": "new.expert@example.org",
            "name": "Х",
            "organisation": "О",
            "expertise": "Е",
            "term_start": "2027-01-01",
            "term_end": "2026-01-01",
        },
    )
    assert backwards.status_code == 400
    scheduled = secretary.post(
        reverse("commission:meeting_schedule"), {"starts_at": "2026-12-10T17:00", "place": "Кресна"}
    )
    assert scheduled.status_code == 302


def test_the_public_meeting_page_has_a_bounded_number_of_queries(
    client, item, members, council_secretary, django_assert_max_num_queries, commission
):
    for n in range(5):
        services.meeting_item_add(actor=council_secretary, meeting=item.meeting, title=f"Точка {n}")
    services.attendance_record(actor=council_secretary, meeting=item.meeting, present=[m.pk for m in members])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("commission:meeting", args=[item.meeting.public_id])).status_code == 200


def test_the_workspace_has_a_bounded_number_of_queries(
    client_for, item, members, council_secretary, django_assert_max_num_queries
):
    for n in range(5):
        extra = services.meeting_item_add(actor=council_secretary, meeting=item.meeting, title=f"Точка {n}")
        services.opinion_draft_save(actor=members[0].user, item=extra, text="Т", base_revision=0)
    secretary = client_for(council_secretary)
    with django_assert_max_num_queries(30):
        assert secretary.get(reverse("commission:workspace", args=[item.meeting.public_id])).status_code == 200


def test_the_item_form_lists_drafts_and_decisions_without_their_texts(client_for, item, council_secretary):
    """The secretariat's page lists every draft act and council decision to choose from: by
    title, never reading their motives, assessments or full texts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = client_for(council_secretary).get(reverse("commission:workspace", args=[item.meeting.public_id]))
    assert page.status_code == 200 and 'name="draft"' in page.content.decode()
    lists = [q["sql"] for q in queries.captured_queries if 'FROM "consultations_draft"' in q["sql"]]
    lists += [q["sql"] for q in queries.captured_queries if 'FROM "council_decision"' in q["sql"]]
    assert len(lists) >= 2
    for sql in lists:
        assert '"motives"' not in sql and '"impact_assessment"' not in sql
        assert '"council_decision"."text"' not in sql and '"search_text"' not in sql


def test_the_minutes_pdf_is_served_inline_only_when_there_is_one(
    client, meeting, council_secretary, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    url = reverse("commission:minutes_pdf", args=[meeting.public_id])
    assert client.get(url).status_code == 404
    services.minutes_save(
        actor=council_secretary, meeting=meeting, upload=SimpleUploadedFile("m.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


# Columns: citizen, verified resident, advisor, commission member, council staff, integrity officer,
# researcher, administrator, outsider.
PERMISSIONS = {
    "commission.manage": (0, 0, 0, 0, 1, 0, 0, 1, 0),
    "commission.take_part": (0, 0, 0, 1, 0, 0, 0, 0, 0),
    "commission.open_workspace": (0, 0, 0, 1, 1, 0, 0, 1, 0),
}
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
]


@pytest.mark.parametrize("perm", sorted(PERMISSIONS))
def test_role_by_permission_matrix(request, perm):
    granted = tuple(int(request.getfixturevalue(persona).has_perm(perm)) for persona in PERSONAS)
    assert granted == PERMISSIONS[perm]
