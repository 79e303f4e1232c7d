"""What other apps may use of organisational life (the capability apps talk to each other only through these
modules; the import-linter contracts in pyproject.toml check it)."""
import datetime as dt

from django.db.models import Count

from dangjian.orglife.models import Meeting, MeetingStatus


def held_meetings(org_ids, since: dt.date) -> dict[int, int]:
    """{organisation id: meetings held since ``since``} for the given organisations (one query)."""
    return dict(Meeting.objects.filter(organization__in=org_ids, status=MeetingStatus.HELD, held_on__gte=since)
                .values("organization").annotate(n=Count("pk")).values_list("organization", "n"))
