"""Integrity pages: the reporter's side (no account, no trace) and the officers' side.

Reporter pages never redirect to a URL that carries anything about the report, never store the
receipt code, and are served with the strict headers of ``middleware.ReporterPrivacyMiddleware``.
"""

from __future__ import annotations

import csv
import secrets
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from glas.core.access import require_perm
from glas.core.exceptions import DomainError
from glas.core.ratelimit import allow
from glas.core.types import AuthedRequest
from glas.integrity import forms, keyring, selectors, services
from glas.integrity.models import IdentityAccess, Report, ReportAttachment
from glas.integrity.uploads import clean_uploads

RECEIPT_TRIES_PER_MINUTE = 20  # for the whole site: without addresses, the limit cannot be per person
RECEIPT_TRIES_PER_SESSION = 5
MIME = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
}


def _form_error(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- Reporters --------------------------------------------------------------------------------------


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "integrity/start.html", {"contexts": Report.Context.choices})


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in Report.Kind.values:
        raise Http404
    form = forms.ReportForm(
        request.POST or None, request.FILES or None, kind=kind, initial={"token": secrets.token_urlsafe(24)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        identity = {key: data[key] for key in ("name", "contact", "relation") if key in data}
        try:
            submission = services.report_submit(
                kind=kind,
                context=data["context"],
                description=data["description"],
                persons=data["persons"],
                when_where=data["when_where"],
                identity=identity or None,
                files=clean_uploads(data["attachments"]),
                token=data["token"],
            )
        except DomainError as error:
            if error.code == "duplicate":
                return render(request, "integrity/receipt.html", {"duplicate": True}, status=409)
            _form_error(form, error)
        else:
            return _receipt_page(request, submission)
    status = 400 if form.is_bound else 200
    return render(request, "integrity/report_new.html", {"form": form, "kind": kind}, status=status)


def _receipt_page(request: HttpRequest, submission: services.Submission) -> HttpResponse:
    """Shown once, in the answer to the form (never stored, never in a URL)."""
    from glas.integrity.receipts import display

    report = submission.report
    response = render(request, "integrity/receipt.html", {"receipt": display(submission.receipt), "report": report})
    data_key = services.reporter_key(report, submission.receipt)
    keyring.remember(request, response, "reporter", data_key, report=str(report.public_id))
    return response


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    form = forms.FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not request.session.session_key:
            request.session.save()
        session_key = str(request.session.session_key)
        allowed = allow("integrity.receipt", "site", limit=RECEIPT_TRIES_PER_MINUTE, window=60) and allow(
            "integrity.receipt.session", session_key, limit=RECEIPT_TRIES_PER_SESSION, window=600
        )
        if not allowed:
            form.add_error("receipt", _("Too many attempts. Please wait a few minutes and try again."))
            return render(request, "integrity/follow.html", {"form": form}, status=429)
        report = services.report_by_receipt(form.cleaned_data["receipt"])
        if report is not None:
            from glas.integrity.receipts import normalise

            response = redirect("integrity:follow_report")
            data_key = services.reporter_key(report, normalise(form.cleaned_data["receipt"]) or "")
            keyring.remember(request, response, "reporter", data_key, report=str(report.public_id))
            return response
        form.add_error("receipt", _("No report has this receipt code. Check the digits and try again."))
    return render(request, "integrity/follow.html", {"form": form}, status=400 if form.is_bound else 200)


def _followed(request: HttpRequest) -> tuple[Report, bytes] | None:
    held = keyring.recall(request, "reporter")
    if held is None:
        return None
    data_key, extra = held
    try:
        report = Report.objects.filter(public_id=uuid.UUID(str(extra.get("report")))).first()
    except ValueError:
        return None
    return (report, data_key) if report else None


@require_http_methods(["GET", "POST"])
def follow_report(request: HttpRequest) -> HttpResponse:
    followed = _followed(request)
    if followed is None:
        return redirect("integrity:follow")
    report, data_key = followed
    form = forms.MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reporter_message_add(
                report=report,
                data_key=data_key,
                body=form.cleaned_data["body"],
                files=clean_uploads(form.cleaned_data["attachments"]),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect("integrity:follow_report")
    context = {
        "report": report,
        "opened": services.report_read(report=report, data_key=data_key),
        "events": report.events.all(),
        "form": form,
    }
    return render(request, "integrity/follow_report.html", context, status=400 if form.is_bound else 200)


@require_POST
def follow_leave(request: HttpRequest) -> HttpResponse:
    response = redirect("integrity:start")
    keyring.forget(request, response, "reporter")
    return response


# --- Officers --------------------------------------------------------------------------------------


def _officer(request: AuthedRequest) -> Any:
    require_perm(request.user, "integrity.handle_reports")
    return selectors.officer_for(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def keys(request: AuthedRequest) -> HttpResponse:
    officer = _officer(request)
    form: Any = forms.PassphraseForm(request.POST or None) if officer else forms.EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if officer is None:
                officer = services.officer_enrol(actor=request.user, **form.cleaned_data)
                raw = services.officer_unlock(officer=officer, passphrase=form.cleaned_data["passphrase"])
            else:
                raw = services.officer_unlock(officer=officer, passphrase=form.cleaned_data["passphrase"])
        except DomainError as error:
            _form_error(form, error)
        else:
            response = redirect(_next(request))
            keyring.remember(request, response, "officer", raw)
            return response
    return render(
        request, "integrity/keys.html", {"form": form, "officer": officer}, status=400 if form.is_bound else 200
    )


def _next(request: HttpRequest) -> str:
    """Back to the officer page that asked for the key (integrity pages only), else the inbox."""
    target = request.GET.get("next", "")
    if target.startswith("/integrity/officers/") and "//" not in target and "\\" not in target:
        return target
    return "/integrity/officers/reports/"


@login_required
@require_POST
def lock(request: AuthedRequest) -> HttpResponse:
    _officer(request)
    response = redirect("integrity:keys")
    keyring.forget(request, response, "officer")
    return response


def _unlocked(request: AuthedRequest) -> Any:
    held = keyring.recall(request, "officer")
    if held is None:
        return None
    from glas.integrity.crypto import private_key_from_raw

    return private_key_from_raw(held[0])


@login_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    officer = _officer(request)
    status = request.GET.get("status", "open")
    reports = list(selectors.inbox(status=status)[:200])
    context = {
        "officer": officer,
        "reports": reports,
        "status": status,
        "statuses": Report.Status.choices,
        "overdue": [r for r in reports if r.acknowledge_overdue or r.feedback_overdue],
        "unlocked": _unlocked(request) is not None,
    }
    return render(request, "integrity/inbox.html", context)


def _report_page(
    request: AuthedRequest, report: Report, *, error: str = "", identity: Any = None, status: int = 200
) -> HttpResponse:
    officer = _officer(request)
    private_key = _unlocked(request)
    if officer is None or private_key is None:
        return redirect(f"/integrity/officers/keys/?next={request.path}")
    try:
        opened = services.report_open(report=report, officer=officer, private_key=private_key)
    except DomainError as exc:
        opened, error = None, error or exc.message
    context = {
        "report": report,
        "officer": officer,
        "opened": opened,
        "events": report.events.select_related("officer__user"),
        "requests": report.identity_requests.select_related("requested_by__user", "approved_by__user"),
        "identity": identity,
        "error": error,
        "message_form": forms.OfficerMessageForm(),
        "forward_form": forms.ForwardForm(),
        "close_form": forms.CloseForm(),
        "identity_form": forms.IdentityRequestForm(),
    }
    return render(request, "integrity/officer_report.html", context, status=status)


def _get_report(request: AuthedRequest, public_id: Any) -> Report:
    """A report for an integrity officer (the URL's uuid converter refuses malformed ids)."""
    require_perm(request.user, "integrity.handle_reports")
    return get_object_or_404(Report, public_id=public_id)


@login_required
@require_GET
def officer_report(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _report_page(request, _get_report(request, public_id))


def _act(request: AuthedRequest, report: Report, action: Any) -> HttpResponse:
    try:
        action()
    except DomainError as error:
        return _report_page(request, report, error=error.message, status=403 if error.code == "forbidden" else 400)
    return redirect("integrity:officer_report", public_id=report.public_id)


@login_required
@require_POST
def acknowledge(request: AuthedRequest, public_id: str) -> HttpResponse:
    report = _get_report(request, public_id)
    return _act(request, report, lambda: services.report_acknowledge(actor=request.user, report=report))


@login_required
@require_POST
def message(request: AuthedRequest, public_id: str) -> HttpResponse:
    report = _get_report(request, public_id)
    form = forms.OfficerMessageForm(request.POST)
    private_key = _unlocked(request)
    if private_key is None:
        return redirect("integrity:keys")
    if not form.is_valid():
        return _report_page(request, report, error=_("Write the message."), status=400)

    def send() -> Any:
        return services.officer_message_send(
            actor=request.user, report=report, private_key=private_key, **form.cleaned_data
        )

    return _act(request, report, send)


@login_required
@require_POST
def forward(request: AuthedRequest, public_id: str) -> HttpResponse:
    report = _get_report(request, public_id)
    form = forms.ForwardForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, error=_("Name the authority."), status=400)
    return _act(
        request, report, lambda: services.report_forward(actor=request.user, report=report, to=form.cleaned_data["to"])
    )


@login_required
@require_POST
def close(request: AuthedRequest, public_id: str) -> HttpResponse:
    report = _get_report(request, public_id)
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, error=_("Choose the outcome."), status=400)
    return _act(
        request,
        report,
        lambda: services.report_close(actor=request.user, report=report, outcome=form.cleaned_data["outcome"]),
    )


@login_required
@require_POST
def identity_request(request: AuthedRequest, public_id: str) -> HttpResponse:
    report = _get_report(request, public_id)
    form = forms.IdentityRequestForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, error=_("Give the reason."), status=400)
    return _act(
        request,
        report,
        lambda: services.identity_request(actor=request.user, report=report, reason=form.cleaned_data["reason"]),
    )


@login_required
@require_POST
def identity_approve(request: AuthedRequest, public_id: str, request_id: int) -> HttpResponse:
    report = _get_report(request, public_id)
    access = get_object_or_404(IdentityAccess, pk=request_id, report=report)
    return _act(request, report, lambda: services.identity_approve(actor=request.user, access=access))


@login_required
@require_POST
def identity_reveal(request: AuthedRequest, public_id: str) -> HttpResponse:
    report = _get_report(request, public_id)
    private_key = _unlocked(request)
    if private_key is None:
        return redirect("integrity:keys")
    try:
        identity = services.identity_reveal(actor=request.user, report=report, private_key=private_key)
    except DomainError as error:
        return _report_page(request, report, error=error.message, status=403)
    return _report_page(request, report, identity=identity)


@login_required
@require_GET
def attachment(request: AuthedRequest, public_id: str, stored: str) -> HttpResponse:
    report = _get_report(request, public_id)
    officer = selectors.officer_for(request.user)
    private_key = _unlocked(request)
    if officer is None or private_key is None:
        return redirect("integrity:keys")
    item = get_object_or_404(ReportAttachment, report=report, stored_name=f"integrity/{stored}.bin")
    try:
        data_key = services.officer_data_key(report=report, officer=officer, private_key=private_key)
        name, content = services.attachment_read(attachment=item, data_key=data_key)
    except DomainError as error:
        return _report_page(request, report, error=error.message, status=403)
    response = HttpResponse(content, content_type=MIME.get(item.kind, "application/octet-stream"))
    safe = "".join(ch for ch in name if ch.isalnum() or ch in "._- ")[:100] or "file"
    response["Content-Disposition"] = f'attachment; filename="{safe.encode("ascii", "ignore").decode() or "file"}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_required
@require_POST
def share(request: AuthedRequest) -> HttpResponse:
    officer = _officer(request)
    private_key = _unlocked(request)
    if officer is None or private_key is None:
        return redirect("integrity:keys")
    form = forms.ShareForm(request.POST, exclude=officer)
    if form.is_valid():
        try:
            services.reports_share(
                actor=request.user, officer=officer, private_key=private_key, to=form.cleaned_data["officer"]
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect("integrity:inbox")
    return render(
        request,
        "integrity/keys.html",
        {"form": forms.PassphraseForm(), "share_form": form, "officer": officer},
        status=400,
    )


@login_required
@require_GET
def register(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "integrity.view_register")
    year = forms.year_choice(request.GET.get("year"))
    rows = selectors.register_rows(year)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="register-{year}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Registration number"),
                _("Received on"),
                _("Kind"),
                _("Subject"),
                _("Acknowledged on"),
                _("Feedback given on"),
                _("Forwarded to"),
                _("Status"),
                _("Outcome"),
                _("Closed on"),
            ]
        )
        for r in rows:
            writer.writerow(
                [
                    r.reference,
                    r.received_on,
                    r.get_kind_display(),
                    r.get_context_display(),
                    r.acknowledged_on or "",
                    r.feedback_on or "",
                    r.forwarded_to,
                    r.get_status_display(),
                    r.get_outcome_display(),
                    r.closed_on or "",
                ]
            )
        return response
    return render(request, "integrity/register.html", {"rows": rows, "year": year, "today": timezone.localdate()})


@login_required
@require_GET
def statistics(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "integrity.view_register")
    year = forms.year_choice(request.GET.get("year"))
    stats = selectors.year_statistics(year)
    context = {
        "stats": stats,
        "kinds": [(label, stats.by_kind.get(value, 0)) for value, label in Report.Kind.choices],
        "contexts": [(label, stats.by_context.get(value, 0)) for value, label in Report.Context.choices],
        "outcomes": [(label, stats.by_outcome.get(value, 0)) for value, label in Report.Outcome.choices],
    }
    return render(request, "integrity/statistics.html", context)
