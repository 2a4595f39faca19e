"""Council staff: the verification page (held signatures, the registry's answer, conditional
bulk invalidation), the audited export, and printable signature sheets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest
from glas.initiatives import exports, forms, selectors, services
from glas.initiatives.access import get_held_signature, get_initiative_for_paper_entry, get_initiative_for_verification
from glas.initiatives.models import Initiative, Signature
from glas.initiatives.views.common import form_error

HELD_SHOWN = 50


def _page(request: AuthedRequest, initiative: Initiative, **overrides: object) -> HttpResponse:
    context = {
        "initiative": initiative,
        "dashboard": selectors.campaign_dashboard(initiative),
        "held": Signature.objects.filter(initiative=initiative, status=Signature.Status.HELD).select_related(
            "settlement"
        )[:HELD_SHOWN],
        "import_form": forms.RegistryAnswerForm(),
        "invalidate_form": forms.InvalidateForm(),
        "report": None,
        "mismatches": selectors.keying_mismatches(initiative),
        **overrides,
    }
    report = overrides.get("report")
    failed = any(getattr(f, "errors", None) for f in overrides.values()) or bool(getattr(report, "errors", None))
    return render(request, "initiatives/verification.html", context, status=400 if failed else 200)


@login_required
@require_GET
def verification(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _page(request, get_initiative_for_verification(request.user, public_id))


@login_required
@require_GET
def export(request: AuthedRequest, public_id: str, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    initiative = get_initiative_for_verification(request.user, public_id)
    services.signatures_export_log(actor=request.user, initiative=initiative, fmt=fmt)
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(initiative), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.xlsx_bytes(initiative),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="signatures-{initiative.public_id}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def registry_import(request: AuthedRequest, public_id: str) -> HttpResponse:
    initiative = get_initiative_for_verification(request.user, public_id)
    form = forms.RegistryAnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, initiative, import_form=form)
    try:
        report = services.registry_answer_import(
            actor=request.user,
            initiative=initiative,
            data=form.cleaned_data["file"].read(services.verification.MAX_IMPORT_BYTES + 1),
        )
    except DomainError as error:
        form_error(form, error)
        return _page(request, initiative, import_form=form)
    if report.errors:
        return _page(request, initiative, report=report)
    messages.success(
        request,
        _("Registry answer applied: %(valid)s valid, %(invalid)s invalid.")
        % {"valid": report.valid, "invalid": report.invalid},
    )
    return redirect("initiatives:verification", public_id=initiative.public_id)


@login_required
@require_POST
def invalidate(request: AuthedRequest, public_id: str) -> HttpResponse:
    initiative = get_initiative_for_verification(request.user, public_id)
    form = forms.InvalidateForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            count = services.signatures_invalidate(
                actor=request.user, initiative=initiative, reason=reason, conditions=data
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("%(n)s signatures invalidated.") % {"n": count})
            return redirect("initiatives:verification", public_id=initiative.public_id)
    return _page(request, initiative, invalidate_form=form)


@login_required
@require_POST
def held_review(request: AuthedRequest, public_id: str, signature_id: str) -> HttpResponse:
    initiative = get_initiative_for_verification(request.user, public_id)
    signature = get_held_signature(request.user, initiative, signature_id)
    form = forms.HeldReviewForm(request.POST)
    if form.is_valid():
        try:
            services.signature_review(actor=request.user, signature=signature, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("initiatives:verification", public_id=initiative.public_id)


@login_required
@require_GET
def signature_sheet(request: AuthedRequest, public_id: str) -> HttpResponse:
    """A blank printable sheet with the exact question, the committee and the legal notice."""
    initiative = get_initiative_for_paper_entry(request.user, public_id)
    if not initiative.is_binding or not initiative.question_frozen:
        raise Http404
    context = {
        "initiative": initiative,
        "committee": initiative.committee.filter(confirmed_at__isnull=False),
        "lines": range(1, 11),
    }
    html = render_to_string("initiatives/sheet_pdf.html", context, request=request)
    response = HttpResponse(exports.sheet_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="signature-sheet-{initiative.public_id}.pdf"'
    return response
