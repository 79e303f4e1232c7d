from django.utils.translation import gettext_lazy as _

from dangjian.core.lists import ListSpec
from dangjian.members.filters import MemberFilter
from dangjian.members.models import Member
from dangjian.members.visibility import mark_roster
from dangjian.organizations.models import Organization


class MemberTable(ListSpec):
    filterset_class = MemberFilter
    sorts = {
        "name": ("name",),
        "organization": ("organization__path", "name"),
        "join_date": ("join_date", "name"),
    }
    default_sort = "organization"
    shown_filters = ("q", "organization", "category", "status", "is_mobile")
    search_placeholder = _("姓名，或完整的身份证号、手机号")

    def build(self, request):
        self.filterset_class = MemberFilter.for_user(request.user)  # filters by personal fields: only where read
        return super().build(request)

    def queryset(self, request):
        return Member.objects.scoped(request.user).select_related("organization", "employer")

    def choices(self, request):
        return {"organization": Organization.objects.scoped(request.user)}

    def decorate(self, rows, request):
        mark_roster(rows, request.user)
