"""Turn one spreadsheet cell into a Python value, or say in Chinese why it cannot be.

Cells arrive as whatever openpyxl read: str, int, float, bool, datetime (date-formatted cells)
or None. Each parser takes the raw value (never blank: blanks are handled by the caller) and
returns the value or raises CellError with a message for the row/column table.
"""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel


class CellError(ValueError):
    pass


class Formula:
    """A cell holding a formula (the reader's marker): refused, since its result is not data the user typed.

    Picklable, so the reader process can send it like any other value.
    """

    __slots__ = ("formula",)

    def __init__(self, formula: str):
        self.formula = formula

    def __reduce__(self):
        return Formula, (self.formula,)

    def __eq__(self, other):
        return isinstance(other, Formula) and other.formula == self.formula

    def __hash__(self):
        return hash(self.formula)

    def __str__(self):
        return "=" + self.formula

    def __repr__(self):
        return f"Formula({self.formula!r})"


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """Any cell as trimmed text; whole floats lose their '.0' (Excel stores 13800001111 as a number)."""
    if value.__class__ is str:
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        midnight = isinstance(value, dt.datetime) and value.time() == dt.time()
        value = value.date().isoformat() if midnight else value.isoformat()
    return str(value).strip()


def code_text(value) -> str:
    """Codes (区划代码, credit codes, phone): text without any whitespace."""
    return re.sub(r"\s+", "", text(value))


# 2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日, 20240105 (optionally followed by a time).
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
# Excel serial numbers for 1900-01-01 .. 2199-12-31.
_SERIAL_MIN, _SERIAL_MAX = 1, 109574


def _serial(value: float) -> dt.date:
    if not (_SERIAL_MIN <= value <= _SERIAL_MAX):
        raise CellError(_("无法识别的日期“%(v)s”，请按 2024-01-05 的格式填写") % {"v": text(value)})
    return from_excel(value).date()


def _make_date(y: str, m: str, d: str, raw) -> dt.date:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        raise CellError(_("日期“%(v)s”不存在，请检查年月日") % {"v": text(raw)}) from None


def date(value) -> dt.date:
    """Date-formatted cells, Excel serial numbers and the usual Chinese ways of writing a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(_("无法识别的日期“%(v)s”，请按 2024-01-05 的格式填写") % {"v": value})
    if isinstance(value, (int, float)):
        if isinstance(value, int) or value.is_integer():
            match = _COMPACT_RE.match(str(int(value)))
            if match:
                return _make_date(*match.groups(), value)
        return _serial(float(value))
    raw = text(value)
    match = _DATE_RE.match(raw) or _COMPACT_RE.match(raw)
    if match:
        return _make_date(*match.groups(), raw)
    if re.fullmatch(r"\d+(\.\d+)?", raw):
        return _serial(float(raw))
    raise CellError(_("无法识别的日期“%(v)s”，请按 2024-01-05 的格式填写") % {"v": raw})


def month(value) -> dt.date:
    """A year-month (2024-05, 2024年5月) or a full date; returned as the first of the month."""
    if isinstance(value, str):
        match = _MONTH_RE.match(value.strip())
        if match:
            return _make_date(match.group(1), match.group(2), "1", value)
    try:
        return date(value).replace(day=1)
    except CellError:
        raise CellError(_("无法识别的年月“%(v)s”，请按 2024-05 的格式填写") % {"v": text(value)}) from None


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
_FALSE = {"否", "n", "no", "false", "0", "×", "无"}


def boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(_("应填“是”或“否”，而不是“%(v)s”") % {"v": text(value)})


def integer(value, minimum: int | None = 0) -> int:
    if isinstance(value, bool):
        raise CellError(_("应为整数，而不是“%(v)s”") % {"v": value})
    try:
        number = Decimal(text(value).replace(",", ""))
    except InvalidOperation:
        raise CellError(_("应为整数，而不是“%(v)s”") % {"v": text(value)}) from None
    if number != number.to_integral_value():
        raise CellError(_("应为整数，而不是“%(v)s”") % {"v": text(value)})
    if minimum is not None and number < minimum:
        raise CellError(_("不能小于%(min)d") % {"min": minimum})
    return int(number)


def decimal(value, minimum=Decimal(0), places: int = 2) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("应为数字，而不是“%(v)s”") % {"v": value})
    try:
        number = Decimal(text(value).replace(",", ""))
    except InvalidOperation:
        raise CellError(_("应为数字，而不是“%(v)s”") % {"v": text(value)}) from None
    if not number.is_finite():
        raise CellError(_("应为数字，而不是“%(v)s”") % {"v": text(value)})
    if number < minimum:
        raise CellError(_("不能小于%(min)s") % {"min": minimum})
    return number.quantize(Decimal(1).scaleb(-places))


def number_in(value, low: float, high: float) -> float:
    try:
        number = float(text(value))
    except ValueError:
        raise CellError(_("应为数字，而不是“%(v)s”") % {"v": text(value)}) from None
    if not (low <= number <= high):
        raise CellError(_("应在%(low)s到%(high)s之间") % {"low": low, "high": high})
    return number


class Choices:
    """Accepts a choice by its Chinese label, its label in the active language, or its code."""

    def __init__(self, choices, extra: dict | None = None):
        self.choices = list(choices)
        self._lookup = None
        self.extra = extra or {}

    def labels(self) -> list[str]:
        """The Chinese labels, as the template's drop-downs offer them."""
        with translation.override("zh-hans"):
            return [str(label) for _code, label in self.choices]

    def label(self, code) -> str:
        with translation.override("zh-hans"):
            return next((str(label) for c, label in self.choices if c == code), "")

    def _build(self) -> dict:
        lookup = {}
        for code, label in self.choices:
            lookup[str(code).lower()] = code
            for lang in ("zh-hans", "en"):
                with translation.override(lang):
                    lookup[str(label).lower()] = code
        for alias, code in self.extra.items():
            lookup[alias.lower()] = code
        return lookup

    def __call__(self, value):
        if self._lookup is None:
            self._lookup = self._build()
        raw = value.strip() if value.__class__ is str else text(value)
        code = self._lookup.get(raw.lower())
        if code is None:
            raise CellError(
                _("“%(v)s”不是有效的选项，可选：%(options)s") % {"v": raw, "options": "、".join(self.labels())}
            )
        return code
