"""Filter pieces shared by the page lists and the API (one definition for both)."""
import django_filters
from django.utils.translation import gettext_lazy as _


def subtree_filter(model, path_lookup: str, label):
    """Filter by a tree node id, matching the node and everything below it."""

    def method(queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(**{f"{path_lookup}__startswith": value.path})

    return django_filters.ModelChoiceFilter(
queryset=model.objects.all(), method=method, label=label)


class BaseFilterSet(django_filters.FilterSet):
    """Every list has a free-text box ``q``; each subclass defines ``search(queryset, name, value)``."""

    q = django_filters.CharFilter(method="search", label=_("搜索"))
