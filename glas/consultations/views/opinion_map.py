"""The opinion map of a consultation: the public page (vote, add statements, see the groups)
and the staff page (open the map, hide statements with a reason, close it)."""

from __future__ import annotations

import math
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from glas.consultations import services_opinion_map as services
from glas.consultations.access import get_draft_for_staff, get_public_draft
from glas.consultations.models import OpinionMap, Statement, StatementVote
from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest

CHART = 320  # the SVG's side in user units


def _map_of(draft: Any) -> OpinionMap:
    opinion_map = OpinionMap.objects.filter(draft=draft).first()
    if opinion_map is None:
        raise Http404
    return opinion_map


def _groups_chart(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Group bubbles placed by their centre on the two principal axes, sized by members."""
    groups = result.get("groups") or []
    if not groups:
        return []
    xs = [g["centre"][0] for g in groups]
    ys = [g["centre"][1] for g in groups]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    largest = max(g["size"] for g in groups)
    bubbles = []
    for group in groups:
        x = 60 + (group["centre"][0] - min(xs)) / span * (CHART - 120)
        y = 60 + (group["centre"][1] - min(ys)) / span * (CHART - 120)
        radius = 12 + 36 * math.sqrt(group["size"] / largest)
        bubbles.append(
            {"label": group["label"], "size": group["size"], "x": round(x), "y": round(y), "r": round(radius)}
        )
    return bubbles


def _page(
    request: HttpRequest, draft: Any, opinion_map: OpinionMap, *, error: str = "", status: int = 200
) -> HttpResponse:
    statements = list(opinion_map.statements.all())
    texts = {s.pk: s.text for s in statements}
    mine: dict[int, int] = {}
    if request.user.is_authenticated:
        mine = dict(
            StatementVote.objects.filter(statement__map=opinion_map, user=request.user).values_list(
                "statement_id", "vote"
            )
        )
    result = opinion_map.result or {}
    context = {
        "draft": draft,
        "map": opinion_map,
        "statements": statements,
        "mine": mine,
        "texts": texts,
        "result": result,
        "bubbles": _groups_chart(result),
        "chart_size": CHART,
        "choices": StatementVote.Choice.choices,
        "may_take_part": request.user.has_perm("consultations.take_part"),
        "error": error,
    }
    return render(request, "consultations/opinion_map.html", context, status=status)


@require_GET
def opinion_map(request: HttpRequest, public_id: str) -> HttpResponse:
    draft = get_public_draft(public_id)
    return _page(request, draft, _map_of(draft))


def _act(request: HttpRequest, draft: Any, opinion_map: OpinionMap, action: Any) -> HttpResponse:
    try:
        action()
    except DomainError as error:
        return _page(request, draft, opinion_map, error=error.message, status=403 if error.code == "forbidden" else 400)
    return redirect("consultations:opinion_map", public_id=draft.public_id)


@login_required
@require_POST
def statement_vote(request: AuthedRequest, public_id: str, statement_id: int) -> HttpResponse:
    draft = get_public_draft(public_id)
    opinion_map = _map_of(draft)
    statement = get_object_or_404(Statement, pk=statement_id, map=opinion_map)
    try:
        vote = int(request.POST.get("vote", ""))
    except ValueError:
        vote = 99
    return _act(
        request, draft, opinion_map, lambda: services.statement_vote(actor=request.user, statement=statement, vote=vote)
    )


@login_required
@require_POST
def statement_add(request: AuthedRequest, public_id: str) -> HttpResponse:
    draft = get_public_draft(public_id)
    opinion_map = _map_of(draft)
    text = request.POST.get("text", "")
    return _act(
        request,
        draft,
        opinion_map,
        lambda: services.statement_add(actor=request.user, opinion_map=opinion_map, text=text),
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion_map_manage(request: AuthedRequest, public_id: str) -> HttpResponse:
    draft = get_draft_for_staff(request.user, public_id)
    opinion_map = OpinionMap.objects.filter(draft=draft).first()
    error = ""
    if request.method == "POST":
        try:
            if opinion_map is None:
                lines = [line for line in request.POST.get("statements", "").splitlines() if line.strip()]
                services.opinion_map_open(
                    actor=request.user, draft=draft, question=request.POST.get("question", ""), statements=lines
                )
            elif "close" in request.POST:
                services.opinion_map_close(actor=request.user, opinion_map=opinion_map)
            else:
                statement = get_object_or_404(Statement, pk=request.POST.get("statement") or 0, map=opinion_map)
                services.statement_hide(actor=request.user, statement=statement, reason=request.POST.get("reason", ""))
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Saved."))
            return redirect("consultations:opinion_map_manage", public_id=draft.public_id)
    context = {
        "draft": draft,
        "map": opinion_map,
        "error": error,
        "statements": opinion_map.statements.all() if opinion_map else [],
    }
    return render(request, "consultations/opinion_map_manage.html", context, status=400 if error else 200)
