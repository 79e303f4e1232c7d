"""core.cells: text a spreadsheet would run as a formula is escaped; numbers are not; unescape is the inverse."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.cells import escape, escape_row, unescape


@pytest.mark.parametrize("text", ["=1+1", "+86 139", "-", "@SUM(A1)", "\tx", "\r=1", "'=1", "'"])
def test_risky_text_gets_an_apostrophe(text):
    assert escape(text) == "'" + text


@pytest.mark.parametrize("value", ["张伟", "O'Brien", " =1", "1-2", "", None, -5, -0.5, Decimal("-3.20"), 0, True])
def test_other_values_and_numbers_are_unchanged(value):
    assert escape(value) is value


def test_a_row_keeps_its_numbers():
    assert escape_row(["=A1", -1, Decimal("-2"), None, "x"]) == ["'=A1", -1, Decimal("-2"), None, "x"]


def test_text_a_user_typed_with_an_apostrophe_imports_as_typed():
    assert unescape("'abc") == "'abc" and unescape("abc") == "abc" and unescape("'") == "'"


@given(st.text())
def test_unescape_undoes_escape(text):
    assert unescape(escape(text)) == text
