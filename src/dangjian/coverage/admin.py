from django.contrib import admin

from dangjian.coverage.models import CoverageSnapshot, WorkLink


@admin.register(WorkLink)
class WorkLinkAdmin(admin.ModelAdmin):
    list_display = ("unit", "kind", "person_name", "start", "end")
    list_filter = ("kind",)
    raw_id_fields = ("unit", "user")

    def get_queryset(self, request):
        from dangjian.units.models import Unit

        return super().get_queryset(request).filter(unit__in=Unit.objects.scoped(request.user))


@admin.register(CoverageSnapshot)
class CoverageSnapshotAdmin(admin.ModelAdmin):
    list_display = ("month", "region", "units", "covered", "own", "work_covered")
    list_filter = ("month",)

    def get_queryset(self, request):
        from dangjian.regions.models import Region

        return super().get_queryset(request).filter(region__in=Region.objects.scoped(request.user))
