from django.contrib import admin

from glas.bureau.models import AdvisorProfile, AppointmentSlot, Case, ReplyTemplate, RotaSlot, Service


class RotaInline(admin.TabularInline):
    model = RotaSlot
    extra = 0


@admin.register(AdvisorProfile)
class AdvisorProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "is_supervisor", "available", "max_open_cases")
    list_filter = ("kind", "is_supervisor", "available")
    raw_id_fields = ("user",)
    inlines = [RotaInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "phone", "email", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "helps_with")


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "active")
    list_filter = ("category", "active")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change only through the bureau's services (with their audit entries).
    Personal data and the request text are not shown here."""

    list_display = ("reference", "kind", "category", "status", "outcome", "due_on", "assigned_to", "is_demo")
    list_filter = ("kind", "status", "category", "is_demo")
    search_fields = ("reference",)
    fields = (
        "reference",
        "kind",
        "channel",
        "category",
        "settlement",
        "status",
        "outcome",
        "received_on",
        "due_on",
        "decided_on",
        "assigned_to",
        "closed_at",
        "closed_on_time",
        "rating",
        "is_demo",
    )
    readonly_fields = fields
    list_select_related = ("assigned_to",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(admin.ModelAdmin):
    list_display = ("starts_at", "ends_at", "advisor", "settlement", "place")
    list_filter = ("settlement",)
    raw_id_fields = ("advisor",)
