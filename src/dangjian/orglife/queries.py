"""Scoped reads for meetings: lists, one meeting with everything its page shows, a member's own meetings."""
import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone

from dangjian.orglife.models import Attendance, Meeting, MeetingStatus, MinutesRevision, Presence, Vote


def meetings(user, for_write: bool = False):
    return Meeting.objects.scoped(user, for_write).select_related("organization")


def can_manage(user, meeting) -> bool:
    return Meeting.objects.scoped(user, for_write=True).filter(pk=meeting.pk).exists()


def attendance_rows(meeting):
    return list(Attendance.objects.filter(meeting=meeting).select_related("member").order_by("role", "member__name",
                                                                                             "member_id"))


def latest_minutes(meeting) -> list[MinutesRevision]:
    return list(MinutesRevision.objects.filter(meeting=meeting).select_related("author"))


def votes(meetings, history: bool = False):
    """The votes of some meetings in the order taken: by default only the standing one per subject (a re-vote
    replaces the vote before it); with ``history`` also the replaced ones."""
    rows = Vote.objects.filter(meeting__in=meetings).select_related("replaces").order_by("at", "pk")
    return rows if history else rows.filter(replaced_by__isnull=True)


def my_attendance(meeting, member):
    return Attendance.objects.filter(meeting=meeting, member=member).first() if member else None


def my_meetings(member, today: dt.date | None = None):
    """A member's page: upcoming meetings (to reply or sign in) and held ones missed (to make up)."""
    today = today or timezone.localdate()
    rows = Attendance.objects.filter(member=member).select_related("meeting", "meeting__organization")
    upcoming = rows.filter(meeting__status__in=[MeetingStatus.PLANNED, MeetingStatus.NOTIFIED],
                           meeting__starts_at__date__gte=today).order_by("meeting__starts_at")
    missed = rows.filter(meeting__status=MeetingStatus.HELD, presence=Presence.ABSENT,
                         meeting__held_on__gte=today - dt.timedelta(days=365)).order_by("-meeting__held_on")
    recent = rows.filter(meeting__status=MeetingStatus.HELD, presence__in=[Presence.PRESENT, Presence.MADE_UP]) \
        .order_by("-meeting__held_on")
    return {"upcoming": list(upcoming[:20]), "missed": list(missed[:20]), "recent": list(recent[:10])}


def with_attendance(queryset, member):
    """Meetings with the member's own attendance row attached (one extra query)."""
    return queryset.prefetch_related(Prefetch("attendances", queryset=Attendance.objects.filter(member=member),
                                              to_attr="mine"))
