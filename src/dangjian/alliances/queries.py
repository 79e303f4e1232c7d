"""Reads of linkage groups, pairings and the market, scoped: a scheme's groups with their scores and reasons,
"1+1+N" activity per half year, checklist completion, the market's lists, and the dashboard's figures."""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dangjian.alliances import grouping
from dangjian.alliances.actions import members_of
from dangjian.alliances.models import (Activity, Alliance, Deal, Expert, Item, ItemKind, LinkGroup, LinkMember, Pair,
                                       PairKind, Scheme, SixAction)
from dangjian.alliances.strength import organization_strength, unit_strength
from dangjian.core.scoping import get_scope
from dangjian.organizations.models import Organization, OrgStatus
from dangjian.regions.models import Region


def half_year(day: dt.date) -> tuple[dt.date, dt.date]:
    return (dt.date(day.year, 1, 1), dt.date(day.year, 6, 30)) if day.month <= 6 else \
        (dt.date(day.year, 7, 1), dt.date(day.year, 12, 31))


@dataclass
class GroupView:
    group: LinkGroup
    members: list  # [(unit, strength, reasons)]
    activities_this_half: int
    overdue: bool  # the previous half year passed without a joint activity


def scheme_view(scheme: Scheme, today: dt.date | None = None) -> dict:
    """Everything the scheme page shows: groups with members, strength and why each is there; the objective's
    terms; activity per half year (one is due every half year once the scheme is accepted)."""
    today = today or timezone.localdate()
    groups = list(scheme.groups.select_related("leader").order_by("number"))
    rows = list(LinkMember.objects.filter(scheme=scheme).select_related("unit__region").order_by("unit__name"))
    units = [r.unit for r in rows]
    strengths = unit_strength(units, today)
    index = {g.pk: i for i, g in enumerate(groups)}
    members = members_of(units, strengths, scheme.region)
    assignment = [index[r.group_id] for r in rows]
    problem = grouping.Problem(members, len(groups)) if members and groups else None
    stats, cost = grouping.evaluate(problem, assignment) if problem else ([], 0.0)
    start, end = half_year(today)
    previous_end = start - dt.timedelta(days=1)
    prev_start, _e = half_year(previous_end)
    held = defaultdict(lambda: [0, 0])
    for group_id, date in Activity.objects.filter(group__scheme=scheme, date__gte=prev_start) \
            .values_list("group", "date"):
        held[group_id][0 if date >= start else 1] += 1
    views = {g.pk: GroupView(g, [], held[g.pk][0], scheme.accepted and scheme.created_at.date() <= previous_end
                             and held[g.pk][1] == 0) for g in groups}
    by_group = defaultdict(list)
    for i, r in enumerate(rows):
        by_group[r.group_id].append(i)
    for r_i, r in enumerate(rows):
        mates = [members[j] for j in by_group[r.group_id] if j != r_i]
        m = members[r_i]
        why = {"same_town": sum(o.town == m.town for o in mates), "same_industry": sum(o.industry == m.industry
                                                                                        for o in mates),
               "role": "strong" if m.strong else ("weak" if m.weak else "middle")}
        views[r.group_id].members.append((r.unit, strengths.get(r.unit.pk, 0), why, r.moved))
    return {"groups": [views[g.pk] for g in groups], "terms": grouping.terms(problem, stats) if problem else {},
            "cost": round(cost / max(1, len(members)), 3), "units": len(units),
            "points": [[u.lng, u.lat, index[r.group_id] + 1, u.name] for u, r in zip(units, rows)
                       if u.lng is not None and u.lat is not None]}


def group_for(user, pk) -> LinkGroup:
    """A group is seen by the staff of its scheme's region, and by its member units (their board and activities);
    anyone else gets a 404."""
    group = get_object_or_404(LinkGroup.objects.select_related("scheme__region", "leader"), pk=pk)
    if not group.members.filter(unit__in=get_scope(user).unit_ids).exists():
        Scheme.objects.get_for_user(group.scheme_id, user)  # 404 outside the scope
    return group


def schemes(user):
    return Scheme.objects.scoped(user).select_related("region").annotate(n_groups=Count("groups", distinct=True))


def candidate_units(user, region: Region, organised_only: bool = True, min_employees: int = 0):
    from dangjian.units.models import Unit, UnitStatus

    units = Unit.objects.scoped(user).filter(region__path__startswith=region.path, status=UnitStatus.OPERATING,
                                             employees__gte=min_employees)
    if organised_only:
        units = units.filter(org_links__organization__status=OrgStatus.ACTIVE).distinct()
    return units


# --- pairings ---------------------------------------------------------------------------------------------

def pairs(user, kind: str = ""):
    qs = Pair.objects.scoped(user).select_related("strong", "weak", "unit", "village", "region") \
        .annotate(done=Count("actions", distinct=True), activity_count=Count("activities", distinct=True))
    return qs.filter(kind=kind) if kind else qs


def checklist_completion(user) -> list[dict]:
    """Enterprise–village pairs: the share of the six actions done, per town (and the district in total)."""
    rows = Pair.objects.scoped(user).filter(kind=PairKind.VILLAGE).values("region__name", "region__path") \
        .annotate(n=Count("pk", distinct=True), done=Count("actions")).order_by("region__path")
    out = [{"region": r["region__name"], "pairs": r["n"], "done": r["done"],
            "rate": r["done"] / (r["n"] * len(SixAction.values)) if r["n"] else None} for r in rows]
    total_pairs, total_done = sum(r["pairs"] for r in out), sum(r["done"] for r in out)
    return out + [{"region": None, "pairs": total_pairs, "done": total_done,
                   "rate": total_done / (total_pairs * len(SixAction.values)) if total_pairs else None}]


