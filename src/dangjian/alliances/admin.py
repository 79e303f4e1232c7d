"""Alliances, their joint meetings and the talent pool are kept by support staff in the admin (scoped)."""
from django.contrib import admin

from dangjian.alliances.models import Alliance, AllianceMeeting, Expert
from dangjian.core.admin import ScopedModelAdmin


class MeetingInline(admin.TabularInline):
    model = AllianceMeeting
    extra = 0


@admin.register(Alliance)
class AllianceAdmin(ScopedModelAdmin):
    list_display = ("name", "industry", "region")
    search_fields = ("name", "industry")
    raw_id_fields = ("region", "units", "organizations")
    inlines = [MeetingInline]
    ordering = ("name",)


@admin.register(Expert)
class ExpertAdmin(ScopedModelAdmin):
    list_display = ("name", "title", "skills", "unit")
    search_fields = ("name", "skills")
    raw_id_fields = ("unit",)
    ordering = ("name",)
