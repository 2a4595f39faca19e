"""Writes for designing questionnaires: surveys, sections, questions, choices, quotas, XLSForm import.

Every function is keyword-only, runs in one transaction and writes one audit entry. Once
fieldwork has started the questionnaire's structure is frozen; only wording may be fixed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.core.audit import audit_log
from glas.core.exceptions import DomainError
from glas.surveys import logic
from glas.surveys.models import (
    CODE_PATTERN,
    OTHER_CODE,
    TEXT_CAP,
    VARIABLE_PATTERN,
    Choice,
    Code,
    CodeFrame,
    MatrixRow,
    Question,
    Quota,
    QuotaCell,
    Section,
    Survey,
)
from glas.surveys.selectors import survey_structure

if TYPE_CHECKING:
    from glas.accounts.models import User

from glas.surveys.services.common import cell_key, clean_field_text, require, require_draft, touch

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


# --- Surveys --------------------------------------------------------------------------------


def _apply_survey_fields(survey: Survey, data: Mapping[str, Any]) -> list[str]:
    unknown = set(data) - set(SURVEY_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    changed = []
    for name, value in data.items():
        if name == "title":
            value = clean_field_text(value, field=name, cap=TITLE_CAP, required=True)
        elif name in ("purpose", "intro", "consent_text"):
            value = clean_field_text(value, field=name, cap=20000)
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
    require(actor, "surveys.design_survey")
    survey = Survey(owner=actor)
    _apply_survey_fields(survey, {"title": title, **data})
    with transaction.atomic():
        survey.save()
        Section.objects.create(survey=survey, position=1)
        audit_log(actor=actor, action="surveys.survey.created", obj=survey, data={"anonymity": survey.anonymity})
    return survey


def survey_update(*, actor: User, survey: Survey, data: Mapping[str, Any]) -> Survey:
    require(actor, "surveys.design_survey", survey)
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
    require(actor, "surveys.run_fieldwork", survey)
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
    require(actor, "surveys.design_survey", survey)
    with transaction.atomic():
        first = survey.wave_of or survey
        last_wave = Survey.objects.filter(wave_of=first).aggregate(last=Max("wave"))["last"] or first.wave
        copy = Survey.objects.create(
            title=clean_field_text(title or survey.title, field="title", cap=TITLE_CAP, required=True),
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
    copies = {}
    for question in structure.questions:
        copy = Question.objects.create(
            survey=target,
            section=sections[question.section_id],
            position=question.position,
            **{name: getattr(question, name) for name in QUESTION_FIELDS},
        )
        copies[question.pk] = copy
        Choice.objects.bulk_create(
            Choice(question=copy, position=choice.position, code=choice.code, label=choice.label)
            for choice in question.choices.all()
        )
        MatrixRow.objects.bulk_create(
            MatrixRow(question=copy, position=row.position, code=row.code, label=row.label)
            for row in question.rows.all()
        )
    # Code frames travel with the questionnaire (not the coded answers), so waves are coded alike.
    for question_id, frame in structure.frames.items():
        new_frame = CodeFrame.objects.create(
            question=copies[question_id],
            source=frame.source,
            name=frame.name,
            description=frame.description,
            multiple=frame.multiple,
        )
        Code.objects.bulk_create(
            Code(
                frame=new_frame,
                value=code.value,
                label=code.label,
                description=code.description,
                position=code.position,
            )
            for code in frame.codes.all()
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
    require(actor, "surveys.design_survey", survey)
    require_draft(survey)
    with transaction.atomic():
        last = Section.objects.filter(survey=survey).aggregate(last=Max("position"))["last"] or 0
        section = Section.objects.create(
            survey=survey,
            position=last + 1,
            title=clean_field_text(title, field="title", cap=TITLE_CAP),
            logic=logic_json,
        )
        _check_survey_logic(survey)
        touch(survey)
        audit_log(actor=actor, action="surveys.section.added", obj=survey, data={"section": section.pk})
    return section


def section_update(*, actor: User, section: Section, data: Mapping[str, Any]) -> Section:
    survey = section.survey
    require(actor, "surveys.design_survey", survey)
    unknown = set(data) - set(SECTION_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    changed = [name for name, value in data.items() if getattr(section, name) != value]
    if set(changed) - {"title"}:
        require_draft(survey)
    with transaction.atomic():
        if "title" in data:
            section.title = clean_field_text(data["title"], field="title", cap=TITLE_CAP)
        if "logic" in data:
            section.logic = data["logic"]
        if changed:
            section.save(update_fields=changed)
            _check_survey_logic(survey)
            touch(survey)
            audit_log(
                actor=actor,
                action="surveys.section.updated",
                obj=survey,
                data={"section": section.pk, "fields": changed},
            )
    return section


def section_move(*, actor: User, section: Section, position: int) -> Section:
    survey = section.survey
    require(actor, "surveys.design_survey", survey)
    require_draft(survey)
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
    require(actor, "surveys.design_survey", survey)
    require_draft(survey)
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
            value = clean_field_text(value, field=name, cap=TEXT_CAP, required=True)
        elif name == "help_text":
            value = clean_field_text(value, field=name, cap=TEXT_CAP)
        elif name in ("low_label", "high_label"):
            value = clean_field_text(value, field=name, cap=100)
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
        cleaned.append((code, clean_field_text(label, field=field, cap=LABEL_CAP, required=True)))
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
    require(actor, "surveys.design_survey", survey)
    require_draft(survey)
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
            touch(survey)
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
    require(actor, "surveys.design_survey", survey)
    if survey.status == Survey.Status.ARCHIVED:
        raise DomainError(_("An archived survey cannot be changed."), code="archived")
    before = {name: getattr(question, name) for name in QUESTION_FIELDS}
    changed = _apply_question_fields(question, data)
    if set(changed) - QUESTION_WORDING and survey.status != Survey.Status.DRAFT:
        for name, value in before.items():
            setattr(question, name, value)
        require_draft(survey)
    try:
        with transaction.atomic():
            if changed:
                question.save(update_fields=changed)
                _check_survey_logic(survey)
                touch(survey)
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
    require(actor, "surveys.design_survey", survey)
    require_draft(survey)
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
    require(actor, "surveys.design_survey", survey)
    require_draft(survey)
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
    require(actor, "surveys.design_survey", survey)
    require_draft(survey)
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
    require(actor, "surveys.design_survey", survey)
    changed: list[str] = []
    if label is not None:
        [(_code, new_label)] = _clean_pairs([(choice.code, label)], field="label")
        if new_label != choice.label:
            choice.label, changed = new_label, [*changed, "label"]
    if code is not None and code != choice.code:
        require_draft(survey)
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
    require(actor, "surveys.design_survey", question.survey)
    require_draft(question.survey)
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
    require(actor, "surveys.design_survey", survey)
    require_draft(survey)
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
    require(actor, "surveys.design_survey", survey)
    require_draft(survey)
    name = clean_field_text(name, field="name", cap=200, required=True)
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
    require(actor, "surveys.run_fieldwork", survey)
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


# --- XLSForm --------------------------------------------------------------------------------


def survey_import_xlsform(*, actor: User, data: bytes, title: str = "") -> Survey:
    """A new draft survey from an XLSForm workbook. Every problem is reported (``XLSFormInvalid``,
    by sheet and row) and then nothing is created."""
    from glas.surveys.xlsform import parse

    require(actor, "surveys.design_survey")
    plan = parse(data)
    with transaction.atomic():
        survey = Survey.objects.create(
            owner=actor, title=clean_field_text(title or plan.title, field="title", cap=TITLE_CAP, required=True)
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
