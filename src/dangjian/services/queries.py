"""Reads of service to enterprises, all scoped: service coverage, the gaps and a suggested assignment, an
officer's workbench, request queues, and the request dashboard's figures (fixed number of queries)."""
import bisect
import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone

from dangjian.core.rules import rule
from dangjian.core.rows import db_time, plain_rows
from dangjian.core.scoping import prefix_q
from dangjian.regions.models import Region
from dangjian.services import solver
from dangjian.services.actions import active_assignments, officer_limit
from dangjian.services.models import AWAITING_REPLY, Category, Officer, Request, State, Visit
from dangjian.units.models import Unit, UnitStatus

BY = {"region": "region", "industry": "industry_section", "kind": "kind"}


def _served(on: dt.date):
    return Exists(active_assignments(on).filter(unit=OuterRef("pk"), officer__active=True))


@dataclass
class CoverageRow:
    key: str
    label: str
    units: int = 0
    served: int = 0

    @property
    def rate(self) -> float | None:
        return self.served / self.units if self.units else None

    @property
    def unserved(self) -> int:
        return self.units - self.served


def _top_width(user) -> tuple[int, dict]:
    """Path length of the level below the user's top regions (towns for a district admin), and region names."""
    regions = dict(Region.objects.scoped(user).values_list("path", "name"))
    return min((len(p) for p in regions), default=Region.steplen) + Region.steplen, regions


def service_coverage(user, by: str = "region", on: dt.date | None = None) -> tuple[CoverageRow, list[CoverageRow]]:
    """Operating units in scope with an active officer: the total and one row per town / industry / kind
    (one GROUP BY)."""
    from dangjian.units.industry import SECTIONS
    from dangjian.units.models import UnitKind

    on = on or timezone.localdate()
    units = Unit.objects.scoped(user).filter(status=UnitStatus.OPERATING)
    if by == "region":
        width, names = _top_width(user)
        units, labels = units.annotate(key=Substr("region__path", 1, width)), names
    else:
        units, labels = units.annotate(key=F(BY[by])), dict(SECTIONS) if by == "industry" else dict(UnitKind.choices)
    total, rows = CoverageRow("", ""), []
    for key, n, served in units.values("key").annotate(n=Count("pk"), s=Count("pk", filter=_served(on))) \
            .values_list("key", "n", "s").order_by():
        row = CoverageRow(key or "", str(labels.get(key, key or "—")), n, served)
        rows.append(row)
        total.units += n
        total.served += served
    return total, sorted(rows, key=lambda r: (r.rate if r.rate is not None else 2, r.key))


def unserved_units(user, on: dt.date | None = None):
    on = on or timezone.localdate()
    return Unit.objects.scoped(user).filter(status=UnitStatus.OPERATING).exclude(_served(on)) \
        .select_related("region").order_by("-employees", "name", "pk")


def officer_loads(officers, on: dt.date) -> dict[int, int]:
    return dict(active_assignments(on).filter(officer__in=officers).values("officer").annotate(n=Count("pk"))
                .values_list("officer", "n"))


def officer_places(officers) -> dict[int, tuple[float, float]]:
    """Where each officer is based: the centre of the operating units of their region (one query)."""
    paths = {o.region.path for o in officers}
    sums = defaultdict(lambda: [0.0, 0.0, 0])
    lengths = sorted({len(p) for p in paths})
    rows = Unit.objects.filter(prefix_q("region__path", paths), status=UnitStatus.OPERATING, lng__isnull=False,
                               lat__isnull=False).values_list("region__path", "lng", "lat")
    for path, lng, lat in rows.iterator(chunk_size=5000):
        for n in lengths:
            if path[:n] in paths:
                acc = sums[path[:n]]
                acc[0], acc[1], acc[2] = acc[0] + lng, acc[1] + lat, acc[2] + 1
    return {o.pk: (sums[o.region.path][0] / sums[o.region.path][2], sums[o.region.path][1] / sums[o.region.path][2])
            for o in officers if sums[o.region.path][2]}


@dataclass
class Proposal:
    suggestions: list
    unserved: int
    officers: int
    free_places: int
    units: dict = field(default_factory=dict)
    officer_names: dict = field(default_factory=dict)


