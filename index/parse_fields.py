"""Fields drawn from an article's own text: the date of the event and, where the page prints none, a title."""

import re
from datetime import date, timedelta

from index.numerals import with_arabic_dates

#: Bullets and marks that may open a caption or a brief before its text (■ 简讯, ● item, ◀ pointing at a picture).
BULLETS = "■□◆◇●○▲△★☆▶►◀·•"
#: A date without a year further ahead of the issue than this is last year's (a December event in a January issue).
FUTURE_SLACK = timedelta(days=62)
#: Titles made from text are cut to this length: a clause longer than that reads as a sentence, not a title.
TITLE_MAX = 40
_TITLE_MIN = 4

_DATE = re.compile(r"(?<!\d)(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]")
#: Days before the issue each relative day word names (昨日 is the day before the issue's).
_DAYS_BEFORE = {"今": 0, "昨": 1, "前": 2}
#: A date as a lead gives it: a calendar date, a day of the month alone where a clause opens (``18日中午``, after a
#: quote or a marker: ``本报讯17日晚``) or as the day a reporter learnt the news (``记者15日从``), or the issue's own
#: day, the day before it, or two days before.
_ANY_DATE = re.compile(
    rf"{_DATE.pattern}"
    r"|(?:(?<![\d月\u4e00-\u9fff])|(?<=记者)|(?<=讯))(?P<day_only>\d{1,2})日(?=(?P<onward>起)|[上中下晚早凌傍夜午，,从前后])"
    r"|(?P<relative>[今昨前][日天])(?=[上中下晚早凌傍夜午，,从起]|$|[^\u4e00-\u9fff])"
)
# What opens a caption or a brief before its news: a bullet, ``图为``, the date or a time word, a time of day.
_OPENING = re.compile(
    f"[{BULLETS}\\s]*"
    r"(?:图为)?(?:(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日(?:至\s*\d{1,2}\s*日)?"
    r"|近日|日前|近期|连日来|今年以来|当天|当日|昨天|昨日|今天|今日)?"
    r"(?:上午|下午|中午|晚上|晚间|早上|凌晨|傍晚)?[\s,，]*"
)
_CLAUSE_END = re.compile(r"[，,。；;！？!?：:]")
# A lead phrase set before a colon or in 【】, as briefs often print their subject in bold.
_LABEL = re.compile(r"【(?P<bracketed>[^】]{2,20})】|(?P<plain>[^，,。；;！？!?：:]{3,16})[：:]")


def event_date(text: str, issue_date: date) -> date | None:
    """The first real date in ``text``. Without a year it is the issue's year, or the year before (see FUTURE_SLACK).
    Papers also date a lead by the day alone (``18日中午，``, ``记者15日从…获悉``: the issue's month, or the month
    before when that day is still to come, unless announced as such: ``30日起``) or by the issue's day (``昨日``,
    ``今天``); ``近日`` names no date. A month and day in Chinese numerals (``十二月六日``) are read as in digits."""
    for match in _ANY_DATE.finditer(with_arabic_dates(text)):
        if match["relative"]:
            return issue_date - timedelta(days=_DAYS_BEFORE[match["relative"][0]])
        if not match["month"]:
            found = _day_of_month(int(match["day_only"]), issue_date, ahead=bool(match["onward"]))
        else:
            found = _calendar_date(match, issue_date)
        if found is not None:
            return found
    return None


def _calendar_date(match: re.Match[str], issue_date: date) -> date | None:
    month, day = int(match["month"]), int(match["day"])
    years = [int(match["year"])] if match["year"] else [issue_date.year, issue_date.year - 1]
    for year in years:
        try:
            found = date(year, month, day)
        except ValueError:  # 2月30日, or 2月29日 outside a leap year
            continue
        if match["year"] or found - issue_date <= FUTURE_SLACK or year < issue_date.year:
            return found
    return None


def _day_of_month(day: int, issue_date: date, *, ahead: bool) -> date | None:
    """Day ``day`` of the issue's month; a day later than the issue's is the month before's, unless ``ahead``
    (``30日起`` announces a day still to come)."""
    month_start = issue_date.replace(day=1)
    for start in (month_start, (month_start - timedelta(days=1)).replace(day=1)):
        try:
            found = start.replace(day=day)
        except ValueError:  # 31日 in a 30-day month
            continue
        if ahead or found <= issue_date:
            return found
    return None


def title_from(text: str) -> str:
    """A title for text the page prints without one (a brief, a caption): its lead phrase, else its first clause.

    The date and time words a caption opens with are skipped, since they say when, not what. A first clause too short
    to name anything (``据悉``, ``会上``) is a lead-in, and one opening with ``在`` sets the scene for the news in the
    clause after it (``在某企业,工人...``); the first clause that is neither is taken.
    """
    label = _LABEL.match(text.lstrip(BULLETS).lstrip())
    if label and not _DATE.search(label[0]):
        return (label["bracketed"] or label["plain"]).strip()
    opening = _OPENING.match(text)  # every part of it is optional: it matches, at worst the empty string
    rest = (text[opening.end() :] if opening else text) or text
    clauses = [clause for clause in map(str.strip, _CLAUSE_END.split(rest)) if clause] or [rest]
    title = next((clause for clause in clauses if len(clause) >= _TITLE_MIN and clause[0] != "在"), clauses[0])
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"
