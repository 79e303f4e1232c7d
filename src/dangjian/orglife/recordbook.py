"""会议记录本: every held meeting of an organisation in a year, printed as a PDF with Chinese fonts
(WeasyPrint renders an ordinary template; the fonts are Debian's Noto CJK), after a summary of what the year
required of it by its real structure (the compliance rules: no 支委会 owed without a committee)."""
import dataclasses
import datetime as dt

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from dangjian.orglife import compliance, queries
from dangjian.orglife.models import Meeting, MeetingKind, MeetingStatus, MinutesRevision
from dangjian.orglife.periods import YEAR, period_of


def recordbook_meetings(org, year: int) -> list[Meeting]:
    meetings = list(Meeting.objects.filter(organization=org, status=MeetingStatus.HELD, held_on__year=year)
                    .order_by("held_on", "starts_at", "pk"))
    latest = {}
    for r in MinutesRevision.objects.filter(meeting__in=meetings).select_related("author").order_by("at", "pk"):
        latest[r.meeting_id] = r  # the last revision wins
    votes = {}
    for v in queries.votes(meetings):  # the standing vote per subject; a re-vote shows its reason
        votes.setdefault(v.meeting_id, []).append(v)
    for m in meetings:
        m.latest_minutes = latest.get(m.pk)
        m.vote_list = votes.get(m.pk, [])
    return meetings


@dataclasses.dataclass
class KindLine:
    label: str
    figures: compliance.KindFigures


def year_summary(user, org, year: int, today: dt.date) -> list[KindLine]:
    """Per meeting kind the organisation owed in the year: held / owed so far, overdue, pending."""
    rows = compliance.org_rows(user, compliance.Node("org", org), period_of(dt.date(year, 1, 1), YEAR), today)
    mine = next((r for r in rows if r.id == org.pk), None)
    if mine is None:
        return []
    return [KindLine(MeetingKind(k).label, mine.figures.kinds[k]) for k in MeetingKind.values if mine.figures.kinds[k].orgs]


def recordbook_pdf(request, org, year: int) -> HttpResponse:
    from weasyprint import HTML

    today = timezone.localdate()
    html = render_to_string("orglife/recordbook.html", {
        "org": org, "year": year, "meetings": recordbook_meetings(org, year), "printed": today,
        "summary": year_summary(request.user, org, year, today),
    }, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="recordbook-{org.pk}-{year}.pdf"'
    return response
