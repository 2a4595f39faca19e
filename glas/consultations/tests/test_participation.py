"""Taking part: comments on paragraphs, alternative wordings, general comments, supports,
people without an account who confirm their e-mail, proposals entered by staff, moderation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from glas.consultations import services
from glas.consultations.models import Contribution, Reaction
from glas.consultations.tests.conftest import TEXT, TODAY, close, paragraph
from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry


def contribute_url(draft):
    return reverse("consultations:contribute", args=[draft.public_id])


def test_a_signed_in_person_comments_on_a_paragraph_and_it_is_published(
    consultation, citizen, client_for, pages_in_english
):
    target = paragraph(consultation, "Чл. 1", "(2)")
    response = client_for(citizen).post(
        contribute_url(consultation), {"kind": "comment", "paragraph": target.pk, "text": "Да важи и за селата."}
    )
    assert response.status_code == 200
    contribution = Contribution.objects.get()
    assert contribution.status == "published" and contribution.paragraph == target and contribution.author == citizen
    page = client_for(None).get(
        reverse("consultations:detail", args=[consultation.public_id]) + f"?paragraph={target.pk}"
    )
    assert "Да важи и за селата." in page.content.decode()


def test_an_alternative_wording_is_shown_as_a_comparison(wording, client, pages_in_english):
    page = client.get(reverse("consultations:detail", args=[wording.draft.public_id])).content.decode()
    assert "<del>24:00</del><ins>23:00</ins>" in page


def test_a_comment_on_a_paragraph_of_another_draft_is_refused(consultation, council_secretary, citizen, client_for):
    other = services.draft_create(
        actor=council_secretary,
        title="Друг",
        act_type="plan",
        topic="spatial",
        proposer_kind="administration",
        proposer_name="x",
    )
    services.draft_text_set(actor=council_secretary, draft=other, text=TEXT)
    foreign = paragraph(other, "Чл. 1", "(1)")
    with pytest.raises(DomainError) as error:
        services.contribution_submit(
            actor=citizen, draft=consultation, kind="comment", paragraph_id=foreign.pk, text="Чужд"
        )
    assert error.value.code == "wrong_paragraph"
    response = client_for(citizen).post(
        contribute_url(consultation), {"kind": "comment", "paragraph": foreign.pk, "text": "Чужд"}
    )
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_a_comment_on_a_closed_consultation_is_refused(consultation, citizen, client_for):
    close(consultation)
    target = paragraph(consultation, "Чл. 2")
    with pytest.raises(DomainError) as error:
        services.contribution_submit(
            actor=citizen, draft=consultation, kind="comment", paragraph_id=target.pk, text="Късно"
        )
    assert error.value.code == "closed"
    response = client_for(citizen).post(contribute_url(consultation), {"kind": "general", "text": "Късно"})
    assert response.status_code == 403
    assert not Contribution.objects.exists()


def test_markup_and_scripts_in_comments_and_names_are_inert(consultation, client, pages_in_english):
    script = "<script>alert(1)</script>"
    client.post(
        contribute_url(consultation),
        {
            "kind": "general",
            "text": f"Текст {script}",
            "name": f"Име {script}",
            "email": "a@example.org",
            "publish_name": "on",
        },
    )
    contribution = Contribution.objects.get()
    services.contribution_confirm(token=services.confirmation_token(contribution))
    page = client.get(reverse("consultations:detail", args=[consultation.public_id])).content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kind": "wording", "text": "x"}, "paragraph"),
        ({"kind": "general", "text": ""}, "text"),
        ({"kind": "general", "text": "a\x00b"}, "text"),
        ({"kind": "general", "text": "a\u202eb"}, "text"),
        ({"kind": "general", "text": "x" * 5001}, "text"),
        ({"kind": "nonsense", "text": "x"}, "kind"),
    ],
)
def test_bad_contributions_get_a_form_error(consultation, citizen, client_for, data, field):
    response = client_for(citizen).post(contribute_url(consultation), data)
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_a_wording_identical_to_the_draft_is_refused(consultation, citizen):
    target = paragraph(consultation, "Чл. 2")
    with pytest.raises(DomainError) as error:
        services.contribution_submit(
            actor=citizen, draft=consultation, kind="wording", paragraph_id=target.pk, proposed_text=target.text
        )
    assert error.value.field == "proposed_text"


def test_without_an_account_the_contribution_waits_for_the_e_mail_link(
    consultation, client, pages_in_english, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            contribute_url(consultation),
            {"kind": "general", "text": "Предложение", "name": "Иван", "email": "Ivan@Example.org"},
        )
    assert response.status_code == 200
    contribution = Contribution.objects.get()
    assert contribution.status == "unconfirmed" and contribution.author_email == "ivan@example.org"
    page = client.get(reverse("consultations:detail", args=[consultation.public_id])).content.decode()
    assert "Предложение" not in page
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ivan@example.org"]
    link = re.search(r"http://testserver(/consultations/confirm/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200
    contribution.refresh_from_db()
    assert contribution.status == "published" and contribution.confirmed_at is not None
    # A second click changes nothing and is not an error.
    assert client.get(link).status_code == 200
    assert AuditEntry.objects.filter(action="consultations.contribution.confirmed").count() == 1
    page = client.get(reverse("consultations:detail", args=[consultation.public_id])).content.decode()
    assert "Предложение" in page and "ivan@example.org" not in page.lower()


@pytest.mark.parametrize("token", ["garbage", "a" * 300, "eyJ0ZXN0Ijp0cnVlfQ:1abc:bad"])
def test_an_altered_or_guessed_confirmation_link_is_refused(consultation, client, token):
    assert client.get(reverse("consultations:confirm", args=[token])).status_code == 400


def test_a_confirmation_link_expires(consultation, client):
    import time_machine

    contribution = services.contribution_submit(
        actor=None, draft=consultation, kind="general", text="x", name="Иван", email="ivan@example.org"
    )
    token = services.confirmation_token(contribution)
    with time_machine.travel(dt.datetime(2026, 3, 9, 10, 0, tzinfo=dt.UTC)), pytest.raises(DomainError):
        services.contribution_confirm(token=token)


def test_a_person_without_a_name_or_with_a_bad_e_mail_is_asked_for_them(consultation, client):
    response = client.post(contribute_url(consultation), {"kind": "general", "text": "x", "name": "", "email": "nope"})
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_an_unconfirmed_account_cannot_take_part(consultation, outsider):
    with pytest.raises(DomainError) as error:
        services.contribution_submit(actor=outsider, draft=consultation, kind="general", text="x")
    assert error.value.code == "unconfirmed"


def test_an_organisation_is_named_and_a_private_person_only_with_consent(consultation, citizen, verified_resident):
    by_org = services.contribution_submit(
        actor=citizen, draft=consultation, kind="general", text="x", organisation="Сдружение „Струма“"
    )
    private = services.contribution_submit(actor=verified_resident, draft=consultation, kind="general", text="y")
    named = services.contribution_submit(
        actor=verified_resident, draft=consultation, kind="general", text="z", publish_name=True
    )
    assert by_org.public_author == "Сдружение „Струма“"
    assert private.public_author == "private person"
    assert named.public_author == "Георги"


def test_support_and_oppose_count_once_per_person(wording, verified_resident, client_for):
    client = client_for(verified_resident)
    url = reverse("consultations:react", args=[wording.draft.public_id, wording.public_id])
    for _ in range(3):
        assert client.post(url, {"value": "1"}).status_code == 302
    wording.refresh_from_db()
    assert (wording.supports, wording.oppositions) == (1, 0)
    client.post(url, {"value": "-1"})
    wording.refresh_from_db()
    assert (wording.supports, wording.oppositions) == (0, 1)
    assert Reaction.objects.count() == 1


def test_nobody_supports_their_own_proposal(wording, citizen):
    with pytest.raises(DomainError) as error:
        services.reaction_set(actor=citizen, contribution=wording, value=1)
    assert error.value.code == "own"


def test_reactions_need_an_account_and_a_valid_value(wording, client, verified_resident, client_for):
    url = reverse("consultations:react", args=[wording.draft.public_id, wording.public_id])
    assert client.post(url, {"value": "1"}).status_code == 302  # to the sign-in page
    assert not Reaction.objects.exists()
    assert client_for(verified_resident).post(url, {"value": "7"}).status_code == 400
    assert client_for(verified_resident).get(url).status_code == 405


def test_reactions_on_a_closed_consultation_are_refused(wording, verified_resident):
    close(wording.draft)
    wording.refresh_from_db()
    with pytest.raises(DomainError):
        services.reaction_set(actor=verified_resident, contribution=wording, value=1)


def test_staff_enter_a_proposal_received_by_post_with_its_source(consultation, advisor, client_for, pages_in_english):
    target = paragraph(consultation, "Чл. 3", "(1)")
    response = client_for(advisor).post(
        reverse("consultations:enter", args=[consultation.public_id]),
        {
            "kind": "comment",
            "paragraph": target.pk,
            "text": "Писмо от читалището.",
            "name": "Читалище „Просвета“",
            "organisation": "Читалище „Просвета“",
            "channel": "post",
            "source": "Вх. № 94-00-12/02.03.2026",
            "received_on": "2026-03-02",
        },
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert (contribution.channel, contribution.source, contribution.entered_by) == (
        "post",
        "Вх. № 94-00-12/02.03.2026",
        advisor,
    )
    assert contribution.status == "published"


def test_a_proposal_received_outside_the_term_cannot_be_entered(consultation, advisor):
    with pytest.raises(DomainError) as error:
        services.contribution_enter(
            actor=advisor,
            draft=consultation,
            kind="general",
            channel="email",
            source="e-mail",
            received_on=TODAY - dt.timedelta(days=1),
            name="X",
            text="Рано",
        )
    assert error.value.field == "received_on"


@pytest.mark.parametrize("persona", ["citizen", "researcher", "integrity_officer", "commission_member"])
def test_only_advisors_and_council_staff_enter_proposals(request, persona, consultation, client_for):
    response = client_for(request.getfixturevalue(persona)).get(
        reverse("consultations:enter", args=[consultation.public_id])
    )
    assert response.status_code == 403


def test_moderation_hides_with_a_published_reason_and_deletes_nothing(
    wording, council_secretary, client_for, client, pages_in_english
):
    response = client_for(council_secretary).post(
        reverse("consultations:hide", args=[wording.draft.public_id, wording.public_id]), {"reason": "Обиди."}
    )
    assert response.status_code == 302
    wording.refresh_from_db()
    assert wording.status == "hidden" and Contribution.objects.count() == 1
    page = client.get(reverse("consultations:detail", args=[wording.draft.public_id])).content.decode()
    assert "Hidden by a moderator. Reason: Обиди." in page
    assert "По-рано." not in page
    assert AuditEntry.objects.filter(action="consultations.contribution.hidden", actor=council_secretary).exists()


def test_hiding_needs_a_reason_and_the_moderator_role(wording, council_secretary, advisor, client_for):
    url = reverse("consultations:hide", args=[wording.draft.public_id, wording.public_id])
    assert client_for(council_secretary).post(url, {"reason": ""}).status_code == 400
    assert client_for(advisor).post(url, {"reason": "x"}).status_code == 403
    wording.refresh_from_db()
    assert wording.status == "published"


def test_burst_of_contributions_from_one_address_is_throttled(consultation, citizen, client_for, settings):
    client = client_for(citizen)
    statuses = [
        client.post(contribute_url(consultation), {"kind": "general", "text": f"№ {n}"}).status_code for n in range(22)
    ]
    assert statuses.count(200) == 20 and statuses[-1] == 429


def test_a_deleted_account_is_not_named_and_its_data_export_has_the_contributions(consultation, citizen, client_for):
    from glas.accounts.selectors import personal_data_export
    from glas.accounts.services import account_delete

    contribution = services.contribution_submit(
        actor=citizen, draft=consultation, kind="general", text="Моето мнение", publish_name=True
    )
    export = personal_data_export(citizen)["consultations"]
    assert export["contributions"][0]["text"] == "Моето мнение"
    account_delete(actor=citizen)
    contribution.refresh_from_db()
    assert contribution.public_author == "Deleted account"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_supports_of_one_person_count_once(wording, verified_resident):
    import threading

    from django.db import connection

    barrier = threading.Barrier(20)
    errors: list[Exception] = []

    def support() -> None:
        try:
            barrier.wait()
            contribution = Contribution.objects.select_related("draft").get(pk=wording.pk)
            services.reaction_set(actor=verified_resident, contribution=contribution, value=1)
        except Exception as error:  # collected, asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=support) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    wording.refresh_from_db()
    assert (wording.supports, Reaction.objects.filter(contribution=wording).count()) == (1, 1)
