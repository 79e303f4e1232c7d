"""The working-day calendar beyond one configured year (issue 11, item 5): China's holidays and make-up working
days from the `holidays` library, local overrides from the rule set, and provisional deadlines — marked on the
request, in its page and the API — when a deadline is counted through a year whose arrangement is not known;
the district administrator is told once per such year."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from dangjian.core import rules
from dangjian.core.models import Notification
from dangjian.services import actions
from dangjian.services.workdays import Deadline, add_working_days, deadline, is_working_day, known_year

API = "/api/v1/services"


@pytest.fixture(autouse=True)
def chinese():
    """Messages are compared in Chinese, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield


def at(*ymd):
    return dt.datetime(*ymd, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def local_calendar(settings, tmp_path):
    """local_calendar(holidays=[...], working_weekends=[...]) installs a local rule set with these lists."""

    def install(holidays=(), working_weekends=()):
        def toml(values):
            return "[" + ", ".join(f'"{v}"' for v in values) + "]"
        path = tmp_path / "local.toml"
        path.write_text(f"[calendar]\nholidays = {toml(holidays)}\nworking_weekends = {toml(working_weekends)}\n",
                        encoding="utf-8")
        settings.DANGJIAN_RULES_FILE = str(path)
        rules._load.cache_clear()

    yield install
    rules._load.cache_clear()


# --- the calendar -------------------------------------------------------------------------------------------

def test_the_2025_national_day_holidays_and_make_up_saturday_come_from_the_library():
    # 1–8 October 2025 off, Saturday 11 October worked: Thu 9, Fri 10, Sat 11, Mon 13, Tue 14.
    assert deadline(dt.date(2025, 9, 30), 5) == Deadline(dt.date(2025, 10, 14))  # not provisional
    assert not is_working_day(dt.date(2025, 10, 7))  # a Tuesday in the holiday week
    assert is_working_day(dt.date(2025, 9, 28)) and is_working_day(dt.date(2025, 10, 11))  # make-up Sun and Sat


def test_make_up_saturdays_work_and_other_saturdays_do_not():
    assert is_working_day(dt.date(2026, 2, 28))  # Saturday worked for the Spring Festival 2026
    assert not is_working_day(dt.date(2026, 2, 21))
    assert not is_working_day(dt.date(2026, 2, 23))  # the Monday added to the Spring Festival
    assert is_working_day(dt.date(2026, 4, 7)) and not is_working_day(dt.date(2026, 4, 6))  # Qingming's Monday


def test_new_year_2027_is_a_statutory_holiday_although_the_2027_arrangement_is_not_published():
    assert not known_year(2027) and known_year(2026) and known_year(2025)
    assert not is_working_day(dt.date(2027, 1, 1))  # a Friday
    assert not is_working_day(dt.date(2027, 2, 8))  # the third day of the Spring Festival, a Monday
    # Without the arrangement the substitute days are not guessed: the Tuesday after the festival counts.
    assert is_working_day(dt.date(2027, 2, 9))


@pytest.mark.parametrize("start,days,due,unknown", [
    (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 4), (2027,)),  # over New Year's Day 2027 and a weekend
    (dt.date(2026, 12, 30), 10, dt.date(2027, 1, 14), (2027,)),
    (dt.date(2026, 12, 4), 10, dt.date(2026, 12, 18), ()),  # all in 2026: firm
    (dt.date(2026, 12, 31), 0, dt.date(2026, 12, 31), ()),  # nothing counted
])
def test_a_deadline_counted_through_an_unknown_year_is_provisional(start, days, due, unknown):
    result = deadline(start, days)
    assert (result.day, result.unknown_years, result.provisional) == (due, unknown, bool(unknown))
    assert add_working_days(start, days) == due


def test_local_overrides_add_days_and_make_their_year_known(local_calendar):
    # A district enters 2027's arrangement before the library has it, and a local holiday in 2026.
    local_calendar(holidays=["2027-02-09", "2027-02-10", "2026-03-03"], working_weekends=["2027-02-20"])
    assert known_year(2027)
    assert not is_working_day(dt.date(2027, 2, 9)) and is_working_day(dt.date(2027, 2, 20))
    assert not is_working_day(dt.date(2026, 3, 3))  # a Tuesday, off locally
    assert not is_working_day(dt.date(2027, 1, 1))  # the statutory day still comes from the library
    assert deadline(dt.date(2026, 12, 31), 1) == Deadline(dt.date(2027, 1, 4))  # 2027 known: firm
    assert not deadline(dt.date(2027, 2, 5), 3).provisional


def test_a_local_working_day_overrides_the_library(local_calendar):
    assert not is_working_day(dt.date(2026, 10, 3))
    local_calendar(working_weekends=["2026-10-03"])  # a Saturday of the National Day week, worked locally
    assert is_working_day(dt.date(2026, 10, 3))


