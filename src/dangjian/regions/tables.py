from django.utils.translation import gettext_lazy as _

from dangjian.core.lists import ListSpec
from dangjian.core.subtree import subtree_counts
from dangjian.members.models import Member, MemberStatus
from dangjian.organizations.models import Organization, OrgStatus
from dangjian.regions.filters import RegionFilter
from dangjian.regions.models import Region
from dangjian.units.models import Unit, UnitStatus


def attach_counts(regions, user) -> None:
    """Units in operation, active organisations and current members under each region
    (whole subtree, within the user's scope): one query per kind, whatever the number of regions."""
    units = subtree_counts(Unit.objects.scoped(user).filter(status=UnitStatus.OPERATING), "region__path", regions)
    orgs = subtree_counts(Organization.objects.scoped(user).filter(status=OrgStatus.ACTIVE), "region__path", regions)
    members = subtree_counts(
        Member.objects.scoped(user).filter(status=MemberStatus.NORMAL), "organization__region__path", regions
    )
    for region in regions:
        region.unit_count = units[region.path]
        region.org_count = orgs[region.path]
        region.member_count = members[region.path]


class RegionTable(ListSpec):
    filterset_class = RegionFilter
    sorts = {"tree": ("path",), "name": ("name",), "code": ("code", "path")}
    default_sort = "tree"
    shown_filters = ("q", "kind", "parent")
    search_placeholder = _("区域名称或区划代码")

    def queryset(self, request):
        return Region.objects.scoped(request.user)

    def choices(self, request):
        return {"parent": Region.objects.scoped(request.user).filter(numchild__gt=0)}

    def decorate(self, rows, request):
        attach_counts(rows, request.user)
