"""Coding open answers (researchers and administrators): the code frame of a question and its
codes, the answers to code — one at a time with number keys, in place with htmx, or in bulk —,
suggested groups of similar answers, and agreement between coders.

The answers' texts may hold personal data: the pages are behind ``surveys.code_answers``, are
not cached by the browser, and no text is logged. Every action also works without JavaScript.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest
from glas.surveys import coding, services
from glas.surveys import coding_suggest as suggest
from glas.surveys.access import get_question_for_coding, get_survey_for_coding
from glas.surveys.forms.coding import (
    AnswerFilterForm,
    CodeDeleteForm,
    CodeEditForm,
    CodeForm,
    CodeFrameForm,
    frame_initial,
)
from glas.surveys.models import Code, CodeFrame, Question

PAGE_SIZE = 25
KEYS = "1234567890"  # the number key of the first ten codes, in list order


def _frame_or_none(question: Question) -> CodeFrame | None:
    """The question's code frame with its codes in list order (two queries), or None."""
    frame = (
        CodeFrame.objects.filter(question=question)
        .prefetch_related(Prefetch("codes", queryset=Code.objects.order_by("position", "value")))
        .first()
    )
    if frame is not None:
        frame.question = question
    return frame


def _frame(question: Question) -> CodeFrame:
    frame = _frame_or_none(question)
    if frame is None:
        raise Http404
    return frame


def _code(frame: CodeFrame, pk: Any) -> Code | None:
    return next((code for code in frame.codes.all() if str(code.pk) == str(pk)), None)


def _keyed(frame: CodeFrame) -> list[tuple[Code, str]]:
    return [(code, KEYS[index] if index < len(KEYS) else "") for index, code in enumerate(frame.codes.all())]


def _page_url(question: Question, *, show: str = "all", q: str = "", page: Any = "", anchor: str = "") -> str:
    url = reverse("surveys:coding_question", args=[question.survey.public_id, question.pk])
    query = urlencode({key: value for key, value in (("show", show), ("q", q), ("page", page)) if value})
    return f"{url}{'?' + query if query else ''}{'#' + anchor if anchor else ''}"


def _question_page(request: AuthedRequest, question: Question, *, status: int = 200, **extra: Any) -> HttpResponse:
    frame = _frame_or_none(question)
    context: dict[str, Any] = {"survey": question.survey, "question": question, "frame": frame, **extra}
    if frame is None:
        context.setdefault("frame_form", CodeFrameForm())
        return render(request, "surveys/coding_question.html", context, status=status)
    filters = AnswerFilterForm(request.GET)
    show, words = filters.values()
    answers = coding.coding_answers(frame, question, request.user, show=show, words=words)
    page = Paginator(answers, PAGE_SIZE).get_page(request.GET.get("page"))
    coders = coding.frame_coders(frame)
    context.update(
        filters=filters,
        show=show,
        words=words,
        page=page,
        query=urlencode({key: value for key, value in (("show", show), ("q", words)) if value and value != "all"}),
        rows=coding.coding_rows(frame, question, list(page.object_list), request.user),
        keyed=_keyed(frame),
        progress=coding.frame_progress(frame, question),
        coders=coders,
    )
    context.setdefault("frame_form", CodeFrameForm(initial=frame_initial(frame), coders=coders))
    context.setdefault("code_form", CodeForm(initial={"value": _next_value(frame)}))
    return render(request, "surveys/coding_question.html", context, status=status)


def _next_value(frame: CodeFrame) -> int:
    return max((code.value for code in frame.codes.all()), default=0) + 1


