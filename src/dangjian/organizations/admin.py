from django.contrib import admin

from dangjian.core.admin import ScopedModelAdmin
from dangjian.organizations.models import CommitteeMember, Organization, OrgUnit


class OrgUnitInline(admin.TabularInline):
    model = OrgUnit
    raw_id_fields = ("unit",)
    extra = 0


class CommitteeInline(admin.TabularInline):
    model = CommitteeMember
    raw_id_fields = ("member",)
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "formation", "region", "status", "term_end")
    list_filter = ("kind", "formation", "status")
    search_fields = ("name",)
    list_select_related = ("region",)
    raw_id_fields = ("region",)
    readonly_fields = ("path", "depth", "numchild")
    ordering = ["path"]
    inlines = [OrgUnitInline, CommitteeInline]
