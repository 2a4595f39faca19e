"""Writes for surveys: designing questionnaires, quotas, invitations, and taking responses.

Every function is keyword-only, runs in one transaction and writes one audit entry. Once
fieldwork has started the questionnaire's structure is frozen; only wording may be fixed.
In anonymous and confidential surveys the audit entries of respondents' actions name neither
the person nor the response.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.core.audit import audit_log
from glas.core.exceptions import DomainError
from glas.surveys import logic
from glas.surveys.answers import clean_answer, clean_text, is_empty
from glas.surveys.models import (
    CODE_PATTERN,
    OTHER_CODE,
    TEXT_CAP,
    VARIABLE_PATTERN,
    Answer,
    Choice,
    Invitation,
    MatrixRow,
    Question,
    Quota,
    QuotaCell,
    Response,
    Section,
    Survey,
)
from glas.surveys.selectors import Structure, response_values, survey_structure, visible_questions

if TYPE_CHECKING:
    from glas.accounts.models import User
    from glas.core.models import Settlement


class AnswersInvalid(DomainError):
    """Several answers were refused at once: ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), field=next(iter(errors)), code="answers")
        self.errors = errors


TRANSITIONS: dict[str, tuple[str, ...]] = {
    Survey.Status.DRAFT: (Survey.Status.FIELDWORK,),
    Survey.Status.FIELDWORK: (Survey.Status.CLOSED,),
    Survey.Status.CLOSED: (Survey.Status.FIELDWORK, Survey.Status.ARCHIVED),
    Survey.Status.ARCHIVED: (),
}
SURVEY_FIELDS = (
    "title",
    "purpose",
    "fieldwork_start",
    "fieldwork_end",
    "intro",
    "consent_text",
    "anonymity",
    "is_demo",
)
SURVEY_DRAFT_ONLY = frozenset({"anonymity", "is_demo"})
SECTION_FIELDS = ("title", "logic")
QUESTION_FIELDS = (
    "variable",
    "text",
    "help_text",
    "type",
    "required",
    "allow_other",
    "randomise",
    "min_choices",
    "max_choices",
    "min_value",
    "max_value",
    "decimal_places",
    "max_length",
    "scale_points",
    "low_label",
    "high_label",
    "logic",
)
QUESTION_WORDING = frozenset({"text", "help_text", "low_label", "high_label"})
YES_NO_CHOICES = (("yes", "Да"), ("no", "Не"))
LIKERT_LABELS = {
    5: (
        "Напълно несъгласен",
        "По-скоро несъгласен",
        "Нито съгласен, нито несъгласен",
        "По-скоро съгласен",
        "Напълно съгласен",
    ),
    7: (
        "Напълно несъгласен",
        "Несъгласен",
        "По-скоро несъгласен",
        "Нито съгласен, нито несъгласен",
        "По-скоро съгласен",
        "Съгласен",
        "Напълно съгласен",
    ),
}
TITLE_CAP = 300
LABEL_CAP = 500


