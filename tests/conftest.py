"""Suite-wide set-up: a fast password hasher, and the date the suite runs as of.

``DANGJIAN_TEST_TODAY=2028-02-29`` (or ``2027-12-31T23:30``, Beijing time; 10:00 when no time is given) runs
the suite as if that were today: the clock starts there and ticks on. scripts/test.sh runs the tests marked
``dates`` (periods, compliance, deadlines, the demo: the modules in DATE_SENSITIVE) at a few hard dates
besides today. A test that needs a particular date pins it itself with time-machine, which overrides this.
"""
import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytest_plugins = ["tests.fixtures"]

TESTS = Path(__file__).resolve().parent
# Modules whose rules turn on the calendar: run again at each hard date of scripts/test.sh.
DATE_SENSITIVE = (
    "orglife/test_periods.py", "orglife/test_compliance", "orglife/test_reminders.py", "orglife/test_rules.py",
    "orglife/test_revote_appraisal.py", "learning/test_study.py", "learning/test_manual_award.py",
    "services/test_requests.py", "services/test_rules.py", "services/test_workdays.py", "alliances/test_rules.py",
    "core/test_schedule.py", "core/test_suite_date.py", "core/test_validators.py", "coverage/test_snapshots.py",
    "demo/",
)
_traveller = None


def suite_today() -> dt.datetime | None:
    """The moment DANGJIAN_TEST_TODAY names, or None to run on the real clock."""
    value = os.environ.get("DANGJIAN_TEST_TODAY", "").strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value if "T" in value else f"{value}T10:00")
    except ValueError:
        raise pytest.UsageError(f"DANGJIAN_TEST_TODAY={value!r}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("Asia/Shanghai"))


def pytest_configure(config):
    global _traveller
    from django.conf import settings

    # Tests create many users; the real PBKDF2 hasher costs ~0.4 s per password on a small box.
    # A fast hasher here only (production keeps Django's defaults).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    config.addinivalue_line("markers", "dates: depends on the calendar; run again at hard dates by scripts/test.sh")
    moment = suite_today()
    if moment is not None:
        import time_machine

        _traveller = time_machine.travel(moment, tick=True)
        _traveller.start()


def pytest_unconfigure(config):
    if _traveller is not None:
        _traveller.stop()


def pytest_report_header(config):
    moment = suite_today()
    return f"as of {moment:%Y-%m-%d %H:%M %Z} (DANGJIAN_TEST_TODAY)" if moment else None


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language (zh-hans): a test that switches to English must not leak it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_collection_modifyitems(items):
    for item in items:
        relative = Path(str(item.path)).resolve().relative_to(TESTS).as_posix()
        if relative.startswith(DATE_SENSITIVE):
            item.add_marker(pytest.mark.dates)
