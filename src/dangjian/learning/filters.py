import django_filters
from django.utils.translation import gettext_lazy as _

from dangjian.core.filters import BaseFilterSet
from dangjian.learning.models import Content, ContentKind, Series, Tag


class ContentFilter(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=ContentKind.choices, label=_("类型"))
    series = django_filters.ModelChoiceFilter(queryset=Series.objects.all(), label=_("系列"))
    tag = django_filters.ModelChoiceFilter(queryset=Tag.objects.all(), field_name="tags", label=_("标签"))

    class Meta:
        model = Content
        fields = ["q", "kind", "series", "tag"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(title__icontains=value) if value else queryset