def strong_weak_sides(user, region: Region, today: dt.date | None = None):
    """Active organisations of the region as pairing sides (place: their units' centre; industry: the most
    common among their units) with their strength and current pairs."""
    from dangjian.alliances.pairing import Side

    base = Organization.objects.scoped(user) if user is not None else Organization.objects.all()
    orgs = list(base.filter(region__path__startswith=region.path,
                                                         status=OrgStatus.ACTIVE,
                                                         unit_links__isnull=False).distinct())
    strength = organization_strength([o.pk for o in orgs], today)
    where = defaultdict(lambda: [0.0, 0.0, 0, defaultdict(int)])
    from dangjian.organizations.models import OrgUnit

    # Only units with both coordinates place an organisation (records from before both were required may have one).
    for org_id, lng, lat, section in OrgUnit.objects.filter(organization__in=orgs, unit__lng__isnull=False,
                                                            unit__lat__isnull=False) \
            .values_list("organization", "unit__lng", "unit__lat", "unit__industry_section"):
        acc = where[org_id]
        acc[0], acc[1], acc[2] = acc[0] + lng, acc[1] + lat, acc[2] + 1
        acc[3][section] += 1
    taken_strong = dict(Pair.objects.filter(kind=PairKind.STRONG_WEAK, strong__in=orgs).values("strong")
                        .annotate(n=Count("pk")).values_list("strong", "n"))
    paired_weak = set(Pair.objects.filter(kind=PairKind.STRONG_WEAK, weak__in=orgs).values_list("weak", flat=True))
    strong, weak = [], []
    for o in orgs:
        acc = where.get(o.pk)
        if not acc or not acc[2]:
            continue
        side = Side(o.pk, acc[0] / acc[2], acc[1] / acc[2], max(acc[3], key=acc[3].get), taken_strong.get(o.pk, 0))
        if strength[o.pk] >= grouping.STRONG:
            strong.append(side)
        elif strength[o.pk] < grouping.WEAK and o.pk not in paired_weak:
            weak.append(side)
    return strong, weak, {o.pk: o for o in orgs}, strength


# --- the market -------------------------------------------------------------------------------------------

def market(kind: str = ""):
    """The published items, open to every user of the platform (that is what publishing is for)."""
    qs = Item.objects.filter(valid_until__gte=timezone.localdate()).select_related("unit__region", "alliance")
    return qs.filter(kind=kind) if kind else qs


def dashboard(user, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    start, _end = half_year(today)
    groups = LinkGroup.objects.filter(scheme__in=Scheme.objects.scoped(user).filter(accepted=True))
    with_activity = groups.filter(activities__date__gte=start).distinct().count()
    deals = Deal.objects.filter(need__in=Item.objects.scoped(user).values("pk"))
    by_month = list(deals.values_list("date", "value"))
    months = defaultdict(float)
    for date, value in by_month:
        months[f"{date:%Y-%m}"] += float(value)
    items = Item.objects.scoped(user)
    return {
        "groups": groups.count(), "groups_active": with_activity,
        "pairs": dict(Pair.objects.scoped(user).values("kind").annotate(n=Count("pk")).values_list("kind", "n")),
        "checklist": checklist_completion(user)[-1],
        "needs": items.filter(kind=ItemKind.NEED).count(), "resources": items.filter(kind=ItemKind.RESOURCE).count(),
        "deals": deals.count(), "deal_value": float(deals.aggregate(v=Sum("value"))["v"] or 0),
        "deal_months": sorted(months.items()), "alliances": Alliance.objects.scoped(user).count(),
    }


def default_region(user) -> Region | None:
    """The top of a staff user's write scope (the district for the district office, the town for a town)."""
    from dangjian.core.scoping import get_scope

    scope = get_scope(user, for_write=True)
    if scope.everything:
        return Region.objects.filter(depth=1).order_by("path").first()
    return Region.objects.filter(path__in=scope.region_paths).order_by("path").first()


def experts_for(need: Item, limit: int = 5) -> list:
    """Experts whose skills share a word with the need (the talent pool is small: a scan is enough)."""
    from dangjian.alliances.matching import words

    wanted = set(words(f"{need.title} {need.description}"))
    linked = set(need.experts.values_list("pk", flat=True))
    scored = []
    for expert in Expert.objects.select_related("unit").exclude(pk__in=linked):
        shared = wanted & set(words(expert.skills))
        if shared:
            scored.append((len(shared), expert.pk, expert))
    return [e for _n, _pk, e in sorted(scored, key=lambda t: (-t[0], t[1]))[:limit]]


def next_host(group: LinkGroup):
    """Whose turn it is to host the group's joint activity: the member that never hosted, or hosted longest ago."""
    from django.db.models import Max

    last = dict(group.activities.filter(host__isnull=False).values("host").annotate(d=Max("date"))
                .values_list("host", "d"))
    members = [m.unit for m in group.members.select_related("unit").order_by("unit__name", "unit__pk")]
    return min(members, key=lambda u: last.get(u.pk) or dt.date.min) if members else None
