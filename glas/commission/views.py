"""Commission pages: the public record (members, meetings, opinions with dissents), the
secretariat's page, and a meeting's workspace where members draft, declare, vote and dissent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from glas.commission import forms, selectors, services
from glas.commission.access import (
    get_item_for_workspace,
    get_meeting_for_workspace,
    get_opinion_for_workspace,
    get_public_meeting,
    get_published_opinion,
)
from glas.commission.models import Meeting, MeetingItem, Opinion, OpinionVote
from glas.core.access import require_perm
from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest

# --- Public record ------------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    commission = selectors.current_commission()
    if commission is None:
        return render(request, "commission/home.html", {"commission": None})
    today = timezone.localdate()
    context = {
        "commission": commission,
        "members": list(selectors.serving_members(commission, today)),
        "quorum": selectors.quorum_needed(commission, selectors.serving_members(commission, today).count()),
        "meetings": list(commission.meetings.all()[:20]),
        "opinions": list(selectors.published_opinions(commission)[:20]),
    }
    return render(request, "commission/home.html", context)


@require_GET
def meeting_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting = selectors.meeting_page(get_public_meeting(public_id).public_id)
    if meeting is None:
        raise Http404
    return render(request, "commission/meeting_detail.html", {"meeting": meeting})


@require_GET
def opinion_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    opinion = get_published_opinion(public_id)
    return render(request, "commission/opinion_detail.html", {"opinion": opinion, **selectors.opinion_page(opinion)})


@require_GET
def minutes_pdf(request: HttpRequest, public_id: str) -> FileResponse:
    meeting = get_public_meeting(public_id)
    if not meeting.minutes_file:
        raise Http404
    response = FileResponse(meeting.minutes_file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{meeting.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The secretariat: members and meetings -------------------------------------------------------


def _manage_page(request: AuthedRequest, *, member_form: Any = None, meeting_form: Any = None) -> HttpResponse:
    commission = selectors.current_commission()
    if commission is None:
        raise Http404
    context = {
        "commission": commission,
        "members": list(commission.members.select_related("user").order_by("-term_end", "name")),
        "meetings": list(commission.meetings.all()[:50]),
        "member_form": member_form or forms.MemberForm(),
        "meeting_form": meeting_form or forms.MeetingForm(),
    }
    status = 400 if (member_form is not None or meeting_form is not None) else 200
    return render(request, "commission/manage.html", context, status=status)


@login_required
@require_GET
def manage(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "commission.manage")
    return _manage_page(request)


@login_required
@require_POST
def member_appoint(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "commission.manage")
    form = forms.MemberForm(request.POST)
    if form.is_valid():
        user = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is None:
            form.add_error("email", _("No account has this e-mail address; the member must sign up first."))
        else:
            data = {k: v for k, v in form.cleaned_data.items() if k != "email"}
            try:
                services.member_appoint(actor=request.user, commission=_commission(), user=user, **data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("The member was appointed."))
                return redirect("commission:manage")
    return _manage_page(request, member_form=form)


@login_required
@require_POST
def meeting_schedule(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "commission.manage")
    form = forms.MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_schedule(actor=request.user, commission=_commission(), **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The meeting was scheduled."))
            return redirect("commission:workspace", public_id=meeting.public_id)
    return _manage_page(request, meeting_form=form)


def _commission() -> Any:
    commission = selectors.current_commission()
    if commission is None:
        raise Http404
    return commission


# --- A meeting's workspace ------------------------------------------------------------------------


def _workspace(
    request: AuthedRequest,
    meeting: Meeting,
    *,
    error: str = "",
    status: int = 200,
    bound: dict[str, Any] | None = None,
) -> HttpResponse:
    me = selectors.member_for(request.user, meeting.commission, meeting.day)
    items = list(
        MeetingItem.objects.filter(meeting=meeting)
        .select_related("opinion", "draft", "decision")
        .prefetch_related(
            "conflicts__member", Prefetch("opinion__votes", queryset=OpinionVote.objects.select_related("member"))
        )
        .order_by("position")
    )
    serving = list(selectors.serving_members(meeting.commission, meeting.day))
    present = set(meeting.attendance.filter(present=True).values_list("member_id", flat=True))
    bound = bound or {}
    rows = []
    for item in items:
        opinion: Opinion | None = getattr(item, "opinion", None)
        conflicted = {c.member_id for c in item.conflicts.all()}
        votes = list(opinion.votes.all()) if opinion else []
        rows.append(
            {
                "item": item,
                "opinion": opinion,
                "conflicts": list(item.conflicts.all()),
                "i_am_conflicted": me is not None and me.pk in conflicted,
                "my_vote": next((v.choice for v in votes if me is not None and v.member_id == me.pk), None),
                "votes_cast": len(votes),
                "draft_form": bound.get(f"draft-{item.pk}")
                or forms.DraftForm(
                    initial={
                        "text": opinion.text if opinion else "",
                        "base_revision": opinion.revision if opinion else 0,
                    },
                    prefix=f"item{item.pk}",
                ),
            }
        )
    context = {
        "meeting": meeting,
        "me": me,
        "i_am_present": me is not None and me.pk in present,
        "may_manage": request.user.has_perm("commission.manage"),
        "rows": rows,
        "quorum": selectors.meeting_quorum(meeting),
        "attendance_form": bound.get("attendance")
        or forms.AttendanceForm(members=serving, initial={"present": sorted(present)}),
        "item_form": bound.get("item") or forms.ItemForm(),
        "minutes_form": bound.get("minutes") or forms.MinutesForm(initial={"minutes_text": meeting.minutes_text}),
        "vote_choices": OpinionVote.Choice.choices,
        "error": error,
    }
    return render(request, "commission/workspace.html", context, status=status)


def _act(request: AuthedRequest, meeting: Meeting, action: Callable[[], Any], done: str, **bound: Any) -> HttpResponse:
    """Run one service; on success go back to the workspace, on refusal show it with the reason."""
    try:
        action()
    except DomainError as error:
        status = 403 if error.code == "forbidden" else 400
        return _workspace(request, meeting, error=error.message, status=status, bound=bound)
    messages.success(request, done)
    return redirect("commission:workspace", public_id=meeting.public_id)


def _invalid(request: AuthedRequest, meeting: Meeting, **bound: Any) -> HttpResponse:
    """A form that did not validate: it is shown again with its own error summary; the page's
    summary is only for a form the page does not show again (one summary, which takes focus)."""
    shows_errors = any(form.errors for form in bound.values())
    error = "" if shows_errors else _("Please correct the form.")
    return _workspace(request, meeting, error=error, status=400, bound=bound)


@login_required
@require_GET
def workspace(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _workspace(request, get_meeting_for_workspace(request.user, public_id))


@login_required
@require_POST
def item_add(request: AuthedRequest, public_id: str) -> HttpResponse:
    meeting = get_meeting_for_workspace(request.user, public_id)
    form = forms.ItemForm(request.POST)
    if not form.is_valid():
        return _invalid(request, meeting, item=form)
    add = lambda: services.meeting_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)  # noqa: E731
    return _act(request, meeting, add, _("The item was added to the agenda."), item=form)


@login_required
@require_POST
def attendance(request: AuthedRequest, public_id: str) -> HttpResponse:
    meeting = get_meeting_for_workspace(request.user, public_id)
    members = list(selectors.serving_members(meeting.commission, meeting.day))
    form = forms.AttendanceForm(request.POST, members=members)
    if not form.is_valid():
        return _invalid(request, meeting, attendance=form)
    record = lambda: services.attendance_record(  # noqa: E731
        actor=request.user, meeting=meeting, present=form.cleaned_data["present"]
    )
    return _act(request, meeting, record, _("Attendance was recorded."), attendance=form)


@login_required
@require_POST
def minutes(request: AuthedRequest, public_id: str) -> HttpResponse:
    meeting = get_meeting_for_workspace(request.user, public_id)
    form = forms.MinutesForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, meeting, minutes=form)
    save = lambda: services.minutes_save(  # noqa: E731
        actor=request.user,
        meeting=meeting,
        text=form.cleaned_data["minutes_text"],
        upload=form.cleaned_data["minutes_file"],
    )
    return _act(request, meeting, save, _("The minutes were saved."), minutes=form)


@login_required
@require_POST
def conflict(request: AuthedRequest, public_id: str, item_id: str) -> HttpResponse:
    meeting = get_meeting_for_workspace(request.user, public_id)
    item = get_item_for_workspace(request.user, meeting, item_id)
    form = forms.ConflictForm(request.POST)
    if not form.is_valid():
        return _invalid(request, meeting)
    declare = lambda: services.conflict_declare(actor=request.user, item=item, nature=form.cleaned_data["nature"])  # noqa: E731
    return _act(request, meeting, declare, _("Your conflict of interest was declared."))


@login_required
@require_POST
def draft(request: AuthedRequest, public_id: str, item_id: str) -> HttpResponse:
    meeting = get_meeting_for_workspace(request.user, public_id)
    item = get_item_for_workspace(request.user, meeting, item_id)
    form = forms.DraftForm(request.POST, prefix=f"item{item.pk}")
    if not form.is_valid():
        return _invalid(request, meeting, **{f"draft-{item.pk}": form})
    save = lambda: services.opinion_draft_save(actor=request.user, item=item, **form.cleaned_data)  # noqa: E731
    return _act(request, meeting, save, _("Your version of the opinion was saved."), **{f"draft-{item.pk}": form})


def _opinion_action(name: str, done: str) -> Callable[..., HttpResponse]:
    """Views for the secretariat's steps on an opinion: open the vote, close it, publish."""
    service = getattr(services, name)

    @login_required
    @require_POST
    def view(request: AuthedRequest, public_id: str, opinion_id: str) -> HttpResponse:
        meeting = get_meeting_for_workspace(request.user, public_id)
        opinion = get_opinion_for_workspace(request.user, meeting, opinion_id)
        return _act(request, meeting, lambda: service(actor=request.user, opinion=opinion), str(done))

    view.__name__ = name
    return view


