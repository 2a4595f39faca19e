"""Writes for coding open answers: code frames and their codes, coding answers (one at a time
or in bulk), taking codes back, and adjudicating where coders disagree.

Every coder codes on their own (their rows carry their user as ``coder``); the frame's primary
coder — whoever codes first, unless a researcher names another — gives the final codes that
the exports and the analysis read. Audit entries name the frame, the code and how many answers;
never the text of an answer, which may hold personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from glas.core.audit import audit_log
from glas.core.exceptions import DomainError
from glas.surveys.coding import codable_answers, frame_source
from glas.surveys.models import Code, CodedAnswer, CodeFrame, Question
from glas.surveys.services.common import clean_field_text, require

if TYPE_CHECKING:
    from glas.accounts.models import User

PERM = "surveys.code_answers"
BULK_LIMIT = 5000  # answers coded in one request
CODE_MAX = 999999
FRAME_FIELDS = ("name", "description", "multiple", "primary_coder")
CODE_FIELDS = ("value", "label", "description", "position")


def _clean_value(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(_("The code must be a whole number."), field="value") from None
    if not 1 <= number <= CODE_MAX:
        raise DomainError(_("The code must be a number from 1 to 999999."), field="value")
    return number


def _clean_flag(value: Any) -> bool:
    return value in (True, "1", "on", "true", "yes")


def code_frame_create(
    *, actor: User, question: Question, name: str, description: str = "", multiple: bool = False
) -> CodeFrame:
    """A code frame for the open text of ``question`` (its answer, or its "other" text)."""
    require(actor, PERM, question.survey)
    if question.type not in Question.TEXT_TYPES and not question.allow_other:
        raise DomainError(_("This question has no open text to code."), code="not_open")
    frame = CodeFrame(
        question=question,
        source=frame_source(question),
        name=clean_field_text(name, field="name", cap=200, required=True),
        description=clean_field_text(description, field="description", cap=5000),
        multiple=_clean_flag(multiple),
    )
    try:
        with transaction.atomic():
            frame.save()
            audit_log(actor=actor, action="surveys.code_frame.created", obj=frame, data={"question": question.pk})
    except IntegrityError:
        raise DomainError(_("This question has a code frame already."), code="exists") from None
    return frame


def code_frame_update(*, actor: User, frame: CodeFrame, data: Mapping[str, Any]) -> CodeFrame:
    """Change the name, description, primary coder, or whether an answer may get several codes
    (only while no answer is coded: the codes given would no longer fit)."""
    require(actor, PERM, frame.question.survey)
    changed: list[str] = []
    if "name" in data:
        frame.name = clean_field_text(data["name"], field="name", cap=200, required=True)
        changed.append("name")
    if "description" in data:
        frame.description = clean_field_text(data["description"], field="description", cap=5000)
        changed.append("description")
    if "primary_coder" in data:
        frame.primary_coder = _primary_coder(data["primary_coder"], frame)
        changed.append("primary_coder")
    with transaction.atomic():
        if "multiple" in data and _clean_flag(data["multiple"]) != frame.multiple:
            if CodedAnswer.objects.filter(frame=frame).exists():
                raise DomainError(
                    _("Answers are coded already: whether an answer may get several codes can no longer change."),
                    field="multiple",
                )
            frame.multiple = _clean_flag(data["multiple"])
            changed.append("multiple")
        frame.save(update_fields=changed or None)
        audit_log(actor=actor, action="surveys.code_frame.updated", obj=frame, data={"fields": changed})
    return frame


def _primary_coder(value: Any, frame: CodeFrame) -> Any:
    if value in (None, ""):
        return None
    if hasattr(value, "pk"):
        return value
    coder = get_user_model().objects.filter(pk=int(value) if str(value).isdigit() else 0).first()
    if coder is None or not coder.has_perm(PERM, frame.question.survey):
        raise DomainError(_("Choose a researcher or administrator as the primary coder."), field="primary_coder")
    return coder


def code_create(*, actor: User, frame: CodeFrame, value: Any, label: str, description: str = "") -> Code:
    """A new code at the end of the frame's list."""
    require(actor, PERM, frame.question.survey)
    code = Code(
        frame=frame,
        value=_clean_value(value),
        label=clean_field_text(label, field="label", cap=200, required=True),
        description=clean_field_text(description, field="description", cap=2000),
    )
    try:
        with transaction.atomic():
            last = Code.objects.filter(frame=frame).aggregate(last=Max("position"))["last"]
            code.position = (last or 0) + 1
            code.save()
            audit_log(
                actor=actor, action="surveys.code.created", obj=code, data={"frame": frame.pk, "value": code.value}
            )
    except IntegrityError:
        raise DomainError(_("This frame has a code with this number already."), field="value") from None
    return code


