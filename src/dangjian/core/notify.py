"""Notifications: in the page for every recipient, by e-mail too when the site has a mail server."""
from django.conf import settings
from django.core.mail import send_mail

from dangjian.core.models import Notification


def notify(users, text: str, link: str = "", key: str = "") -> int:
    """Tell ``users``; with a ``key``, a user already told under that key is not told again.
    Returns how many were notified."""
    users = [u for u in users if u is not None]
    if key:
        told = set(Notification.objects.filter(key=key, user__in=users).values_list("user_id", flat=True))
        users = [u for u in users if u.pk not in told]
    Notification.objects.bulk_create(
        [Notification(user=u, text=text[:300], link=link, key=key) for u in users], ignore_conflicts=bool(key)
    )
    if settings.DANGJIAN_NOTIFY_EMAIL:
        recipients = [u.email for u in users if u.email]
        if recipients:
            send_mail(text[:78], f"{text}\n{link}", None, recipients, fail_silently=True)
    return len(users)
