import datetime as dt

import pytest

from dangjian.core import pii
from dangjian.organizations.terms import add_months, reelection_due, term_end


def test_encryption_round_trip_and_ciphertext_differs_each_time():
    a, b = pii.encrypt("500228198503071233"), pii.encrypt("500228198503071233")
    assert a != b and "500228" not in a
    assert pii.decrypt(a) == "500228198503071233"


def test_blind_index_is_deterministic_and_keyed():
    assert pii.blind_index("13800001111") == pii.blind_index("13800001111")
    assert pii.blind_index("13800001111") != pii.blind_index("13800001112")
    assert "13800001111" not in pii.blind_index("13800001111")


def test_masks():
    assert pii.mask_citizen_id("500228198503071233") == "500***********1233"
    assert pii.mask_phone("13812345678") == "138****5678"
    assert pii.mask_phone("") == ""


@pytest.mark.parametrize("start,months,expected", [
    (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
    (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
    (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
    (dt.date(2024, 11, 15), 3, dt.date(2025, 2, 15)),
    (dt.date(2025, 3, 15), -6, dt.date(2024, 9, 15)),
])
def test_calendar_months(start, months, expected):
    assert add_months(start, months) == expected


def test_term_lengths_by_kind():
    assert term_end("primary_committee", dt.date(2022, 6, 30)) == dt.date(2027, 6, 30)
    assert term_end("branch", dt.date(2022, 6, 30)) == dt.date(2025, 6, 30)
    assert term_end("temporary_branch", dt.date(2022, 6, 30)) is None


def test_reelection_flag_starts_six_months_before_the_end():
    end = dt.date(2026, 6, 30)
    assert not reelection_due(end, today=dt.date(2025, 12, 29))
    assert reelection_due(end, today=dt.date(2025, 12, 30))
    assert reelection_due(end, today=dt.date(2026, 8, 1))  # overdue stays flagged
    assert not reelection_due(None)
