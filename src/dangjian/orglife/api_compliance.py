"""Compliance under /api/v1/orglife/compliance: the roll-up for a region or organisation (or the top of your
scope) and a period, with one row per child; and the organisations behind."""
from typing import Optional

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from dangjian.core.schemas import PageNumbers, errors
from dangjian.orglife import compliance
from dangjian.orglife.models import MeetingKind
from dangjian.orglife.periods import parse_period

router = Router(tags=["orglife"])


class KindOut(Schema):
    kind: str
    kind_label: str
    orgs: int = Field(description="organisations owing this kind")
    due: int = Field(description="months / quarters / years owed so far in the period (held, or past their due day)")
    held: int
    overdue: int
    pending: int = Field(description="months / quarters / years still to come: not held and not yet due")
    behind: int = Field(description="organisations with an overdue one")
    rate: Optional[float]


class ComplianceFiguresOut(Schema):
    orgs: int
    behind: int
    meetings: int
    rate: Optional[float] = Field(description="held / due over all kinds (null when nothing is due yet)")
    pending: int = Field(description="sub-periods still to come over all kinds")
    attendance_rate: Optional[float] = Field(description="present / expected over held meetings")
    makeup_rate: Optional[float] = Field(description="made up / absent")
    kinds: list[KindOut]


class ChildOut(Schema):
    id: Optional[int] = Field(description="child region or organisation; null = organisations directly at the node")
    name: str
    figures: ComplianceFiguresOut


class RollupOut(Schema):
    node_type: str
    node_id: int
    node_name: str
    period: str
    period_label: str
    total: ComplianceFiguresOut
    children: list[ChildOut]


class BehindOut(Schema):
    id: int
    name: str
    region: str
    overdue: dict[str, int] = Field(description="meeting kind → overdue months/quarters/years")
    missing_now: list[str] = Field(description="kinds owed in the current month/quarter/year, not yet held")


class Rows(list):
    """A computed list that PageNumbers can page (it asks for ``count()`` and slices)."""

    def count(self, *_args) -> int:
        return len(self)


def _figures(f: compliance.Figures) -> dict:
    kinds = [{"kind": k, "kind_label": str(MeetingKind(k).label), "orgs": v.orgs, "due": v.due, "held": v.held,
              "overdue": v.overdue, "pending": v.pending, "behind": v.behind, "rate": v.rate}
             for k, v in ((k, f.kinds[k]) for k in MeetingKind.values) if v.orgs]
    return {"orgs": f.orgs, "behind": f.behind, "meetings": f.meetings, "rate": f.rate, "pending": f.pending,
            "attendance_rate": f.attendance_rate, "makeup_rate": f.makeup_rate, "kinds": kinds}


def _node(request, region: Optional[int], org: Optional[int]) -> compliance.Node:
    return compliance.node_for(request.auth, region, org)


@router.get("", response={200: RollupOut, **errors(404)}, summary="组织生活落实情况（汇总）")
def get_compliance(request: HttpRequest, region: Optional[int] = None, org: Optional[int] = None, period: str = ""):
    """``period``: 2026, 2026-Q4 or 2026-11 (default: this year). Anchored at ``region`` or ``org`` (in your
    scope, else 404) or at the top of your scope."""
    today = timezone.localdate()
    result = compliance.rollup(request.auth, _node(request, region, org), parse_period(period, today), today)
    return {"node_type": result.node.kind, "node_id": result.node.obj.pk, "node_name": result.node.obj.name,
            "period": result.period.key, "period_label": result.period.label, "total": _figures(result.total),
            "children": [{"id": c.pk if c else None, "name": c.name if c else "", "figures": _figures(f)}
                         for c, f in result.children]}


@router.get("/behind", response={200: list[BehindOut], **errors(404)}, summary="逾期未开会议的党组织")
@paginate(PageNumbers)
def list_behind(request: HttpRequest, region: Optional[int] = None, org: Optional[int] = None, period: str = "",
                kind: str = ""):
    today = timezone.localdate()
    rows = compliance.org_rows(request.auth, _node(request, region, org), parse_period(period, today), today)
    late = compliance.behind(rows, kind if kind in MeetingKind.values else "")
    return Rows({"id": r.id, "name": r.name, "region": r.region_name, "missing_now": r.missing_now,
                 "overdue": {k: r.figures.kinds[k].overdue for k in r.overdue_kinds}} for r in late)
