"""Admin for municipality data (changes audited) and read-only views of rules and the audit log.

Legal rules and the calendar are changed through the staff pages, which keep versions and
reasons; the admin only shows them.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from glas.core.audit import audit_log
from glas.core.models import AuditEntry, CalendarDay, Kmetstvo, LegalRule, Municipality, PopulationFigure, Settlement


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        action = f"core.{obj._meta.model_name}.{'updated' if change else 'created'}"
        audit_log(
            actor=request.user if request.user.is_authenticated else None,
            action=action,
            obj=obj,  # type: ignore[arg-type]
            data={"fields": sorted(form.changed_data), "via": "admin"},
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PopulationInline(admin.TabularInline):
    model = PopulationFigure
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["name", "code", "province", "voters", "is_demo"]
    inlines = [PopulationInline]


@admin.register(Settlement)
class SettlementAdmin(AuditedAdmin):
    list_display = ["name", "kind", "municipality", "kmetstvo", "voters"]
    list_filter = ["municipality", "kind"]
    inlines = [PopulationInline]


@admin.register(Kmetstvo)
class KmetstvoAdmin(AuditedAdmin):
    list_display = ["name", "municipality"]


@admin.register(LegalRule)
class LegalRuleAdmin(ReadOnlyAdmin):
    list_display = ["key", "value", "unit", "legal_basis", "effective_from", "effective_to", "needs_verification"]
    list_filter = ["unit", "needs_verification"]
    search_fields = ["key", "title", "legal_basis"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "reason"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "content_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["action", "object_id"]
    list_select_related = ["actor", "content_type"]
