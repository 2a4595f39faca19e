"""The admin shows the register fields only: content and identities are encrypted and never
shown here, and reports are not edited or deleted through the admin."""

from typing import Any

from django.contrib import admin

from glas.integrity.models import IntegrityOfficer, Report


@admin.register(IntegrityOfficer)
class IntegrityOfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "is_supervisor", "active", "created_at"]
    fields = ["user", "is_supervisor", "active"]
    readonly_fields = ["user"]

    def has_add_permission(self, request: Any) -> bool:
        return False  # officers create their own key pair at /integrity/officers/keys/


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "context", "status", "received_on", "acknowledge_due", "feedback_due"]
    list_filter = ["kind", "context", "status"]
    fields = (
        "reference",
        "kind",
        "context",
        "status",
        "received_on",
        "acknowledge_due",
        "feedback_due",
        "acknowledged_on",
        "feedback_on",
        "closed_on",
        "outcome",
        "retain_until",
    )
    readonly_fields = fields

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
