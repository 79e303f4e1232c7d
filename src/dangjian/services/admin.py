"""The district's registry of departments and officers, kept by support staff in the admin (scoped like every
other list). Assignments, visits and requests go through the pages and the API, whose actions check the rules."""
from django.contrib import admin

from dangjian.core.admin import ScopedModelAdmin
from dangjian.regions.models import Region
from dangjian.services.models import Department, Officer


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "region", "head", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "code")
    raw_id_fields = ("head",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(region__in=Region.objects.scoped(request.user))


@admin.register(Officer)
class OfficerAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "department", "region", "user", "active")
    list_filter = ("kind", "active")
    search_fields = ("name",)
    raw_id_fields = ("user", "department", "region")
    ordering = ("name",)
