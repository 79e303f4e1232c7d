from django.utils.translation import gettext_lazy as _

from dangjian.core.lists import ListSpec
from dangjian.learning.filters import ContentFilter
from dangjian.learning.queries import library


class ContentTable(ListSpec):
    filterset_class = ContentFilter
    sorts = {"new": ("-created_at",), "title": ("title",)}
    default_sort = "new"
    shown_filters = ("q", "kind", "series", "tag")
    search_placeholder = _("标题")
    per_page = 30

    def queryset(self, request):
        return library(request.user)
