"""Dates in a resident's question (``4月25日的会议``, ``上周``, ``最近``) turned into a range the search can filter on.

Only the first date expression counts, and it is cut out of the text so that ``4``, ``月`` and ``25`` never become
search terms. Month and day without a year mean the latest such date: a bulletin reader asking in January about
``12月`` means last December, while a date less than a month ahead is taken as announced for this year.
"""

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

RECENT_DAYS = 30


@dataclass(frozen=True)
class DateRange:
    """Both ends inclusive."""

    start: date
    end: date


def _day(day: date) -> DateRange:
    return DateRange(day, day)


def _month(year: int, month: int) -> DateRange:
    return DateRange(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def _months_later(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's end (Jan 31 + 1 month = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _week(today: date, weeks_back: int) -> DateRange:
    monday = today - timedelta(days=today.weekday() + 7 * weeks_back)
    return DateRange(monday, monday + timedelta(days=6))


def _last_month(today: date) -> DateRange:
    earlier = _months_later(today, -1)
    return _month(earlier.year, earlier.month)


_RELATIVE: dict[str, Callable[[date], DateRange]] = {
    "今天": lambda today: _day(today),
    "今日": lambda today: _day(today),
    "昨天": lambda today: _day(today - timedelta(days=1)),
    "昨日": lambda today: _day(today - timedelta(days=1)),
    "前天": lambda today: _day(today - timedelta(days=2)),
    "本周": lambda today: _week(today, 0),
    "这周": lambda today: _week(today, 0),
    "本星期": lambda today: _week(today, 0),
    "这个星期": lambda today: _week(today, 0),
    "上周": lambda today: _week(today, 1),
    "上星期": lambda today: _week(today, 1),
    "上个星期": lambda today: _week(today, 1),
    "本月": lambda today: _month(today.year, today.month),
    "这个月": lambda today: _month(today.year, today.month),
    "上个月": _last_month,
    "上月": _last_month,
    "最近": lambda today: DateRange(today - timedelta(days=RECENT_DAYS - 1), today),
    "近期": lambda today: DateRange(today - timedelta(days=RECENT_DAYS - 1), today),
}

_RELATIVE_RE = re.compile("|".join(sorted(_RELATIVE, key=len, reverse=True)))
_CALENDAR_RE = re.compile(
    r"(?<!\d)(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月"
    r"(?:份|\s*(?P<day>\d{1,2})(?:\s*[日号]|(?!\d)))?"
)


def _calendar(match: re.Match[str], year: int) -> DateRange:
    month = int(match["month"])
    if match["day"]:
        return _day(date(year, month, int(match["day"])))
    return _month(year, month)


def _latest(match: re.Match[str], today: date) -> DateRange | None:
    """Month and day without a year: this year's unless more than a month ahead, else last year's."""
    soon = _months_later(today, 1)
    for year in (today.year, today.year - 1):
        try:
            found = _calendar(match, year)
        except ValueError:  # 2月29日 outside a leap year
            continue
        if year < today.year or found.start <= soon:
            return found
    return None


def _resolve(match: re.Match[str], today: date) -> DateRange | None:
    """The range a match stands for, or None when it names no real date (``2月30日``, ``13月``)."""
    try:
        if match.re is _RELATIVE_RE:
            return _RELATIVE[match[0]](today)
        if match["year"]:
            return _calendar(match, int(match["year"]))
        return _latest(match, today)
    except (ValueError, OverflowError):
        return None


def dates_mentioned(text: str, printed: date) -> tuple[DateRange, ...]:
    """Every day or month a story's ``text`` names (``自10月1日起``, ``10月份``, ``2026年5月``), a date without a year
    taken in the year that puts it nearest ``printed``, the day the story was printed: a story names the days it
    announces as well as those it reports (a September story on pensions raised from 10月1日 is about October)."""
    found = []
    for match in _calendar_matches(text):
        years = [int(match["year"])] if match["year"] else [printed.year - 1, printed.year, printed.year + 1]
        ranges = []
        for year in years:
            try:
                ranges.append(_calendar(match, year))
            except ValueError:  # 2月30日, 13月
                continue
        if ranges:
            found.append(min(ranges, key=lambda period: abs((period.start - printed).days)))
    return tuple(found)


#: How far a calendar match reaches before its 月 (``2026 年 12``) and after it (``份``, `` 25 日``).
_BEFORE_MONTH, _AFTER_MONTH = 12, 8


def _calendar_matches(text: str) -> Iterator[re.Match[str]]:
    """``_CALENDAR_RE.finditer(text)``, searched only around each 月: a story is long and full of figures, and the
    pattern tried at every digit of it costs ten times more (~240 µs for 3,000 characters)."""
    end = 0
    month = text.find("月")
    while month != -1:
        match = _CALENDAR_RE.search(text, max(end, month - _BEFORE_MONTH), month + _AFTER_MONTH)
        if match is not None and match.start() <= month < match.end():
            end = match.end()
            yield match
        month = text.find("月", month + 1)


def overlaps(first: DateRange, second: DateRange) -> bool:
    """Whether the two periods share a day."""
    return first.start <= second.end and second.start <= first.end


def parse_dates(text: str, today: date) -> tuple[DateRange | None, str]:
    """Return ``(DateRange | None, text without the date words)`` for the first real date expression in ``text``."""
    matches = sorted([*_CALENDAR_RE.finditer(text), *_RELATIVE_RE.finditer(text)], key=lambda m: m.start())
    for match in matches:
        found = _resolve(match, today)
        if found is not None:
            rest = f"{text[: match.start()]} {text[match.end() :]}"
            return found, " ".join(rest.split())
    return None, text
