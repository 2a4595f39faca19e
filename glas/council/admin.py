"""Admin views of the council registry. The reference data (terms, groups, committees,
councillors, officials, administration units) is kept here, each change written to the audit
log; sessions, decisions and roll calls go through the staff pages (and their services), so
the admin only shows them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from glas.core.audit import audit_log
from glas.council.models import (
    AdministrationUnit,
    AgendaItem,
    Councillor,
    Decision,
    Official,
    PoliticalGroup,
    Session,
    SessionDocument,
    StandingCommittee,
    Term,
    Vote,
)
from glas.council.services.files import check_photo


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        verb = "changed" if change else "created"
        audit_log(
            actor=request.user,  # type: ignore[arg-type]
            action=f"council.{obj._meta.model_name}.{verb}_in_admin",
            obj=obj,
            data={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_log(actor=request.user, action=f"council.{obj._meta.model_name}.deleted_in_admin", obj=obj)  # type: ignore[arg-type]
        super().delete_model(request, obj)


class ShowOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Term)
class TermAdmin(AuditedAdmin):
    list_display = ["__str__", "municipality", "seats", "is_demo"]


@admin.register(PoliticalGroup)
class PoliticalGroupAdmin(AuditedAdmin):
    list_display = ["name", "kind", "term", "is_demo"]
    list_filter = ["term"]


@admin.register(StandingCommittee)
class StandingCommitteeAdmin(AuditedAdmin):
    list_display = ["name", "slug", "term", "is_demo"]
    list_filter = ["term"]


@admin.register(Councillor)
class CouncillorAdmin(AuditedAdmin):
    list_display = ["name", "group", "term", "active_from", "active_to", "is_demo"]
    list_filter = ["term", "group"]
    search_fields = ["name"]
    filter_horizontal = ["committees"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)

        def clean_photo(self: Any) -> Any:
            from django import forms

            from glas.core.exceptions import DomainError

            photo = self.cleaned_data.get("photo")
            if photo and hasattr(photo, "content_type"):  # a new upload
                try:
                    photo.name = f"photo.{check_photo(photo)}"  # the type found in the bytes names it
                except DomainError as error:
                    raise forms.ValidationError(error.message) from None
            return photo

        form.clean_photo = clean_photo  # type: ignore[attr-defined]
        return form


@admin.register(Official)
class OfficialAdmin(AuditedAdmin):
    list_display = ["name", "role", "municipality", "active_from", "active_to", "is_demo"]


@admin.register(AdministrationUnit)
class AdministrationUnitAdmin(AuditedAdmin):
    list_display = ["name", "head", "position", "is_demo"]


class AgendaItemInline(ShowOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = AgendaItem
    fields = ["position", "title", "proposer", "committee"]
    extra = 0


class SessionDocumentInline(ShowOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = SessionDocument
    fields = ["title", "agenda_item", "format", "size", "uploaded_at"]
    extra = 0


@admin.register(Session)
class SessionAdmin(ShowOnlyMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["number", "date", "kind", "status", "term", "is_demo"]
    list_filter = ["term", "status"]
    inlines = [AgendaItemInline, SessionDocumentInline]


class VoteInline(ShowOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Vote
    fields = ["councillor", "choice"]
    extra = 0


@admin.register(Decision)
class DecisionAdmin(ShowOnlyMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["number", "date", "title", "status", "term", "is_demo"]
    list_filter = ["term", "status"]
    search_fields = ["title", "=number"]
    readonly_fields = ["public_id"]
    inlines = [VoteInline]