vote_open = _opinion_action("opinion_vote_open", _("The opinion was put to the vote."))
vote_close = _opinion_action("opinion_vote_close", _("The vote was closed and counted."))
publish = _opinion_action("opinion_publish", _("The opinion was published."))


@login_required
@require_POST
def vote(request: AuthedRequest, public_id: str, opinion_id: str) -> HttpResponse:
    meeting = get_meeting_for_workspace(request.user, public_id)
    opinion = get_opinion_for_workspace(request.user, meeting, opinion_id)
    form = forms.VoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, meeting)
    cast = lambda: services.opinion_vote(actor=request.user, opinion=opinion, choice=form.cleaned_data["choice"])  # noqa: E731
    return _act(request, meeting, cast, _("Your vote was recorded."))


@login_required
@require_POST
def dissent(request: AuthedRequest, public_id: str, opinion_id: str) -> HttpResponse:
    meeting = get_meeting_for_workspace(request.user, public_id)
    opinion = get_opinion_for_workspace(request.user, meeting, opinion_id)
    form = forms.DissentForm(request.POST)
    if not form.is_valid():
        return _invalid(request, meeting)
    write = lambda: services.dissent_add(actor=request.user, opinion=opinion, text=form.cleaned_data["text"])  # noqa: E731
    return _act(request, meeting, write, _("Your dissenting view was saved; it is published with the opinion."))
