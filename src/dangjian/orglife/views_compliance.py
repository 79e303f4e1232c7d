"""Compliance pages: the dashboard (headline rates, calendar heat map, by child region/organisation with
drill-down, who is behind), the full behind list, the Excel report, and the PDF meeting record book."""
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dangjian.organizations.models import Organization
from dangjian.orglife import compliance
from dangjian.orglife.models import MeetingKind
from dangjian.orglife.periods import MONTH, QUARTER, YEAR, parse_period, period_of
from dangjian.regions.models import Region

BEHIND_SHOWN = 15


def read_node(request) -> compliance.Node:
    """?region=ID or ?org=ID (must be in scope, else 404), or the top of the user's scope."""
    org, region = request.GET.get("org", ""), request.GET.get("region", "")
    return compliance.node_for(request.user, region if region.isdigit() else None, org if org.isdigit() else None)


def period_options(today: dt.date) -> list:
    """This year and the two before: each year, its quarters and months (the future left out)."""
    options = []
    for year in range(today.year, today.year - 3, -1):
        y = period_of(dt.date(year, 1, 1), YEAR)
        options.append(y)
        for q in y.split(QUARTER):
            if q.start <= today:
                options.append(q)
        options += [m for m in y.split(MONTH) if m.start <= today]
    return options


def _pct(value):
    return None if value is None else round(value * 100, 1)


def pending_word(period, today: dt.date) -> str:
    """What a rate with nothing due yet reads: "本月待开" for the running month (not 0%)."""
    if not period.contains(today):
        return _("待开")
    return {MONTH: _("本月待开"), QUARTER: _("本季待开"), YEAR: _("本年待开")}[period.kind]


def _crumbs(user, node) -> list:
    model = Region if node.kind == "region" else Organization
    steplen = model.steplen
    paths = [node.path[:n] for n in range(steplen, len(node.path) + 1, steplen)]
    return list(model.objects.scoped(user).filter(path__in=paths).order_by("path"))


@login_required
@require_GET
def compliance_dashboard(request):
    user = request.user
    today = timezone.localdate()
    node = read_node(request)
    period = parse_period(request.GET.get("period", ""), today)
    kind = request.GET.get("kind", "")
    kind = kind if kind in MeetingKind.values else ""
    result = compliance.rollup(user, node, period, today)
    late = compliance.behind(result.rows, kind)
    param = "region" if node.kind == "region" else "org"
    base = reverse("orglife:compliance")
    waiting = pending_word(period, today)
    children = [{
        "name": c.name if c else _("本级"), "url": f"{base}?{param}={c.pk}&period={period.key}" if c else None,
        "orgs": f.orgs, "behind": f.behind, "rate": _pct(f.rate), "attendance": _pct(f.attendance_rate),
        "makeup": _pct(f.makeup_rate), "pending": f.pending, "figures": f,
    } for c, f in result.children]
    chart = {
        "labels": {"rate": _("会议落实率"), "attendance": _("到会率"), "makeup": _("补学率"), "meetings": _("召开会议"),
                   "missing": waiting if result.total.pending else "—"},
        "year": period.start.year,
        "calendar": compliance.calendar(user, node, period),
        "children": [{k: v for k, v in row.items() if k != "figures"} for row in children],
    }
    kinds = [(k, MeetingKind(k).label, result.total.kinds[k]) for k in MeetingKind.values if result.total.kinds[k].orgs]
    context = {
        "node": node, "period": period, "periods": period_options(today), "kind": kind, "kinds": kinds,
        "kind_label": MeetingKind(kind).label if kind else "",
        "total": result.total, "rate": _pct(result.total.rate), "attendance": _pct(result.total.attendance_rate),
        "waiting": waiting,
        "makeup": _pct(result.total.makeup_rate), "children": children, "chart": chart,
        "behind": late[:BEHIND_SHOWN], "behind_count": len(late), "crumbs": _crumbs(user, node), "today": today,
        "query": f"{node.kind if node.kind == 'org' else 'region'}={node.obj.pk}&period={period.key}",
        "leaf": node.kind == "org" or not result.children or all(c is None for c, _f in result.children),
        "rows": result.rows if node.kind == "org" else [],
    }
    return render(request, "orglife/compliance.html", context)


@login_required
@require_GET
def compliance_behind(request):
    today = timezone.localdate()
    node = read_node(request)
    period = parse_period(request.GET.get("period", ""), today)
    kind = request.GET.get("kind", "")
    kind = kind if kind in MeetingKind.values else ""
    late = compliance.behind(compliance.org_rows(request.user, node, period, today), kind)
    page = Paginator(late, 50).get_page(request.GET.get("page"))
    return render(request, "orglife/compliance_behind.html", {
        "node": node, "period": period, "kind": kind, "kind_label": MeetingKind(kind).label if kind else "",
        "page": page, "kinds": MeetingKind.choices,
        "query": f"{'org' if node.kind == 'org' else 'region'}={node.obj.pk}&period={period.key}",
    })


@login_required
@require_GET
def compliance_xlsx(request):
    from dangjian.orglife.report import compliance_workbook

    today = timezone.localdate()
    node = read_node(request)
    period = parse_period(request.GET.get("period", ""), today)
    result = compliance.rollup(request.user, node, period, today)
    return compliance_workbook(result, today)


@login_required
@require_GET
def recordbook(request, org_id, year):
    from dangjian.orglife.recordbook import recordbook_pdf

    org = Organization.objects.get_for_user(org_id, request.user)
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    return recordbook_pdf(request, org, year)