def propose(user, kind: str = "", on: dt.date | None = None) -> Proposal:
    """A suggested assignment for the operating units in scope that have no officer, using the scope's active
    officers (of ``kind``, or all) and their free places."""
    on = on or timezone.localdate()
    gaps = list(unserved_units(user, on).filter(lng__isnull=False, lat__isnull=False))
    officers = list(Officer.objects.scoped(user).filter(active=True, **({"kind": kind} if kind else {}))
                    .select_related("region"))
    loads = officer_loads(officers, on)
    places = officer_places(officers)
    officers = [o for o in officers if o.pk in places]
    limits = {o.pk: officer_limit(o.kind) for o in officers}
    suggestions = solver.suggest([solver.Place(u.pk, u.lng, u.lat) for u in gaps],
                                 [solver.Place(o.pk, *places[o.pk]) for o in officers], loads, limits,
                                 float(rule("services.balance_km_per_unit")), int(rule("services.candidate_spots")))
    return Proposal(suggestions, len(gaps), len(officers),
                    sum(max(0, limits[o.pk] - loads.get(o.pk, 0)) for o in officers),
                    {u.pk: u for u in gaps}, {o.pk: o for o in officers})


# --- an officer's workbench ---------------------------------------------------------------------------------

def workbench(officer: Officer, on: dt.date | None = None) -> dict:
    on = on or timezone.localdate()
    every = int(rule("services.visit_every_days"))
    assignments = list(active_assignments(on).filter(officer=officer).select_related("unit__region")
                       .annotate(last_visit=Max("unit__visits__date", filter=Q(unit__visits__officer=officer)))
                       .order_by("unit__name"))
    for a in assignments:
        a.due = a.last_visit is None or (on - a.last_visit).days >= every
    units = [a.unit_id for a in assignments]
    open_requests = list(Request.objects.open().filter(unit__in=units).select_related("unit", "department")
                         .order_by("deadline", "submitted_at"))
    visits = list(Visit.objects.filter(officer=officer).select_related("unit")[:10])
    return {"assignments": assignments, "due": [a for a in assignments if a.due], "open_requests": open_requests,
            "visits": visits, "limit": officer_limit(officer.kind), "every": every}


# --- request figures --------------------------------------------------------------------------------------

def overdue_q(today: dt.date) -> Q:
    return Q(state__in=AWAITING_REPLY, deadline__lt=today)


@dataclass
class Figures:
    """Satisfaction and timeliness of a set of requests."""

    requests: int = 0
    closed: int = 0
    replied: int = 0
    on_time: int = 0
    rated: int = 0
    rating_sum: int = 0
    reply_hours: list = field(default_factory=list)
    close_hours: list = field(default_factory=list)

    @property
    def satisfaction(self) -> float | None:
        """满意度指数: the mean rating on a 0–100 scale (5 stars = 100)."""
        return round(100 * self.rating_sum / (5 * self.rated), 1) if self.rated else None

    @property
    def on_time_rate(self) -> float | None:
        """Replied within the deadline, among the replied requests that had one."""
        return self.on_time / self.replied if self.replied else None

    @property
    def median_reply_days(self) -> float | None:
        return round(statistics.median(self.reply_hours) / 24, 1) if self.reply_hours else None

    @property
    def median_close_days(self) -> float | None:
        return round(statistics.median(self.close_hours) / 24, 1) if self.close_hours else None

    @classmethod
    def of(cls, values) -> "Figures":
        figures = cls()
        for v in values:
            figures.add(*v)
        return figures

    def add(self, reply_hours: float | None, close_hours: float | None, on_time: bool | None,
            rating: int | None) -> None:
        """One request: hours to reply and to close (None: not yet), whether the reply met the deadline
        (None: not replied, or no deadline), its rating."""
        self.requests += 1
        if reply_hours is not None:
            self.reply_hours.append(reply_hours)
        if on_time is not None:
            self.replied += 1
            self.on_time += on_time
        if close_hours is not None:
            self.closed += 1
            self.close_hours.append(close_hours)
        if rating is not None:
            self.rated += 1
            self.rating_sum += rating


def request_values(submitted, replied, closed, deadline, rating, deadline_end) -> tuple:
    """The arguments of Figures.add for one request; ``deadline_end(date)`` is the moment its deadline day ends,
    in the form of the datetimes given."""
    on_time = replied < deadline_end(deadline) if replied is not None and deadline is not None else None
    return ((replied - submitted).total_seconds() / 3600 if replied is not None else None,
            (closed - submitted).total_seconds() / 3600 if closed is not None else None, on_time, rating)


