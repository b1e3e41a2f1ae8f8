"""Deadlines as printed: `7/31`, `110/07/20`, `109年4月30日前`, `3月底`, `每年12月底前完成`, `110年底`.

Years are ROC years (民國; + 1911 → the Western year). A date without a year takes the year the caller
gives (`parse_value("7/31", year=110)` → 2021-07-31); `底` is the last day of the month.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from civicplan.targets.numerals import chinese_int

ROC_OFFSET = 1911
MAX_ROC_YEAR = 999  # ROC years are written with up to three digits; four digits are Western years

_NUM = r"[0-9]{1,4}|[一二三四五六七八九十〇]{1,4}"
_PREFIX = r"(?:(?:每年度?|於|在|預計|預定|應於)\s?)?"
_YMD_CJK = re.compile(
    _PREFIX + rf"(?:(?:(?P<y>{_NUM})\s?年\s?(?:度\s?)?)?"
    r"(?P<m>[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s?月\s?"
    r"(?:(?P<d>[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s?[日號]|底)"
    rf"|(?P<y2>{_NUM})?\s?年\s?(?:度\s?)?[底終])"
)
_YMD_SLASH = re.compile(_PREFIX + r"(?:(?P<y>[0-9]{2,4})[/.-])?(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})")
_YMD_DOTTED = re.compile(_PREFIX + r"(?P<y>[0-9]{2,4})[.-](?P<m>[0-9]{1,2})[.-](?P<d>[0-9]{1,2})")
# What may follow the date and means nothing more than "by then" (前, 完成, …).
_BY = re.compile(r"\s?(?:以前|之前|前|止|為止)?\s?(?:依限|如期|準時)?(?:辦理)?(?:完成|辦竣|辦結)?\s?")


@dataclass(frozen=True)
class DateParts:
    year: int | None  # ROC
    month: int
    day: int | None  # None: the end of the month (月底)
    end: int  # where the date (with 前 / 完成) ends in the text


def roc_year(text: str | None) -> int | None:
    """`110` → 110; `2021` → 110 (Western); out of range → None."""
    if text is None:
        return None
    year = chinese_int(text)
    if year is None:
        return None
    if year > MAX_ROC_YEAR:
        year -= ROC_OFFSET
    return year if 1 <= year <= MAX_ROC_YEAR else None


def last_day(roc: int | None, month: int) -> int:
    return calendar.monthrange(roc + ROC_OFFSET, month)[1] if roc else (29 if month == 2 else
                                                                        calendar.monthrange(2001, month)[1])


def valid(roc: int | None, month: int, day: int | None) -> bool:
    return 1 <= month <= 12 and (day is None or 1 <= day <= last_day(roc, month))


def to_date(roc: int | None, month: int, day: int | None) -> date | None:
    """The Western date, or None when the year is not known (or the day does not exist in that year)."""
    if roc is None or not valid(roc, month, day):
        return None
    return date(roc + ROC_OFFSET, month, day or last_day(roc, month))


def read_date(text: str, default_year: int | None = None) -> DateParts | None:
    """A date at the start of text → DateParts (year taken from the text, else default_year), else None.

    default_year is dropped when the date does not exist in it (2/29 in a common year)."""
    match = _YMD_DOTTED.match(text) or _YMD_CJK.match(text) or _YMD_SLASH.match(text)
    if not match:
        return None
    groups = match.groupdict()
    if groups.get("m") is None:  # 年底: the last day of the year
        month, day = 12, None
        groups["y"] = groups.get("y2")
    else:
        month, day = chinese_int(groups["m"]), None
        if groups.get("d") is not None:
            day = chinese_int(groups["d"])
            if day is None:
                return None
    if month is None:
        return None
    if groups.get("y") is not None:
        year = roc_year(groups["y"])
        if year is None or not valid(year, month, day):
            return None
    else:
        if not valid(None, month, day):
            return None
        year = default_year if isinstance(default_year, int) and 1 <= default_year <= MAX_ROC_YEAR else None
        if year is not None and not valid(year, month, day):
            year = None
    end = _BY.match(text, match.end()).end()
    return DateParts(year, month, day, end)


def format_date(year: int | None, month: int, day: int | None) -> str:
    """Canonical text: `110年7月31日前`, `3月底前` (read back by read_date)."""
    head = f"{year}年" if year else ""
    return f"{head}{month}月{day}日前" if day else f"{head}{month}月底前"


def as_date(value, default_year: int | None = None) -> date | None:
    """A date from a date, a ParsedValue with a deadline, or text such as `110/07/20` or `110年7月20日完成`."""
    if isinstance(value, date):
        return value
    parsed_date = getattr(value, "deadline", None)
    if isinstance(parsed_date, date):
        return parsed_date
    if getattr(value, "month", None):
        return to_date(default_year, value.month, value.day)
    if isinstance(value, str):
        from civicplan.targets.numerals import normalise

        parts = read_date(normalise(value), default_year)
        if parts:
            return to_date(parts.year, parts.month, parts.day)
    return None
