"""e家 learning pages: the library (staff), a content's study page (heartbeat, complete, quiz), push plans,
today's study on a phone, points and rankings."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.htmx import render_page
from dangjian.core.rules import rule
from dangjian.core.scoping import get_scope
from dangjian.learning import actions, queries
from dangjian.learning.forms import AwardForm, ContentForm, PushForm, QuestionForm
from dangjian.learning.models import Content
from dangjian.learning.tables import ContentTable
from dangjian.members.models import Member
from dangjian.accounts.own import member_of
from dangjian.core.view_helpers import error_text, form_errors


def _staff(user) -> bool:
    return not get_scope(user, for_write=True).empty


def _member(request):
    member = member_of(request.user)
    return queries.member_with_place(member.pk) if member else None


@login_required
@require_GET
def index(request):
    if not _staff(request.user):
        return redirect("learning:today")
    context = {"list": ContentTable().build(request)}
    return render_page(request, "learning/index.html", context, "learning/_content_results.html")


def _editable(request, pk) -> Content:
    """A content the user may change (their write scope covers its owner); any other answers 404."""
    return Content.objects.get_for_user(pk, request.user, for_write=True)


def _content_form(request, content=None):
    if not _staff(request.user):
        raise Http404
    form = ContentForm(request.POST or None, request.FILES or None, user=request.user, instance=content)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if saved is not None:
            messages.success(request, _("已保存学习内容“%(name)s”") % {"name": saved.title})
            return redirect("learning:content", pk=saved.pk)
    return render(request, "learning/content_form.html", {"form": form, "content": content})


@login_required
def content_create(request):
    return _content_form(request)


@login_required
def content_edit(request, pk):
    return _content_form(request, _editable(request, pk))


@login_required
@require_POST
def content_delete(request, pk):
    content = _editable(request, pk)
    try:
        actions.delete_content(request.user, content)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("learning:content", pk=pk)
    messages.success(request, _("已删除学习内容“%(name)s”") % {"name": content.title})
    return redirect("learning:index")


def _visible(request, pk) -> Content:
    return get_object_or_404(queries.library(request.user), pk=pk)


@login_required
@require_GET
def content_detail(request, pk):
    content = _visible(request, pk)
    member = _member(request)
    record = actions.open_record(member, content, start_clock=True) if member else None
    staff = _staff(request.user)
    # Answers are shown to the content's editors, and to a member once they passed; never before.
    passed = record is not None and record.quiz_score is not None and record.quiz_score >= int(
        rule("learning.quiz_pass_score"))
    context = {"content": content, "record": record, "staff": staff, "questions": list(content.questions.all()),
               "needed": actions.seconds_needed(content), "tags": list(content.tags.all()), "passed": passed,
               "editable": staff and Content.objects.scoped(request.user, for_write=True).filter(pk=pk).exists(),
               "attempts_left": actions.attempts_left(member, content) if record and not passed else None}
    if staff:
        context.update(question_form=QuestionForm(), push_form=PushForm(user=request.user,
                                                                        initial={"date": timezone.localdate()}))
    return render(request, "learning/content.html", context)


@login_required
@require_POST
def heartbeat(request, pk):
    member = _member(request)
    if member is None:
        raise Http404
    # Whatever "seconds" the page sends is ignored: the server measures the time between beats.
    record = actions.heartbeat(member, _visible(request, pk))
    return JsonResponse({"seconds": record.seconds})


@login_required
@require_POST
def complete(request, pk):
    member = _member(request)
    if member is None:
        raise Http404
    try:
        actions.complete(member, _visible(request, pk))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已完成学习"))
    return redirect("learning:content", pk=pk)


@login_required
@require_POST
def quiz(request, pk):
    member = _member(request)
    content = _visible(request, pk)
    if member is None:
        raise Http404
    answers = {}
    for key, value in request.POST.items():
        if key.startswith("q-") and key[2:].isdigit() and value.lstrip("-").isdigit():
            answers[int(key[2:])] = int(value)
    try:
        result = actions.submit_quiz(member, content, answers)
    except ValidationError as exc:
        messages.error(request, error_text(exc, {"answers": _("测试")}))
    else:
        # The score only: which answers were right stays hidden until the member passes.
        if result.passed:
            outcome = _("通过")
        elif result.attempts_left is None:
            outcome = _("未通过，可以再试")
        elif result.attempts_left:
            outcome = _("未通过，今天还可以再试%(n)d次") % {"n": result.attempts_left}
        else:
            outcome = _("未通过，今天的次数已用完，请明天再试")
        (messages.success if result.passed else messages.warning)(
            request, _("测试得分：%(s)d分（%(r)s）") % {"s": result.score, "r": outcome})
    return redirect("learning:content", pk=pk)


@login_required
@require_POST
def question_add(request, pk):
    content = _editable(request, pk)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        d = form.cleaned_data
        try:
            actions.add_question(request.user, content, d["text"], d["options"].splitlines(), d["answer"] - 1)
        except ValidationError as exc:
            messages.error(request, error_text(exc, {"options": _("选项"), "answer": _("正确选项"), "text": _("题目")}))
        else:
            messages.success(request, _("已添加测试题"))
    return redirect("learning:content", pk=pk)


@login_required
@require_POST
def push(request, pk):
    content = _visible(request, pk)
    if not _staff(request.user):
        raise Http404
    form = PushForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("learning:content", pk=pk)
    d = form.cleaned_data
    try:
        actions.push_content(request.user, content, d["date"], d["organizations"], d["regions"], d["group"] or "",
                             d["note"])
    except ValidationError as exc:
        messages.error(request, error_text(exc, {"organizations": _("党组织"), "regions": _("区域"), "date": _("推送日期"),
                                                 "group": _("对象")}))
    else:
        messages.success(request, _("已推送为%(d)s的今日学习") % {"d": d["date"].isoformat()})
    return redirect("learning:content", pk=pk)


@login_required
@require_GET
def today(request):
    member = _member(request)
    context = {"member": member, **(queries.todays_study(member) if member else {})}
    return render(request, "learning/today.html", context)


@login_required
@require_GET
def my_points(request):
    member = _member(request)
    if member is None:
        return redirect("learning:rankings")
    entries, total = queries.ledger(member)
    return render(request, "learning/points.html", {"member": member, "entries": entries[:100], "total": total,
                                                    "mine": True})


@login_required
def member_points(request, member_id):
    """Staff: a member's ledger, and a manual award (not to themselves)."""
    member = Member.objects.get_for_user(member_id, request.user)
    form = AwardForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_errors(form))
        else:
            try:
                actions.manual_award(request.user, member, form.cleaned_data["points"], form.cleaned_data["reason"])
            except ValidationError as exc:
                messages.error(request, error_text(exc, {"points": _("积分"), "reason": _("事由"), "member": _("党员")}))
            else:
                messages.success(request, _("已记录积分"))
                return redirect(reverse("learning:member_points", args=[member.pk]))
    entries, total = queries.ledger(member)
    return render(request, "learning/points.html", {"member": member, "entries": entries[:100], "total": total,
                                                    "form": form if _staff(request.user) else None})


@login_required
@require_GET
def rankings(request):
    period = request.GET.get("period", "month")
    period = period if period in queries.RANK_PERIODS else "month"
    context = {"period": period, "members": queries.member_ranking(request.user, period),
               "orgs": queries.organization_ranking(request.user, period),
               "regions": queries.region_ranking(request.user, period)}
    return render(request, "learning/rankings.html", context)
