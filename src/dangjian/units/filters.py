import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.filters import BaseFilterSet, subtree_filter
from dangjian.organizations.models import OrgStatus, OrgUnit
from dangjian.regions.models import Region
from dangjian.units.industry import SECTIONS
from dangjian.units.models import SIZE_BAND_BOUNDS, SizeBand, Unit, UnitKind, UnitStatus


def covered_exists():
    return Exists(OrgUnit.objects.filter(unit=OuterRef("pk"), organization__status=OrgStatus.ACTIVE))


class UnitFilter(BaseFilterSet):
    region = subtree_filter(Region, "region__path", _("所在区域"))
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("单位类型"))
    industry_section = django_filters.ChoiceFilter(choices=list(SECTIONS.items()), label=_("行业门类"))
    status = django_filters.ChoiceFilter(choices=UnitStatus.choices, label=_("经营状态"))
    size = django_filters.ChoiceFilter(choices=SizeBand.choices, method="size_band", label=_("规模"))
    above_size = django_filters.BooleanFilter(label=_("规模以上"))
    covered = django_filters.BooleanFilter(method="is_covered", label=_("已建党组织"))

    class Meta:
        model = Unit
        fields = ["q", "region", "kind", "industry_section", "status", "size", "above_size", "covered"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__startswith=value.upper()))

    def size_band(self, queryset, name, value):
        for band, low, high in SIZE_BAND_BOUNDS:
            if band == value:
                queryset = queryset.filter(employees__gte=low)
                return queryset.filter(employees__lte=high) if high is not None else queryset
        return queryset

    def is_covered(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(covered_exists()) if value else queryset.exclude(covered_exists())
