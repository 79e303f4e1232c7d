import django_filters
from django.utils.translation import gettext_lazy as _

from dangjian.core.filters import BaseFilterSet, subtree_filter
from dangjian.organizations.models import Formation, Organization, OrgKind, OrgStatus
from dangjian.regions.models import Region


class OrganizationFilter(BaseFilterSet):
    region = subtree_filter(Region, "region__path", _("所在区域"))
    parent = subtree_filter(Organization, "path", _("上级党组织"))
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, label=_("党组织类别"))
    formation = django_filters.ChoiceFilter(choices=Formation.choices, label=_("组建方式"))
    status = django_filters.ChoiceFilter(choices=OrgStatus.choices, label=_("状态"))

    class Meta:
        model = Organization
        fields = ["q", "region", "parent", "kind", "formation", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset
