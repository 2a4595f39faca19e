"""Staff pages of the council registry (council and administration staff): sessions with
agenda, documents and minutes; decisions and their roll calls; CSV import with a preview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest
from glas.council import access, selectors, services
from glas.council.forms import (
    AgendaItemForm,
    DecisionForm,
    DecisionsImportForm,
    DocumentForm,
    MinutesForm,
    RollCallForm,
    SessionForm,
)
from glas.council.models import Decision, Session

IMPORT_SALT = "council.decisions_import"
IMPORT_MAX_AGE = 3600


def _form_error(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@require_GET
def staff_home(request: AuthedRequest) -> HttpResponse:
    term = access.get_term_for_change(request.user)
    return render(request, "council/staff_home.html", {"term": term, "sessions": selectors.sessions_of(term)})


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: AuthedRequest) -> HttpResponse:
    term = access.get_term_for_change(request.user)
    form = SessionForm(request.POST or None, initial={"number": term.sessions.count() + 1})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.council_session_create(actor=request.user, term=term, data=form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The session was created."))
            return redirect("council:staff_session", pk=session.pk)
    return render(
        request, "council/staff_session_form.html", {"form": form, "term": term}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_change(request.user, pk)
    initial = {name: getattr(session, name) for name in services.registry.SESSION_FIELDS}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.council_session_update(actor=request.user, session=session, data=form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("council:staff_session", pk=session.pk)
    context = {"form": form, "term": session.term, "session": session}
    return render(request, "council/staff_session_form.html", context, status=400 if form.errors else 200)


# The session page shows three forms, two with a title and two with a file: each form's ids
# start with its name, so that no id is given twice.
AUTO_IDS = {"agenda": "id_agenda_%s", "document": "id_document_%s", "minutes": "id_minutes_%s"}


def _session_page(request: AuthedRequest, session: Session, *, status: int = 200, **forms: Any) -> HttpResponse:
    detail = selectors.session_detail(session.pk)
    minutes = getattr(detail, "minutes", None)
    context = {
        "session": detail,
        "minutes": minutes,
        "agenda_form": forms.get("agenda_form") or AgendaItemForm(term=session.term, auto_id=AUTO_IDS["agenda"]),
        "document_form": forms.get("document_form") or DocumentForm(session=session, auto_id=AUTO_IDS["document"]),
        "minutes_form": forms.get("minutes_form")
        or MinutesForm(initial={"text": minutes.text if minutes else ""}, auto_id=AUTO_IDS["minutes"]),
    }
    return render(request, "council/staff_session.html", context, status=status)


@login_required
@require_GET
def staff_session(request: AuthedRequest, pk: int) -> HttpResponse:
    return _session_page(request, access.get_session_for_change(request.user, pk))


@login_required
@require_POST
def agenda_add(request: AuthedRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_change(request.user, pk)
    form = AgendaItemForm(request.POST, term=session.term, auto_id=AUTO_IDS["agenda"])
    if form.is_valid():
        try:
            services.agenda_item_add(actor=request.user, session=session, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The agenda item was added."))
            return redirect("council:staff_session", pk=session.pk)
    return _session_page(request, session, status=400, agenda_form=form)


@login_required
@require_POST
def document_add(request: AuthedRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_change(request.user, pk)
    form = DocumentForm(request.POST, request.FILES, session=session, auto_id=AUTO_IDS["document"])
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.session_document_add(
                actor=request.user,
                session=session,
                title=data["title"],
                upload=data["file"],
                agenda_item=data["agenda_item"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The document was added."))
            return redirect("council:staff_session", pk=session.pk)
    return _session_page(request, session, status=400, document_form=form)


@login_required
@require_POST
def minutes_save(request: AuthedRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_change(request.user, pk)
    form = MinutesForm(request.POST, request.FILES, auto_id=AUTO_IDS["minutes"])
    if form.is_valid():
        try:
            services.minutes_record(
                actor=request.user, session=session, text=form.cleaned_data["text"], upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The minutes were saved."))
            return redirect("council:staff_session", pk=session.pk)
    return _session_page(request, session, status=400, minutes_form=form)


def _decision_form_page(
    request: AuthedRequest, form: DecisionForm, session: Session, decision: Decision | None
) -> HttpResponse:
    context = {"form": form, "session": session, "decision": decision}
    return render(request, "council/staff_decision_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: AuthedRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_change(request.user, pk)
    form = DecisionForm(
        request.POST or None,
        session=session,
        initial={"number": selectors.next_decision_number(session.term), "date": session.date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_record(actor=request.user, session=session, data=form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The decision was recorded. Now record the roll call."))
            return redirect("council:staff_votes", public_id=decision.public_id)
    return _decision_form_page(request, form, session, None)


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: AuthedRequest, public_id: str) -> HttpResponse:
    decision = access.get_decision_for_change(request.user, public_id)
    initial = {name: getattr(decision, name) for name in services.registry.DECISION_FIELDS}
    form = DecisionForm(request.POST or None, session=decision.session, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                actor=request.user, session=decision.session, data=form.cleaned_data, decision=decision
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The decision was saved."))
            return redirect(decision)
    return _decision_form_page(request, form, decision.session, decision)


@login_required
@require_http_methods(["GET", "POST"])
def decision_votes(request: AuthedRequest, public_id: str) -> HttpResponse:
    decision = access.get_decision_for_change(request.user, public_id)
    councillors = list(services.councillors_voting_on(decision))
    initial = dict(decision.votes.values_list("councillor_id", "choice"))
    form = RollCallForm(request.POST or None, councillors=councillors, initial_votes=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.votes_record(actor=request.user, decision=decision, choices=form.choices())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The roll call was recorded."))
            return redirect(decision)
    context = {"form": form, "decision": decision}
    return render(request, "council/staff_votes.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def decisions_import(request: AuthedRequest) -> HttpResponse:
    """Upload → preview (nothing saved; the checked file travels signed in the form) → import."""
    term = access.get_term_for_change(request.user)
    form = DecisionsImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"term": term, "form": form, "errors": []}
    if request.method == "POST" and "payload" in request.POST:
        return _import_confirmed(request, term, context)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"]
        try:
            context["report"] = services.parse_decisions_csv(term, data)
        except services.ImportRefused as refused:
            context["errors"] = refused.errors
            form.add_error(
                "file", _("The file cannot be imported: correct the lines listed below and upload it again.")
            )
        else:
            context["payload"] = signing.dumps(data.decode("latin-1"), salt=IMPORT_SALT, compress=True)
            return render(request, "council/staff_import.html", context)
    return render(request, "council/staff_import.html", context, status=400 if form.errors else 200)


def _import_confirmed(request: AuthedRequest, term: Any, context: dict[str, Any]) -> HttpResponse:
    context["form"] = DecisionsImportForm()
    try:
        data = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE).encode("latin-1")
    except (signing.BadSignature, UnicodeEncodeError, AttributeError):
        context["problem"] = _("The preview has expired; upload the file again.")
        return render(request, "council/staff_import.html", context, status=400)
    try:
        report = services.decisions_import_csv(actor=request.user, term=term, data=data)
    except services.ImportRefused as refused:
        context["errors"] = refused.errors
        context["problem"] = _("The file cannot be imported: correct the lines listed below and upload it again.")
        return render(request, "council/staff_import.html", context, status=400)
    messages.success(
        request,
        _("Decisions imported: %(created)s, with %(votes)s votes; already in the registry: %(unchanged)s.")
        % {"created": report.created, "votes": report.votes, "unchanged": report.unchanged},
    )
    return redirect("council:staff_home")
