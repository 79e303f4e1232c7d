from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from dangjian.core.scoping import get_scope


@login_required
def home(request):
    """Send each role to where its daily work starts."""
    scope = get_scope(request.user)
    if scope.member_ids and not (scope.everything or scope.region_paths or scope.org_paths):
        return redirect("learning:today")  # a member's day starts on the phone: today's study, then meetings
    if scope.everything or scope.region_paths:
        return redirect("coverage:dashboard")
    if scope.org_paths:
        return redirect("organizations:list")
    if scope.served_unit_ids:
        return redirect("services:home")  # officers and instructors: their workbench of assigned units
    return render(request, "core/no_role.html")


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