def _require(actor: User | None, perm: str, obj: Any = None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise DomainError(_("You may not do this."), code="forbidden")


def _require_draft(survey: Survey) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise DomainError(
            _("Fieldwork has started: the questionnaire can no longer be changed, only its wording fixed."),
            code="frozen",
        )


def _touch(survey: Survey) -> None:
    Survey.objects.filter(pk=survey.pk).update(updated_at=timezone.now())


def _check_survey_logic(survey: Survey) -> None:
    """Validate every display condition of the survey against its current structure."""
    structure = survey_structure(survey)
    infos = structure.infos()
    for section in structure.sections:
        try:
            logic.validate(section.logic, questions=infos, before=(section.position, 0))
        except DomainError as exc:
            raise DomainError(
                _("Section “%(section)s”: %(error)s") % {"section": section, "error": exc.message}, field="logic"
            ) from None
    for question in structure.questions:
        try:
            logic.validate(question.logic, questions=infos, before=structure.order_of(question))
        except DomainError as exc:
            raise DomainError(
                _("Question %(var)s: %(error)s") % {"var": question.variable, "error": exc.message}, field="logic"
            ) from None


def _renumber(items: list[Any]) -> None:
    for index, item in enumerate(items, start=1):
        if item.position != index:
            item.position = index
            item.save(update_fields=["position"])


def _moved(items: list[Any], item: Any, position: int) -> list[Any]:
    rest = [other for other in items if other.pk != item.pk]
    index = max(0, min(position - 1, len(rest)))
    return [*rest[:index], item, *rest[index:]]


def _text(value: Any, *, field: str, cap: int, required: bool = False) -> str:
    text = clean_text(value if value is not None else "", cap=cap, field=field)
    if required and not text:
        raise DomainError(_("This field is required."), field=field)
    return text


# --- Surveys --------------------------------------------------------------------------------


def _apply_survey_fields(survey: Survey, data: Mapping[str, Any]) -> list[str]:
    unknown = set(data) - set(SURVEY_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    changed = []
    for name, value in data.items():
        if name == "title":
            value = _text(value, field=name, cap=TITLE_CAP, required=True)
        elif name in ("purpose", "intro", "consent_text"):
            value = _text(value, field=name, cap=20000)
        elif name == "anonymity" and value not in Survey.Anonymity.values:
            raise DomainError(_("Choose how respondents are identified."), field=name)
        elif name in ("fieldwork_start", "fieldwork_end") and value is not None and not isinstance(value, dt.date):
            raise DomainError(_("Enter a date."), field=name)
        elif name == "is_demo":
            value = bool(value)
        if getattr(survey, name) != value:
            setattr(survey, name, value)
            changed.append(name)
    if survey.fieldwork_start and survey.fieldwork_end and survey.fieldwork_end < survey.fieldwork_start:
        raise DomainError(_("Fieldwork cannot end before it starts."), field="fieldwork_end")
    return changed


def survey_create(*, actor: User, title: str, **data: Any) -> Survey:
    """A new draft survey owned by ``actor``, with one empty section to put questions in."""
    _require(actor, "surveys.design_survey")
    survey = Survey(owner=actor)
    _apply_survey_fields(survey, {"title": title, **data})
    with transaction.atomic():
        survey.save()
        Section.objects.create(survey=survey, position=1)
        audit_log(actor=actor, action="surveys.survey.created", obj=survey, data={"anonymity": survey.anonymity})
    return survey


def survey_update(*, actor: User, survey: Survey, data: Mapping[str, Any]) -> Survey:
    _require(actor, "surveys.design_survey", survey)
    if survey.status == Survey.Status.ARCHIVED:
        raise DomainError(_("An archived survey cannot be changed."), code="archived")
    if survey.status != Survey.Status.DRAFT and SURVEY_DRAFT_ONLY & {
        name for name, value in data.items() if getattr(survey, name, value) != value
    }:
        raise DomainError(_("Anonymity cannot change once fieldwork has started."), field="anonymity", code="frozen")
    with transaction.atomic():
        changed = _apply_survey_fields(survey, data)
        if changed:
            survey.updated_at = timezone.now()
            survey.save(update_fields=[*changed, "updated_at"])
            audit_log(actor=actor, action="surveys.survey.updated", obj=survey, data={"fields": changed})
    return survey


def survey_transition(*, actor: User, survey: Survey, to: str) -> Survey:
    """Move a survey along draft → fieldwork → closed → archived (closed may reopen)."""
    _require(actor, "surveys.run_fieldwork", survey)
    if to not in TRANSITIONS.get(survey.status, ()):
        raise DomainError(
            _("A survey that is %(from)s cannot become %(to)s.")
            % {
                "from": survey.get_status_display(),
                "to": Survey.Status(to).label if to in Survey.Status.values else to,
            },
            field="status",
        )
    with transaction.atomic():
        if to == Survey.Status.FIELDWORK and survey.status == Survey.Status.DRAFT:
            _check_ready_for_fieldwork(survey)
        updated = Survey.objects.filter(pk=survey.pk, status=survey.status).update(status=to, updated_at=timezone.now())
        if not updated:
            raise DomainError(_("The survey was changed meanwhile; reload the page."), code="conflict")
        previous, survey.status = survey.status, to
        audit_log(actor=actor, action="surveys.survey.transitioned", obj=survey, data={"from": previous, "to": to})
    return survey


def _check_ready_for_fieldwork(survey: Survey) -> None:
    structure = survey_structure(survey)
    if not any(question.type != Question.Type.NOTE for question in structure.questions):
        raise DomainError(_("Add at least one question before fieldwork starts."), code="empty")
    for question in structure.questions:
        if question.type in Question.CHOICE_TYPES and len(question.choices.all()) < 2:
            raise DomainError(
                _("Question %(var)s needs at least two answers to choose from.") % {"var": question.variable},
                code="choices",
            )
        if question.type == Question.Type.MATRIX and not question.rows.all():
            raise DomainError(_("Matrix %(var)s needs at least one row.") % {"var": question.variable}, code="rows")
    _check_survey_logic(survey)


def survey_copy_as_wave(*, actor: User, survey: Survey, title: str = "") -> Survey:
    """A new draft survey with the same questionnaire and quotas (targets, not counts) as the
    next wave of ``survey``'s series; variable names stay the same so waves can be compared."""
    _require(actor, "surveys.design_survey", survey)
    with transaction.atomic():
        first = survey.wave_of or survey
        last_wave = Survey.objects.filter(wave_of=first).aggregate(last=Max("wave"))["last"] or first.wave
        copy = Survey.objects.create(
            title=_text(title or survey.title, field="title", cap=TITLE_CAP, required=True),
            purpose=survey.purpose,
            owner=actor,
            intro=survey.intro,
            consent_text=survey.consent_text,
            anonymity=survey.anonymity,
            wave_of=first,
            wave=last_wave + 1,
            is_demo=survey.is_demo,
        )
        _copy_questionnaire(survey, copy)
        audit_log(
            actor=actor,
            action="surveys.survey.copied_as_wave",
            obj=copy,
            data={"from": str(survey.public_id), "wave": copy.wave},
        )
    return copy


def _copy_questionnaire(source: Survey, target: Survey) -> None:
    structure = survey_structure(source)
    sections = {}
    for section in structure.sections:
        sections[section.pk] = Section.objects.create(
            survey=target, position=section.position, title=section.title, logic=section.logic
        )
    for question in structure.questions:
        copy = Question.objects.create(
            survey=target,
            section=sections[question.section_id],
            position=question.position,
            **{name: getattr(question, name) for name in QUESTION_FIELDS},
        )
        Choice.objects.bulk_create(
            Choice(question=copy, position=choice.position, code=choice.code, label=choice.label)
            for choice in question.choices.all()
        )
        MatrixRow.objects.bulk_create(
            MatrixRow(question=copy, position=row.position, code=row.code, label=row.label)
            for row in question.rows.all()
        )
    for quota in Quota.objects.filter(survey=source).prefetch_related("cells"):
        new_quota = Quota.objects.create(
            survey=target, name=quota.name, variables=quota.variables, closes_survey=quota.closes_survey
        )
        QuotaCell.objects.bulk_create(
            QuotaCell(quota=new_quota, key=cell.key, values=cell.values, target=cell.target)
            for cell in quota.cells.all()
        )


# --- Sections -------------------------------------------------------------------------------


def section_add(*, actor: User, survey: Survey, title: str = "", logic_json: Any = None) -> Section:
    _require(actor, "surveys.design_survey", survey)
    _require_draft(survey)
    with transaction.atomic():
        last = Section.objects.filter(survey=survey).aggregate(last=Max("position"))["last"] or 0
        section = Section.objects.create(
            survey=survey, position=last + 1, title=_text(title, field="title", cap=TITLE_CAP), logic=logic_json
        )
        _check_survey_logic(survey)
        _touch(survey)
        audit_log(actor=actor, action="surveys.section.added", obj=survey, data={"section": section.pk})
    return section


def section_update(*, actor: User, section: Section, data: Mapping[str, Any]) -> Section:
    survey = section.survey
    _require(actor, "surveys.design_survey", survey)
    unknown = set(data) - set(SECTION_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    changed = [name for name, value in data.items() if getattr(section, name) != value]
    if set(changed) - {"title"}:
        _require_draft(survey)
    with transaction.atomic():
        if "title" in data:
            section.title = _text(data["title"], field="title", cap=TITLE_CAP)
        if "logic" in data:
            section.logic = data["logic"]
        if changed:
            section.save(update_fields=changed)
            _check_survey_logic(survey)
            _touch(survey)
            audit_log(
                actor=actor,
                action="surveys.section.updated",
                obj=survey,
                data={"section": section.pk, "fields": changed},
            )
    return section


def section_move(*, actor: User, section: Section, position: int) -> Section:
    survey = section.survey
    _require(actor, "surveys.design_survey", survey)
    _require_draft(survey)
    with transaction.atomic():
        sections = list(Section.objects.select_for_update().filter(survey=survey).order_by("position", "id"))
        _renumber(_moved(sections, section, position))
        _check_survey_logic(survey)
        section.refresh_from_db(fields=["position"])
        audit_log(
            actor=actor,
            action="surveys.section.moved",
            obj=survey,
            data={"section": section.pk, "to": section.position},
        )
    return section


def section_delete(*, actor: User, section: Section) -> None:
    """Delete a section and its questions (refused if later logic refers to them)."""
    survey = section.survey
    _require(actor, "surveys.design_survey", survey)
    _require_draft(survey)
    with transaction.atomic():
        if Section.objects.filter(survey=survey).count() == 1:
            raise DomainError(_("A survey keeps at least one section."), code="last_section")
        audit_log(actor=actor, action="surveys.section.deleted", obj=survey, data={"section": section.pk})
        section.delete()
        _renumber(list(Section.objects.filter(survey=survey).order_by("position", "id")))
        _check_survey_logic(survey)


# --- Questions ------------------------------------------------------------------------------


def _apply_question_fields(question: Question, data: Mapping[str, Any]) -> list[str]:
    unknown = set(data) - set(QUESTION_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    changed = []
    for name, value in data.items():
        if name == "variable":
            value = str(value or "").strip()
        elif name == "text":
            value = _text(value, field=name, cap=TEXT_CAP, required=True)
        elif name == "help_text":
            value = _text(value, field=name, cap=TEXT_CAP)
        elif name in ("low_label", "high_label"):
            value = _text(value, field=name, cap=100)
        elif name in ("required", "allow_other", "randomise"):
            value = bool(value)
        elif name in ("min_value", "max_value"):
            value = _decimal_or_none(value, field=name)
        elif name in ("min_choices", "max_choices", "max_length", "scale_points"):
            value = _int_or_none(value, field=name)
        elif name == "decimal_places":
            value = _int_or_none(value, field=name) or 0
        if getattr(question, name) != value:
            setattr(question, name, value)
            changed.append(name)
    _check_question(question)
    return changed


def _decimal_or_none(value: Any, *, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(_("Enter a number."), field=field) from None
    if not number.is_finite() or abs(number) >= Decimal("1e11"):
        raise DomainError(_("Enter a number."), field=field)
    return number


def _int_or_none(value: Any, *, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a whole number."), field=field) from None
    if number < 0 or number > 100000:
        raise DomainError(_("Enter a whole number between 0 and 100000."), field=field)
    return number


def _check_question(question: Question) -> None:
    if not re.fullmatch(VARIABLE_PATTERN, question.variable or ""):
        raise DomainError(
            _("A variable name starts with a Latin letter and has only Latin letters, digits and “_” (at most 64)."),
            field="variable",
        )
    if question.type not in Question.Type.values:
        raise DomainError(_("Choose the type of the question."), field="type")
    if question.type == Question.Type.LIKERT and question.scale_points not in (5, 7):
        raise DomainError(_("A Likert scale has 5 or 7 points."), field="scale_points")
    if question.allow_other and question.type not in Question.OTHER_TYPES:
        raise DomainError(_("“Other, please specify” is offered only on choice questions."), field="allow_other")
    if question.min_value is not None and question.max_value is not None and question.min_value > question.max_value:
        raise DomainError(_("The minimum is larger than the maximum."), field="min_value")
    if question.min_choices and question.max_choices and question.min_choices > question.max_choices:
        raise DomainError(_("The least number of choices is larger than the most."), field="min_choices")
    if question.max_length is not None and not 1 <= question.max_length <= TEXT_CAP:
        raise DomainError(
            _("The longest answer is between 1 and %(cap)d characters.") % {"cap": TEXT_CAP}, field="max_length"
        )
    if question.decimal_places > 4:
        raise DomainError(_("At most 4 decimal places."), field="decimal_places")
    if question.type == Question.Type.NOTE:
        question.required = False


def _clean_pairs(pairs: Iterable[Any], *, field: str) -> list[tuple[str, str]]:
    cleaned: list[tuple[str, str]] = []
    for pair in pairs:
        try:
            code, label = pair
        except (TypeError, ValueError):
            raise DomainError(_("Each answer needs a code and a label."), field=field) from None
        code = str(code).strip()
        if not re.fullmatch(CODE_PATTERN, code):
            raise DomainError(
                _("The code “%(code)s” is not valid: use Latin letters, digits, “_”, “.” or “-” (at most 32).")
                % {"code": code[:40]},
                field=field,
            )
        cleaned.append((code, _text(label, field=field, cap=LABEL_CAP, required=True)))
    codes = [code for code, _label in cleaned]
    if len(set(codes)) != len(codes):
        raise DomainError(_("Each answer needs its own code."), field=field)
    return cleaned


def check_question_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """Check question fields without saving (used by the XLSForm import); returns them cleaned."""
    question = Question(position=0)
    _apply_question_fields(question, data)
    return {name: getattr(question, name) for name in data}


def check_choice_pairs(pairs: Iterable[Any], *, field: str) -> list[tuple[str, str]]:
    return _clean_pairs(pairs, field=field)


def question_add(
    *,
    actor: User,
    section: Section,
    variable: str,
    text: str,
    type: str,
    choices: Iterable[Any] | None = None,
    rows: Iterable[Any] | None = None,
    position: int | None = None,
    **data: Any,
) -> Question:
    """Add a question to ``section``. ``choices`` and ``rows`` are (code, label) pairs; yes/no
    questions get "yes"/"no", Likert scales without labels get the standard Bulgarian ones."""
    survey = section.survey
    _require(actor, "surveys.design_survey", survey)
    _require_draft(survey)
    question = Question(survey=survey, section=section, position=0)
    _apply_question_fields(question, {"variable": variable, "text": text, "type": type, **data})
    pairs = _clean_pairs(choices or [], field="choices")
    if question.type == Question.Type.YES_NO and not pairs:
        pairs = list(YES_NO_CHOICES)
    if question.type == Question.Type.LIKERT and not pairs and question.scale_points:
        pairs = [(str(index), label) for index, label in enumerate(LIKERT_LABELS[question.scale_points], start=1)]
    if question.type == Question.Type.LIKERT and len(pairs) != question.scale_points:
        raise DomainError(_("Give one label for each point of the scale."), field="choices")
    if pairs and question.type not in Question.CHOICE_TYPES:
        raise DomainError(_("Only choice questions have answers to choose from."), field="choices")
    if question.allow_other and OTHER_CODE in {code for code, _label in pairs}:
        raise DomainError(_("The code “other” is kept for “other, please specify”."), field="choices")
    row_pairs = _clean_pairs(rows or [], field="rows")
    if row_pairs and question.type != Question.Type.MATRIX:
        raise DomainError(_("Only matrix questions have rows."), field="rows")
    try:
        with transaction.atomic():
            siblings = list(Question.objects.select_for_update().filter(section=section).order_by("position", "id"))
            question.position = len(siblings) + 1
            question.save()
            Choice.objects.bulk_create(
                Choice(question=question, position=index, code=code, label=label)
                for index, (code, label) in enumerate(pairs, start=1)
            )
            MatrixRow.objects.bulk_create(
                MatrixRow(question=question, position=index, code=code, label=label)
                for index, (code, label) in enumerate(row_pairs, start=1)
            )
            if position is not None:
                _renumber(_moved([*siblings, question], question, position))
            _check_survey_logic(survey)
            _touch(survey)
            audit_log(actor=actor, action="surveys.question.added", obj=survey, data={"variable": question.variable})
    except IntegrityError:
        raise DomainError(
            _("The variable name %(var)s is already used in this survey.") % {"var": question.variable},
            field="variable",
        ) from None
    return question


def question_update(*, actor: User, question: Question, data: Mapping[str, Any]) -> Question:
    """Change a question. In fieldwork only its wording (text, help, scale end labels)."""
    survey = question.survey
    _require(actor, "surveys.design_survey", survey)
    if survey.status == Survey.Status.ARCHIVED:
        raise DomainError(_("An archived survey cannot be changed."), code="archived")
    before = {name: getattr(question, name) for name in QUESTION_FIELDS}
    changed = _apply_question_fields(question, data)
    if set(changed) - QUESTION_WORDING and survey.status != Survey.Status.DRAFT:
        for name, value in before.items():
            setattr(question, name, value)
        _require_draft(survey)
    try:
        with transaction.atomic():
            if changed:
                question.save(update_fields=changed)
                _check_survey_logic(survey)
                _touch(survey)
                audit_log(
                    actor=actor,
                    action="surveys.question.updated",
                    obj=survey,
                    data={"variable": question.variable, "fields": changed},
                )
    except IntegrityError:
        raise DomainError(
            _("The variable name %(var)s is already used in this survey.") % {"var": question.variable},
            field="variable",
        ) from None
    return question


def question_move(*, actor: User, question: Question, position: int, section: Section | None = None) -> Question:
    """Move a question within its section or to ``section``; refused if logic would then refer
    forward."""
    survey = question.survey
    _require(actor, "surveys.design_survey", survey)
    _require_draft(survey)
    target = section or question.section
    if target.survey_id != survey.pk:
        raise DomainError(_("The section is not part of this survey."), field="section")
    with transaction.atomic():
        old_section_id = question.section_id
        question.section = target
        question.save(update_fields=["section"])
        siblings = list(Question.objects.select_for_update().filter(section=target).order_by("position", "id"))
        _renumber(_moved(siblings, question, position))
        if old_section_id != target.pk:
            _renumber(list(Question.objects.filter(section_id=old_section_id).order_by("position", "id")))
        _check_survey_logic(survey)
        question.refresh_from_db(fields=["position", "section"])
        audit_log(actor=actor, action="surveys.question.moved", obj=survey, data={"variable": question.variable})
    return question


def question_delete(*, actor: User, question: Question) -> None:
    survey = question.survey
    _require(actor, "surveys.design_survey", survey)
    _require_draft(survey)
    with transaction.atomic():
        section_id = question.section_id
        audit_log(actor=actor, action="surveys.question.deleted", obj=survey, data={"variable": question.variable})
        question.delete()
        _renumber(list(Question.objects.filter(section_id=section_id).order_by("position", "id")))
        _check_survey_logic(survey)
        if any(question.variable in quota.variables for quota in Quota.objects.filter(survey=survey)):
            raise DomainError(_("A quota is defined on this question; remove the quota first."), code="quota")


# --- Choices and matrix rows ----------------------------------------------------------------


def _option_model(kind: str) -> type[Choice] | type[MatrixRow]:
    return MatrixRow if kind == "row" else Choice


def choice_add(*, actor: User, question: Question, code: str, label: str, kind: str = "choice") -> Choice | MatrixRow:
    """Add an answer option (``kind="row"``: a row of a matrix question)."""
    survey = question.survey
    _require(actor, "surveys.design_survey", survey)
    _require_draft(survey)
    [(code, label)] = _clean_pairs([(code, label)], field="code")
    if kind == "row" and question.type != Question.Type.MATRIX:
        raise DomainError(_("Only matrix questions have rows."), field="code")
    if kind != "row" and question.type not in Question.CHOICE_TYPES:
        raise DomainError(_("Only choice questions have answers to choose from."), field="code")
    if kind != "row" and question.allow_other and code == OTHER_CODE:
        raise DomainError(_("The code “other” is kept for “other, please specify”."), field="code")
    model = _option_model(kind)
    try:
        with transaction.atomic():
            last = model.objects.filter(question=question).aggregate(last=Max("position"))["last"] or 0
            option = model.objects.create(question=question, position=last + 1, code=code, label=label)
            audit_log(
                actor=actor,
                action=f"surveys.{kind}.added",
                obj=survey,
                data={"variable": question.variable, "code": code},
            )
    except IntegrityError:
        raise DomainError(
            _("The code %(code)s is already used in this question.") % {"code": code}, field="code"
        ) from None
    return option


def choice_update(
    *, actor: User, choice: Choice | MatrixRow, label: str | None = None, code: str | None = None
) -> Choice | MatrixRow:
    """Relabel an option (allowed in fieldwork: a wording fix) or change its code (draft only;
    refused if logic refers to the old code)."""
    question = choice.question
    survey = question.survey
    _require(actor, "surveys.design_survey", survey)
    changed: list[str] = []
    if label is not None:
        [(_code, new_label)] = _clean_pairs([(choice.code, label)], field="label")
        if new_label != choice.label:
            choice.label, changed = new_label, [*changed, "label"]
    if code is not None and code != choice.code:
        _require_draft(survey)
        [(new_code, _label)] = _clean_pairs([(code, choice.label)], field="code")
        choice.code, changed = new_code, [*changed, "code"]
    kind = "row" if isinstance(choice, MatrixRow) else "choice"
    try:
        with transaction.atomic():
            if changed:
                choice.save(update_fields=changed)
                _check_survey_logic(survey)
                audit_log(
                    actor=actor,
                    action=f"surveys.{kind}.updated",
                    obj=survey,
                    data={"variable": question.variable, "fields": changed},
                )
    except IntegrityError:
        raise DomainError(
            _("The code %(code)s is already used in this question.") % {"code": code}, field="code"
        ) from None
    return choice


def choice_move(*, actor: User, choice: Choice | MatrixRow, position: int) -> Choice | MatrixRow:
    question = choice.question
    _require(actor, "surveys.design_survey", question.survey)
    _require_draft(question.survey)
    model = type(choice)
    with transaction.atomic():
        options = list(model.objects.select_for_update().filter(question=question).order_by("position", "id"))
        _renumber(_moved(options, choice, position))
        choice.refresh_from_db(fields=["position"])
        audit_log(actor=actor, action="surveys.choice.moved", obj=question.survey, data={"variable": question.variable})
    return choice


def choice_delete(*, actor: User, choice: Choice | MatrixRow) -> None:
    question = choice.question
    survey = question.survey
    _require(actor, "surveys.design_survey", survey)
    _require_draft(survey)
    model = type(choice)
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="surveys.choice.deleted",
            obj=survey,
            data={"variable": question.variable, "code": choice.code},
        )
        choice.delete()
        _renumber(list(model.objects.filter(question=question).order_by("position", "id")))
        _check_survey_logic(survey)


# --- Quotas ---------------------------------------------------------------------------------


def cell_key(variables: list[str], values: Mapping[str, Any]) -> str:
    return "|".join(f"{variable}={values[variable]}" for variable in variables)


def quota_define(
    *,
    actor: User,
    survey: Survey,
    name: str,
    variables: list[str],
    cells: Iterable[tuple[Mapping[str, str], int]],
    closes_survey: bool = False,
) -> Quota:
    """Targets over combinations of single-answer questions (``cells``: (values, target))."""
    _require(actor, "surveys.design_survey", survey)
    _require_draft(survey)
    name = _text(name, field="name", cap=200, required=True)
    structure = survey_structure(survey)
    by_variable = structure.by_variable
    if not variables or len(set(variables)) != len(variables):
        raise DomainError(_("Choose the questions the quota is defined on."), field="variables")
    for variable in variables:
        question = by_variable.get(variable)
        if question is None or question.type not in Question.SINGLE_CODE_TYPES:
            raise DomainError(
                _("%(var)s is not a single-answer question of this survey.") % {"var": str(variable)[:64]},
                field="variables",
            )
    rows = []
    for values, target in cells:
        if set(values) != set(variables):
            raise DomainError(_("Each cell gives one value for each question of the quota."), field="cells")
        for variable in variables:
            if values[variable] not in structure.codes_of(by_variable[variable]):
                raise DomainError(
                    _("“%(value)s” is not an answer of %(var)s.")
                    % {"value": str(values[variable])[:40], "var": variable},
                    field="cells",
                )
        if isinstance(target, bool) or not isinstance(target, int) or not 0 <= target <= 1_000_000:
            raise DomainError(_("A target is a whole number, 0 or more."), field="cells")
        rows.append((cell_key(variables, values), {variable: values[variable] for variable in variables}, target))
    if not rows or len({key for key, _values, _target in rows}) != len(rows):
        raise DomainError(_("Give each cell once."), field="cells")
    try:
        with transaction.atomic():
            quota = Quota.objects.create(
                survey=survey, name=name, variables=list(variables), closes_survey=closes_survey
            )
            QuotaCell.objects.bulk_create(
                QuotaCell(quota=quota, key=key, values=values, target=target) for key, values, target in rows
            )
            audit_log(actor=actor, action="surveys.quota.defined", obj=survey, data={"quota": name, "cells": len(rows)})
    except IntegrityError:
        raise DomainError(_("There is already a quota named %(name)s.") % {"name": name}, field="name") from None
    return quota


def quota_cell_set_target(*, actor: User, cell: QuotaCell, target: int) -> QuotaCell:
    """Change a cell's target (also during fieldwork), never below the places already taken."""
    survey = cell.quota.survey
    _require(actor, "surveys.run_fieldwork", survey)
    if isinstance(target, bool) or not isinstance(target, int) or target < 0:
        raise DomainError(_("A target is a whole number, 0 or more."), field="target")
    with transaction.atomic():
        if not QuotaCell.objects.filter(pk=cell.pk, filled__lte=target).update(target=target):
            raise DomainError(_("The target cannot be below the places already taken."), field="target")
        cell.refresh_from_db(fields=["target", "filled"])
        audit_log(
            actor=actor, action="surveys.quota_cell.target_set", obj=survey, data={"cell": cell.key, "target": target}
        )
    return cell


# --- Invitations ----------------------------------------------------------------------------

SHORT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *,
    actor: User,
    survey: Survey,
    email: str = "",
    person: User | None = None,
    settlement: Settlement | None = None,
    stratum: str = "",
) -> tuple[Invitation, str]:
    """One invitation; returns it with its link token, which is stored only as a hash."""
    _require(actor, "surveys.run_fieldwork", survey)
    if survey.anonymity == Survey.Anonymity.ANONYMOUS:
        raise DomainError(_("An anonymous survey is answered by public link, not by invitation."), code="anonymous")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        for _attempt in range(5):
            code = "".join(secrets.choice(SHORT_CODE_ALPHABET) for _index in range(8))
            if not Invitation.objects.filter(survey=survey, short_code=code).exists():
                break
        invitation = Invitation.objects.create(
            survey=survey,
            token_hash=token_hash(token),
            short_code=code,
            email=email.strip().lower(),
            person=person,
            settlement=settlement,
            stratum=stratum.strip()[:100],
        )
        audit_log(actor=actor, action="surveys.invitation.created", obj=survey, data={"invitation": invitation.pk})
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
        _require(actor, "surveys.enter_responses", survey)
        if entry_round not in (1, 2):
            raise DomainError(_("The entry round is 1 or 2."), field="entry_round")
        if entry_round == 2 and not paper_ref.strip():
            raise DomainError(_("A second entry needs the questionnaire number."), field="paper_ref")
        response.interviewer = actor
        response.paper_ref = _text(paper_ref, field="paper_ref", cap=50)
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
        _require(actor, "surveys.enter_responses", response.survey)
    elif response.respondent_id is not None and (actor is None or actor.pk != response.respondent_id):
        raise DomainError(_("You may not do this."), code="forbidden")


def response_save_answers(
    *,
    actor: User | None,
    response: Response,
    answers: Mapping[Any, Any],
    other: Mapping[Any, Any] | None = None,
) -> Response:
    """Save (or clear, with an empty value) answers keyed by question id or variable name;
    ``other`` holds "please specify" texts by the same keys. Every answer is checked against its
    question; if any is refused, nothing is saved and ``AnswersInvalid`` lists them all."""
    _check_can_write(actor, response)
    survey = response.survey
    _check_open(survey)
    if response.status != Response.Status.IN_PROGRESS:
        raise DomainError(_("This response has been submitted and can no longer be changed."), code="submitted")
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
        Answer.objects.filter(response=response, question__in=to_clear).delete()
        for question, clean in to_save.items():
            values: dict[str, Any] = {
                "text": "",
                "number": None,
                "date": None,
                "codes": None,
                "other_text": clean.other_text,
            }
            values[question.storage] = clean.value
            Answer.objects.update_or_create(response=response, question=question, defaults=values)
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
        closed = _take_quota_places(response, values)
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
    _require(actor, "surveys.withdraw_response", response)
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


# --- XLSForm --------------------------------------------------------------------------------


def survey_import_xlsform(*, actor: User, data: bytes, title: str = "") -> Survey:
    """A new draft survey from an XLSForm workbook. Every problem is reported (``XLSFormInvalid``,
    by sheet and row) and then nothing is created."""
    from glas.surveys.xlsform import parse

    _require(actor, "surveys.design_survey")
    plan = parse(data)
    with transaction.atomic():
        survey = Survey.objects.create(
            owner=actor, title=_text(title or plan.title, field="title", cap=TITLE_CAP, required=True)
        )
        count = 0
        for section_position, planned_section in enumerate(plan.sections, start=1):
            section = Section.objects.create(
                survey=survey, position=section_position, title=planned_section.title, logic=planned_section.logic
            )
            for position, planned in enumerate(planned_section.questions, start=1):
                question = Question.objects.create(survey=survey, section=section, position=position, **planned.data)
                Choice.objects.bulk_create(
                    Choice(question=question, position=index, code=code, label=label)
                    for index, (code, label) in enumerate(planned.choices, start=1)
                )
                MatrixRow.objects.bulk_create(
                    MatrixRow(question=question, position=index, code=code, label=label)
                    for index, (code, label) in enumerate(planned.rows, start=1)
                )
                count += 1
        _check_survey_logic(survey)
        audit_log(actor=actor, action="surveys.survey.imported", obj=survey, data={"questions": count})
    return survey