@login_required
@require_GET
@never_cache
def coding_index(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = get_survey_for_coding(request.user, public_id)
    context = {"survey": survey, "questions": coding.codable_questions(survey)}
    return render(request, "surveys/coding_index.html", context)


@login_required
@require_GET
@never_cache
def coding_question(request: AuthedRequest, public_id: Any, question_id: int) -> HttpResponse:
    return _question_page(request, get_question_for_coding(request.user, public_id, question_id))


@login_required
@require_POST
def coding_frame(request: AuthedRequest, public_id: Any, question_id: int) -> HttpResponse:
    """Create the question's code frame, or change it."""
    question = get_question_for_coding(request.user, public_id, question_id)
    frame = _frame_or_none(question)
    coders = coding.frame_coders(frame) if frame else None
    form = CodeFrameForm(request.POST, coders=coders)
    if form.is_valid():
        try:
            if frame is None:
                data = {key: form.cleaned_data[key] for key in ("name", "description", "multiple")}
                services.code_frame_create(actor=request.user, question=question, **data)
            else:
                services.code_frame_update(actor=request.user, frame=frame, data=form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The code frame is saved."))
            return redirect(_page_url(question))
    return _question_page(request, question, status=400, frame_form=form)


@login_required
@require_POST
def coding_code_add(request: AuthedRequest, public_id: Any, question_id: int) -> HttpResponse:
    question = get_question_for_coding(request.user, public_id, question_id)
    frame = _frame(question)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            services.code_create(actor=request.user, frame=frame, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The code is added."))
            return redirect(_page_url(question, anchor="codes"))
    return _question_page(request, question, status=400, code_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def coding_code_edit(request: AuthedRequest, public_id: Any, question_id: int, code_id: int) -> HttpResponse:
    question = get_question_for_coding(request.user, public_id, question_id)
    code = get_object_or_404(Code.objects.select_related("frame"), pk=code_id, frame__question=question)
    code.frame.question = question
    initial = {"value": code.value, "label": code.label, "description": code.description, "position": code.position}
    form = CodeEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            services.code_update(actor=request.user, code=code, data=form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The code is saved."))
            return redirect(_page_url(question, anchor="codes"))
    context = {"survey": question.survey, "question": question, "code": code, "form": form}
    return render(request, "surveys/coding_code_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def coding_code_delete(request: AuthedRequest, public_id: Any, question_id: int, code_id: int) -> HttpResponse:
    question = get_question_for_coding(request.user, public_id, question_id)
    code = get_object_or_404(Code.objects.select_related("frame"), pk=code_id, frame__question=question)
    code.frame.question = question
    form = CodeDeleteForm(request.POST if request.method == "POST" else None, code=code)
    if form.is_valid():
        try:
            services.code_delete(actor=request.user, code=code, reassign_to=form.cleaned_data["reassign_to"])
        except DomainError as error:
            form.add_error("reassign_to", error.message)
        else:
            messages.success(request, _("The code is deleted."))
            return redirect(_page_url(question, anchor="codes"))
    used = code.coded_answers.count()
    context = {"survey": question.survey, "question": question, "code": code, "form": form, "used": used}
    return render(request, "surveys/coding_code_delete.html", context, status=400 if form.errors else 200)


def _back(request: AuthedRequest, question: Question) -> str:
    """Where a coding form returns to: the suggestions, or the answers page as it was filtered,
    at the next answer."""
    if request.POST.get("back") == "suggestions":
        url = reverse("surveys:coding_suggest", args=[question.survey.public_id, question.pk])
        return url + "?show=all" if request.POST.get("show") == "all" else url
    nxt = request.POST.get("next", "")
    anchor = f"answer-{nxt}" if nxt.isdigit() else ""
    show, words = AnswerFilterForm(request.POST).values()
    page = request.POST.get("page", "")
    return _page_url(question, show=show, q=words, page=page if page.isdigit() else "", anchor=anchor)


def _row(
    request: AuthedRequest,
    frame: CodeFrame,
    question: Question,
    answer_id: int,
    *,
    error: str = "",
    advance: bool = False,
) -> HttpResponse:
    """One answer's part of the page, for htmx; with ``advance``, focus then moves to the next."""
    answers = list(coding.codable_answers(question).filter(pk=answer_id))
    if not answers:
        raise Http404
    context = {
        "survey": question.survey,
        "question": question,
        "frame": frame,
        "keyed": _keyed(frame),
        "row": coding.coding_rows(frame, question, answers, request.user)[0],
        "row_error": error,
        "coded": advance and not error,
    }
    return render(request, "surveys/_coding_answer.html", context, status=400 if error else 200)


@login_required
@require_POST
def coding_code(request: AuthedRequest, public_id: Any, question_id: int) -> HttpResponse:
    """Give a code to the chosen answers (one answer from its own form, or many at once)."""
    question = get_question_for_coding(request.user, public_id, question_id)
    frame = _frame(question)
    # A suggested group sends its answers as one comma-separated field (it may hold thousands).
    listed = [pk.strip() for pk in request.POST.get("answer_list", "").split(",") if pk.strip()]
    ids = request.POST.getlist("answers") + listed
    code = _code(frame, request.POST.get("code"))
    try:
        if code is None:
            raise DomainError(_("Choose a code."), field="code")
        count = services.answers_code_bulk(actor=request.user, frame=frame, answer_ids=ids, code=code)
    except DomainError as error:
        single = len(ids) == 1 and ids[0].isdigit()
        if request.htmx and single and coding.codable_answers(question).filter(pk=int(ids[0])).exists():
            return _row(request, frame, question, int(ids[0]), error=error.message)
        return _question_page(request, question, status=400, error=error.message)
    if request.htmx and len(ids) == 1:
        return _row(request, frame, question, int(ids[0]), advance=True)
    if len(ids) > 1:
        message = ngettext("%(count)s answer got the code.", "%(count)s answers got the code.", len(ids))
        messages.success(request, message % {"count": len(ids)} + " " + _("New: %(new)s.") % {"new": count})
    return redirect(_back(request, question))


@login_required
@require_POST
def coding_uncode(request: AuthedRequest, public_id: Any, question_id: int) -> HttpResponse:
    """Take back one of your codes of an answer (or all of them)."""
    question = get_question_for_coding(request.user, public_id, question_id)
    frame = _frame(question)
    answer_id = request.POST.get("answer", "")
    code = _code(frame, request.POST.get("code")) if request.POST.get("code") else None
    try:
        services.answer_uncode(actor=request.user, frame=frame, answer_id=answer_id, code=code)
    except DomainError as error:
        return _question_page(request, question, status=400, error=error.message)
    if request.htmx:
        return _row(request, frame, question, int(answer_id))
    return redirect(_back(request, question))


@login_required
@require_POST
def coding_adjudicate(request: AuthedRequest, public_id: Any, question_id: int) -> HttpResponse:
    """Settle the final code of an answer where coders disagree."""
    question = get_question_for_coding(request.user, public_id, question_id)
    frame = _frame(question)
    answer_id = request.POST.get("answer", "")
    chosen = [_code(frame, pk) for pk in request.POST.getlist("codes") if pk]
    try:
        if any(code is None for code in chosen):
            raise DomainError(_("Choose a code of this frame."), field="codes")
        codes = [code for code in chosen if code is not None]
        services.coding_adjudicate(actor=request.user, frame=frame, answer_id=answer_id, codes=codes)
    except DomainError as error:
        return _question_page(request, question, status=400, error=error.message)
    if request.htmx:
        return _row(request, frame, question, int(answer_id))
    messages.success(request, _("The final code is settled."))
    return redirect(_back(request, question))


@login_required
@require_GET
@never_cache
def coding_suggestions(request: AuthedRequest, public_id: Any, question_id: int) -> HttpResponse:
    """Groups of similar answers you have not coded yet (or of all answers, ``?show=all``), each
    with a form to code it at once."""
    question = get_question_for_coding(request.user, public_id, question_id)
    frame = _frame(question)
    show = "all" if request.GET.get("show") == "all" else "uncoded"
    answers = coding.coding_answers(frame, question, request.user, show=show, words="")
    total = answers.count()
    texts = {answer.pk: coding.answer_text(answer, question) for answer in answers[: suggest.MAX_ANSWERS]}
    suggestions = suggest.suggest_groups(list(texts.items()))
    context = {
        "survey": question.survey,
        "question": question,
        "frame": frame,
        "suggestions": suggestions,
        "groups": [(group, [texts[pk] for pk in group.answer_ids[:8]]) for group in suggestions.groups],
        "max_answers": suggest.MAX_ANSWERS,
        "left_out": max(0, total - len(texts)),
        "show": show,
        "keyed": _keyed(frame),
    }
    return render(request, "surveys/coding_suggest.html", context)


@login_required
@require_GET
@never_cache
def coding_agreement(request: AuthedRequest, public_id: Any, question_id: int) -> HttpResponse:
    """Cohen's kappa between the primary coder and each other coder."""
    question = get_question_for_coding(request.user, public_id, question_id)
    frame = _frame(question)
    coders = coding.frame_coders(frame)
    primary = next((row for row in coders if row[0] == frame.primary_coder_id), None)
    pairs = []
    if primary is not None:
        for coder in coders:
            if coder[0] != primary[0]:
                pairs.append((coder, coding.frame_agreement(frame, primary[0], coder[0])))
    context = {"survey": question.survey, "question": question, "frame": frame, "primary": primary, "pairs": pairs}
    return render(request, "surveys/coding_agreement.html", context)
