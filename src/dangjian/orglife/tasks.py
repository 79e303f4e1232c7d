"""Daily reminders (django-tasks; `dangjian serve` enqueues the daily tasks): secretaries are told, in the last
``orglife.reminder_days`` of a month, quarter or year, which required meetings their organisation has not
held or planned; invited members are told the day before a meeting. Keys make a second run a no-op."""
import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from dangjian.accounts.models import RoleAssignment
from dangjian.core.notify import notify
from dangjian.core.rules import rule
from dangjian.organizations.models import Organization, OrgStatus
from dangjian.orglife import structure
from dangjian.orglife.models import Attendance, Meeting, MeetingKind, MeetingStatus, Reply
from dangjian.orglife.periods import MONTH, QUARTER, YEAR, frequency, period_of


def missing_meetings(today: dt.date) -> list[tuple[int, str, str, object]]:
    """(organisation id, name, meeting kind, period) owed in a period ending within the reminder window and
    neither held nor planned in it. What is owed follows ``structure``: no 支委会 where there is no committee,
    nothing for a founding period the rule set excuses."""
    window = int(rule("orglife.reminder_days"))
    periods = {f: period_of(today, f) for f in (MONTH, QUARTER, YEAR)}
    periods = {f: p for f, p in periods.items() if p.days_left(today) <= window}
    kinds = {k: periods[frequency(k)] for k in MeetingKind.values if frequency(k) in periods}
    if not kinds:
        return []
    orgs = list(Organization.objects.filter(status=OrgStatus.ACTIVE).filter(Q(founded__isnull=True) | Q(founded__lte=today))
                .values_list("id", "name", "kind", "founded"))
    owed = Q(pk__in=[])
    for k, period in kinds.items():
        owed |= Q(kind=k) & (Q(status=MeetingStatus.HELD, held_on__gte=period.start, held_on__lte=period.end)
                             | Q(status__in=[MeetingStatus.PLANNED, MeetingStatus.NOTIFIED], starts_at__date__gte=today,
                                 starts_at__date__lte=period.end))
    done = set(Meeting.objects.filter(owed).values_list("organization_id", "kind").distinct())
    committee = kinds.get(structure.COMMITTEE)
    struct = structure.load(Q(organization__status=OrgStatus.ACTIVE), [committee.start] if committee else [])
    return [(pk, name, k, period) for pk, name, org_kind, founded in orgs for k, period in kinds.items()
            if struct.owes(pk, org_kind, k, period) and not structure.excused(founded, period) and (pk, k) not in done]


def remind_secretaries(today: dt.date) -> int:
    missing = missing_meetings(today)
    staff = {}
    for user_id, org_id in RoleAssignment.objects.filter(role__in=["secretary", "clerk"], user__is_active=True,
                                                          organization_id__in={m[0] for m in missing}) \
            .values_list("user_id", "organization_id"):
        staff.setdefault(org_id, []).append(user_id)
    if not staff:
        return 0
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk({u for ids in staff.values() for u in ids})
    link = reverse("orglife:meeting_create")
    sent = 0
    for org_id, name, kind, period in missing:
        recipients = [users[u] for u in staff.get(org_id, [])]
        if recipients:
            text = _("提醒：%(org)s %(period)s尚未召开%(kind)s，本期还剩%(days)d天") % {
                "org": name, "period": period.label, "kind": MeetingKind(kind).label, "days": period.days_left(today)}
            sent += notify(recipients, text, f"{link}?organization={org_id}", key=f"behind:{org_id}:{kind}:{period.key}")
    return sent


def remind_attendees(now: dt.datetime) -> int:
    """Invited members (not on leave) of meetings starting within the next 24 hours."""
    from django.contrib.auth import get_user_model

    soon = Meeting.objects.filter(status=MeetingStatus.NOTIFIED, starts_at__gt=now,
                                  starts_at__lte=now + dt.timedelta(hours=24))
    sent = 0
    for meeting in soon:
        members = Attendance.objects.filter(meeting=meeting).exclude(reply=Reply.LEAVE).values("member")
        users = get_user_model().objects.filter(role_assignments__role="member", role_assignments__member__in=members,
                                                is_active=True).distinct()
        when = timezone.localtime(meeting.starts_at).strftime("%m-%d %H:%M")
        sent += notify(list(users), _("明天会议提醒：%(t)s，%(when)s，%(place)s") % {
            "t": meeting.title, "when": when, "place": meeting.place or _("线上")},
            reverse("orglife:meeting", args=[meeting.pk]), key=f"meeting:{meeting.pk}:soon")
    return sent


@task()
def send_reminders() -> dict:
    now = timezone.now()
    return {"secretaries": remind_secretaries(timezone.localdate()), "attendees": remind_attendees(now)}