@pytest.mark.parametrize("lists,message", [
    ({"holidays": ["2027-13-01"]}, "规则集 calendar.holidays 中的“2027-13-01”不是日期，应写作 YYYY-MM-DD"),
    ({"working_weekends": ["27/2/20"]}, "规则集 calendar.working_weekends 中的“27/2/20”不是日期"),
    ({"holidays": ["2027-02-20"], "working_weekends": ["2027-02-20"]},
     "规则集 calendar.holidays 和 calendar.working_weekends 都列了 2027-02-20"),
])
def test_a_bad_local_calendar_says_which_list_and_value(local_calendar, lists, message):
    local_calendar(**lists)
    with pytest.raises(ImproperlyConfigured, match=message):
        is_working_day(dt.date(2027, 1, 4))
    # ... and stops `dangjian serve` (which runs the system checks) before any deadline is counted.
    errors = [e.msg for e in run_checks() if e.id == "services.E001"]
    assert len(errors) == 1 and message in errors[0]


def test_a_local_calendar_that_is_not_a_list(settings, tmp_path):
    path = tmp_path / "local.toml"
    path.write_text('[calendar]\nholidays = "2027-02-09"\n', encoding="utf-8")
    settings.DANGJIAN_RULES_FILE = str(path)
    rules._load.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match=r'规则集 calendar.holidays 应为日期列表，如 \["2027-02-09"\]'):
            known_year(2027)
    finally:
        rules._load.cache_clear()


def test_the_shipped_calendar_passes_the_check():
    assert not [e for e in run_checks() if e.id == "services.E001"]


# --- requests with provisional deadlines --------------------------------------------------------------------

def calendar_notices(user):
    return Notification.objects.filter(user=user, key__startswith="calendar:")


def test_accepting_at_the_end_of_the_year_gives_a_provisional_deadline_and_tells_the_district_once(
        svc, raised, time_machine):
    w, u = svc.world.users, svc.users
    time_machine.move_to(at(2026, 12, 30), tick=False)
    r = actions.act(w.shuanggui, raised, "accept", raised.version)
    assert (r.deadline, r.deadline_provisional) == (dt.date(2027, 1, 14), True)
    assert [n.key for n in calendar_notices(w.district)] == ["calendar:2027:unknown"]
    notice = calendar_notices(w.district).get()
    assert "2027年的节假日安排尚未收录" in notice.text and notice.link == reverse("services:request", args=[r.pk])
    assert not calendar_notices(w.shuanggui).exists()  # the district office keeps the calendar

    other = actions.raise_request(u.qiye, svc.world.units.jia, "policy", "政策咨询", "补贴怎么申请")
    time_machine.move_to(at(2026, 12, 31), tick=False)
    other = actions.act(w.district, other, "accept", other.version)
    assert other.deadline_provisional and calendar_notices(w.district).count() == 1  # once per year, not request


def test_a_deadline_within_a_known_year_is_firm_and_tells_nobody(svc, raised, time_machine):
    time_machine.move_to(at(2026, 12, 4), tick=False)
    r = actions.act(svc.world.users.district, raised, "accept", raised.version)
    assert (r.deadline, r.deadline_provisional) == (dt.date(2026, 12, 18), False)
    assert not Notification.objects.filter(key__startswith="calendar:").exists()


def test_a_deadline_the_dispatcher_chooses_is_not_provisional(svc, raised, time_machine):
    w = svc.world.users
    time_machine.move_to(at(2026, 12, 30), tick=False)
    r = actions.act(w.district, raised, "accept", raised.version)
    assert r.deadline_provisional
    r = actions.act(w.district, r, "assign", r.version, deadline=dt.date(2027, 1, 8))
    assert (r.deadline, r.deadline_provisional) == (dt.date(2027, 1, 8), False)


def test_the_page_and_the_api_mark_a_provisional_deadline(svc, raised, login, time_machine):
    w = svc.world.users
    time_machine.move_to(at(2026, 12, 30), tick=False)
    r = actions.act(w.district, raised, "accept", raised.version)
    client = login(w.district)
    page = client.get(reverse("services:request", args=[r.pk])).content.decode()
    assert "2027-01-14" in page and "暂按工作日计算" in page
    assert client.get(f"{API}/requests/{r.pk}").json()["deadline_provisional"] is True
    listed = client.get(f"{API}/requests").json()
    assert [x["deadline_provisional"] for x in listed["items"]] == [True]

    firm = actions.raise_request(svc.users.qiye, svc.world.units.jia, "policy", "政策咨询", "补贴怎么申请")
    time_machine.move_to(at(2026, 12, 4), tick=False)
    firm = actions.act(w.district, firm, "accept", firm.version)
    page = client.get(reverse("services:request", args=[firm.pk])).content.decode()
    assert "2026-12-11" in page and "暂按工作日计算" not in page
    assert client.get(f"{API}/requests/{firm.pk}").json()["deadline_provisional"] is False
