"""Reads for e家 learning: the library, what a member should study today, records, the points ledger and
rankings. Today's page costs a fixed three queries (member, pushes, records) whatever the library's size."""
import datetime as dt

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from dangjian.core.rules import rule
from dangjian.core.scoping import get_scope
from dangjian.learning.models import AudienceGroup, Content, LearningRecord, PointEntry, Push
from dangjian.units.industry import COURIER_DIVISION


def library(user):
    """Published contents for everyone; staff also see drafts."""
    contents = Content.objects.select_related("series").order_by("-created_at", "-id")
    return contents if not get_scope(user, for_write=True).empty else contents.filter(published=True)


def _prefixes(path: str, steplen: int) -> list[str]:
    return [path[:n] for n in range(steplen, len(path) + 1, steplen)]


def pushes_for(member, day: dt.date):
    """Pushes reaching ``member`` from the catch-up window up to ``day``: aimed at their organisation or an
    organisation above it, or at their organisation's region or a region above it, and at their group."""
    from dangjian.organizations.models import Organization
    from dangjian.regions.models import Region

    org = member.organization
    groups = [AudienceGroup.ALL]
    if member.employer_id and member.employer.industry_division == COURIER_DIVISION:
        groups.append(AudienceGroup.COURIERS)
    if member.is_mobile:
        groups.append(AudienceGroup.MOBILE)
    since = day - dt.timedelta(days=int(rule("learning.catch_up_days")))
    reach = Q(organizations__path__in=_prefixes(org.path, Organization.steplen)) | Q(
        regions__path__in=_prefixes(org.region.path, Region.steplen))
    ids = Push.objects.filter(reach, group__in=groups, date__gte=since, date__lte=day).values("pk")
    return Push.objects.filter(pk__in=ids).select_related("content").order_by("-date", "-id")


def todays_study(member, day: dt.date | None = None) -> dict:
    """Today's pushed contents, and earlier ones in the window not yet completed ("补学习")."""
    day = day or timezone.localdate()
    pushes = list(pushes_for(member, day))
    records = {r.content_id: r for r in LearningRecord.objects.filter(member=member,
                                                                        content__in={p.content_id for p in pushes})}
    today, earlier, seen = [], [], set()
    for p in pushes:
        if p.content_id in seen:
            continue
        seen.add(p.content_id)
        p.record = records.get(p.content_id)
        if p.date == day:
            today.append(p)
        elif not (p.record and p.record.completed_at):
            earlier.append(p)
    return {"today": today, "earlier": earlier, "day": day,
            "done": sum(1 for p in today if p.record and p.record.completed_at)}


def member_with_place(member_id: int):
    from dangjian.members.models import Member

    return Member.objects.select_related("organization__region", "employer").get(pk=member_id)


def ledger(member):
    entries = PointEntry.objects.filter(member=member).select_related("recorded_by").order_by("-day", "-id")
    return entries, entries.aggregate(total=Sum("points"))["total"] or 0


RANK_PERIODS = ("month", "year", "all")


def _since(period: str, today: dt.date) -> dt.date | None:
    if period == "month":
        return today.replace(day=1)
    if period == "year":
        return today.replace(month=1, day=1)
    return None


def ranked_entries(user, period: str, today: dt.date | None = None):
    entries = PointEntry.objects.scoped(user)
    since = _since(period, today or timezone.localdate())
    return entries.filter(day__gte=since) if since else entries


def member_ranking(user, period: str, limit: int = 50) -> list[dict]:
    rows = ranked_entries(user, period).values("member_id", "member__name", "member__organization__name") \
        .annotate(points=Sum("points")).order_by("-points", "member__name")[:limit]
    return list(rows)


def organization_ranking(user, period: str, limit: int = 50) -> list[dict]:
    """Per organisation (a member's own branch): total points and points per member who earned any."""
    rows = ranked_entries(user, period).values("member__organization_id", "member__organization__name") \
        .annotate(points=Sum("points"), members=Count("member", distinct=True)) \
        .order_by("-points", "member__organization__name")[:limit]
    return [{**r, "per_member": round(r["points"] / r["members"], 1) if r["members"] else 0} for r in rows]


def region_ranking(user, period: str) -> list[dict]:
    """Per child region of the user's top region (towns of a district): one GROUP BY on the path prefix."""
    from dangjian.regions.models import Region

    scope = get_scope(user)
    top = (Region.objects.filter(path=scope.region_paths[0]).first() if scope.region_paths
           else Region.objects.filter(depth=1).order_by("path").first() if scope.everything else None)
    if top is None:
        return []
    children = {r.path: r for r in Region.objects.filter(path__startswith=top.path, depth=top.depth + 1)}
    width = len(top.path) + Region.steplen
    rows = ranked_entries(user, period).filter(member__organization__region__path__startswith=top.path) \
        .annotate(prefix=Substr("member__organization__region__path", 1, width)).values("prefix") \
        .annotate(points=Sum("points"), members=Count("member", distinct=True)).order_by("-points")
    return [{"region": children[r["prefix"]].name, "region_id": children[r["prefix"]].pk, "points": r["points"],
             "members": r["members"], "per_member": round(r["points"] / r["members"], 1)}
            for r in rows if r["prefix"] in children]
