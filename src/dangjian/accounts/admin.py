from django.contrib import admin

from dangjian.accounts.models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "organization", "member", "unit")
    list_filter = ("role",)
    search_fields = ("user__username",)
    raw_id_fields = ("region", "organization", "member", "unit")
