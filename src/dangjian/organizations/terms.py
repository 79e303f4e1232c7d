"""Committee terms (domain-rules §1): length by kind, and when re-election is due."""
import datetime as dt

from dangjian.core.rules import rule


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months; the 31st (or 29 Feb) falls back to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def term_years(kind: str) -> int:
    return rule("organization.term_years").get(kind, 0)


def term_end(kind: str, start: dt.date) -> dt.date | None:
    years = term_years(kind)
    return add_months(start, 12 * years) if years else None


def reelection_due(end: dt.date | None, today: dt.date | None = None) -> bool:
    """True from N months (rule: 6) before the term ends, and after it has ended."""
    if end is None:
        return False
    today = today or dt.date.today()
    return today >= add_months(end, -rule("organization.reelection_notice_months"))
