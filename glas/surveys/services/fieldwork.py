"""Writes for fieldwork: invitations and responses (start, save answers, submit, withdraw).

In anonymous and confidential surveys the audit entries of respondents' actions name neither
the person nor the response.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from glas.core.audit import audit_log
from glas.core.exceptions import DomainError
from glas.surveys.answers import clean_answer, is_empty
from glas.surveys.models import (
    Answer,
    Invitation,
    Question,
    Quota,
    QuotaCell,
    Response,
    Survey,
)
from glas.surveys.selectors import Structure, response_values, survey_structure, visible_questions

if TYPE_CHECKING:
    from glas.accounts.models import User
    from glas.core.models import Settlement

from glas.surveys.services.common import AnswersInvalid, cell_key, clean_field_text, require

# --- Invitations ----------------------------------------------------------------------------

SHORT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SHORT_CODE_LENGTH = 8
# The HMAC's purpose string: a token derived for invitations is good for nothing else.
TOKEN_SALT = "glas.surveys.invitation-token"  # noqa: S105 (a purpose, not a secret)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token_nonce() -> str:
    return secrets.token_urlsafe(32)


def derive_token(nonce: str) -> str:
    """The link token of an invitation with this nonce: HMAC-SHA-256 keyed by ``SECRET_KEY``
    (``salted_hmac`` with the dedicated salt), base64url without padding (43 characters).
    Changing ``SECRET_KEY`` changes every derived token, so links already sent stop working."""
    digest = salted_hmac(TOKEN_SALT, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _index in range(SHORT_CODE_LENGTH))


def invitation_token(invitation: Invitation) -> str:
    """The invitation's link token, derived again (for reminders and letters). Raises
    ``DomainError`` for an invitation made before tokens could be derived again."""
    if not invitation.token_nonce:
        raise DomainError(_("The link of this invitation cannot be made again."), code="no_nonce")
    return derive_token(invitation.token_nonce)


def invitation_create(
    *,
    actor: User,
    survey: Survey,
    email: str = "",
    person: User | None = None,
    settlement: Settlement | None = None,
    stratum: str = "",
) -> tuple[Invitation, str]:
    """One invitation; returns it with its link token (derived from a random nonce, stored only
    as a hash; ``invitation_token`` derives it again)."""
    require(actor, "surveys.run_fieldwork", survey)
    if survey.anonymity == Survey.Anonymity.ANONYMOUS:
        raise DomainError(_("An anonymous survey is answered by public link, not by invitation."), code="anonymous")
    nonce = new_token_nonce()
    token = derive_token(nonce)
    try:
        with transaction.atomic():
            for _attempt in range(5):
                code = new_short_code()
                if not Invitation.objects.filter(survey=survey, short_code=code).exists():
                    break
            invitation = Invitation.objects.create(
                survey=survey,
                token_hash=token_hash(token),
                token_nonce=nonce,
                short_code=code,
                email=email.strip().lower(),
                person=person,
                settlement=settlement,
                stratum=stratum.strip()[:100],
            )
            audit_log(actor=actor, action="surveys.invitation.created", obj=survey, data={"invitation": invitation.pk})
    except IntegrityError:
        raise DomainError(
            _("This person is already invited to this survey."), field="email", code="already_invited"
        ) from None
    return invitation, token


def _find_invitation(survey: Survey, token: str) -> Invitation:
    token = (token or "").strip()
    if not token or len(token) > 200:
        raise DomainError(_("This invitation link or code is not valid."), field="token", code="token")
    invitation = Invitation.objects.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        invitation = Invitation.objects.filter(
            survey=survey, short_code=token.upper().replace("-", "").replace(" ", "")
        ).first()
    if invitation is None or invitation.survey_id != survey.pk:
        raise DomainError(_("This invitation link or code is not valid for this survey."), field="token", code="token")
    if invitation.completed_at is not None:
        raise DomainError(_("This invitation has already been used to answer."), field="token", code="used")
    return invitation


# --- Responses ------------------------------------------------------------------------------


def _check_open(survey: Survey) -> None:
    if not survey.is_open_for_responses:
        raise DomainError(_("This survey is not taking responses now."), code="closed")


def _respondent_audit(response: Response, actor: User | None, action: str, data: dict[str, Any] | None = None) -> None:
    """In anonymous and confidential surveys the entry names neither the person nor the response
    (interviewers are named: they act as staff)."""
    survey = response.survey
    if survey.anonymity == Survey.Anonymity.IDENTIFIED:
        audit_log(actor=actor, action=action, obj=response, data=data)
        return
    staff = response.interviewer if response.channel in Response.ENTERED_CHANNELS else None
    audit_log(actor=staff, action=action, obj=survey, data={**(data or {}), "channel": response.channel})


def response_start(
    *,
    actor: User | None,
    survey: Survey,
    channel: str,
    token: str = "",
    paper_ref: str = "",
    entry_round: int = 1,
) -> Response:
    """Begin a response. Public link: anonymous surveys (or identified ones, for the signed-in
    person); invitation: with its token or short code; assisted, paper and phone: entered by an
    advisor or researcher, who is recorded as the interviewer."""
    _check_open(survey)
    if channel not in Response.Channel.values:
        raise DomainError(_("Unknown channel."), field="channel")
    identified = survey.anonymity == Survey.Anonymity.IDENTIFIED
    response = Response(survey=survey, channel=channel)
    if channel in Response.ENTERED_CHANNELS:
        require(actor, "surveys.enter_responses", survey)
        if entry_round not in (1, 2):
            raise DomainError(_("The entry round is 1 or 2."), field="entry_round")
        if entry_round == 2 and not paper_ref.strip():
            raise DomainError(_("A second entry needs the questionnaire number."), field="paper_ref")
        response.interviewer = actor
        response.paper_ref = clean_field_text(paper_ref, field="paper_ref", cap=50)
        response.entry_round = entry_round
    elif channel == Response.Channel.INVITATION:
        invitation = _find_invitation(survey, token)
        if identified:
            response.invitation = invitation
            response.respondent = invitation.person or (actor if actor and actor.is_authenticated else None)
    elif survey.anonymity == Survey.Anonymity.CONFIDENTIAL:
        raise DomainError(_("This survey is answered by invitation only."), code="invitation_only")
    elif identified:
        if actor is None or not actor.is_authenticated:
            raise DomainError(_("Sign in to answer this survey."), code="sign_in")
        response.respondent = actor
    if response.respondent is not None:
        existing = Response.objects.filter(survey=survey, respondent=response.respondent).first()
        if existing is not None:
            if existing.status == Response.Status.COMPLETE:
                raise DomainError(_("You have already answered this survey."), code="answered")
            return existing
    try:
        with transaction.atomic():
            response.save()
            _respondent_audit(response, actor, "surveys.response.started")
    except IntegrityError:
        raise DomainError(
            _("Questionnaire %(ref)s has already been entered in this round.") % {"ref": response.paper_ref},
            field="paper_ref",
        ) from None
    return response


def _key(key: Any, structure: Structure) -> Question | None:
    """A question of the survey by id (int or digits) or by variable name; None if not one."""
    if isinstance(key, int) and not isinstance(key, bool):
        return structure.by_id.get(key)
    if isinstance(key, str) and key.isdigit():
        return structure.by_id.get(int(key))
    if isinstance(key, str):
        return structure.by_variable.get(key)
    return None


def _check_can_write(actor: User | None, response: Response) -> None:
    if response.channel in Response.ENTERED_CHANNELS:
        require(actor, "surveys.enter_responses", response.survey)
    elif response.respondent_id is not None and (actor is None or actor.pk != response.respondent_id):
        raise DomainError(_("You may not do this."), code="forbidden")


def response_save_answers(
    *,
    actor: User | None,
    response: Response,
    answers: Mapping[Any, Any],
    other: Mapping[Any, Any] | None = None,
    structure: Structure | None = None,
) -> Response:
    """Save (or clear, with an empty value) answers keyed by question id or variable name;
    ``other`` holds "please specify" texts by the same keys. Every answer is checked against its
    question; if any is refused, nothing is saved and ``AnswersInvalid`` lists them all.
    ``structure``: the questionnaire if the caller has loaded it already (it must be this
    response's survey)."""
    _check_can_write(actor, response)
    survey = response.survey
    _check_open(survey)
    if response.status != Response.Status.IN_PROGRESS:
        raise DomainError(_("This response has been submitted and can no longer be changed."), code="submitted")
    if structure is None or structure.survey.pk != survey.pk:
        structure = survey_structure(survey)
    other_by_question = {}
    for key, text in (other or {}).items():
        question = _key(key, structure)
        if question is not None:
            other_by_question[question.pk] = text
    errors: dict[str, str] = {}
    to_save: dict[Question, Any] = {}
    to_clear: list[Question] = []
    for key, raw in answers.items():
        question = _key(key, structure)
        if question is None:
            errors[str(key)[:64]] = str(_("This question is not part of the survey."))
            continue
        if is_empty(raw):
            to_clear.append(question)
            continue
        try:
            to_save[question] = clean_answer(
                question, raw, other=other_by_question.get(question.pk, ""), settlement_slugs=structure.settlements
            )
        except DomainError as exc:
            errors[exc.field or question.variable] = exc.message
    if errors:
        raise AnswersInvalid(errors)
    with transaction.atomic():
        if to_clear:
            Answer.objects.filter(response=response, question__in=to_clear).delete()
        rows = []
        for question, clean in to_save.items():
            row = Answer(response=response, question=question, other_text=clean.other_text)
            setattr(row, question.storage, clean.value)
            rows.append(row)
        # One INSERT … ON CONFLICT for the whole page (SQLite and PostgreSQL), not a query pair
        # per answer; every typed column is rewritten so a changed answer leaves nothing behind.
        Answer.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["response", "question"],
            update_fields=["text", "number", "date", "codes", "other_text"],
        )
        _respondent_audit(
            response, actor, "surveys.response.answers_saved", {"answers": len(to_save), "cleared": len(to_clear)}
        )
    return response


