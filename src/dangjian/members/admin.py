from django.contrib import admin

from dangjian.core.admin import ScopedModelAdmin
from dangjian.members.models import Member


@admin.register(Member)
class MemberAdmin(ScopedModelAdmin):
    """Only masked identifiers here; the full values are shown (and logged) on the member page."""

    list_display = ("name", "gender", "id_number_masked", "category", "organization", "status", "is_mobile")
    list_filter = ("category", "status", "is_mobile", "gender")
    search_fields = ("name",)
    list_select_related = ("organization",)
    raw_id_fields = ("organization", "employer")
    readonly_fields = ("id_number_masked", "phone_masked")
    exclude = ("id_number_enc", "id_number_hash", "phone_enc", "phone_hash")
    ordering = ["name"]