def day_ends(aware: bool = True):
    """deadline date → the moment that day ends (local midnight), cached: one per deadline, not per request."""
    cache, tz = {}, timezone.get_current_timezone()

    def end(day: dt.date) -> dt.datetime:
        if day not in cache:
            cache[day] = db_time(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz), aware)
        return cache[day]
    return end


@dataclass
class Dashboard:
    total: Figures
    by_department: list  # [(name, Figures)]
    by_officer: list
    by_region: list
    by_category: list  # [(label, count)]
    months: list  # ["2026-01", ...]
    volume: dict  # category label -> [count per month]
    states: list  # [(label, count)]
    overdue: int


def dashboard(user, since: dt.date | None = None, today: dt.date | None = None) -> Dashboard:
    """The request dashboard from one query over the period's requests (plus the region names)."""
    today = today or timezone.localdate()
    since = since or (today.replace(day=1) - dt.timedelta(days=334)).replace(day=1)
    start = dt.datetime.combine(since, dt.time(), tzinfo=timezone.get_current_timezone())
    rows = plain_rows(Request.objects.scoped(user).filter(submitted_at__gte=start).values_list(
        "submitted_at", "replied_at", "closed_at", "deadline", "rating", "state", "department__name", "officer__name",
        "unit__region__path", "category"))
    months, month = [], since
    while month <= today:
        months.append(f"{month:%Y-%m}")
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    tz = timezone.get_current_timezone()
    aware = bool(rows) and rows[0][0].tzinfo is not None
    bounds = [db_time(dt.datetime(int(m[:4]), int(m[5:]), 1, tzinfo=tz), aware) for m in months]  # month starts
    labels = dict(Category.choices)
    volume = {c: [0] * len(months) for c in Category.values}
    width, top_regions = _top_width(user)
    states, categories = Counter(r[5] for r in rows), Counter(r[9] for r in rows)
    top_officers = {name for name, _n in Counter(r[7] for r in rows).most_common(20)}
    deadline_end = day_ends(aware)
    # One pass to price each request, then each table's figures from its requests' values.
    values, per_dept, per_officer, per_region = [], defaultdict(list), defaultdict(list), defaultdict(list)
    overdue = 0
    for sub, rep, clo, dl, rating, state, dept, officer, path, category in rows:
        v = request_values(sub, rep, clo, dl, rating, deadline_end)
        values.append(v)
        per_dept[dept or "—"].append(v)
        per_region[path[:width]].append(v)
        if officer in top_officers:
            per_officer[officer or "—"].append(v)
        overdue += state in AWAITING_REPLY and dl is not None and dl < today
        i = bisect.bisect_right(bounds, sub) - 1
        if i >= 0 and category in volume:
            volume[category][i] += 1
    total = Figures.of(values)
    per = {"department": {k: Figures.of(v) for k, v in per_dept.items()},
           "officer": {k: Figures.of(v) for k, v in per_officer.items()},
           "region": {top_regions.get(k, k): Figures.of(v) for k, v in per_region.items()}}

    def ranked(d):
        return sorted(d.items(), key=lambda kv: (-(kv[1].requests), kv[0]))

    return Dashboard(total, ranked(per["department"]), ranked(per["officer"])[:20], ranked(per["region"]),
                     [(str(labels.get(c, c)), n) for c, n in sorted(categories.items(), key=lambda kv: -kv[1])],
                     months, {str(labels[c]): v for c, v in volume.items()},
                     [(str(dict(State.choices)[s]), n) for s, n in states.items()], overdue)


def unit_timeline(user, unit, limit: int = 12) -> dict:
    """The unit's service history for its page: officers now serving it, and visits and requests, newest first."""
    officers = list(active_assignments().filter(unit=unit).select_related("officer__department")
                    .order_by("start", "pk"))
    visits = [(v.date, "visit", v) for v in Visit.objects.scoped(user).filter(unit=unit).select_related("officer")
              [:limit]]
    requests = [(timezone.localtime(r.submitted_at).date(), "request", r)
                for r in Request.objects.scoped(user).filter(unit=unit)[:limit]]
    return {"assignments": officers, "events": sorted(visits + requests, key=lambda e: e[0], reverse=True)[:limit]}