def response_submit(*, actor: User | None, response: Response, token: str = "") -> Response:
    """Complete a response: answers to questions hidden by logic are discarded, required visible
    questions must be answered, a place is taken in each matching quota cell (exactly once,
    whatever the concurrency), and an invitation used in a confidential survey is marked
    completed (``token``: the invitation's token or code, not stored on the response).
    Submitting again changes nothing."""
    _check_can_write(actor, response)
    survey = response.survey
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.status == Response.Status.COMPLETE:
            response.status, response.submitted_at = locked.status, locked.submitted_at
            return response
        _check_open(Survey.objects.get(pk=survey.pk))
        structure = survey_structure(survey)
        values = response_values(response, structure)
        shown = visible_questions(structure, values)
        hidden = [question.pk for question in structure.questions if question.variable not in shown]
        discarded, _details = Answer.objects.filter(response=response, question_id__in=hidden).delete()
        values = {variable: value for variable, value in values.items() if variable in shown}
        missing = {
            question.variable: str(_("This question needs an answer."))
            for question in structure.questions
            if question.required and question.variable in shown and question.variable not in values
        }
        if missing:
            raise AnswersInvalid(missing)
        if response.channel == Response.Channel.INVITATION and response.invitation_id is None:
            invitation = _find_invitation(survey, token)
            completed_at = timezone.now()
            if survey.anonymity != Survey.Anonymity.IDENTIFIED:
                # The day only, so the time cannot be matched with the response's.
                completed_at = completed_at.replace(hour=0, minute=0, second=0, microsecond=0)
            if not Invitation.objects.filter(pk=invitation.pk, completed_at__isnull=True).update(
                completed_at=completed_at
            ):
                raise DomainError(_("This invitation has already been used to answer."), field="token", code="used")
        elif response.invitation_id is not None and not Invitation.objects.filter(
            pk=response.invitation_id, completed_at__isnull=True
        ).update(completed_at=timezone.now()):
            raise DomainError(_("This invitation has already been used to answer."), field="token", code="used")
        # A second keying of a paper questionnaire is a check on the first, not another
        # respondent: it takes no quota place and is not counted in results or exports.
        closed = _take_quota_places(response, values) if response.entry_round == 1 else False
        now = timezone.now()
        Response.objects.filter(pk=response.pk).update(status=Response.Status.COMPLETE, submitted_at=now)
        response.status, response.submitted_at = Response.Status.COMPLETE, now
        _respondent_audit(
            response, actor, "surveys.response.submitted", {"discarded_hidden": discarded, "closed_survey": closed}
        )
    return response


