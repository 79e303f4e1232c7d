import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.filters import BaseFilterSet
from dangjian.regions.models import Region, RegionKind


class RegionFilter(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=RegionKind.choices, label=_("类型"))
    parent = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), method="children_of", label=_("上级区域"))

    class Meta:
        model = Region
        fields = ["q", "kind", "parent"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value)) if value else queryset

    def children_of(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path, depth=value.depth + 1) if value else queryset
