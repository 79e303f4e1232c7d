from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from dangjian.core.lists import ListSpec
from dangjian.core.subtree import count_subquery, subtree_counts
from dangjian.members.models import Member, MemberStatus
from dangjian.organizations.filters import OrganizationFilter
from dangjian.organizations.models import CommitteeMember, CommitteePost, Organization, OrgUnit
from dangjian.organizations.terms import reelection_due
from dangjian.regions.models import Region


def current_members(user):
    return Member.objects.scoped(user).filter(status=MemberStatus.NORMAL)


def attach_member_counts(orgs, user) -> None:
    """Current members in each organisation's subtree (user's scope): one query for all of them."""
    counts = subtree_counts(current_members(user), "organization__path", orgs)
    for org in orgs:
        org.member_count = counts[org.path]


def with_summary(queryset):
    """Covered-unit count and current secretary's name, as annotations (no per-row queries)."""
    secretary = CommitteeMember.objects.filter(
        organization=OuterRef("pk"), post=CommitteePost.SECRETARY, end__isnull=True
    ).order_by("-start")
    return queryset.annotate(
        unit_count=count_subquery(OrgUnit.objects.all(), "organization"),
        secretary_name=Subquery(secretary.values("member__name")[:1]),
    )


class OrganizationTable(ListSpec):
    filterset_class = OrganizationFilter
    sorts = {"tree": ("path",), "name": ("name",), "units": ("unit_count", "path"), "term_end": ("term_end", "path")}
    default_sort = "tree"
    shown_filters = ("q", "region", "kind", "formation", "status")
    search_placeholder = _("党组织名称")

    def queryset(self, request):
        return with_summary(Organization.objects.scoped(request.user).select_related("region"))

    def choices(self, request):
        return {"region": Region.objects.scoped(request.user), "parent": Organization.objects.scoped(request.user)}

    def decorate(self, rows, request):
        attach_member_counts(rows, request.user)
        for org in rows:
            org.reelection_due = org.status == "active" and reelection_due(org.term_end)
