"""会议记录本: every held meeting of an organisation in a year, printed as a PDF with Chinese fonts
(WeasyPrint renders an ordinary template; the fonts are Debian's Noto CJK)."""
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from dangjian.orglife import queries
from dangjian.orglife.models import Meeting, MeetingStatus, MinutesRevision


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


def recordbook_pdf(request, org, year: int) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string("orglife/recordbook.html", {
        "org": org, "year": year, "meetings": recordbook_meetings(org, year), "printed": timezone.localdate(),
    }, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="recordbook-{org.pk}-{year}.pdf"'
    return response
