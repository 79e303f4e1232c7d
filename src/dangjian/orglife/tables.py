from django.utils.translation import gettext_lazy as _

from dangjian.core.lists import ListSpec
from dangjian.organizations.models import Organization
from dangjian.orglife.filters import MeetingFilter
from dangjian.orglife.queries import meetings
from dangjian.regions.models import Region


class MeetingTable(ListSpec):
    filterset_class = MeetingFilter
    sorts = {"starts_at": ("-starts_at",), "org": ("organization__path", "-starts_at"), "kind": ("kind", "-starts_at")}
    default_sort = "starts_at"
    shown_filters = ("q", "organization", "kind", "status")
    search_placeholder = _("会议主题")

    def queryset(self, request):
        return meetings(request.user)

    def choices(self, request):
        return {"organization": Organization.objects.scoped(request.user), "region": Region.objects.scoped(request.user)}
