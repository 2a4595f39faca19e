"""Writes for the opinion map of a consultation: staff open it and moderate statements;
participants with a confirmed e-mail add statements and vote. Each vote marks the map stale and,
when it was fresh, enqueues one recomputation after commit (votes arriving during a
recomputation enqueue the next one), so a busy map is recomputed continuously but never once per
vote."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.consultations.models import Draft, OpinionMap, Statement, StatementVote
from glas.consultations.opinion_map import OpinionMapError, compute_opinion_map
from glas.core.audit import audit_log
from glas.core.exceptions import DomainError
from glas.core.text import clean_plain_text

if TYPE_CHECKING:
    from glas.accounts.models import User

STATEMENT_CAP = 280


def _require(actor: Any, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise DomainError(_("You may not do this."), code="forbidden")


def opinion_map_open(*, actor: User, draft: Draft, question: str, statements: list[str] | None = None) -> OpinionMap:
    _require(actor, "consultations.manage_draft")
    text = clean_plain_text(question, cap=300, field="question")
    if not text:
        raise DomainError(_("Write the question the statements answer."), field="question")
    if OpinionMap.objects.filter(draft=draft).exists():
        raise DomainError(_("This consultation already has an opinion map."))
    with transaction.atomic():
        opinion_map = OpinionMap.objects.create(draft=draft, question=text, opened_by=actor)
        for statement in statements or []:
            _statement_create(opinion_map, statement, actor)
        audit_log(actor=actor, action="consultations.opinion_map.opened", obj=opinion_map)
    return opinion_map


def _statement_create(opinion_map: OpinionMap, text: str, author: User) -> Statement:
    clean = " ".join(clean_plain_text(text, cap=STATEMENT_CAP, field="text").split())
    if len(clean) < 5:
        raise DomainError(_("Write a statement of at least a few words."), field="text")
    try:
        with transaction.atomic():
            return Statement.objects.create(map=opinion_map, text=clean, author=author)
    except IntegrityError:
        raise DomainError(_("This statement is already on the map."), field="text") from None


def statement_add(*, actor: User, opinion_map: OpinionMap, text: str) -> Statement:
    _require(actor, "consultations.take_part")
    if not opinion_map.is_open:
        raise DomainError(_("The opinion map is closed."))
    with transaction.atomic():
        statement = _statement_create(opinion_map, text, actor)
        audit_log(actor=actor, action="consultations.statement.added", obj=statement)
    return statement


def statement_hide(*, actor: User, statement: Statement, reason: str) -> Statement:
    """Moderation: the statement stays listed as hidden, with the published reason."""
    _require(actor, "consultations.moderate")
    text = clean_plain_text(reason, cap=300, field="reason")
    if not text:
        raise DomainError(_("Give the reason; it is published."), field="reason")
    with transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(hidden_reason=text)
        statement.refresh_from_db()
        _mark_stale(statement.map_id)
        audit_log(actor=actor, action="consultations.statement.hidden", obj=statement, data={"reason": text})
    return statement


def _mark_stale(map_id: int) -> None:
    if OpinionMap.objects.filter(pk=map_id, stale=False).update(stale=True):
        from glas.consultations.tasks import recompute_opinion_map

        transaction.on_commit(lambda: recompute_opinion_map.enqueue(map_id))


def statement_vote(*, actor: User, statement: Statement, vote: int) -> StatementVote:
    """One vote per person and statement: a second vote replaces the first."""
    _require(actor, "consultations.take_part")
    if vote not in StatementVote.Choice.values:
        raise DomainError(_("Choose agree, disagree or pass."), field="vote")
    if statement.hidden_reason:
        raise DomainError(_("This statement was hidden by the moderators."))
    if not OpinionMap.objects.filter(pk=statement.map_id, is_open=True).exists():
        raise DomainError(_("The opinion map is closed."))
    with transaction.atomic():
        row, created = StatementVote.objects.update_or_create(
            statement=statement, user=actor, defaults={"vote": vote, "updated_at": timezone.now()}
        )
        _mark_stale(statement.map_id)
        audit_log(
            actor=actor,
            action="consultations.statement.voted" if created else "consultations.statement.vote_changed",
            obj=statement,
            data={"vote": vote},
        )
    return row


def opinion_map_close(*, actor: User, opinion_map: OpinionMap) -> OpinionMap:
    _require(actor, "consultations.manage_draft")
    with transaction.atomic():
        OpinionMap.objects.filter(pk=opinion_map.pk).update(is_open=False)
        opinion_map.refresh_from_db()
        audit_log(actor=actor, action="consultations.opinion_map.closed", obj=opinion_map)
    return opinion_map


def opinion_map_recompute(map_id: int) -> OpinionMap | None:
    """Compute the groups from the votes on visible statements and store the result."""
    opinion_map = OpinionMap.objects.filter(pk=map_id).first()
    if opinion_map is None:
        return None
    OpinionMap.objects.filter(pk=map_id).update(stale=False)  # votes from now on ask again
    rows = np.array(
        list(
            StatementVote.objects.filter(statement__map_id=map_id, statement__hidden_reason="").values_list(
                "user_id", "statement_id", "vote"
            )
        ),
        dtype=np.int64,
    ).reshape(-1, 3)
    try:
        result: dict[str, Any] | None = compute_opinion_map(rows[:, 0], rows[:, 1], rows[:, 2]).as_dict()
    except OpinionMapError:
        result = None
    OpinionMap.objects.filter(pk=map_id).update(result=result, computed_at=timezone.now())
    opinion_map.refresh_from_db()
    return opinion_map
