from django.utils.translation import gettext_lazy as _

from dangjian.core.lists import ListSpec
from dangjian.services.filters import RequestFilter
from dangjian.services.models import Request


class RequestTable(ListSpec):
    filterset_class = RequestFilter
    sorts = {"new": ("-submitted_at", "-id"), "deadline": ("deadline", "submitted_at")}
    default_sort = "new"
    shown_filters = ("q", "state", "category", "department", "overdue")
    search_placeholder = _("标题或单位名称")
    per_page = 30

    def queryset(self, request):
        return Request.objects.scoped(request.user).select_related("unit", "department")
