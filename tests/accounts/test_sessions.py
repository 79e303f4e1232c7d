"""Sessions end after DANGJIAN_IDLE_MINUTES without a request, and 8 hours after the login however active."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

START = dt.datetime(2026, 12, 4, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def logged_in(client, response) -> bool:
    return response.status_code == 200 and response.wsgi_request.user.is_authenticated


def test_idle_for_more_than_30_minutes_logs_out_pages_and_api(client, world, clock):
    client.force_login(world.users.district)
    members = reverse("members:list")
    assert logged_in(client, client.get(members))
    clock.shift(dt.timedelta(minutes=29))
    assert logged_in(client, client.get("/api/v1/me"))  # a request resets the idle clock
    clock.shift(dt.timedelta(minutes=29))
    assert logged_in(client, client.get(members))
    clock.shift(dt.timedelta(minutes=31))
    assert client.get("/api/v1/me").status_code == 401
    assert client.get(members).status_code == 302  # stays logged out


def test_page_after_idle_goes_to_login_with_a_message(client, world, clock):
    client.force_login(world.users.district)
    client.get(reverse("members:list"))
    clock.shift(dt.timedelta(minutes=31))
    page = client.get(reverse("members:list"), follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("login"))
    assert "您已较长时间未操作" in page.content.decode()


def test_notification_polling_does_not_count_as_activity(client, world, clock):
    client.force_login(world.users.district)
    client.get(reverse("members:list"))
    for _ in range(4):  # an open tab polls every 2 minutes… for 40 minutes
        clock.shift(dt.timedelta(minutes=10))
        client.get(reverse("notifications:badge"))
    assert client.get("/api/v1/me").status_code == 401


def test_idle_minutes_are_configurable(client, world, clock, settings):
    settings.DANGJIAN_IDLE_MINUTES = 5
    client.force_login(world.users.district)
    client.get("/api/v1/me")
    clock.shift(dt.timedelta(minutes=6))
    assert client.get("/api/v1/me").status_code == 401


def test_session_ends_8_hours_after_login_however_active(client, world, clock):
    client.force_login(world.users.district)
    for _ in range(8 * 4 - 1):  # a request every 15 minutes for 7¾ hours
        clock.shift(dt.timedelta(minutes=15))
        assert client.get("/api/v1/me").status_code == 200
    clock.shift(dt.timedelta(minutes=16))
    assert client.get("/api/v1/me").status_code == 401
