"""Fields drawn from an article's own text: the date of the event and, where the page prints none, a title."""

import re
from datetime import date, timedelta

#: Bullets and marks that may open a caption or a brief before its text (■ 简讯, ● item, ◀ pointing at a picture).
BULLETS = "■□◆◇●○▲△★☆▶►◀·•"
#: A date without a year further ahead of the issue than this is last year's (a December event in a January issue).
FUTURE_SLACK = timedelta(days=62)
#: Titles made from text are cut to this length: a clause longer than that reads as a sentence, not a title.
TITLE_MAX = 40
_TITLE_MIN = 4

_DATE = re.compile(r"(?<!\d)(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]")
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
    """The first real date in ``text``; without a year it is the issue's year, or the year before (see FUTURE_SLACK)."""
    for match in _DATE.finditer(text):
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
