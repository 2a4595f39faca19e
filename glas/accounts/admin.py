from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from glas.accounts.models import ConsentAcceptance, ConsentText, ResidentVerification, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """People are changed through Glas's own services (verification, roles, deletion)."""

    list_display = ["email", "display_name", "verification_level", "is_active", "date_joined", "deleted_at"]
    list_filter = ["verification_level", "is_active", "groups"]
    search_fields = ["email", "display_name", "full_name"]
    readonly_fields = [
        "email",
        "full_name",
        "display_name",
        "language",
        "verification_level",
        "groups",
        "is_active",
        "date_joined",
        "last_login",
        "deleted_at",
    ]
    fields = readonly_fields  # type: ignore[assignment]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ResidentVerification)
class ResidentVerificationAdmin(admin.ModelAdmin):
    list_display = ["user", "masked_egn", "settlement", "verified_by", "verified_at"]
    exclude = ["egn_hash"]
    readonly_fields = ["user", "egn_last2", "birth_date", "settlement", "document", "verified_by", "verified_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """A new version of a text is added; published versions are never edited."""

    list_display = ["kind", "version", "title", "published_at"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ConsentAcceptance)
class ConsentAcceptanceAdmin(admin.ModelAdmin):
    list_display = ["user", "consent", "accepted_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
