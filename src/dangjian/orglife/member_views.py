"""Sign-in (the secretary's rotating QR screen and the member's phone), a member's own meetings, replies
and make-up study. Members act only for themselves: the actions look up the actor's own member record."""
import segno
from django.core.exceptions import ValidationError
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dangjian.orglife import actions, queries, signin
from dangjian.orglife.forms import MakeUpForm
from dangjian.orglife.models import Reply
from dangjian.accounts.own import member_of
from dangjian.core.view_helpers import act, error_text, form_errors


def _qr(request, meeting) -> dict:
    code, left = signin.current_code(meeting)
    url = request.build_absolute_uri(reverse("orglife:scan", args=[meeting.pk])) + f"?c={code}"
    svg = segno.make(url, error="m").svg_inline(scale=8, dark="#1d273b", omitsize=True)
    return {"code": code, "left": left, "qr_svg": svg, "scan_url": url}


@login_required
@require_GET
@never_cache
def signin_screen(request, pk):
    """Shown on the projector or the secretary's phone; the QR part refreshes itself (htmx polling)."""
    meeting = queries.meetings(request.user, for_write=True).get_for_user(pk, request.user, for_write=True)
    context = {"meeting": meeting, **_qr(request, meeting)}
    template = "orglife/_signin_qr.html" if request.headers.get("HX-Request") == "true" else "orglife/signin_screen.html"
    return render(request, template, context)


@login_required
@never_cache
def scan(request, pk):
    """Where a member's phone lands after scanning: one tap signs in (POST, with CSRF)."""
    meeting = queries.meetings(request.user).get_for_user(pk, request.user)
    if request.method == "POST":
        try:
            actions.sign_in(request.user, meeting, request.POST.get("code", ""))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect(reverse("orglife:scan", args=[pk]))
        messages.success(request, _("签到成功"))
        return redirect("orglife:mine")
    mine = queries.my_attendance(meeting, member_of(request.user))
    return render(request, "orglife/scan.html", {"meeting": meeting, "mine": mine, "code": request.GET.get("c", "")})


@login_required
@require_GET
def my_meetings(request):
    member = member_of(request.user)
    context = {"member": member, "Reply": Reply, **(queries.my_meetings(member) if member else {})}
    return render(request, "orglife/mine.html", context)


@login_required
@require_POST
def reply(request, pk):
    meeting = queries.meetings(request.user).get_for_user(pk, request.user)
    answer = request.POST.get("answer", "")
    done = _("已请假") if answer == Reply.LEAVE else _("已报名参加")
    return act(request, lambda: actions.reply(request.user, meeting, answer, request.POST.get("reason", "")), done,
               request.POST.get("next") == "meeting" and reverse("orglife:meeting", args=[pk]) or "orglife:mine",
               labels={"reason": _("请假事由"), "answer": _("回复")})


@login_required
@require_POST
def make_up(request, pk):
    meeting = queries.meetings(request.user).get_for_user(pk, request.user)
    form = MakeUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("orglife:meeting", pk)
    return act(request, lambda: actions.make_up(request.user, meeting, form.cleaned_data["note"]),
               _("补学完成，已计入本次会议的补学人数"), "orglife:meeting", pk, labels={"note": _("补学心得")})
