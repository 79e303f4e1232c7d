"""Pages for staff: meeting list, plan/edit, the meeting page and its actions (notice, presence, held,
minutes, files, replay, votes)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.htmx import render_page
from dangjian.organizations.models import Organization
from dangjian.orglife import actions, compliance, queries
from dangjian.orglife.forms import FileForm, HeldForm, MakeUpForm, MeetingForm, MinutesForm, ReplayForm, VoteForm
from dangjian.orglife.models import Meeting, MeetingKind, MeetingStatus, Presence, Reply
from dangjian.accounts.own import member_of
from dangjian.orglife.tables import MeetingTable
from dangjian.core.view_helpers import act, field_labels, form_errors


def _can_plan(user) -> bool:
    return Organization.objects.scoped(user, for_write=True).exists()


@login_required
@require_GET
def meeting_list(request):
    context = {"list": MeetingTable().build(request), "can_create": _can_plan(request.user),
               "is_member": member_of(request.user) is not None}
    return render_page(request, "orglife/meeting_list.html", context, "orglife/_meeting_results.html")


def _form(request, form, meeting=None, hints=()):
    form_page_context = {"meeting": meeting, "hints": hints}
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if saved is not None:
            messages.success(request, _("已保存会议“%(name)s”") % {"name": saved.title})
            return redirect("orglife:meeting", pk=saved.pk)
    return render(request, "orglife/meeting_form.html", {"form": form, **form_page_context})


@login_required
def meeting_create(request):
    if not _can_plan(request.user):
        raise Http404
    initial, hints = {}, []
    org = request.GET.get("organization", "")
    if org.isdigit():
        initial["organization"] = org
        chosen = Organization.objects.scoped(request.user, for_write=True).filter(pk=org).first()
        if chosen is not None:  # what it must still hold this month / quarter / year (the compliance rules)
            hints = [(MeetingKind(k).label, p.label) for k, p in compliance.still_owed(request.user, chosen)]
    return _form(request, MeetingForm(request.POST or None, user=request.user, initial=initial), hints=hints)


@login_required
def meeting_edit(request, pk):
    meeting = queries.meetings(request.user, for_write=True).get_for_user(pk, request.user, for_write=True)
    return _form(request, MeetingForm(request.POST or None, user=request.user, instance=meeting), meeting)


@login_required
@require_GET
def meeting_detail(request, pk):
    user = request.user
    meeting = queries.meetings(user).get_for_user(pk, user)
    manage = queries.can_manage(user, meeting)
    member = member_of(user)
    minutes = queries.latest_minutes(meeting)
    mine = queries.my_attendance(meeting, member)
    context = {
        "meeting": meeting, "manage": manage, "mine": mine, "minutes": minutes,
        "can_make_up": mine is not None and mine.presence == Presence.ABSENT and actions.can_make_up(meeting, bool(minutes)),
        "Presence": Presence, "Reply": Reply, "Status": MeetingStatus,
    }
    if manage:
        context.update(
            attendances=queries.attendance_rows(meeting), files=list(meeting.files.all()),
            votes=vote_history(meeting), held_form=HeldForm(initial={"decisions": meeting.decisions}),
            minutes_form=MinutesForm(initial={"text": minutes[0].text if minutes else ""}),
            file_form=FileForm(), replay_form=ReplayForm(initial={"replay_url": meeting.replay_url}), vote_form=VoteForm(),
        )
    if context["can_make_up"]:
        context["makeup_form"] = MakeUpForm()
    return render(request, "orglife/meeting_detail.html", context)


def vote_history(meeting) -> list:
    """Every vote of the meeting in order, the replaced ones marked (the page keeps the history in view)."""
    rows = list(queries.votes([meeting], history=True))
    replaced = {v.replaces_id for v in rows if v.replaces_id}
    for v in rows:
        v.replaced = v.pk in replaced
    return rows


def _staff_meeting(request, pk) -> Meeting:
    return queries.meetings(request.user, for_write=True).get_for_user(pk, request.user, for_write=True)


@login_required
@require_POST
def meeting_notify(request, pk):
    meeting = _staff_meeting(request, pk)
    return act(request, lambda: actions.notify_attendees(request.user, meeting), _("已向参会人员发出会议通知"),
               "orglife:meeting", pk)


@login_required
@require_POST
def meeting_cancel(request, pk):
    meeting = _staff_meeting(request, pk)
    return act(request, lambda: actions.cancel_meeting(request.user, meeting), _("会议已取消"), "orglife:meeting", pk)


@login_required
@require_POST
def meeting_presence(request, pk):
    meeting = _staff_meeting(request, pk)
    wanted = {}
    for key, value in request.POST.items():
        if key.startswith("p-") and key[2:].isdigit() and value:
            wanted[int(key[2:])] = value
    return act(request, lambda: actions.mark_presence(request.user, meeting, wanted), _("已登记出席情况"),
               "orglife:meeting", pk)


def _with_form(request, pk, form, call, done):
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("orglife:meeting", pk)
    return act(request, lambda: call(form.cleaned_data), done, "orglife:meeting", pk, labels=field_labels(form))




@login_required
@require_POST
def meeting_held(request, pk):
    meeting = _staff_meeting(request, pk)
    return _with_form(request, pk, HeldForm(request.POST),
                      lambda d: actions.mark_held(request.user, meeting, d["held_on"], d["decisions"]),
                      _("会议已标记为已召开，未签到的党员记为缺席"))


@login_required
@require_POST
def meeting_minutes(request, pk):
    meeting = _staff_meeting(request, pk)
    return _with_form(request, pk, MinutesForm(request.POST), lambda d: actions.add_minutes(request.user, meeting, d["text"]),
                      _("已保存会议记录（新修订）"))


@login_required
@require_POST
def meeting_file(request, pk):
    meeting = _staff_meeting(request, pk)
    return _with_form(request, pk, FileForm(request.POST, request.FILES),
                      lambda d: actions.add_file(request.user, meeting, d["kind"], d["file"]), _("已上传文件"))


@login_required
@require_POST
def meeting_replay(request, pk):
    meeting = _staff_meeting(request, pk)
    return _with_form(request, pk, ReplayForm(request.POST, request.FILES),
                      lambda d: actions.set_replay(request.user, meeting, d["replay_url"], d["replay_file"]),
                      _("已保存会议回放，缺席党员可以补学"))


@login_required
@require_POST
def meeting_vote(request, pk):
    meeting = _staff_meeting(request, pk)

    def call(d):
        vote = actions.record_vote(request.user, meeting, **d)
        (messages.success if vote.passed else messages.warning)(request, _("表决结果：%(r)s（赞成%(y)d票，须超过有表决权的%(e)d人的半数）") % {
            "r": _("通过") if vote.passed else _("未通过"), "y": vote.yes + vote.written_yes, "e": vote.entitled})

    return _with_form(request, pk, VoteForm(request.POST), call, "")
