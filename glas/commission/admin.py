from django.contrib import admin

from glas.commission.models import Commission, CommissionMember, Meeting, MeetingItem, Opinion


@admin.register(Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = ["name", "quorum_share", "majority_share", "rules_source"]


@admin.register(CommissionMember)
class CommissionMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "term_start", "term_end", "is_chair"]
    list_select_related = ["commission"]
    search_fields = ["name", "organisation"]


class MeetingItemInline(admin.TabularInline):
    model = MeetingItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["number", "starts_at", "place", "status"]
    inlines = [MeetingItemInline]


@admin.register(Opinion)
class OpinionAdmin(admin.ModelAdmin):
    list_display = ["item", "status", "votes_for", "votes_against", "abstentions", "published_at"]
    list_select_related = ["item"]
    readonly_fields = ["votes_for", "votes_against", "abstentions", "entitled", "decided_at", "published_at"]
