from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.forms import form_page
from dangjian.core.htmx import render_inline_errors, render_page
from dangjian.core.scoping import Access
from dangjian.members import actions, idcheck
from dangjian.members.forms import MemberForm
from dangjian.members.models import Member
from dangjian.members.tables import MemberTable
from dangjian.members.visibility import mark_roster
from dangjian.organizations.models import CommitteeMember, Organization, OrgStatus
from dangjian.units.models import Unit


def _writable_branches(user):
    return Organization.objects.scoped(user, for_write=True).filter(kind__in=actions.BRANCH_KINDS, status=OrgStatus.ACTIVE)


@login_required
@require_GET
def member_list(request):
    context = {"list": MemberTable().build(request), "can_create": _writable_branches(request.user).exists()}
    return render_page(request, "members/list.html", context, "members/_list_results.html")


def _detail_context(request, member, plain=None):
    user = request.user
    mark_roster([member], user)
    return {
        "member": member,
        "plain": plain,
        "can_unmask": actions.can_unmask(user),
        "can_edit": Member.objects.scoped(user, for_write=True).filter(pk=member.pk).exists(),
        "org_visible": Organization.objects.scoped(user).filter(pk=member.organization_id).exists(),
        "employer_visible": bool(member.employer_id) and Unit.objects.scoped(user).filter(pk=member.employer_id).exists(),
        "posts": CommitteeMember.objects.filter(member=member, end__isnull=True).select_related("organization"),
    }


@login_required
@require_GET
def member_detail(request, pk):
    member = Member.objects.select_related("organization", "employer").get_for_user(pk, request.user)
    return render(request, "members/detail.html", _detail_context(request, member))


@login_required
@require_POST
def member_unmask(request, pk):
    """Show the full ID number and phone (permission required, and logged by the action)."""
    member = Member.objects.select_related("organization", "employer").get_for_user(pk, request.user, Access.PERSONAL)
    plain = actions.unmask_member(request.user, member)  # PermissionDenied -> 403
    response = render_page(request, "members/detail.html", _detail_context(request, member, plain), "members/_pii.html")
    response["Cache-Control"] = "no-store"
    return response


def _form_page(request, form, member=None):
    done = _("已保存党员“%(name)s”的信息") if member else _("已新增党员“%(name)s”")
    return form_page(request, form, "members/form.html", {"member": member}, detail="members:detail", done_message=done)


@login_required
def member_create(request):
    branches = _writable_branches(request.user)
    if not branches.exists():
        raise Http404
    initial = {}
    wanted = request.GET.get("organization", "")
    if wanted.isdigit() and branches.filter(pk=wanted).exists():
        initial["organization"] = int(wanted)
    elif branches.count() == 1:
        initial["organization"] = branches.get().pk
    form = MemberForm(request.POST or None, user=request.user, initial=initial, validate_url=reverse("members:validate"))
    return _form_page(request, form)


@login_required
def member_edit(request, pk):
    member = Member.objects.select_related("organization").get_for_user(pk, request.user, for_write=True)
    url = reverse("members:validate") + f"?pk={member.pk}"
    form = MemberForm(request.POST or None, user=request.user, instance=member, validate_url=url)
    return _form_page(request, form, member)


@login_required
@require_POST
def member_validate(request):
    """Inline check of the member form (htmx, on change): the action's rules, nothing written."""
    pk = request.GET.get("pk")
    if pk:
        member = Member.objects.get_for_user(pk, request.user, for_write=True)
    elif _writable_branches(request.user).exists():
        member = None
    else:
        raise Http404
    form = MemberForm(request.POST, user=request.user, instance=member)
    form.id_entry = idcheck.VALIDATE
    return render_inline_errors(request, form)