def _take_quota_places(response: Response, values: Mapping[str, Any]) -> bool:
    """Take one place in every quota cell the answers fall in; refuse politely if one is full.
    Returns whether the survey was closed because a closing quota became full."""
    cells = []
    quotas = list(Quota.objects.filter(survey_id=response.survey_id))
    for quota in quotas:
        if not all(variable in values for variable in quota.variables):
            continue
        cell = QuotaCell.objects.filter(quota=quota, key=cell_key(quota.variables, values)).first()
        if cell is not None:
            cells.append(cell)
    for cell in sorted(cells, key=lambda cell: cell.pk):
        # A conditional UPDATE: under concurrency the row lock makes the second request re-read
        # ``filled`` and find no free place, so the last place is given exactly once.
        if not QuotaCell.objects.filter(pk=cell.pk, filled__lt=F("target")).update(filled=F("filled") + 1):
            raise DomainError(
                _(
                    "Thank you for your time. We already have all the answers we need from people in your "
                    "group, so we cannot record this questionnaire."
                ),
                code="quota_full",
            )
    response.quota_cells.add(*cells)
    closing = [quota for quota in quotas if quota.closes_survey]
    if closing and any(not QuotaCell.objects.filter(quota=quota, filled__lt=F("target")).exists() for quota in closing):
        return bool(
            Survey.objects.filter(pk=response.survey_id, status=Survey.Status.FIELDWORK).update(
                status=Survey.Status.CLOSED, updated_at=timezone.now()
            )
        )
    return False


def response_withdraw(*, actor: User, response: Response) -> None:
    """In an identified survey, the respondent withdraws: the response and its answers are
    deleted and any quota places it took are given back."""
    if response.survey.anonymity != Survey.Anonymity.IDENTIFIED:
        raise DomainError(_("Only answers given in an identified survey can be withdrawn."), code="not_identified")
    require(actor, "surveys.withdraw_response", response)
    with transaction.atomic():
        locked = Response.objects.select_for_update().filter(pk=response.pk).first()
        if locked is None:
            return
        if locked.status == Response.Status.COMPLETE:
            QuotaCell.objects.filter(responses=locked, filled__gt=0).update(filled=F("filled") - 1)
        audit_log(
            actor=actor,
            action="surveys.response.withdrawn",
            obj=response.survey,
            data={"response": str(response.public_id)},
        )
        locked.delete()
