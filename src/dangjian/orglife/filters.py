import django_filters
from django.utils.translation import gettext_lazy as _

from dangjian.core.filters import BaseFilterSet, subtree_filter
from dangjian.organizations.models import Organization
from dangjian.orglife.models import Meeting, MeetingKind, MeetingStatus
from dangjian.regions.models import Region


class MeetingFilter(BaseFilterSet):
    organization = subtree_filter(Organization, "organization__path", _("党组织"))
    region = subtree_filter(Region, "organization__region__path", _("所在区域"))
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("类型"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("状态"))
    online = django_filters.BooleanFilter(label=_("线上会议"))
    start = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("开始日期"))
    end = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("结束日期"))

    class Meta:
        model = Meeting
        fields = ["q", "organization", "region", "kind", "status", "online", "start", "end"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(title__icontains=value) if value else queryset
