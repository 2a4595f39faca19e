"""The public register of interest declarations, its staff entry page, and the officers' review
of council votes flagged against declarations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from glas.core.access import require_perm
from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest
from glas.integrity import forms, selectors, services
from glas.integrity.models import InterestDeclaration, VoteFlag

PAGE = 25


@require_GET
def declarations(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    year = forms.year_choice(request.GET["year"]) if request.GET.get("year") else None
    position = request.GET.get("position", "")
    found = selectors.declarations_search(query, position=position, year=year)
    page = Paginator(found, PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "year": year,
        "position": position,
        "positions": InterestDeclaration.Position.choices,
        "commission": selectors.commission_declarations(),
    }
    return render(request, "integrity/declarations.html", context)


@require_GET
def declaration(request: HttpRequest, public_id: str) -> HttpResponse:
    item = get_object_or_404(
        InterestDeclaration.objects.select_related("councillor").prefetch_related("companies"), public_id=public_id
    )
    context = {"declaration": item, "flags": selectors.confirmed_flags(item)}
    return render(request, "integrity/declaration.html", context)


@require_GET
def declaration_document(request: HttpRequest, public_id: str) -> FileResponse:
    item = get_object_or_404(InterestDeclaration, public_id=public_id)
    if not item.document:
        raise Http404
    response = FileResponse(item.document.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="declaration-{item.year}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def declaration_new(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "integrity.manage_declarations")
    form = forms.DeclarationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.declaration_file(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The declaration was added to the register."))
            return redirect("integrity:declaration", public_id=item.public_id)
    status = 400 if form.is_bound else 200
    return render(request, "integrity/declaration_new.html", {"form": form}, status=status)


@login_required
@require_GET
def flags(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "integrity.review_flags")
    pending = VoteFlag.objects.filter(status=VoteFlag.Status.PENDING).select_related(
        "vote__decision", "vote__councillor", "company__declaration"
    )
    context = {"flags": list(pending[:100]), "form": forms.FlagReviewForm()}
    return render(request, "integrity/flags.html", context)


@login_required
@require_POST
def flags_scan(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "integrity.review_flags")
    found = services.vote_conflicts_scan()
    messages.success(request, _("Council votes checked: %(count)d new to review.") % {"count": found})
    return redirect("integrity:flags")


@login_required
@require_POST
def flag_review(request: AuthedRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "integrity.review_flags")
    flag = get_object_or_404(VoteFlag, pk=pk, status=VoteFlag.Status.PENDING)
    form = forms.FlagReviewForm(request.POST)
    if form.is_valid():
        try:
            services.vote_flag_review(actor=request.user, flag=flag, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("integrity:flags")
        messages.success(request, _("The review was recorded."))
    else:
        messages.error(request, _("Choose whether the conflict is confirmed or dismissed."))
    return redirect("integrity:flags")


@require_GET
def ethics(request: HttpRequest) -> HttpResponse:
    from glas.integrity.models import EthicsCode

    codes = list(EthicsCode.objects.all()[:20])
    return render(request, "integrity/ethics.html", {"code": codes[0] if codes else None, "earlier": codes[1:]})


@require_GET
def ethics_document(request: HttpRequest, pk: int) -> FileResponse:
    from glas.integrity.models import EthicsCode

    code = get_object_or_404(EthicsCode, pk=pk)
    if not code.document:
        raise Http404
    response = FileResponse(code.document.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ethics-code-{code.published_on:%Y%m%d}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def ethics_publish(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "integrity.manage_declarations")
    form = forms.EthicsCodeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ethics_code_publish(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The ethics code was published."))
            return redirect("integrity:ethics")
    return render(request, "integrity/ethics_publish.html", {"form": form}, status=400 if form.is_bound else 200)
