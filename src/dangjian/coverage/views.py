"""The coverage dashboard (/coverage/) and its Excel export. A fixed number of queries per page."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.coverage import queries
from dangjian.coverage.export import XLSX_TYPE, workbook_bytes
from dangjian.coverage.params import read_filters, read_sort
from dangjian.regions.models import Region
from dangjian.units.industry import SECTIONS
from dangjian.units.models import SizeBand, UnitKind

UNITS_PER_PAGE = 25
BLANK_PER_PAGE = 15


def _rate(rate):
    return rate.percent


def _chart_row(row, url):
    return {
        "name": row.label, "url": url, "units": row.units, "covered": row.covered, "own": row.own, "work": row.work,
        "coverage": _rate(row.coverage_rate), "own_rate": _rate(row.own_rate), "work_rate": _rate(row.work_rate),
    }


def _region_options(user, tops, current):
    """Regions for the filter box (top regions and their children) plus the current one's ancestors."""
    if not tops:
        return [], []
    step = Region.steplen
    ancestors = [current.path[:i] for i in range(step, len(current.path) + 1, step)] if current else []
    depth = max(t.depth for t in tops) + 1
    options = list(Region.objects.scoped(user).filter(Q(depth__lte=depth) | Q(path__in=ancestors)).order_by("path"))
    top_depth = min(t.depth for t in tops)
    for option in options:
        option.indent = "\u3000" * max(0, option.depth - top_depth)
    crumbs = [r for r in options if r.path in ancestors]
    return options, crumbs


@login_required
def dashboard(request):
    user = request.user
    filters, errors = read_filters(user, request.GET)
    for error in errors:
        messages.warning(request, error)
    region = filters.pop("region")
    sort = read_sort(request.GET)
    tops = queries.top_regions(user)

    cube = queries.cube(user, region, **filters)  # one aggregate: the summary and the four breakdowns
    summary = cube.summary()
    by_region = cube.breakdown("region")
    parent = by_region.region
    tabs = [(by, cube.breakdown(by)) for by in ("industry", "kind", "size")]
    blank = queries.blank_spots(user, sort, region, request.GET.get("page"), BLANK_PER_PAGE, by_region.rows,
                                count=summary.uncovered, **filters)
    trend = queries.trend(user, parent)
    options, crumbs = _region_options(user, tops, region)

    show_units = region is not None and (region.depth > 1 or region.numchild == 0)
    units_page = None
    if show_units:
        units_page = Paginator(queries.region_units(user, region, **filters), UNITS_PER_PAGE).get_page(request.GET.get("upage"))

    base = reverse("coverage:dashboard")
    chart = {
        "labels": {
            "coverage": _("组织覆盖率"), "own": _("单独组建率"), "work": _("工作覆盖率"), "units": _("在营单位"),
            "covered": _("已覆盖"), "formation_own": _("单独组建"), "formation_joint": _("联合组建"),
            "formation_fallback": _("兜底覆盖"), "uncovered": _("未覆盖"), "missing": "—",
        },
        "regions": [_chart_row(r, f"{base}?region={r.region_id}" if r.region_id else None) for r in by_region.rows],
        "trend": [
            {"month": f"{p['month']:%Y-%m}", "coverage": p["coverage_rate"]["percent"], "own": p["own_rate"]["percent"],
             "work": p["work_rate"]["percent"], "units": p["units"], "covered": p["covered"]}
            for p in trend
        ],
        "formation": [
            {"key": "own", "value": summary.own}, {"key": "joint", "value": summary.joint},
            {"key": "fallback", "value": summary.fallback}, {"key": "uncovered", "value": summary.uncovered},
        ],
    }
    tab_labels = {"industry": _("按行业"), "kind": _("按单位类型"), "size": _("按规模")}
    context = {
        "summary": summary, "region": region, "parent": parent, "crumbs": crumbs, "options": options,
        "filters": filters, "sort": sort, "by_region": by_region, "blank": blank, "chart": chart,
        "tabs": [(by, tab_labels[by], b) for by, b in tabs], "show_units": show_units, "units_page": units_page,
        "today": timezone.localdate(), "has_trend": bool(trend),
        "kinds": UnitKind.choices, "sections": list(SECTIONS.items()), "sizes": SizeBand.choices,
        "query": _query_without(request.GET, "page", "upage"),
    }
    return render(request, "coverage/dashboard.html", context)


def _query_without(querydict, *names) -> str:
    q = querydict.copy()
    for name in names:
        q.pop(name, None)
    return q.urlencode()


@login_required
def export_xlsx(request):
    user = request.user
    filters, _errors = read_filters(user, request.GET)
    region = filters.pop("region")
    data = workbook_bytes(user, region=region, sort=read_sort(request.GET), **filters)
    audit.record(user, audit.Action.EXPORT, region, {"what": "coverage", "filters": {k: str(v) for k, v in filters.items()}},
                 object_type="regions.region" if region else "coverage", object_id=region.pk if region else "")
    name = f"coverage-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
