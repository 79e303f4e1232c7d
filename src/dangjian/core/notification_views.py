"""The bell: unread count (loaded by htmx after the page, so pages keep their query counts) and the list."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.models import Notification


@login_required
@require_GET
@never_cache
def badge(request):
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "core/_notification_badge.html", {"unread": unread})


@login_required
@require_GET
def notification_list(request):
    rows = Notification.objects.filter(user=request.user)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk):
    """Mark one as read and follow its link (only to this site)."""
    note = Notification.objects.filter(user=request.user, pk=pk).first()
    if note is None:  # someone else's: as if absent (the scope convention)
        raise Http404
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk).update(read_at=timezone.now())
    ok = note.link and url_has_allowed_host_and_scheme(note.link, {request.get_host()}, request.is_secure())
    return redirect(note.link if ok else "notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:list")
