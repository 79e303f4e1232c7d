from django.contrib import admin

from dangjian.core.admin import ScopedModelAdmin
from dangjian.regions.models import Region


@admin.register(Region)
class RegionAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "code", "code_year", "depth")
    list_filter = ("kind", "depth")
    search_fields = ("name", "code")
    ordering = ["path"]
    readonly_fields = ("path", "depth", "numchild")
