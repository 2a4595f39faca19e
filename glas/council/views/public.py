"""Public pages of the council registry: councillors, sessions, decisions and their votes.
Anyone may read them; every page runs a fixed number of queries."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from glas.core.selectors import current_municipality
from glas.council import access, selectors
from glas.council.forms import DecisionSearchForm

PER_PAGE = 25


@require_GET
def council_home(request: HttpRequest) -> HttpResponse:
    municipality = current_municipality()
    term = access.get_current_term()
    councillors = list(selectors.councillors_of(term))
    context = {
        "term": term,
        "groups": [(group, list(members)) for group, members in groupby(councillors, key=lambda c: c.group)],
        "councillor_count": len(councillors),
        "officials": selectors.officials_of(municipality),
        "committees": selectors.committees_of(term),
        "units": selectors.units_of(municipality),
        "latest": selectors.latest_decisions(term),
        "is_demo": term.is_demo,
    }
    return render(request, "council/home.html", context)


@require_GET
def councillor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    councillor = access.get_public_councillor(pk)
    page = Paginator(selectors.votes_of(councillor), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "councillor": councillor,
        "committees": councillor.committees.order_by("name"),
        "record": selectors.voting_record(councillor),
        "page": page,
    }
    return render(request, "council/councillor.html", context)


@require_GET
def councillor_photo(request: HttpRequest, pk: int) -> FileResponse:
    councillor = access.get_public_councillor(pk)
    if not councillor.photo:
        raise Http404
    content_type = "image/png" if councillor.photo.name.endswith(".png") else "image/jpeg"
    return _download(councillor.photo, f"councillor-{councillor.pk}", content_type)


@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    term = access.get_current_term()
    page = Paginator(selectors.sessions_of(term), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "council/session_list.html", {"term": term, "page": page})


@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_public_session(pk)
    minutes = getattr(session, "minutes", None)
    return render(request, "council/session.html", {"session": session, "minutes": minutes})


@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    term = selectors.current_term(current_municipality())
    form = DecisionSearchForm(request.GET or None, years=selectors.decision_years(), term=term)
    filters = form.cleaned_data if form.is_valid() else {}
    decisions = selectors.decisions_search(
        query=filters.get("q") or "",
        year=filters.get("year"),
        status=filters.get("status") or "",
        committee=filters.get("committee"),
    )
    page = Paginator(decisions, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "searched": bool(request.GET)}
    return render(
        request, "council/decision_list.html", context, status=200 if form.is_valid() or not request.GET else 400
    )


@require_GET
def decision_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    decision = access.get_public_decision(public_id)
    votes = sorted(decision.votes.all(), key=lambda vote: vote.councillor.name)
    context = {
        "decision": decision,
        "votes": votes,
        "tally": selectors.decision_tally(decision),
    }
    return render(request, "council/decision.html", context)


def _download(field: Any, name: str, content_type: str) -> FileResponse:
    try:
        file = field.open("rb")
    except OSError:  # the row is there but the file went missing from storage
        raise Http404 from None
    response = FileResponse(file, content_type=content_type, as_attachment=False, filename=name)
    response["Cache-Control"] = "public, max-age=3600"
    return response


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = access.get_public_document(pk)
    return _download(document.file, f"document-{document.pk}.{document.format}", CONTENT_TYPES[document.format])


@require_GET
def minutes_download(request: HttpRequest, pk: int) -> FileResponse:
    minutes = access.get_public_minutes_file(pk)
    return _download(minutes.file, f"minutes-{minutes.session_id}.pdf", CONTENT_TYPES["pdf"])