def code_update(*, actor: User, code: Code, data: Mapping[str, Any]) -> Code:
    """Change a code's number, label, description or place in the list."""
    require(actor, PERM, code.frame.question.survey)
    changed: list[str] = []
    if "value" in data:
        code.value = _clean_value(data["value"])
        changed.append("value")
    if "label" in data:
        code.label = clean_field_text(data["label"], field="label", cap=200, required=True)
        changed.append("label")
    if "description" in data:
        code.description = clean_field_text(data["description"], field="description", cap=2000)
        changed.append("description")
    if "position" in data:
        try:
            code.position = max(0, int(data["position"]))
        except (TypeError, ValueError):
            raise DomainError(_("The position must be a whole number."), field="position") from None
        changed.append("position")
    try:
        with transaction.atomic():
            code.save(update_fields=changed or None)
            audit_log(actor=actor, action="surveys.code.updated", obj=code, data={"fields": changed})
    except IntegrityError:
        raise DomainError(_("This frame has a code with this number already."), field="value") from None
    return code


def code_delete(*, actor: User, code: Code, reassign_to: Code | None = None) -> int:
    """Delete a code. A code given to answers is deleted only when they move to ``reassign_to``
    (a code of the same frame); an answer that has that code already keeps it once. Returns
    the number of codings moved."""
    require(actor, PERM, code.frame.question.survey)
    if reassign_to is not None and (reassign_to.frame_id != code.frame_id or reassign_to.pk == code.pk):
        raise DomainError(_("Choose another code of the same frame."), field="reassign_to")
    with transaction.atomic():
        used = CodedAnswer.objects.select_for_update().filter(code=code)
        moved = 0
        if used.exists():
            if reassign_to is None:
                raise DomainError(
                    _("Answers have this code: choose a code to give them instead, then delete it."),
                    field="reassign_to",
                    code="used",
                )
            # Where the same coder (or the adjudication) gave both codes already, keep one.
            target = CodedAnswer.objects.filter(code=reassign_to)
            pairs = set(target.filter(adjudicated=False).values_list("answer_id", "coder_id"))
            settled = set(target.filter(adjudicated=True).values_list("answer_id", flat=True))
            duplicates = [
                pk
                for pk, answer_id, coder_id, adjudicated in used.values_list(
                    "pk", "answer_id", "coder_id", "adjudicated"
                )
                if (answer_id in settled if adjudicated else (answer_id, coder_id) in pairs)
            ]
            CodedAnswer.objects.filter(pk__in=duplicates).delete()
            moved = CodedAnswer.objects.filter(code=code).update(code=reassign_to)
        audit_log(
            actor=actor,
            action="surveys.code.deleted",
            obj=code,
            data={"frame": code.frame_id, "value": code.value, "moved": moved},
        )
        code.delete()
    return moved


