"""The advisors' side: the queue, intake of walk-in, phone, letter and e-mail contacts, the case
page and each step on a case (one endpoint per step: GET draws its form, POST calls one service)."""

from __future__ import annotations

from collections.abc import Callable
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
from glas.core.paging import page_number, slice_page
from glas.core.selectors import all_settlements, current_municipality_or_none
from glas.core.types import AuthedRequest

PAGE_SIZE = 50


@login_required
@require_GET
def queue(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "bureau.work_cases")
    supervisor = request.user.has_perm("bureau.supervise")
    filters = selectors.parse_queue_filters(request.GET, supervisor=supervisor)
    shared = selectors.shared_case_ids(request.user, supervisor=supervisor)
    lines = selectors.queue_lines(request.user, filters, supervisor=supervisor, shared=shared)
    # No count of the whole list (it may hold tens of thousands of cases): one row more than a
    # page tells whether there is a next one.
    page = slice_page(lines, page_number(request.GET.get("page")), PAGE_SIZE)
    settlements = all_settlements()
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": selectors.queue_rows(page, settlements),
        "query": query.urlencode(),
        "filters": filters,
        "supervisor": supervisor,
        "counts": selectors.queue_counts(request.user, supervisor=supervisor, shared=shared),
        "kinds": Case.Kind.choices,
        "categories": Category.choices,
        "settlement_choices": [(settlement.pk, settlement.prefixed_name) for settlement in settlements],
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


@dataclass(frozen=True)
class Panel:
    """One step on the case page: its form, or None when the form is fetched only once the
    advisor opens the panel (``lazy``). A panel with a form sent back with errors, or with a
    reply template just chosen, is drawn open."""

    name: str
    title: str
    form: Any
    url: str
    opened: bool = False

    @property
    def lazy(self) -> bool:
        return self.form is None


# The steps whose forms are on the case page itself (reopening: the step a closed case is opened
# for, with one reason field); every other step's form is fetched when its panel is opened
# (with HTMX; without JavaScript the panel links to a page with the form). An open
# access-to-information request offers twelve steps: drawing all their forms was most of the
# page's time, and even the reply and note forms (with the reply templates' list) were a third
# of it.
INLINE_ACTIONS = frozenset({"reopen"})


@dataclass(frozen=True)
class CaseRoles:
    """What the person may do on the case, asked once per request: work on it (the assigned
    advisor, a supervisor) and supervise the bureau."""

    can_work: bool
    supervisor: bool

    @classmethod
    def of(cls, user: Any, case: Case) -> CaseRoles:
        return cls(user.has_perm("bureau.work_case", case), user.has_perm("bureau.supervise"))


def case_actions(roles: CaseRoles, case: Case) -> list[str]:
    """The steps open to a person with ``roles`` on ``case``, in the order the case page lists
    them."""
    can_work = roles.can_work
    names = []
    if can_work and case.is_open:
        names.append("reply")
    names.append("note")
    if can_work and case.is_open:
        if case.kind == Case.Kind.ZDOI:
            if case.status == Case.Status.OPEN:
                names += ["extend", "clarify", "decide"]
            names.append("forward")
        elif case.kind != Case.Kind.INQUIRY and not case.decided_on:
            names.append("decide")
        names += ["article", "refer", "share", "escalate", "close"]
    if can_work and case.status == Case.Status.CLOSED and not case.anonymised_at:
        names.append("reopen")
    if roles.supervisor:
        names.append("assign")
    return names


def action_form(name: str, *, initial: dict[str, Any] | None = None) -> Any:
    return ACTIONS[name].form(initial=initial, auto_id=action_auto_id(name))


def reply_template_pick(request: AuthedRequest) -> tuple[Any, dict[str, Any] | None]:
    """The form that picks a reply template, and the reply form's initial data from the one
    picked (``?template=`` on the case page or on the reply step's page)."""
    pick = forms.TemplatePickForm(request.GET or None)
    if pick.is_valid() and pick.cleaned_data["template"]:
        return pick, {"body": pick.cleaned_data["template"].body}
    return pick, None


def _panel(name: str, url: str, bound: dict[str, Any], reply: dict[str, Any] | None) -> Panel:
    """A step's panel: with the form sent back with errors, a reply (started from the template
    just picked, when ``reply`` holds its initial data), an inline step's form, or none (fetched
    when opened)."""
    title = str(ACTIONS[name].title)
    if name in bound:
        return Panel(name, title, bound[name], url, opened=True)
    if name == "reply" and reply is not None:
        return Panel(name, title, action_form(name, initial=reply or None), url, opened=True)
    return Panel(name, title, action_form(name) if name in INLINE_ACTIONS else None, url)


