"""Calendar periods at their boundaries, the fixed theme day, and which kinds each organisation owes."""
import datetime as dt

import pytest

from dangjian.orglife.periods import parse_period, period_of, required_kinds, theme_day

D = dt.date


@pytest.fixture(autouse=True)
def today(pin):
    return pin(D(2026, 12, 4))


@pytest.mark.parametrize("day, kind, start, end", [
    (D(2026, 1, 1), "quarter", D(2026, 1, 1), D(2026, 3, 31)),
    (D(2026, 3, 31), "quarter", D(2026, 1, 1), D(2026, 3, 31)),
    (D(2026, 4, 1), "quarter", D(2026, 4, 1), D(2026, 6, 30)),
    (D(2026, 12, 31), "quarter", D(2026, 10, 1), D(2026, 12, 31)),
    (D(2024, 2, 29), "month", D(2024, 2, 1), D(2024, 2, 29)),
    (D(2026, 2, 10), "month", D(2026, 2, 1), D(2026, 2, 28)),
    (D(2026, 12, 15), "month", D(2026, 12, 1), D(2026, 12, 31)),
    (D(2026, 7, 4), "year", D(2026, 1, 1), D(2026, 12, 31)),
])
def test_period_of(day, kind, start, end):
    p = period_of(day, kind)
    assert (p.start, p.end) == (start, end)


def test_next_and_previous_cross_the_year_end():
    q4 = period_of(D(2026, 11, 23), "quarter")
    assert q4.next().key == "2027-Q1" and q4.next().previous() == q4
    dec = period_of(D(2026, 12, 1), "month")
    assert dec.next().key == "2027-01" and period_of(D(2027, 1, 5), "month").previous() == dec
    assert q4.days_left(D(2026, 12, 24)) == 7 and q4.days_left(D(2026, 12, 31)) == 0


def test_split_into_months_quarters_or_the_enclosing_period():
    year = period_of(D(2026, 5, 1), "year")
    assert [p.key for p in year.split("quarter")] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert len(year.split("month")) == 12
    assert [p.key for p in period_of(D(2026, 11, 1), "month").split("quarter")] == ["2026-Q4"]
    assert [p.key for p in period_of(D(2026, 11, 1), "quarter").split("year")] == ["2026"]


@pytest.mark.parametrize("value, key", [("2026", "2026"), ("2026-Q4", "2026-Q4"), ("2025-q1", "2025-Q1"),
                                        ("2026-02", "2026-02"), ("2026-13", "2026"), ("2099", "2026"),
                                        ("", "2026"), ("x", "2026")])
def test_parse_period_falls_back_to_this_year(value, key):
    assert parse_period(value, D(2026, 11, 23)).key == key


def test_theme_day_is_the_fixed_day_and_a_local_rule_can_move_it(settings, tmp_path):
    assert theme_day(2026, 11) == D(2026, 11, 10)
    from dangjian.core.rules import _load

    local = tmp_path / "local.toml"
    local.write_text("[orglife]\ntheme_day = 30\n[orglife.frequency]\nlecture = \"year\"\n", encoding="utf-8")
    settings.DANGJIAN_RULES_FILE = str(local)
    _load.cache_clear()
    try:
        assert theme_day(2026, 2) == D(2026, 2, 28)  # a shorter month: its last day
        from dangjian.orglife.periods import frequency
        assert frequency("lecture") == "year"
    finally:
        settings.DANGJIAN_RULES_FILE = ""
        _load.cache_clear()


def test_required_kinds_by_organisation_kind():
    assert {"general_meeting", "committee", "lecture", "theme_day", "life_meeting", "appraisal"} <= set(required_kinds("branch"))
    assert required_kinds("party_group") == ["group"]
    assert "general_meeting" not in required_kinds("primary_committee")
