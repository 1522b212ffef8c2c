from django.contrib import admin

from research import models


class TeamScopedAdmin(admin.ModelAdmin):
    list_filter = ["team"]
    readonly_fields = ["uid", "created_at", "updated_at"]


@admin.register(models.Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role"]
    list_filter = ["team", "role"]


@admin.register(models.TeamTag)
class TeamTagAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "slug"]
    list_filter = ["team"]
    search_fields = ["name"]


@admin.register(models.Project)
class ProjectAdmin(TeamScopedAdmin):
    list_display = ["name", "team", "slug", "is_archived"]
    search_fields = ["name"]


@admin.register(models.Organization)
class OrganizationAdmin(TeamScopedAdmin):
    list_display = ["name", "team", "kind"]
    search_fields = ["name"]


@admin.register(models.Person)
class PersonAdmin(TeamScopedAdmin):
    list_display = ["name", "team", "organization", "kind"]
    search_fields = ["name", "email"]
    list_select_related = ["team", "organization"]


class ConsentInline(admin.TabularInline):
    model = models.Consent
    extra = 0
    exclude = ["team"]


@admin.register(models.Conversation)
class ConversationAdmin(TeamScopedAdmin):
    list_display = ["title", "team", "project", "kind", "occurred_at"]
    list_filter = ["team", "kind"]
    search_fields = ["title"]
    list_select_related = ["team", "project"]
    inlines = [ConsentInline]


for model in (
    models.Consent,
    models.Recording,
    models.Transcript,
    models.Highlight,
    models.Insight,
    models.Feature,
):
    admin.site.register(model, TeamScopedAdmin)


@admin.register(models.Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["transcript", "index", "start", "end", "speaker"]
    list_filter = ["team"]


@admin.register(models.InsightFeatureLink)
class InsightFeatureLinkAdmin(admin.ModelAdmin):
    list_display = ["insight", "feature", "stance", "weight"]
    list_filter = ["team", "stance"]
