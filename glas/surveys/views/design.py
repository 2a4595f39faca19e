"""The questionnaire designer, for researchers: surveys, sections, questions, answers, display
logic, quotas, status, waves, preview and XLSForm.

Every write goes through ``glas.surveys.services``. Editor actions answer an htmx request with
the changed part of the page (a question, a section or all sections) and a plain request with a
redirect back to the editor, so everything works without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from glas.core.access import require_perm
from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest
from glas.surveys import selectors, services
from glas.surveys.access import get_survey_for_design
from glas.surveys.forms.design import (
    ChoiceForm,
    ChoicesPasteForm,
    CopyWaveForm,
    LogicForm,
    QuestionForm,
    QuestionMoveForm,
    QuestionTypeForm,
    QuotaForm,
    SectionForm,
    SurveyFilterForm,
    SurveyForm,
    TransitionForm,
    XLSFormImportForm,
    logic_in_words,
    logic_initial,
    logic_rows_needed,
)
from glas.surveys.models import Choice, MatrixRow, Question, QuotaCell, Section, Survey
from glas.surveys.selectors import Structure, survey_structure
from glas.surveys.xlsform import XLSFormInvalid, export_xlsform

PAGE_SIZE = 50
MAX_QUOTA_CELLS = 1000


# --- Helpers --------------------------------------------------------------------------------


def _form_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on its field, or above the form when the form has no such field."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


@dataclass
class QuestionView:
    question: Question
    words: str
    first: bool = False
    last: bool = False


@dataclass
class SectionView:
    section: Section
    words: str
    questions: list[QuestionView] = field(default_factory=list)
    first: bool = False
    last: bool = False


def _labels(structure: Structure) -> dict[str, dict[str, str]]:
    return {q.variable: {c.code: c.label for c in q.choices.all()} for q in structure.questions}


def _posted(request: AuthedRequest) -> Any:
    """The submitted data of a POST (even an empty one), None for a GET: forms are bound on POST."""
    return request.POST if request.method == "POST" else None


def _mark_ends(items: list[SectionView] | list[QuestionView]) -> None:
    if items:
        items[0].first, items[-1].last = True, True


def _editor(survey: Survey) -> dict[str, Any]:
    """What the editor and its parts show, in a fixed number of queries."""
    structure = survey_structure(survey)
    labels = _labels(structure)
    views = {s.pk: SectionView(s, logic_in_words(s.logic, labels)) for s in structure.sections}
    for question in structure.questions:
        views[question.section_id].questions.append(QuestionView(question, logic_in_words(question.logic, labels)))
    sections = list(views.values())
    _mark_ends(sections)
    for view in sections:
        _mark_ends(view.questions)
    return {
        "survey": survey,
        "sections": sections,
        "frozen": survey.status != Survey.Status.DRAFT,
        "editable": survey.status != Survey.Status.ARCHIVED,
        "type_form": QuestionTypeForm(),
        "choice_types": sorted(Question.CHOICE_TYPES),
        "move_sections": structure.sections,
        "transitions": services.TRANSITIONS.get(survey.status, ()),
    }


def _editor_url(survey: Survey, anchor: str = "") -> str:
    url = reverse("surveys:design_detail", args=[survey.public_id])
    return f"{url}#{anchor}" if anchor else url


def _after_write(request: AuthedRequest, survey: Survey, *, part: str, pk: int, focus: str) -> HttpResponse:
    """The changed part for htmx (``part``: "question", "section" or "sections"), focus sent to
    ``focus``; a redirect to the editor at that place otherwise."""
    if not request.htmx:
        return redirect(_editor_url(survey, focus))
    context = _editor(survey)
    target = "#design-sections"
    if part == "question":
        context["qv"] = next(q for s in context["sections"] for q in s.questions if q.question.pk == pk)
        target = f"#question-{pk}"
    elif part == "section":
        context["sv"] = next(s for s in context["sections"] if s.section.pk == pk)
        target = f"#section-{pk}"
    response = reswap(retarget(render(request, f"surveys/_design_{part}.html", context), target), "outerHTML")
    return trigger_client_event(response, "glas:focus", {"id": focus}, after="settle")


def _form_part(
    request: AuthedRequest, template: str, context: dict[str, Any], *, status: int, focus: str
) -> HttpResponse:
    """A form shown in place by htmx; on first show, focus goes to its heading."""
    response = render(request, template, context, status=status)
    return trigger_client_event(response, "glas:focus", {"id": focus}, after="settle") if status == 200 else response


def _section(survey: Survey, section_id: int) -> Section:
    return get_object_or_404(Section.objects.select_related("survey"), pk=section_id, survey=survey)


def _question(survey: Survey, question_id: int) -> Question:
    return get_object_or_404(Question.objects.select_related("survey", "section"), pk=question_id, survey=survey)


def _choice(survey: Survey, kind: str, choice_id: int) -> Choice | MatrixRow:
    if kind == "choice":
        return get_object_or_404(
            Choice.objects.select_related("question__survey"), pk=choice_id, question__survey=survey
        )
    if kind == "row":
        return get_object_or_404(
            MatrixRow.objects.select_related("question__survey"), pk=choice_id, question__survey=survey
        )
    raise Http404


def _direction(request: AuthedRequest, position: int) -> int:
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise DomainError(_("Choose whether to move it up or down."))
    return position - 1 if direction == "up" else position + 1


def _refused(request: AuthedRequest, survey: Survey, error: DomainError) -> HttpResponse:
    """A refused editor action without a form of its own: the message, with status 400."""
    if request.htmx:
        response = render(request, "surveys/_design_refused.html", {"message": error.message}, status=400)
        return reswap(retarget(response, "#design-refusal"), "innerHTML")
    return render(request, "surveys/design_detail.html", {**_editor(survey), "refusal": error.message}, status=400)


# --- Surveys --------------------------------------------------------------------------------


@login_required
@require_GET
def design_list(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "surveys.design_survey")
    form = SurveyFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    surveys = selectors.surveys_with_response_counts(status=status)
    page = Paginator(surveys, PAGE_SIZE).get_page(request.GET.get("page"))
    query = f"status={status}" if status else ""
    context = {"form": form, "page": page, "query": query}
    return render(request, "surveys/design_list.html", context, status=400 if form.errors else 200)


@login_required
def design_create(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "surveys.design_survey")
    form = SurveyForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The survey was created. Add its questions."))
            return redirect(_editor_url(survey))
    return render(request, "surveys/design_create.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def design_settings(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    frozen = survey.status != Survey.Status.DRAFT
    initial = {name: getattr(survey, name) for name in SurveyForm.base_fields}
    form = SurveyForm(_posted(request), initial=initial, frozen=frozen)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(actor=request.user, survey=survey, data=form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The survey was saved."))
            return redirect(_editor_url(survey))
    context = {"form": form, "survey": survey}
    return render(request, "surveys/design_settings.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def design_detail(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    return render(request, "surveys/design_detail.html", _editor(survey))


@login_required
@require_GET
def design_preview(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    return render(request, "surveys/design_preview.html", _editor(survey))


@login_required
def design_transition(request: AuthedRequest, public_id: Any, to: str) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    if to not in Survey.Status.values:
        raise Http404
    form = TransitionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_transition(actor=request.user, survey=survey, to=to)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The survey is now %(status)s.") % {"status": survey.get_status_display()})
            return redirect(_editor_url(survey))
    allowed = to in services.TRANSITIONS.get(survey.status, ())
    context = {"form": form, "survey": survey, "to": to, "to_label": Survey.Status(to).label, "allowed": allowed}
    return render(request, "surveys/design_transition.html", context, status=400 if form.errors else 200)


@login_required
def design_copy_wave(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    form = CopyWaveForm(_posted(request), initial={"title": survey.title})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.survey_copy_as_wave(actor=request.user, survey=survey, title=form.cleaned_data["title"])
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Wave %(wave)d was created as a draft.") % {"wave": copy.wave})
            return redirect(_editor_url(copy))
    context = {"form": form, "survey": survey}
    return render(request, "surveys/design_copy_wave.html", context, status=400 if form.errors else 200)


# --- Sections -------------------------------------------------------------------------------


@login_required
@require_POST
def design_section_add(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    try:
        section = services.section_add(actor=request.user, survey=survey)
    except DomainError as error:
        return _refused(request, survey, error)
    return _after_write(request, survey, part="sections", pk=section.pk, focus=f"section-{section.pk}-title")


@login_required
def design_section_edit(request: AuthedRequest, public_id: Any, section_id: int) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    section = _section(survey, section_id)
    form = SectionForm(_posted(request), initial={"title": section.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(actor=request.user, section=section, data=form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            return _after_write(request, survey, part="section", pk=section.pk, focus=f"section-{section.pk}-title")
    context = {"form": form, "survey": survey, "section": section}
    status = 400 if form.errors else 200
    if request.htmx:
        focus = f"section-{section.pk}-title"
        return _form_part(request, "surveys/_design_section_form.html", context, status=status, focus=focus)
    return render(request, "surveys/design_section_form.html", context, status=status)


@login_required
@require_POST
def design_section_move(request: AuthedRequest, public_id: Any, section_id: int) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    section = _section(survey, section_id)
    try:
        services.section_move(actor=request.user, section=section, position=_direction(request, section.position))
    except DomainError as error:
        return _refused(request, survey, error)
    return _after_write(request, survey, part="sections", pk=section.pk, focus=f"section-{section.pk}-title")


@login_required
def design_section_delete(request: AuthedRequest, public_id: Any, section_id: int) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    section = _section(survey, section_id)
    form = TransitionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_delete(actor=request.user, section=section)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The section was deleted."))
            return redirect(_editor_url(survey, "sections"))
    context = {"form": form, "survey": survey, "section": section, "questions": section.questions.order_by("position")}
    return render(request, "surveys/design_section_delete.html", context, status=400 if form.errors else 200)


# --- Display logic --------------------------------------------------------------------------


def _logic_page(
    request: AuthedRequest, survey: Survey, *, target: Section | Question, save: Any, anchor: str
) -> HttpResponse:
    structure = survey_structure(survey)
    if isinstance(target, Section):
        before = (target.position, 0)
    else:
        before = structure.order_of(next(q for q in structure.questions if q.pk == target.pk))
    earlier = [q for q in structure.questions if structure.order_of(q) < before and q.type != Question.Type.NOTE]
    known = frozenset(q.variable for q in structure.questions)
    initial, editable = logic_initial(target.logic)
    form = LogicForm(
        _posted(request), initial=initial, earlier=earlier, known=known, rows=logic_rows_needed(target.logic)
    )
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data["logic"])
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The display logic was saved."))
            return redirect(_editor_url(survey, anchor))
    labels = _labels(structure)
    context = {
        "form": form,
        "survey": survey,
        "target": target,
        "is_section": isinstance(target, Section),
        "words": logic_in_words(target.logic, labels),
        "builder_fits": editable,
        "earlier": earlier,
        "labels": labels,
        "frozen": survey.status != Survey.Status.DRAFT,
    }
    return render(request, "surveys/design_logic.html", context, status=400 if form.errors else 200)


@login_required
def design_section_logic(request: AuthedRequest, public_id: Any, section_id: int) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    section = _section(survey, section_id)

    def save(logic: Any) -> None:
        services.section_update(actor=request.user, section=section, data={"logic": logic})

    return _logic_page(request, survey, target=section, save=save, anchor=f"section-{section.pk}-title")


@login_required
def design_question_logic(request: AuthedRequest, public_id: Any, question_id: int) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    question = _question(survey, question_id)

    def save(logic: Any) -> None:
        services.question_update(actor=request.user, question=question, data={"logic": logic})

    return _logic_page(request, survey, target=question, save=save, anchor=f"question-{question.pk}-title")


# --- Questions ------------------------------------------------------------------------------


@login_required
def design_question_add(request: AuthedRequest, public_id: Any, section_id: int) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    section = _section(survey, section_id)
    type_form = QuestionTypeForm(request.GET)
    if not type_form.is_valid():
        return render(
            request,
            "surveys/design_question_type.html",
            {"type_form": type_form, "survey": survey, "section": section},
            status=400,
        )
    kind = type_form.cleaned_data["type"]
    form = QuestionForm(_posted(request), type=kind, adding=True)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_add(actor=request.user, section=section, type=kind, **form.service_data())
        except DomainError as error:
            _form_error(form, error)
        else:
            return _after_write(request, survey, part="section", pk=section.pk, focus=f"question-{question.pk}-title")
    context = {
        "form": form,
        "survey": survey,
        "section": section,
        "kind": kind,
        "kind_label": Question.Type(kind).label,
    }
    status = 400 if form.errors else 200
    if request.htmx:
        focus = f"section-{section.pk}-new-title"
        return _form_part(request, "surveys/_design_question_add.html", context, status=status, focus=focus)
    return render(request, "surveys/design_question_add.html", context, status=status)


@login_required
def design_question_edit(request: AuthedRequest, public_id: Any, question_id: int) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    question = _question(survey, question_id)
    frozen = survey.status != Survey.Status.DRAFT
    initial = {name: getattr(question, name) for name in services.QUESTION_FIELDS}
    form = QuestionForm(_posted(request), initial=initial, type=question.type, frozen=frozen)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(actor=request.user, question=question, data=form.service_data())
        except DomainError as error:
            _form_error(form, error)
        else:
            return _after_write(request, survey, part="question", pk=question.pk, focus=f"question-{question.pk}-title")
    context = {"form": form, "survey": survey, "question": question, "frozen": frozen}
    status = 400 if form.errors else 200
    if request.htmx:
        focus = f"question-{question.pk}-title"
        return _form_part(request, "surveys/_design_question_editing.html", context, status=status, focus=focus)
    return render(request, "surveys/design_question_edit.html", context, status=status)


@login_required
@require_POST
def design_question_move(request: AuthedRequest, public_id: Any, question_id: int) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    question = _question(survey, question_id)
    focus = f"question-{question.pk}-title"
    try:
        if "section" in request.POST:
            form = QuestionMoveForm(request.POST, sections=list(survey.sections.all()))
            if not form.is_valid():
                raise DomainError(_("Choose a section of this survey."), field="section")
            target = _section(survey, form.cleaned_data["section"])
            services.question_move(actor=request.user, question=question, section=target, position=10**6)
            return _after_write(request, survey, part="sections", pk=question.pk, focus=focus)
        services.question_move(actor=request.user, question=question, position=_direction(request, question.position))
    except DomainError as error:
        return _refused(request, survey, error)
    return _after_write(request, survey, part="section", pk=question.section_id, focus=focus)


@login_required
def design_question_delete(request: AuthedRequest, public_id: Any, question_id: int) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    question = _question(survey, question_id)
    form = TransitionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_delete(actor=request.user, question=question)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The question was deleted."))
            return redirect(_editor_url(survey, f"section-{question.section_id}-title"))
    context = {"form": form, "survey": survey, "question": question}
    return render(request, "surveys/design_question_delete.html", context, status=400 if form.errors else 200)


# --- Answers and matrix rows ----------------------------------------------------------------


def _choices_page(
    request: AuthedRequest,
    survey: Survey,
    question: Question,
    *,
    paste: ChoicesPasteForm | None = None,
    failed: tuple[str, int, ChoiceForm] | None = None,
    focus: str = "",
    refusal: str = "",
) -> HttpResponse:
    matrix = question.type == Question.Type.MATRIX
    frozen = survey.status != Survey.Status.DRAFT
    lists: list[tuple[str, Any]] = [("choice", question.choices.order_by("position", "id"))]
    if matrix:
        lists.append(("row", question.rows.order_by("position", "id")))
    groups = []
    for kind, items in lists:
        rows = []
        for item in items:
            form = ChoiceForm(
                initial={"code": item.code, "label": item.label}, frozen=frozen, prefix=f"{kind}{item.pk}"
            )
            if failed and failed[:2] == (kind, item.pk):
                form = failed[2]
            rows.append((item, form))
        groups.append((kind, rows))
    has_errors = bool((paste and paste.errors) or failed or refusal)
    context = {
        "survey": survey,
        "question": question,
        "groups": groups,
        "paste": paste or ChoicesPasteForm(matrix=matrix),
        "frozen": frozen,
        "matrix": matrix,
        "refusal": refusal,
    }
    template = "surveys/_design_choices.html" if request.htmx else "surveys/design_choices.html"
    response = render(request, template, context, status=400 if has_errors else 200)
    if focus and request.htmx and not has_errors:
        trigger_client_event(response, "glas:focus", {"id": focus}, after="settle")
    return response


def _choices_done(request: AuthedRequest, survey: Survey, question: Question, focus: str) -> HttpResponse:
    if request.htmx:
        return _choices_page(request, survey, question, focus=focus)
    url = reverse("surveys:design_choices", args=[survey.public_id, question.pk])
    return redirect(f"{url}#{focus}")


@login_required
def design_choices(request: AuthedRequest, public_id: Any, question_id: int) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    question = _question(survey, question_id)
    if question.type not in Question.CHOICE_TYPES:
        raise Http404
    paste = ChoicesPasteForm(_posted(request), matrix=question.type == Question.Type.MATRIX)
    if request.method == "POST" and paste.is_valid():
        kind = paste.cleaned_data.get("kind") or "choice"
        try:
            with transaction.atomic():  # several lines: all of them or none
                for code, label in paste.cleaned_data["lines"]:
                    services.choice_add(actor=request.user, question=question, code=code, label=label, kind=kind)
        except DomainError as error:
            paste.add_error("lines", error.message)
        else:
            return _choices_done(request, survey, question, f"{kind}-list")
    return _choices_page(request, survey, question, paste=paste if request.method == "POST" else None)


@login_required
@require_POST
def design_choice_edit(request: AuthedRequest, public_id: Any, kind: str, choice_id: int) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    choice = _choice(survey, kind, choice_id)
    form = ChoiceForm(request.POST, frozen=survey.status != Survey.Status.DRAFT, prefix=f"{kind}{choice.pk}")
    if form.is_valid():
        try:
            services.choice_update(actor=request.user, choice=choice, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            return _choices_done(request, survey, choice.question, f"{kind}-{choice.pk}")
    return _choices_page(request, survey, choice.question, failed=(kind, choice.pk, form))


@login_required
@require_POST
def design_choice_move(request: AuthedRequest, public_id: Any, kind: str, choice_id: int) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    choice = _choice(survey, kind, choice_id)
    try:
        services.choice_move(actor=request.user, choice=choice, position=_direction(request, choice.position))
    except DomainError as error:
        return _choice_refused(request, survey, choice, error)
    return _choices_done(request, survey, choice.question, f"{kind}-{choice.pk}")


@login_required
@require_POST
def design_choice_delete(request: AuthedRequest, public_id: Any, kind: str, choice_id: int) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    choice = _choice(survey, kind, choice_id)
    try:
        services.choice_delete(actor=request.user, choice=choice)
    except DomainError as error:
        return _choice_refused(request, survey, choice, error)
    return _choices_done(request, survey, choice.question, f"{kind}-list")


def _choice_refused(
    request: AuthedRequest, survey: Survey, choice: Choice | MatrixRow, error: DomainError
) -> HttpResponse:
    return _choices_page(request, survey, choice.question, refusal=error.message)


# --- Quotas ---------------------------------------------------------------------------------


@login_required
def design_quotas(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    structure = survey_structure(survey)
    closed = [q for q in structure.questions if q.type in Question.SINGLE_CODE_TYPES]
    form = QuotaForm(_posted(request), questions=closed)
    if request.method == "POST" and form.is_valid():
        try:
            services.quota_define(actor=request.user, survey=survey, **_quota_plan(form, structure))
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The quota was defined. Set the target of each cell."))
            return redirect(reverse("surveys:design_quotas", args=[survey.public_id]))
    return _quotas_page(request, survey, structure, form=form)


def _quota_plan(form: QuotaForm, structure: Structure) -> dict[str, Any]:
    """Every combination of the chosen questions' answers, each a cell with target 0."""
    import itertools

    variables = form.variables()
    if len(set(variables)) != len(variables):
        raise DomainError(_("Choose each question once."), field="variable_2")
    by_variable = structure.by_variable
    codes = [sorted(structure.codes_of(by_variable[v])) for v in variables]
    count = 1
    for options in codes:
        count *= max(len(options), 1)
    if count > MAX_QUOTA_CELLS:
        raise DomainError(
            _("The quota would have %(count)d cells; at most %(cap)d.") % {"count": count, "cap": MAX_QUOTA_CELLS},
            field="variable_1",
        )
    cells = [(dict(zip(variables, combination, strict=True)), 0) for combination in itertools.product(*codes)]
    return {
        "name": form.cleaned_data["name"],
        "variables": variables,
        "cells": cells,
        "closes_survey": form.cleaned_data["closes_survey"],
    }


