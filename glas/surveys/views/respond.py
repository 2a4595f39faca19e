"""Residents answer: open surveys, the start page (public link, invitation link, letter code),
one section per page with save-and-resume, review and submit, thank-you and withdrawal.

The answering pages (``answer_page``, ``review_page``) are shared with assisted and paper entry
(``views/entry.py``), which passes its own URL names. The services are the authority on every
answer; the pages only collect raw values and show the services' messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.signing import BadSignature
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from glas.core import ratelimit
from glas.core.exceptions import DomainError
from glas.core.participation import OpenItem
from glas.core.types import AuthedRequest
from glas.surveys import access, logic, selectors, services
from glas.surveys.forms.respond import (
    LetterCodeForm,
    SectionAnswerForm,
    ShortCodeForm,
    initial_values,
    settlement_options,
)
from glas.surveys.models import OTHER_CODE, Question, Response, Section, Survey

SESSION_RESPONSES = "surveys_responses"
SESSION_TOKENS = "surveys_tokens"  # response id → invitation code, for confidential submissions
ANSWERED_COOKIE = "glas_surveys_answered"
ANSWERED_SALT = "glas.surveys.answered"
ANSWERED_MAX_AGE = 60 * 60 * 24 * 365
RATE_WINDOW = 600


@dataclass(frozen=True)
class Route:
    """The URL names of one audience's answering pages."""

    page: str
    review: str
    done: str
    resume: str
    template_prefix: str


RESPONDENT = Route("surveys:respond_page", "surveys:respond_review", "surveys:respond_done",
                   "surveys:respond_resume", "respond")  # fmt: skip


# --- Browser memory: the session list and the "answered here" cookie --------------------------


def session_ids(request: HttpRequest) -> list[str]:
    return list(request.session.get(SESSION_RESPONSES, []))


def remember(request: HttpRequest, response: Response, token: str = "") -> None:
    ids = [item for item in session_ids(request) if item != str(response.public_id)]
    request.session[SESSION_RESPONSES] = (ids + [str(response.public_id)])[-50:]
    if token and response.channel == Response.Channel.INVITATION and response.invitation_id is None:
        tokens = dict(request.session.get(SESSION_TOKENS, {}))
        tokens[str(response.public_id)] = token
        request.session[SESSION_TOKENS] = tokens


def answered_here(request: HttpRequest) -> set[str]:
    try:
        value = request.get_signed_cookie(ANSWERED_COOKIE, default="", salt=ANSWERED_SALT)
    except BadSignature:
        return set()
    return set(filter(None, str(value).split(",")))


