"""The advisors' side: the queue, intake of walk-in, phone, letter and e-mail contacts, the case
page and each step on a case (one POST endpoint per step, each calling one service)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from glas.bureau import access, forms, knowledge, selectors, services
from glas.bureau.models import Case, Category
from glas.bureau.views.public import NEW_LINK, form_error, private
from glas.core.access import require_perm
from glas.core.exceptions import DomainError
from glas.core.models import Settlement
from glas.core.paging import page_number, slice_page
from glas.core.selectors import current_municipality_or_none
from glas.core.types import AuthedRequest

PAGE_SIZE = 50


@login_required
@require_GET
def queue(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "bureau.work_cases")
    supervisor = request.user.has_perm("bureau.supervise")
    filters = selectors.parse_queue_filters(request.GET, supervisor=supervisor)
    scope = selectors.advisor_scope(request.user, supervisor=supervisor)
    cases = selectors.case_queue(request.user, filters, supervisor=supervisor, scope=scope)
    # No count of the whole list (it may hold tens of thousands of cases): one row more than a
    # page tells whether there is a next one.
    page = slice_page(cases.values_list(*selectors.QUEUE_COLUMNS), page_number(request.GET.get("page")), PAGE_SIZE)
    settlements = list(Settlement.objects.order_by("kind", "name")[:50])
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": selectors.queue_rows(page, settlements),
        "query": query.urlencode(),
        "filters": filters,
        "supervisor": supervisor,
        "counts": selectors.queue_counts(request.user, scope=scope),
        "kinds": Case.Kind.choices,
        "categories": Category.choices,
        "settlements": settlements,
    }
    return render(request, "bureau/queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "bureau.work_cases")
    form = forms.AdvisorIntakeForm(request.POST or None, municipality=current_municipality_or_none())
    if request.method == "POST" and form.is_valid():
        try:
            case, token = services.case_register(
                actor=request.user, request=form.case_request(), channel=form.cleaned_data["channel"]
            )
        except DomainError as error:
            form_error(form, error)
        else:
            request.session[NEW_LINK] = [case.reference, token]
            return redirect("bureau:case_link", case.reference)
    context = {"form": form, **services.intake_context()}
    return render(request, "bureau/case_new.html", context, status=400 if form.errors else 200)


@login_required
@never_cache
@require_GET
def case_link(request: AuthedRequest, reference: str) -> HttpResponse:
    """The secret follow link of a case just registered (or renewed), shown once to hand over."""
    case = access.get_case_for_advisor(request.user, reference)
    stored = request.session.pop(NEW_LINK, [None, None])
    if stored[0] != case.reference:
        return redirect("bureau:case_detail", case.reference)
    link = request.build_absolute_uri(reverse("bureau:follow", args=[case.reference, stored[1]]))
    return private(render(request, "bureau/case_link.html", {"case": case, "link": link}))


def action_auto_id(name: str) -> str:
    """The page shows several action forms with the same fields (a reason, a body, the one-time
    key): each form's ids start with its action, so that no id is given twice."""
    return f"id_{name}_%s"


class ActionForms(Mapping[str, Any]):
    """The case page's action forms, each made when the template first shows it: a case shows
    only the steps open to it (a general inquiry has no extension, no decision, no forwarding),
    and making all fourteen forms cost more than rendering the ones shown."""

    def __init__(self, bound: dict[str, Any], reply_initial: dict[str, Any] | None) -> None:
        self._reply_initial, self._made = reply_initial, dict(bound)

    def __getitem__(self, name: str) -> Any:
        if name not in self._made:
            form_class = ACTION_FORMS[name]  # KeyError for a name no action has
            self._made[name] = form_class(
                initial=self._reply_initial if name == "reply" else None, auto_id=action_auto_id(name)
            )
        return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter(ACTION_FORMS)

    def __len__(self) -> int:
        return len(ACTION_FORMS)