def _quotas_page(
    request: AuthedRequest, survey: Survey, structure: Structure, *, form: QuotaForm, errors: list[str] | None = None
) -> HttpResponse:
    labels = _labels(structure)
    quotas = selectors.quotas_of(survey)
    tables = []
    for quota in quotas:
        cells = [
            (
                cell,
                [
                    f"{v} = {cell.values.get(v)}"
                    + (f" ({labels[v][cell.values.get(v)]})" if cell.values.get(v) in labels.get(v, {}) else "")
                    for v in quota.variables
                ],
            )
            for cell in quota.cells.all()
        ]
        tables.append((quota, cells))
    context = {
        "survey": survey,
        "form": form,
        "tables": tables,
        "errors": errors or [],
        "frozen": survey.status != Survey.Status.DRAFT,
        "has_closed": form.has_questions,
    }
    status = 400 if form.errors or errors else 200
    return render(request, "surveys/design_quotas.html", context, status=status)


@login_required
@require_POST
def design_quota_targets(request: AuthedRequest, public_id: Any, quota_id: int) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    cells = list(QuotaCell.objects.filter(quota_id=quota_id, quota__survey=survey).select_related("quota__survey"))
    if not cells:
        raise Http404
    errors = []
    for cell in cells:
        raw = request.POST.get(f"target_{cell.pk}", "").strip()
        if raw == str(cell.target) or raw == "":
            continue
        try:
            target = int(raw) if raw.isdigit() and len(raw) <= 7 else -1
            services.quota_cell_set_target(actor=request.user, cell=cell, target=target)
        except DomainError as error:
            errors.append(f"{cell.key}: {error.message}")
    if errors:
        structure = survey_structure(survey)
        closed = [q for q in structure.questions if q.type in Question.SINGLE_CODE_TYPES]
        return _quotas_page(request, survey, structure, form=QuotaForm(questions=closed), errors=errors)
    messages.success(request, _("The targets were saved."))
    return redirect(reverse("surveys:design_quotas", args=[survey.public_id]) + f"#quota-{quota_id}")


# --- XLSForm --------------------------------------------------------------------------------


@login_required
def design_import(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "surveys.design_survey")
    form = XLSFormImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data["file"].read()
            survey = services.survey_import_xlsform(actor=request.user, data=data, title=form.cleaned_data["title"])
        except XLSFormInvalid as error:
            form.add_error("file", error.message)
            problems = [str(problem) if problem.row else problem.message for problem in error.problems]
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The questionnaire was imported as a draft."))
            return redirect(_editor_url(survey))
    context = {"form": form, "problems": problems}
    return render(request, "surveys/design_import.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def design_export_xlsform(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = get_survey_for_design(request.user, public_id)
    response = HttpResponse(
        export_xlsform(survey), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.public_id.hex[:12]}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
