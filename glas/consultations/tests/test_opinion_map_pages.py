"""The opinion map of a consultation: statements, votes counted once, recomputation in the
background, and the groups on the public page."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.urls import reverse

from glas.accounts.roles import Role
from glas.consultations import services_opinion_map as services
from glas.consultations.models import OpinionMap, StatementVote
from glas.core.exceptions import DomainError

pytestmark = pytest.mark.django_db

STATEMENTS = ["Шумът след 22 ч. трябва да се ограничи.", "Сборовете в селата да са изключени.", "Глобите са високи."]


@pytest.fixture
def opinion_map(council_secretary: Any, consultation: Any) -> OpinionMap:
    return services.opinion_map_open(
        actor=council_secretary, draft=consultation, question="Какво мислите?", statements=STATEMENTS
    )


def test_staff_open_a_map_and_a_second_one_is_refused(opinion_map, council_secretary, consultation):
    assert [s.text for s in opinion_map.statements.order_by("pk")] == STATEMENTS
    with pytest.raises(DomainError, match="already has an opinion map"):
        services.opinion_map_open(actor=council_secretary, draft=consultation, question="Пак?")


def test_a_second_vote_replaces_the_first(opinion_map, citizen):
    statement = opinion_map.statements.first()
    services.statement_vote(actor=citizen, statement=statement, vote=1)
    services.statement_vote(actor=citizen, statement=statement, vote=-1)
    assert list(StatementVote.objects.values_list("vote", flat=True)) == [-1]


def test_an_unconfirmed_email_cannot_vote_or_add_statements(opinion_map, outsider):
    statement = opinion_map.statements.first()
    with pytest.raises(DomainError, match="You may not do this"):
        services.statement_vote(actor=outsider, statement=statement, vote=1)
    with pytest.raises(DomainError, match="You may not do this"):
        services.statement_add(actor=outsider, opinion_map=opinion_map, text="Нещо ново и важно")
    assert not StatementVote.objects.exists()


@pytest.mark.parametrize("vote", [2, -2, 99])
def test_a_vote_outside_agree_pass_disagree_is_refused(opinion_map, citizen, vote):
    with pytest.raises(DomainError, match="Choose agree"):
        services.statement_vote(actor=citizen, statement=opinion_map.statements.first(), vote=vote)


def test_a_hidden_statement_takes_no_votes_and_shows_its_reason(client, opinion_map, citizen, council_secretary):
    statement = opinion_map.statements.first()
    with pytest.raises(DomainError, match="Give the reason"):
        services.statement_hide(actor=council_secretary, statement=statement, reason=" ")
    services.statement_hide(actor=council_secretary, statement=statement, reason="Обидно съдържание")
    with pytest.raises(DomainError, match="hidden"):
        services.statement_vote(actor=citizen, statement=statement, vote=1)
    page = client.get(reverse("consultations:opinion_map", args=[opinion_map.draft.public_id]))
    assert "Обидно съдържание" in page.content.decode()


def test_a_duplicate_or_empty_statement_is_refused(opinion_map, citizen):
    with pytest.raises(DomainError, match="already on the map"):
        services.statement_add(actor=citizen, opinion_map=opinion_map, text=STATEMENTS[0])
    with pytest.raises(DomainError, match="at least a few words"):
        services.statement_add(actor=citizen, opinion_map=opinion_map, text=" a ")


def test_votes_enqueue_one_recomputation_until_it_runs(opinion_map, citizen, django_capture_on_commit_callbacks):
    statements = list(opinion_map.statements.all())
    target = "glas.consultations.services_opinion_map.opinion_map_recompute"
    with mock.patch(target, wraps=services.opinion_map_recompute) as recompute:
        with django_capture_on_commit_callbacks(execute=True):  # three votes before the worker runs
            for statement in statements:
                services.statement_vote(actor=citizen, statement=statement, vote=1)
        assert recompute.call_count == 1
        with django_capture_on_commit_callbacks(execute=True):  # the map is fresh again: one more
            services.statement_vote(actor=citizen, statement=statements[0], vote=0)
        assert recompute.call_count == 2
    opinion_map.refresh_from_db()
    assert opinion_map.computed_at is not None and opinion_map.stale is False


def test_two_camps_appear_as_two_groups_on_the_public_page(client, opinion_map, make_user):
    statements = list(opinion_map.statements.order_by("pk"))
    for n in range(16):
        user = make_user(f"voter{n}@example.org")
        camp = (1, -1, 1) if n % 2 else (-1, 1, 1)
        for statement, vote in zip(statements, camp, strict=True):
            services.statement_vote(actor=user, statement=statement, vote=vote)
    # a map needs votes on min(7, statements) statements per participant: all three here
    services.opinion_map_recompute(opinion_map.pk)
    opinion_map.refresh_from_db()
    assert [g["size"] for g in opinion_map.result["groups"]] == [8, 8]
    page = client.get(reverse("consultations:opinion_map", args=[opinion_map.draft.public_id])).content.decode()
    assert "Group A" in page and "Group B" in page and 'role="img"' in page
    assert "Глобите са високи." in page  # every group agrees


def test_few_votes_show_no_invented_groups(client, opinion_map, citizen):
    services.statement_vote(actor=citizen, statement=opinion_map.statements.first(), vote=1)
    services.opinion_map_recompute(opinion_map.pk)
    page = client.get(reverse("consultations:opinion_map", args=[opinion_map.draft.public_id])).content.decode()
    assert "Group A" not in page


def test_voting_through_the_page_and_a_statement_of_another_map_is_not_found(
    client_for, opinion_map, citizen, council_secretary
):
    client = client_for(citizen)
    statement = opinion_map.statements.first()
    url = reverse("consultations:statement_vote", args=[opinion_map.draft.public_id, statement.pk])
    assert client.post(url, {"vote": "1"}).status_code == 302
    assert client.post(url, {"vote": "x"}).status_code == 400
    assert StatementVote.objects.get().vote == 1
    from glas.consultations import services as consultation_services
    from glas.consultations.tests.conftest import REGULAR_END, TEXT, TODAY

    other_draft = consultation_services.draft_create(
        actor=council_secretary,
        title="Наредба за рекламата",
        act_type="ordinance",
        topic="public_order",
        proposer_kind="administration",
        proposer_name="Дирекция",
        summary="Реклама.",
        motives="<p>Мотиви.</p>",
        impact_assessment="<p>Оценка.</p>",
    )
    consultation_services.draft_text_set(actor=council_secretary, draft=other_draft, text=TEXT)
    consultation_services.consultation_publish(
        actor=council_secretary, draft=other_draft, opens_on=TODAY, closes_on=REGULAR_END
    )
    other_map = services.opinion_map_open(actor=council_secretary, draft=other_draft, question="Друг въпрос?")
    # a statement of this map posted under the other consultation's address
    wrong = reverse("consultations:statement_vote", args=[other_map.draft.public_id, statement.pk])
    assert client.post(wrong, {"vote": "1"}).status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("citizen", 403), ("council_secretary", 200)])
def test_only_managers_open_the_staff_page_of_the_map(request, client_for, consultation, persona, status):
    url = reverse("consultations:opinion_map_manage", args=[consultation.public_id])
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == status


def test_role_table_for_statements(opinion_map, advisor, make_user):
    member = make_user("commission2@example.org", roles=[Role.COMMISSION_MEMBER])
    for person in (advisor, member):  # confirmed e-mail: they take part like anyone
        services.statement_vote(actor=person, statement=opinion_map.statements.first(), vote=0)
    assert StatementVote.objects.count() == 2
