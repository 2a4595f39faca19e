"""Admin: read-mostly views of initiatives and signatures. Changes go through the services
(the pages of the app); the admin never shows an identity key."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from glas.initiatives.models import CommitteeMember, Initiative, Signature, TimelineEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class CommitteeInline(admin.TabularInline):
    model = CommitteeMember
    fields = ["full_name", "email", "confirmed_at"]
    readonly_fields = ["full_name", "email", "confirmed_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class TimelineInline(admin.TabularInline):
    model = TimelineEvent
    fields = ["at", "status", "note"]
    readonly_fields = ["at", "status", "note"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "kind",
        "status",
        "territory",
        "threshold_propose",
        "threshold_oblige",
        "decision_due_on",
        "is_demo",
    ]
    list_filter = ["kind", "status", "is_demo"]
    search_fields = ["title"]
    inlines = [CommitteeInline, TimelineInline]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "initiative", "channel", "status", "sheet_number", "line_number", "created_at"]
    list_filter = ["channel", "status"]
    exclude = ["identity_key"]
    list_select_related = ["initiative"]
