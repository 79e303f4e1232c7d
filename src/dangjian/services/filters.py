import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.filters import BaseFilterSet
from dangjian.services.models import Category, Department, Request, State, departments_for


class RequestFilter(BaseFilterSet):
    """One filter for the request queues (dispatcher, department, enterprise) and the API."""

    state = django_filters.ChoiceFilter(choices=State.choices, label=_("状态"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("类别"))
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.filter(active=True),
                                                  label=_("承办部门"))
    open = django_filters.BooleanFilter(method="only_open", label=_("未办结"))
    overdue = django_filters.BooleanFilter(method="only_overdue", label=_("已超期"))

    class Meta:
        model = Request
        fields = ["q", "state", "category", "department", "open", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:  # a page: offer only the departments of the user's own district
            self.filters["department"].queryset = departments_for(self.request.user)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(unit__name__icontains=value)) if value else queryset

    def only_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.open() if value else queryset.exclude(pk__in=queryset.open().values("pk"))

    def only_overdue(self, queryset, name, value):
        from dangjian.services.queries import overdue_q

        if value is None:
            return queryset
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)
