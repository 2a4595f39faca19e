"""Appointments: free slots and booking (online, or by an advisor for a caller), the booking's
secret page with its calendar file and cancel button, and the advisors' list with slot-making
and no-show marking."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from glas.bureau import appointments
from glas.bureau.forms import BookingForm, SlotsForm
from glas.bureau.models import Appointment, AppointmentSlot
from glas.bureau.views.public import form_error, private
from glas.core import ratelimit
from glas.core.access import require_perm
from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest

BOOKING = "bureau_booking"


@require_GET
def slot_list(request: HttpRequest) -> HttpResponse:
    return render(request, "bureau/slots.html", {"slots": appointments.free_slots()})


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = get_object_or_404(AppointmentSlot.objects.select_related("settlement"), pk=slot_id)
    by_phone = request.user.has_perm("bureau.work_cases")
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow_request(request, "bureau.book", limit=settings.BUREAU_ASK_RATE_LIMIT, window=3600):
            return render(request, "bureau/ratelimited.html", status=429)
        try:
            _booking, token = appointments.appointment_book(
                actor=request.user,  # type: ignore[arg-type]
                slot=slot,
                by_phone=by_phone and request.POST.get("by_phone") == "1",
                **form.cleaned_data,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            request.session[BOOKING] = token
            return redirect("bureau:booked")
    context = {"slot": slot, "form": form, "by_phone": by_phone}
    return render(request, "bureau/book.html", context, status=400 if form.errors else 200)


@require_GET
def booked(request: HttpRequest) -> HttpResponse:
    token = request.session.pop(BOOKING, None)
    if token is None:
        return redirect("bureau:slots")
    return redirect("bureau:appointment", token)


@require_http_methods(["GET", "POST"])
def appointment_page(request: HttpRequest, token: str) -> HttpResponse:
    appointment = appointments.appointment_by_token(token)
    if appointment is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            appointments.appointment_cancel(actor=request.user, appointment=appointment)  # type: ignore[arg-type]
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("The appointment is cancelled."))
            return redirect("bureau:appointment", token)
    ics_url = reverse("bureau:appointment_ics", args=[token])
    context = {"appointment": appointment, "ics_url": ics_url, "error": error}
    return private(render(request, "bureau/appointment.html", context, status=400 if error else 200))


@require_GET
def appointment_ics(request: HttpRequest, token: str) -> HttpResponse:
    appointment = appointments.appointment_by_token(token)
    if appointment is None or appointment.status == Appointment.Status.CANCELLED:
        raise Http404
    response = HttpResponse(appointments.appointment_ics(appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bureau-appointment.ics"'
    return private(response)


@login_required
@require_http_methods(["GET", "POST"])
def appointments_manage(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "bureau.work_cases")
    form = SlotsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            slots = appointments.slots_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("%(count)d slots are open for booking.") % {"count": len(slots)})
            return redirect("bureau:appointments_manage")
    supervisor = request.user.has_perm("bureau.supervise")
    context = {
        "form": form,
        "appointments": appointments.advisor_appointments(request.user, supervisor=supervisor)[:200],
    }
    return render(request, "bureau/appointments_manage.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def appointment_mark(request: AuthedRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "bureau.work_cases")
    appointment = get_object_or_404(Appointment.objects.select_related("slot"), pk=pk)
    try:
        appointments.appointment_mark(
            actor=request.user, appointment=appointment, status=request.POST.get("status", "")
        )
    except DomainError as error:
        if error.code == "forbidden":
            raise PermissionDenied from None
        messages.error(request, error.message)
    return redirect("bureau:appointments_manage")
