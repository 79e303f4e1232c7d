"""Sessions end after DANGJIAN_IDLE_MINUTES without a request, and SESSION_COOKIE_AGE after the login however
active the user: Django alone would slide the 8 hours forward on every session write."""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

SEEN, SIGNED_IN = "dj_seen_at", "dj_signed_in_at"
# Requests an open page makes by itself (polling): not the user being active.
PASSIVE_VIEWS = frozenset({"notifications:badge"})
TOUCH_EVERY = 60  # seconds: record activity at most once a minute, not a session write per request


@receiver(user_logged_in)
def _start_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN] = request.session[SEEN] = now


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        session, now = request.session, time.time()
        seen = session.get(SEEN)
        signed_in = session.setdefault(SIGNED_IN, now)  # sessions from before this middleware start now
        idle = seen is not None and now - seen > settings.DANGJIAN_IDLE_MINUTES * 60
        if idle or now - signed_in > settings.SESSION_COOKIE_AGE:
            logout(request)  # the view then answers as to anyone logged out: login page, or 401 from the API
            if not request.path.startswith("/api/"):
                messages.info(request, _("您已较长时间未操作，为保护数据已自动退出，请重新登录。") if idle
                              else _("登录已超过有效期，请重新登录。"))
            return None
        passive = request.resolver_match is not None and request.resolver_match.view_name in PASSIVE_VIEWS
        if seen is None or (not passive and now - seen >= TOUCH_EVERY):
            session[SEEN] = now
        return None
