from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from dangjian.core.lists import ListSpec
from dangjian.core.subtree import count_subquery
from dangjian.members.models import Member, MemberStatus
from dangjian.organizations.models import Formation, OrgStatus, OrgUnit
from dangjian.regions.models import Region
from dangjian.units.filters import UnitFilter
from dangjian.units.models import Unit


def with_coverage(queryset, user):
    """Annotate the covering organisation (first active one) and the user-visible member count."""
    links = OrgUnit.objects.filter(unit=OuterRef("pk"), organization__status=OrgStatus.ACTIVE).order_by("organization__path")
    return queryset.annotate(
        org_id=Subquery(links.values("organization_id")[:1]),
        org_name=Subquery(links.values("organization__name")[:1]),
        org_formation=Subquery(links.values("organization__formation")[:1]),
        member_count=count_subquery(Member.objects.scoped(user).filter(status=MemberStatus.NORMAL), "employer"),
    )


class UnitTable(ListSpec):
    filterset_class = UnitFilter
    sorts = {"name": ("name",), "employees": ("employees",), "region": ("region__path", "name"), "members": ("member_count",)}
    default_sort = "name"
    shown_filters = ("q", "region", "kind", "industry_section", "status", "size", "covered")
    search_placeholder = _("单位名称或统一社会信用代码")

    def queryset(self, request):
        return with_coverage(Unit.objects.scoped(request.user).select_related("region"), request.user)

    def choices(self, request):
        return {"region": Region.objects.scoped(request.user)}

    def decorate(self, rows, request):
        for unit in rows:
            unit.org_formation_label = Formation(unit.org_formation).label if unit.org_formation else ""
