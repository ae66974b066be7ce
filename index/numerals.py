"""Dates written in Chinese numerals (``十二月六日``, ``十月份``), as the digits the date readers match.

Papers print a caption's or a lead's date so (重庆日报: ``十二月六日，…``); the event date reads it
(``index.parse_fields``). Only a month with its day, or a month with 份, is read: a numeral before 月 alone is too
often something else (一月一次). A question's dates are not read so: a month a resident names is often when something
will happen (退休金十月份啥时候发), not when it was reported, and reading it as a date range lost such a question on
the residents' tune split (``index.dates`` narrows the search to the range).
"""

import re

_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL = "[一二三四五六七八九十]{1,3}"
_DATE = re.compile(rf"(?P<month>{_NUMERAL})月(?:(?P<day>{_NUMERAL})(?=[日号])|(?=份))")


def numeral_value(numeral: str) -> int | None:
    """The value of a numeral from 一 to 三十九 (六, 十, 十二, 二十, 二十六), or None when it is not one."""
    tens, ten, units = numeral.rpartition("十")
    if not ten:
        return _DIGITS.get(numeral) if len(numeral) == 1 else None
    if len(tens) > 1 or len(units) > 1 or (tens and tens not in "一二三") or (units and units not in _DIGITS):
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def with_arabic_dates(text: str) -> str:
    """``text`` with every month and day written in Chinese numerals written in digits (十二月六日 -> 12月6日); a
    numeral that is no month (十三月) or no day (四十日) is left as it is."""

    def arabic(match: re.Match[str]) -> str:
        month = numeral_value(match["month"])
        day = numeral_value(match["day"]) if match["day"] else None
        if month is None or not 1 <= month <= 12 or (match["day"] and (day is None or not 1 <= day <= 31)):
            return match[0]
        return f"{month}月{day}" if day else f"{month}月"

    return _DATE.sub(arabic, text)
