"""Pages for 民主评议 (grades of the year) and 谈心谈话 (talks and their coverage) of one organisation."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dangjian.core.scoping import Access
from dangjian.members.models import Member
from dangjian.organizations.models import Organization
from dangjian.orglife import review
from dangjian.orglife.models import HeartTalk
from dangjian.orglife.queries_review import appraisal_summary, talk_summary
from dangjian.core.view_helpers import error_text


def _year(request) -> int:
    value = request.GET.get("year", "")
    this_year = timezone.localdate().year
    return int(value) if value.isdigit() and 2000 <= int(value) <= this_year else this_year


def _context(request, pk, access=Access.READ):
    org = Organization.objects.get_for_user(pk, request.user, access)
    can_edit = Organization.objects.scoped(request.user, for_write=True).filter(pk=org.pk).exists()
    year = _year(request)
    return org, can_edit, year, {"org": org, "can_edit": can_edit, "year": year,
                                 "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1)}


@login_required
def appraisal_page(request, pk):
    org, can_edit, year, context = _context(request, pk, Access.REVIEW)  # grades: own committee and staff above
    if request.method == "POST":
        if not can_edit:
            return redirect("orglife:appraisal", pk)
        grades = {int(k[2:]): v for k, v in request.POST.items() if k.startswith("g-") and k[2:].isdigit() and v}
        try:
            review.record_appraisal(request.user, org, year, grades)
        except ValidationError as exc:
            messages.error(request, error_text(exc, {"grades": _("评议等次"), "year": _("年度")}))
        else:
            messages.success(request, _("已保存%(year)d年度民主评议结果") % {"year": year})
            return redirect(f"{request.path}?year={year}")
    return render(request, "orglife/appraisal.html", {**context, **appraisal_summary(org, year)})


@login_required
def talks_page(request, pk):
    org, can_edit, year, context = _context(request, pk, Access.REVIEW)  # talk notes: likewise
    members = list(Member.objects.filter(organization=org, status="normal").order_by("name", "pk"))
    if request.method == "POST" and can_edit:
        people = {m.pk: m for m in members}
        pick = lambda name: people.get(int(request.POST[name])) if request.POST.get(name, "").isdigit() else None  # noqa: E731
        try:
            review.record_talk(request.user, org, parse_date(request.POST.get("date", "") or "") or None,
                               pick("first"), pick("second"), request.POST.get("notes", ""))
        except (ValidationError, ValueError) as exc:
            messages.error(request, error_text(exc, {"date": _("谈话日期"), "second": _("谈话对象")})
                           if isinstance(exc, ValidationError) else _("谈话日期格式不正确"))
        else:
            messages.success(request, _("已登记谈心谈话"))
            return redirect(f"{request.path}?year={year}")
    talks = HeartTalk.objects.filter(organization=org, date__year=year).select_related("first", "second")
    return render(request, "orglife/talks.html", {**context, **talk_summary(org, year), "talks": talks,
                                                  "members": members, "today": timezone.localdate()})


@login_required
def hosted_page(request, pk):
    """Mobile members hosted here as guests: add one by the ID number they present, or end the hosting."""
    from dangjian.orglife.models import HostedMember

    org, can_edit, year, context = _context(request, pk, Access.PERSONAL)  # who is a mobile member is personal
    if request.method == "POST" and can_edit:
        today = timezone.localdate()
        try:
            if request.POST.get("end", "").isdigit():
                hosted = HostedMember.objects.get(pk=request.POST["end"], organization=org)
                review.end_hosting(request.user, hosted, today)
                messages.success(request, _("已结束“%(name)s”在本组织参加组织生活") % {"name": hosted.member.name})
            else:
                member = review.find_mobile_member(request.user, org, request.POST.get("id_number", ""))
                since = parse_date(request.POST.get("since", "") or "") or today
                review.host_member(request.user, org, member, since)
                messages.success(request, _("已登记流动党员“%(name)s”，今后的会议通知会邀请其列席") % {"name": member.name})
            return redirect("orglife:hosted", pk)
        except ValidationError as exc:
            messages.error(request, error_text(exc, {"id_number": _("身份证号码"), "since": _("开始日期"),
                                                     "member": _("流动党员"), "until": _("结束日期")}))
        except (HostedMember.DoesNotExist, ValueError):
            messages.error(request, _("开始日期格式不正确"))
    rows = HostedMember.objects.filter(organization=org).select_related("member", "member__organization") \
        .order_by("until", "-since")
    return render(request, "orglife/hosted.html", {**context, "rows": rows, "today": timezone.localdate()})