def case_page(
    request: AuthedRequest, case: Case, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    template = None
    pick = forms.TemplatePickForm(request.GET or None)
    if pick.is_valid() and pick.cleaned_data["template"]:
        template = pick.cleaned_data["template"]
    reply_initial = {"body": template.body} if template else None
    context = {
        "case": case,
        **selectors.case_page_data(case),
        "can_work": request.user.has_perm("bureau.work_case", case),
        "supervisor": request.user.has_perm("bureau.supervise"),
        "advisors": selectors.advisors_for(case) if request.user.has_perm("bureau.supervise") else [],
        "forms": ActionForms(bound, reply_initial),
        "pick": pick,
        "overdue": case.is_overdue(),
    }
    return private(render(request, "bureau/case_detail.html", context, status=status))


@login_required
@require_GET
def case_detail(request: AuthedRequest, reference: str) -> HttpResponse:
    return case_page(request, access.get_case_for_advisor(request.user, reference))


@dataclass(frozen=True)
class Action:
    form: type[Any]
    call: Callable[[Any, Case, dict[str, Any]], Any]
    done: Any


ACTIONS: dict[str, Action] = {
    "reply": Action(
        forms.ReplyForm,
        lambda u, c, d: services.case_reply(
            actor=u, case=c, body=d["body"], idempotency_key=d["key"], final=d["final"]
        ),
        gettext_lazy("The reply is sent."),
    ),
    "note": Action(
        forms.NoteForm,
        lambda u, c, d: services.case_note(actor=u, case=c, body=d["body"], idempotency_key=d["key"]),
        gettext_lazy("The note is saved."),
    ),
    "assign": Action(
        forms.AdvisorChoiceForm,
        lambda u, c, d: services.case_assign(actor=u, case=c, advisor=d["advisor"]),
        gettext_lazy("The case is assigned."),
    ),
    "share": Action(
        forms.AdvisorChoiceForm,
        lambda u, c, d: services.case_share(actor=u, case=c, advisor=d["advisor"]),
        gettext_lazy("The case is shared."),
    ),
    "escalate": Action(
        forms.ReasonForm,
        lambda u, c, d: services.case_escalate(actor=u, case=c, reason=d["reason"]),
        gettext_lazy("The supervisors are told."),
    ),
    "refer": Action(
        forms.ReferForm,
        lambda u, c, d: services.case_refer(actor=u, case=c, service=d["service"], note=d["note"], close=d["close"]),
        gettext_lazy("The citizen is referred."),
    ),
    "extend": Action(
        forms.ExtendForm,
        lambda u, c, d: services.case_extend(actor=u, case=c, ground=d["ground"], reason=d["reason"]),
        gettext_lazy("The term is extended and the applicant told."),
    ),
    "clarify": Action(
        forms.ClarifyForm,
        lambda u, c, d: services.case_request_clarification(actor=u, case=c, body=d["body"]),
        gettext_lazy("The applicant is asked to clarify the request."),
    ),
    "forward": Action(
        forms.ForwardForm,
        lambda u, c, d: services.case_forward(actor=u, case=c, body_name=d["body_name"], note=d["note"]),
        gettext_lazy("The request is forwarded."),
    ),
    "decide": Action(
        forms.DecideForm,
        lambda u, c, d: services.case_decide(
            actor=u,
            case=c,
            decision=d["decision"],
            grounds=d["grounds"],
            text=d["text"],
            publish_released=d["publish_released"],
        ),
        gettext_lazy("The decision is recorded."),
    ),
    "close": Action(
        forms.CloseForm,
        lambda u, c, d: services.case_close(actor=u, case=c, outcome=d["outcome"]),
        gettext_lazy("The case is closed."),
    ),
    "article": Action(
        forms.LinkArticleForm,
        lambda u, c, d: knowledge.case_link_article(actor=u, case=c, article=d["article"]),
        gettext_lazy("The article is linked to the case."),
    ),
    "reopen": Action(
        forms.ReasonForm,
        lambda u, c, d: services.case_reopen(actor=u, case=c, reason=d["reason"]),
        gettext_lazy("The case is open again."),
    ),
}
ACTION_FORMS = {name: action.form for name, action in ACTIONS.items()}


@login_required
@require_POST
def case_action(request: AuthedRequest, reference: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    case = access.get_case_for_advisor(request.user, reference)
    step = ACTIONS[action]
    form = step.form(request.POST, auto_id=action_auto_id(action))
    if form.is_valid():
        try:
            step.call(request.user, case, form.cleaned_data)
        except DomainError as error:
            if error.code == "forbidden":
                raise PermissionDenied from None
            form_error(form, error)
        else:
            messages.success(request, str(step.done))
            return redirect("bureau:case_detail", case.reference)
    return case_page(request, case, bound={action: form}, status=400)


@login_required
@require_POST
def case_link_renew(request: AuthedRequest, reference: str) -> HttpResponse:
    case = access.get_case_for_advisor(request.user, reference)
    try:
        token = services.case_follow_link_renew(actor=request.user, case=case)
    except DomainError:
        raise PermissionDenied from None
    request.session[NEW_LINK] = [case.reference, token]
    messages.success(request, _("A new follow link is made; the old one no longer works."))
    return redirect("bureau:case_link", case.reference)
