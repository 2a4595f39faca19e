"""Admin views of consultations: read-only. Drafts, answers and moderation go through the
services (which keep the audit log and the timeline), so the admin only shows."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from glas.consultations.models import Contribution, Draft, DraftEvent, Subscription


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = DraftEvent
    fields = ["happened_at", "kind", "note"]
    extra = 0


@admin.register(Draft)
class DraftAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "act_type", "status", "opens_on", "closes_on", "is_demo"]
    list_filter = ["status", "act_type", "topic", "is_demo"]
    search_fields = ["title"]
    exclude = ["settlements"]
    inlines = [EventInline]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "draft", "kind", "channel", "status", "decision", "created_at"]
    list_filter = ["status", "kind", "channel", "decision"]
    exclude = ["author_email"]


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "topic", "settlement"]