def _answer_ids(frame: CodeFrame, answer_ids: Iterable[Any]) -> list[int]:
    """The ids as integers, each an answer with text to code of the frame's question; refused
    whole (nothing changes) if any is not."""
    try:
        ids = sorted({int(str(pk)) for pk in answer_ids})
    except (TypeError, ValueError):
        raise DomainError(_("Some of the chosen answers do not exist."), field="answers", code="foreign") from None
    if not ids:
        raise DomainError(_("Choose at least one answer."), field="answers")
    if len(ids) > BULK_LIMIT:
        raise DomainError(_("At most %(limit)s answers can be coded at once.") % {"limit": BULK_LIMIT}, field="answers")
    found = set(codable_answers(frame.question).filter(pk__in=ids).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise DomainError(
            _("Some of the chosen answers are not open answers to this question: nothing was coded."),
            field="answers",
            code="foreign",
        )
    return ids


def answers_code_bulk(*, actor: User, frame: CodeFrame, answer_ids: Iterable[Any], code: Code) -> int:
    """Give ``code`` to the answers, as ``actor``'s coding. On a single-code frame it replaces
    the actor's earlier code of those answers; on a multi-code frame it is added. In a fixed
    number of queries, whatever the number of answers. Returns how many answers got the code."""
    require(actor, PERM, frame.question.survey)
    if code.frame_id != frame.pk:
        raise DomainError(_("Choose a code of this frame."), field="code")
    ids = _answer_ids(frame, answer_ids)
    with transaction.atomic():
        if frame.primary_coder_id is None:
            # Whoever codes first is the primary coder, unless a researcher named someone.
            if CodeFrame.objects.filter(pk=frame.pk, primary_coder__isnull=True).update(primary_coder=actor):
                frame.primary_coder = actor
            else:
                frame.refresh_from_db(fields=["primary_coder"])
        mine = CodedAnswer.objects.filter(frame=frame, coder=actor, adjudicated=False, answer_id__in=ids)
        if not frame.multiple:
            mine.exclude(code=code).delete()
        has = set(mine.filter(code=code).values_list("answer_id", flat=True))
        new = [
            CodedAnswer(frame=frame, answer_id=pk, code=code, coder=actor, single=not frame.multiple)
            for pk in ids
            if pk not in has
        ]
        CodedAnswer.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        audit_log(
            actor=actor,
            action="surveys.answers.coded",
            obj=frame,
            data={"code": code.value, "answers": len(ids), "new": len(new)},
        )
    return len(new)


def answer_uncode(*, actor: User, frame: CodeFrame, answer_id: Any, code: Code | None = None) -> int:
    """Take back ``actor``'s code ``code`` (or all their codes) of one answer."""
    require(actor, PERM, frame.question.survey)
    (pk,) = _answer_ids(frame, [answer_id])
    with transaction.atomic():
        rows = CodedAnswer.objects.filter(frame=frame, coder=actor, adjudicated=False, answer_id=pk)
        if code is not None:
            rows = rows.filter(code=code)
        removed, _by_model = rows.delete()
        audit_log(
            actor=actor,
            action="surveys.answers.uncoded",
            obj=frame,
            data={"answer": pk, "code": code.value if code else None, "removed": removed},
        )
    return removed


def coding_adjudicate(*, actor: User, frame: CodeFrame, answer_id: Any, codes: list[Code]) -> None:
    """Settle the final codes of one answer where coders disagree (replacing an earlier
    adjudication); with no codes, the primary coder's codes are final again."""
    require(actor, PERM, frame.question.survey)
    (pk,) = _answer_ids(frame, [answer_id])
    if any(code.frame_id != frame.pk for code in codes):
        raise DomainError(_("Choose a code of this frame."), field="codes")
    unique = {code.pk: code for code in codes}
    if not frame.multiple and len(unique) > 1:
        raise DomainError(_("This frame gives one code per answer: choose one."), field="codes")
    with transaction.atomic():
        CodedAnswer.objects.filter(frame=frame, answer_id=pk, adjudicated=True).delete()
        CodedAnswer.objects.bulk_create(
            [
                CodedAnswer(
                    frame=frame, answer_id=pk, code=code, coder=actor, adjudicated=True, single=not frame.multiple
                )
                for code in unique.values()
            ]
        )
        audit_log(
            actor=actor,
            action="surveys.answers.adjudicated",
            obj=frame,
            data={"answer": pk, "codes": sorted(code.value for code in unique.values())},
        )
