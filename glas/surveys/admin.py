"""Admin views of surveys. Questionnaires are designed and responses taken through the
services (which keep the audit log and freeze the questionnaire in fieldwork), so the admin
mostly shows; respondents' answers are read-only and tokens never appear."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from glas.surveys.models import (
    Answer,
    Choice,
    Code,
    CodeFrame,
    Invitation,
    MatrixRow,
    Question,
    Quota,
    QuotaCell,
    Response,
    Section,
    Survey,
    SurveyWeighting,
)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SectionInline(ReadOnlyMixin, admin.TabularInline):
    model = Section
    fields = ["position", "title", "logic"]
    extra = 0


class ChoiceInline(ReadOnlyMixin, admin.TabularInline):
    model = Choice
    fields = ["position", "code", "label"]
    extra = 0


class MatrixRowInline(ReadOnlyMixin, admin.TabularInline):
    model = MatrixRow
    fields = ["position", "code", "label"]
    extra = 0


class QuotaCellInline(ReadOnlyMixin, admin.TabularInline):
    model = QuotaCell
    fields = ["key", "target", "filled"]
    extra = 0


class AnswerInline(ReadOnlyMixin, admin.TabularInline):
    model = Answer
    fields = ["question", "text", "number", "date", "codes", "other_text"]
    extra = 0


@admin.register(Survey)
class SurveyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "status", "anonymity", "owner", "wave", "fieldwork_start", "fieldwork_end", "is_demo"]
    list_filter = ["status", "anonymity", "is_demo"]
    search_fields = ["title"]
    list_select_related = ["owner"]
    inlines = [SectionInline]


@admin.register(Question)
class QuestionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["variable", "survey", "section", "position", "type", "required"]
    list_filter = ["type"]
    search_fields = ["variable", "text"]
    list_select_related = ["survey", "section"]
    inlines = [ChoiceInline, MatrixRowInline]


@admin.register(Quota)
class QuotaAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "survey", "closes_survey"]
    list_select_related = ["survey"]
    inlines = [QuotaCellInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["pk", "survey", "settlement", "stratum", "sent_at", "reminded_at", "completed_at"]
    list_filter = ["survey"]
    exclude = ["token_hash", "token_nonce", "short_code", "email", "person"]
    list_select_related = ["survey", "settlement"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["public_id", "survey", "status", "channel", "entry_round", "started_at", "submitted_at"]
    list_filter = ["status", "channel"]
    exclude = ["respondent", "invitation"]
    list_select_related = ["survey"]
    inlines = [AnswerInline]


@admin.register(SurveyWeighting)
class SurveyWeightingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Shown only: a weighting is set on the survey's weighting page, which checks the margins
    against the questionnaire and the answers and writes the audit entry."""

    list_display = ["survey", "method", "margins_source", "strata_variable", "cluster_variable", "updated_at"]
    list_filter = ["method"]
    search_fields = ["survey__title", "margins_source"]
    list_select_related = ["survey"]


class CodeInline(ReadOnlyMixin, admin.TabularInline):
    model = Code
    fields = ["position", "value", "label", "description"]
    extra = 0


@admin.register(CodeFrame)
class CodeFrameAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "question", "source", "multiple", "primary_coder"]
    list_select_related = ["question", "primary_coder"]
    inlines = [CodeInline]
