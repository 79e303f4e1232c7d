"""How strong a unit's or an organisation's party work is, from the registry and organisational life, on a 0–1
scale: strong (≥ 0.6) units lead and help, weak (< 0.35) ones are helped ("strong with weak")."""
import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from dangjian.members.models import Category, MemberStatus
from dangjian.organizations.models import Formation, Organization, OrgStatus, OrgUnit
from dangjian.orglife.public import held_meetings as _held

MEETINGS_FULL = 20  # held meetings in a year that count as fully active (monthly theme day, committee, …)


def organization_strength(org_ids, today: dt.date | None = None) -> dict[int, float]:
    """0.4 members (15 formal members count fully) + 0.4 meetings held in the last year + 0.2 a secretary."""
    since = (today or timezone.localdate()) - dt.timedelta(days=365)
    orgs = Organization.objects.filter(pk__in=org_ids).annotate(
        formal=Count("members", filter=Q(members__status=MemberStatus.NORMAL, members__category=Category.FORMAL),
                     distinct=True),
        secretary=Count("committee", filter=Q(committee__post="secretary", committee__end__isnull=True),
                        distinct=True)).values_list("pk", "formal", "secretary")
    held = _held(org_ids, since)
    return {pk: round(0.4 * min(1, formal / 15) + 0.4 * min(1, held.get(pk, 0) / MEETINGS_FULL)
                      + 0.2 * bool(secretary), 3) for pk, formal, secretary in orgs}


def unit_strength(units, today: dt.date | None = None) -> dict[int, float]:
    """0.35 an own organisation + 0.25 its meetings + 0.25 formal members at work there + 0.15 size (300 staff)."""
    since = (today or timezone.localdate()) - dt.timedelta(days=365)
    ids = [u.pk for u in units]
    links = list(OrgUnit.objects.filter(unit__in=ids, organization__status=OrgStatus.ACTIVE)
                 .values_list("unit", "organization", "organization__formation"))
    own = {u for u, _o, formation in links if formation == Formation.OWN}
    org_of = {}
    for unit, org, _f in links:
        org_of.setdefault(unit, org)
    held = _held(set(org_of.values()), since)
    from dangjian.members.models import Member

    formal = dict(Member.objects.filter(employer__in=ids, status=MemberStatus.NORMAL, category=Category.FORMAL)
                  .values("employer").annotate(n=Count("pk")).values_list("employer", "n"))
    return {u.pk: round(0.35 * (u.pk in own) + 0.25 * min(1, held.get(org_of.get(u.pk), 0) / MEETINGS_FULL)
                        + 0.25 * min(1, formal.get(u.pk, 0) / 8) + 0.15 * min(1, (u.employees or 0) / 300), 3)
            for u in units}
