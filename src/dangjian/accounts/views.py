"""Password change for everyone; user and role management for administrators, within their scope."""
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.accounts import actions, grants
from dangjian.accounts.forms import GrantForm, NewUserForm, PolicyPasswordChangeForm, run
from dangjian.accounts.models import RoleAssignment

PER_PAGE = 50


class PasswordChange(auth_views.PasswordChangeView):
    form_class = PolicyPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDone(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


def _manager(request):
    if not grants.may_manage_users(request.user):
        raise PermissionDenied(_("只有区级和镇街园区管理员可以管理用户和角色"))
    return request.user


def _roles():
    return Prefetch("role_assignments", RoleAssignment.objects.select_related(
        "region", "organization", "member", "unit", "department").order_by("id"))


@login_required
def user_list(request):
    actor = _manager(request)
    users = grants.manageable_users(actor).prefetch_related(_roles()).order_by("username")
    q = request.GET.get("q", "").strip()[:50]
    if q:
        users = users.filter(Q(username__icontains=q) | Q(first_name__icontains=q))
    page = Paginator(users, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/users.html", {"page": page, "q": q})


@login_required
@require_http_methods(["GET", "POST"])
def user_new(request):
    actor = _manager(request)
    form = NewUserForm(actor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        user = run(form, actions.create_user, actor, d["username"], d["full_name"], d["password"], d["role"],
                   d["anchor"])
        if user is not None:
            messages.success(request, _("已创建用户“%(name)s”") % {"name": user.username})
            return redirect("accounts:user", pk=user.pk)
    return render(request, "accounts/user_new.html", {"form": form}, status=400 if form.errors else 200)


def _managed(request, pk):
    return get_object_or_404(grants.manageable_users(_manager(request)), pk=pk)  # out of scope: 404


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request, pk):
    user = _managed(request, pk)
    form = GrantForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run(form, actions.grant_role, request.user, user, d["role"], d["anchor"]) is not None:
            messages.success(request, _("已授予角色"))
            return redirect("accounts:user", pk=user.pk)
    roles = user.role_assignments.select_related("region", "organization", "member", "unit", "department")
    return render(request, "accounts/user.html", {"subject": user, "roles": roles.order_by("id"), "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def revoke(request, pk, role_pk):
    user = _managed(request, pk)
    assignment = get_object_or_404(RoleAssignment, pk=role_pk, user=user)
    try:
        actions.revoke_role(request.user, assignment)
        messages.success(request, _("已撤销角色"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("accounts:user", pk=user.pk)


@login_required
@require_POST
def set_active(request, pk):
    user = _managed(request, pk)
    active = request.POST.get("active") == "1"
    actions.set_active(request.user, user, active)
    messages.success(request, _("已启用账号") if active else _("已停用账号"))
    return redirect("accounts:user", pk=user.pk)
