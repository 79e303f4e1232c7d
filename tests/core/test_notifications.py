"""The bell: the unread count, the list, opening one (marks it read, follows only local links)."""
import pytest
from django.urls import reverse

from dangjian.core.models import Notification
from dangjian.core.notify import notify

pytestmark = pytest.mark.django_db


def test_notify_is_idempotent_per_key_and_the_bell_counts_unread(world, login):
    user = world.users.member
    assert notify([user], "会议通知：党员大会", "/orglife/mine/", key="meeting:1:notice") == 1
    assert notify([user], "会议通知：党员大会", "/orglife/mine/", key="meeting:1:notice") == 0
    notify([user], "另一条")
    c = login(user)
    assert ">2<" in c.get(reverse("notifications:badge")).content.decode()
    page = c.get(reverse("notifications:list")).content.decode()
    assert "会议通知：党员大会" in page and "另一条" in page
    first = Notification.objects.get(key="meeting:1:notice")
    r = c.post(reverse("notifications:open", args=[first.pk]))
    assert r.url == "/orglife/mine/"
    first.refresh_from_db()
    assert first.read_at is not None
    c.post(reverse("notifications:read_all"))
    assert "badge" not in c.get(reverse("notifications:badge")).content.decode()


def test_others_notifications_stay_hidden_and_foreign_links_are_not_followed(world, login):
    notify([world.users.secretary], "书记的通知", "https://evil.example/")
    note = Notification.objects.get()
    c = login(world.users.member)
    assert "书记的通知" not in c.get(reverse("notifications:list")).content.decode()
    c.post(reverse("notifications:open", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is None
    r = login(world.users.secretary).post(reverse("notifications:open", args=[note.pk]))
    assert r.url == reverse("notifications:list")


def test_email_is_sent_when_a_mail_server_is_configured(world, settings, mailoutbox):
    settings.DANGJIAN_NOTIFY_EMAIL = True
    world.users.member.email = "zhang@example.com"
    world.users.member.save()
    notify([world.users.member], "提醒：本季度尚未召开支部党员大会", "/orglife/")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["zhang@example.com"]
