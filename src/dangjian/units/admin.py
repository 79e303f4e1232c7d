from django.contrib import admin

from dangjian.core.admin import ScopedModelAdmin
from dangjian.units.models import Unit


@admin.register(Unit)
class UnitAdmin(ScopedModelAdmin):
    list_display = ("name", "credit_code", "kind", "industry_section", "employees", "region", "status")
    list_filter = ("kind", "status", "industry_section", "above_size")
    search_fields = ("name", "credit_code")
    list_select_related = ("region",)
    raw_id_fields = ("region",)
    ordering = ["name"]