def mark_answered(request: HttpRequest, http: HttpResponse, survey: Survey) -> None:
    done = sorted(answered_here(request) | {str(survey.public_id)})[-40:]
    http.set_signed_cookie(
        ANSWERED_COOKIE,
        ",".join(done),
        salt=ANSWERED_SALT,
        max_age=ANSWERED_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def within_rate_limit(request: HttpRequest, scope: str) -> bool:
    return ratelimit.allow_request(request, scope, limit=settings.SURVEYS_PUBLIC_RATE_LIMIT, window=RATE_WINDOW)


def too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/respond_ratelimited.html", status=429)


def problem(request: HttpRequest, message: str, *, survey: Survey | None = None, status: int = 400) -> HttpResponse:
    return render(request, "surveys/respond_problem.html", {"message": message, "survey": survey}, status=status)


def closed_page(request: HttpRequest, survey: Survey) -> HttpResponse:
    today = timezone.localdate()
    if survey.status == Survey.Status.FIELDWORK and survey.fieldwork_start and today < survey.fieldwork_start:
        return render(request, "surveys/respond_closed.html", {"survey": survey, "not_yet": True}, status=400)
    return render(request, "surveys/respond_closed.html", {"survey": survey}, status=410)


def error_response(request: HttpRequest, error: DomainError, survey: Survey) -> HttpResponse:
    if error.code == "closed":
        return closed_page(request, survey)
    return problem(request, error.message, survey=survey)


# --- Open surveys and the home page --------------------------------------------------------


def open_now(limit: int) -> list[OpenItem]:
    """The participation provider: surveys anyone may answer by public link."""
    surveys = selectors.open_surveys().exclude(anonymity=Survey.Anonymity.CONFIDENTIAL)[:limit]
    return [
        OpenItem(
            kind=_("Survey"),
            title=survey.title,
            url=reverse("surveys:respond_start", args=[survey.public_id]),
            closes_on=survey.fieldwork_end,
            summary=survey.purpose[:300],
        )
        for survey in surveys
    ]


@require_http_methods(["GET", "POST"])
def open_list(request: HttpRequest) -> HttpResponse:
    surveys = list(selectors.open_surveys())
    by_letter = [survey for survey in surveys if survey.anonymity != Survey.Anonymity.ANONYMOUS]
    form = LetterCodeForm(request.POST or None, surveys=by_letter)
    if request.method == "POST" and form.is_valid():
        survey = next(survey for survey in by_letter if str(survey.public_id) == form.cleaned_data["survey"])
        return start_response(request, survey, channel=Response.Channel.INVITATION, token=form.cleaned_data["code"])
    context = {
        "surveys": surveys,
        "form": form,
        "letter_surveys": by_letter,
        "published": selectors.surveys_with_published_results(),
        "reports": selectors.published_reports(),
    }
    return render(request, "surveys/respond_list.html", context, status=400 if form.errors else 200)


# --- Starting --------------------------------------------------------------------------------


def start_response(request: HttpRequest, survey: Survey, *, channel: str, token: str = "") -> HttpResponse:
    """Start (or resume) a response in this browser, after the rate limit and the one-response-
    per-browser rule of the public link; errors become polite pages or form errors."""
    if not within_rate_limit(request, "surveys.start"):
        return too_many(request)
    in_progress = Response.objects.filter(
        survey=survey, public_id__in=session_ids(request), status=Response.Status.IN_PROGRESS
    ).first()
    # Resume the response in progress in this browser; with a code, only the one started with
    # that same code (two people of one household may share a computer).
    stored_token = request.session.get(SESSION_TOKENS, {}).get(str(in_progress.public_id)) if in_progress else None
    if in_progress is not None and (channel == Response.Channel.WEB or stored_token == token):
        return redirect(RESPONDENT.page, in_progress.public_id, 1)
    if channel == Response.Channel.WEB and str(survey.public_id) in answered_here(request):
        return problem(request, _("You have already answered this survey on this device. Thank you!"), survey=survey)
    actor = request.user if request.user.is_authenticated else None
    try:
        response = services.response_start(actor=actor, survey=survey, channel=channel, token=token)  # type: ignore[arg-type]
    except DomainError as error:
        if error.code == "token" or error.field == "token":
            return start_page(request, survey, code_error=error.message, status=400)
        return error_response(request, error, survey)
    if response.status == Response.Status.COMPLETE:
        return redirect(RESPONDENT.done, response.public_id)
    remember(request, response, token)
    return redirect(RESPONDENT.page, response.public_id, 1)


def start_page(
    request: HttpRequest, survey: Survey, *, token: str = "", code_error: str = "", status: int = 200
) -> HttpResponse:
    code_form = ShortCodeForm(request.POST if code_error else None)
    if code_error:
        code_form.is_valid()
        code_form.add_error("code", code_error)
    context = {
        "survey": survey,
        "code_form": code_form,
        "token": token,
        "answered_here": str(survey.public_id) in answered_here(request),
    }
    return render(request, "surveys/respond_start.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def respond_start(request: HttpRequest, public_id: Any) -> HttpResponse:
    survey = access.get_survey_for_answering(public_id)
    if not survey.is_open_for_responses:
        return closed_page(request, survey)
    if request.method == "GET":
        return start_page(request, survey)
    if "code" in request.POST:
        form = ShortCodeForm(request.POST)
        if not form.is_valid():
            return start_page(request, survey, code_error=_("Enter the code from your letter."), status=400)
        return start_response(request, survey, channel=Response.Channel.INVITATION, token=form.cleaned_data["code"])
    return start_response(request, survey, channel=Response.Channel.WEB)


@never_cache
@require_http_methods(["GET", "POST"])
def respond_invitation(request: HttpRequest, public_id: Any, token: str) -> HttpResponse:
    """The link from an invitation e-mail: the start page, whose button starts with the token.
    The token is not logged, audited or sent on as a referrer."""
    survey = access.get_survey_for_answering(public_id)
    if not survey.is_open_for_responses:
        http = closed_page(request, survey)
    elif request.method == "POST":
        http = start_response(request, survey, channel=Response.Channel.INVITATION, token=token[:200])
    else:
        http = start_page(request, survey, token=token[:200])
    # Not "no-referrer": the start button posts, and with it browsers send "Origin: null",
    # which the CSRF check refuses. No other site receives the link as a referrer either way.
    http["Referrer-Policy"] = "same-origin"
    # Django logs the path of every 4xx response; this path holds the token, so it is not logged.
    http._has_been_logged = True  # type: ignore[attr-defined]
    return http


# --- Answering, shared with entry -------------------------------------------------------------


def _page_questions(
    structure: Any, pages: list[Section], shown: set[str], *, all_sections: bool
) -> tuple[list[Question], set[str]]:
    """The questions sent with ``pages``, and the variables of every question on them: those
    shown by the saved answers, plus those whose logic depends on this page (every one, for
    paper entry)."""
    page_ids = {page.pk for page in pages}
    on_page = {question.variable for question in structure.questions if question.section_id in page_ids}
    questions = [
        question
        for question in structure.questions
        if question.section_id in page_ids
        and (all_sections or question.variable in shown or logic.referenced_variables(question.logic) & on_page)
    ]
    return questions, on_page


def answer_page(
    request: HttpRequest, response: Response, number: int, *, route: Route, all_sections: bool = False
) -> HttpResponse:
    """One section of the questionnaire (or all of them, for paper entry): show, save, move on.
    Questions whose logic depends on this page are always sent (shown or hidden live by
    ``logic.js``); the others only when the saved answers show them."""
    if response.status == Response.Status.COMPLETE:
        return redirect(route.done, response.public_id)
    survey = response.survey
    if not survey.is_open_for_responses:
        return closed_page(request, survey)
    structure = selectors.survey_structure(survey)
    values = selectors.response_values(response, structure)
    shown = selectors.visible_questions(structure, values)
    visible = selectors.visible_sections(structure, shown)
    if not 1 <= number <= len(structure.sections) or (all_sections and number != 1):
        raise Http404
    section = structure.sections[number - 1]
    if not all_sections and section not in visible:
        return redirect_after(response, structure, visible, number, route)
    pages = structure.sections if all_sections else [section]
    questions, on_page = _page_questions(structure, pages, shown, all_sections=all_sections)
    others = selectors.response_others(response)
    form = SectionAnswerForm(
        request.POST if request.method == "POST" else None,
        structure=structure,
        questions=questions,
        response=response,
        values=values,
        others={question.variable: others.get(question.pk, "") for question in questions},
    )
    if request.method == "POST":
        saved = _save(request, form, response, structure)
        if isinstance(saved, HttpResponse):
            return saved
        if saved:
            return _after_save(request, response, structure, number, route, all_sections)
    known = {variable: value for variable, value in values.items() if variable in shown and variable not in on_page}
    context = _page_context(form, structure, pages, known, response, number, visible, route)
    return render(
        request, f"surveys/{route.template_prefix}_page.html", context, status=400 if form.has_answer_errors else 200
    )


def _save(request: HttpRequest, form: SectionAnswerForm, response: Response, structure: Any) -> bool | HttpResponse:
    if not form.is_valid():
        form.collect_field_errors()
        return False
    answers, other = form.answers()
    actor = request.user if request.user.is_authenticated else None
    try:
        services.response_save_answers(  # type: ignore[arg-type]
            actor=actor, response=response, answers=answers, other=other, structure=structure
        )
    except services.AnswersInvalid as error:
        form.set_service_errors(error.errors)
        return False
    except DomainError as error:
        return error_response(request, error, response.survey)
    return True


def _after_save(
    request: HttpRequest, response: Response, structure: Any, number: int, route: Route, all_sections: bool
) -> HttpResponse:
    action = request.POST.get("action", "next")
    if action == "later":
        messages.success(request, _("Your answers are saved."))
        return redirect(route.resume, response.public_id)
    if all_sections:
        return redirect(route.review, response.public_id)
    values = selectors.response_values(response, structure)
    visible = selectors.visible_sections(structure, selectors.visible_questions(structure, values))
    if action == "back":
        earlier = [page for page in _numbers(structure, visible) if page < number]
        return redirect(route.page, response.public_id, earlier[-1] if earlier else number)
    return redirect_after(response, structure, visible, number, route)


def _numbers(structure: Any, sections: list[Section]) -> list[int]:
    """The page numbers (1-based places among all sections) of ``sections``."""
    return [structure.sections.index(section) + 1 for section in sections]


def redirect_after(
    response: Response, structure: Any, visible: list[Section], number: int, route: Route
) -> HttpResponse:
    """To the next shown section after page ``number``, or to the review."""
    later = [page for page in _numbers(structure, visible) if page > number]
    if later:
        return redirect(route.page, response.public_id, later[0])
    return redirect(route.review, response.public_id)


def _page_context(
    form: SectionAnswerForm,
    structure: Any,
    pages: list[Section],
    known: dict[str, Any],
    response: Response,
    number: int,
    visible: list[Section],
    route: Route,
) -> dict[str, Any]:
    blocks = form.blocks()
    groups = [(page, [block for block in blocks if block.question.section_id == page.pk]) for page in pages]
    logic_data = {
        "questions": {block.name: block.question.logic for block in blocks if block.question.logic},
        "order": [block.name for block in blocks],
        "types": {question.variable: question.type for question in structure.questions},
        "answers": initial_values(known),
    }
    numbers = _numbers(structure, visible)
    return {
        "response": response,
        "survey": response.survey,
        "form": form,
        "groups": [(page, items) for page, items in groups if items],
        "logic_json": json.dumps(logic_data, ensure_ascii=False, default=str),
        "number": number,
        "step": (numbers.index(number) + 1) if number in numbers else 1,
        "steps": len(numbers),
        "has_back": any(page < number for page in numbers),
        "route": route,
    }


def review_rows(response: Response, structure: Any) -> list[tuple[Section, int, list[tuple[Question, list[str]]]]]:
    """(section, page number, [(question, lines of the answer)]) for the shown sections."""
    values = selectors.response_values(response, structure)
    shown = selectors.visible_questions(structure, values)
    others = selectors.response_others(response)
    settlements = dict(settlement_options()) if structure.settlements else {}
    rows = []
    for section in selectors.visible_sections(structure, shown):
        items = [
            (
                question,
                display_answer(question, values.get(question.variable), others.get(question.pk, ""), settlements),
            )
            for question in structure.questions
            if question.section_id == section.pk and question.variable in shown and question.type != Question.Type.NOTE
        ]
        rows.append((section, structure.sections.index(section) + 1, items))
    return rows


def display_answer(question: Question, value: Any, other_text: str, settlements: dict[str, str]) -> list[str]:
    """An answer as lines of text for the review page."""
    if value is None or value == "" or value == [] or value == {}:
        return []
    labels = {choice.code: choice.label for choice in question.choices.all()}
    labels[OTHER_CODE] = _("Other: %(text)s") % {"text": other_text} if other_text else _("Other")
    if question.type == Question.Type.SETTLEMENT:
        return [settlements.get(value, value)]
    if question.type == Question.Type.MULTIPLE:
        return [labels.get(code, code) for code in value]
    if question.type == Question.Type.RANKING:
        return [f"{rank}. {labels.get(code, code)}" for rank, code in enumerate(value, start=1)]
    if question.type == Question.Type.MATRIX:
        return [
            f"{row.label}: {labels.get(value[row.code], value[row.code])}"
            for row in question.rows.all()
            if row.code in value
        ]
    if question.storage == "text" and question.type in Question.SINGLE_CODE_TYPES:
        return [labels.get(value, value)]
    if question.storage == "number":
        return [f"{value.normalize():f}"]
    if question.storage == "date":
        return [value.strftime("%d.%m.%Y")]
    return [str(value)]


def review_page(
    request: HttpRequest, response: Response, *, route: Route, on_submit: Any, token: str = ""
) -> HttpResponse:
    """All shown answers with a "change" link per section; POST submits (``on_submit`` makes the
    HTTP response after a successful submission)."""
    if response.status == Response.Status.COMPLETE:
        return redirect(route.done, response.public_id)
    survey = response.survey
    if not survey.is_open_for_responses:
        return closed_page(request, survey)
    structure = selectors.survey_structure(survey)
    errors: dict[str, str] = {}
    if request.method == "POST":
        actor = request.user if request.user.is_authenticated else None
        try:
            services.response_submit(actor=actor, response=response, token=token)  # type: ignore[arg-type]
        except services.AnswersInvalid as error:
            errors = error.errors
        except DomainError as error:
            return error_response(request, error, survey)
        else:
            return on_submit(response)
    context = {"response": response, "survey": survey, "rows": review_rows(response, structure), "errors": errors,
               "route": route}  # fmt: skip
    return render(request, f"surveys/{route.template_prefix}_review.html", context, status=400 if errors else 200)


# --- Respondent pages ------------------------------------------------------------------------


def _respondent_response(request: HttpRequest, response_id: Any) -> Response:
    return access.get_response_for_respondent(request.user, response_id, session_ids=session_ids(request))


@never_cache
@require_http_methods(["GET", "POST"])
def respond_page(request: HttpRequest, response_id: Any, number: int) -> HttpResponse:
    response = _respondent_response(request, response_id)
    return answer_page(request, response, number, route=RESPONDENT)


@never_cache
def respond_resume(request: HttpRequest, response_id: Any) -> HttpResponse:
    response = _respondent_response(request, response_id)
    if response.status == Response.Status.COMPLETE:
        return redirect(RESPONDENT.done, response.public_id)
    link = request.build_absolute_uri(reverse(RESPONDENT.resume, args=[response.public_id]))
    context = {"response": response, "survey": response.survey, "link": link}
    return render(request, "surveys/respond_resume.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def respond_review(request: HttpRequest, response_id: Any) -> HttpResponse:
    response = _respondent_response(request, response_id)
    if request.method == "POST" and response.respondent_id is None and not within_rate_limit(request, "surveys.submit"):
        return too_many(request)
    token = request.session.get(SESSION_TOKENS, {}).get(str(response.public_id), "")

    def submitted(done: Response) -> HttpResponse:
        tokens = dict(request.session.get(SESSION_TOKENS, {}))
        tokens.pop(str(done.public_id), None)
        request.session[SESSION_TOKENS] = tokens
        http = redirect(RESPONDENT.done, done.public_id)
        mark_answered(request, http, done.survey)
        return http

    return review_page(request, response, route=RESPONDENT, on_submit=submitted, token=token)


@never_cache
def respond_done(request: HttpRequest, response_id: Any) -> HttpResponse:
    response = _respondent_response(request, response_id)
    if response.status != Response.Status.COMPLETE:
        return redirect(RESPONDENT.page, response.public_id, 1)
    can_withdraw = response.survey.anonymity == Survey.Anonymity.IDENTIFIED
    return render(request, "surveys/respond_done.html", {"response": response, "survey": response.survey,
                                                          "can_withdraw": can_withdraw})  # fmt: skip


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def respond_withdraw(request: AuthedRequest, response_id: Any) -> HttpResponse:
    response = _respondent_response(request, response_id)
    if response.survey.anonymity != Survey.Anonymity.IDENTIFIED:
        raise Http404
    if request.method == "POST":
        survey = response.survey
        services.response_withdraw(actor=request.user, response=response)
        messages.success(request, _("Your answers have been withdrawn and deleted."))
        return redirect("surveys:respond_start", survey.public_id)
    return render(request, "surveys/respond_withdraw.html", {"response": response, "survey": response.survey})