def case_page(
    request: AuthedRequest, case: Case, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    # A template picked (or a wrong one, whose error is shown) opens the reply panel with it.
    pick, reply = None, None
    if "template" in request.GET:
        pick, initial = reply_template_pick(request)
        reply = initial or {}
    # One reverse() for the steps' URLs, which differ only by the step's name.
    head, _step, tail = reverse("bureau:case_action", args=[case.reference, "__step__"]).rpartition("__step__")
    roles = CaseRoles.of(request.user, case)
    panels = [_panel(name, f"{head}{name}{tail}", bound or {}, reply) for name in case_actions(roles, case)]
    if pick is None and any(panel.name == "reply" and not panel.lazy for panel in panels):
        pick = forms.TemplatePickForm()  # beside a reply form sent back with errors
    context = {
        "case": case,
        **selectors.case_page_data(case),
        "can_work": roles.can_work,
        "supervisor": roles.supervisor,
        "advisors": selectors.advisors_for(case) if roles.supervisor else [],
        "panels": panels,
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
    title: Any


ACTIONS: dict[str, Action] = {
    "reply": Action(
        forms.ReplyForm,
        lambda u, c, d: services.case_reply(
            actor=u, case=c, body=d["body"], idempotency_key=d["key"], final=d["final"]
        ),
        gettext_lazy("The reply is sent."),
        gettext_lazy("Reply to the citizen"),
    ),
    "note": Action(
        forms.NoteForm,
        lambda u, c, d: services.case_note(actor=u, case=c, body=d["body"], idempotency_key=d["key"]),
        gettext_lazy("The note is saved."),
        gettext_lazy("Add an internal note"),
    ),
    "assign": Action(
        forms.AdvisorChoiceForm,
        lambda u, c, d: services.case_assign(actor=u, case=c, advisor=d["advisor"]),
        gettext_lazy("The case is assigned."),
        gettext_lazy("Assign"),
    ),
    "share": Action(
        forms.AdvisorChoiceForm,
        lambda u, c, d: services.case_share(actor=u, case=c, advisor=d["advisor"]),
        gettext_lazy("The case is shared."),
        gettext_lazy("Share with another advisor"),
    ),
    "escalate": Action(
        forms.ReasonForm,
        lambda u, c, d: services.case_escalate(actor=u, case=c, reason=d["reason"]),
        gettext_lazy("The supervisors are told."),
        gettext_lazy("Escalate to a supervisor"),
    ),
    "refer": Action(
        forms.ReferForm,
        lambda u, c, d: services.case_refer(actor=u, case=c, service=d["service"], note=d["note"], close=d["close"]),
        gettext_lazy("The citizen is referred."),
        gettext_lazy("Refer to a service"),
    ),
    "extend": Action(
        forms.ExtendForm,
        lambda u, c, d: services.case_extend(actor=u, case=c, ground=d["ground"], reason=d["reason"]),
        gettext_lazy("The term is extended and the applicant told."),
        gettext_lazy("Extend the decision term"),
    ),
    "clarify": Action(
        forms.ClarifyForm,
        lambda u, c, d: services.case_request_clarification(actor=u, case=c, body=d["body"]),
        gettext_lazy("The applicant is asked to clarify the request."),
        gettext_lazy("Ask the applicant to clarify"),
    ),
    "forward": Action(
        forms.ForwardForm,
        lambda u, c, d: services.case_forward(actor=u, case=c, body_name=d["body_name"], note=d["note"]),
        gettext_lazy("The request is forwarded."),
        gettext_lazy("Forward to the competent body"),
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
        gettext_lazy("Record the decision"),
    ),
    "close": Action(
        forms.CloseForm,
        lambda u, c, d: services.case_close(actor=u, case=c, outcome=d["outcome"]),
        gettext_lazy("The case is closed."),
        gettext_lazy("Close the case"),
    ),
    "article": Action(
        forms.LinkArticleForm,
        lambda u, c, d: knowledge.case_link_article(actor=u, case=c, article=d["article"]),
        gettext_lazy("The article is linked to the case."),
        gettext_lazy("Link a knowledge-base article"),
    ),
    "reopen": Action(
        forms.ReasonForm,
        lambda u, c, d: services.case_reopen(actor=u, case=c, reason=d["reason"]),
        gettext_lazy("The case is open again."),
        gettext_lazy("Reopen the case"),
    ),
}


def step_form_page(request: AuthedRequest, case: Case, action: str) -> HttpResponse:
    """A step's empty form: alone for HTMX (into its panel), or as a page without JavaScript."""
    if action not in case_actions(CaseRoles.of(request.user, case), case):
        if request.htmx:  # the case changed since its page was loaded (closed, reassigned)
            return private(render(request, "bureau/_action_closed.html", {"case": case}, status=404))
        raise Http404
    pick, initial = reply_template_pick(request) if action == "reply" else (None, None)
    form = action_form(action, initial=initial)
    context = {"case": case, "name": action, "title": str(ACTIONS[action].title), "form": form, "pick": pick}
    template = "bureau/_action_form.html" if request.htmx else "bureau/case_action.html"
    return private(render(request, template, context))


@login_required
@require_http_methods(["GET", "POST"])
def case_action(request: AuthedRequest, reference: str, action: str) -> HttpResponse:
    """GET: the step's form, alone (fetched into its panel of the case page, or as a page of its
    own without JavaScript). POST: the step itself."""
    if action not in ACTIONS:
        raise Http404
    case = access.get_case_for_advisor(request.user, reference)
    step = ACTIONS[action]
    if request.method == "GET":
        return step_form_page(request, case, action)
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
