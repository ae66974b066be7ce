"""What residents ask and how often they write, counted per day for the editors' desk.

A question is counted as its normalised text, never with who asked, so the numbers tell the editors what the
bulletin leaves unanswered without telling them about anyone. Each day has its own keys that expire after
``DAYS_KEPT`` days and rankings trimmed to ``KEEP`` members, so the state holds about a week whatever the traffic.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

from bot.state.base import Keys, Store

#: A day's counts outlive the report's week by a day, so the oldest day in a report is always complete.
DAYS_KEPT = 8
REPORT_DAYS = 7
TTL = DAYS_KEPT * 24 * 3600.0
#: Distinct questions kept per day: the often asked stay, one-off questions make room for each other.
KEEP = 500
#: Longest question kept, in characters: a pasted article is not a question worth ranking, nor worth the memory.
MAX_QUERY_CHARS = 100


def hit_rate(counts: Mapping[str, int]) -> float | None:
    """The share of cache look-ups answered from the cache, or None before the first look-up."""
    total = counts["hits"] + counts["misses"]
    return round(counts["hits"] / total, 3) if total else None


class Stats:
    def __init__(self, store: Store, keys: Keys, today: Callable[[], date] = date.today) -> None:
        self.store, self.keys, self.today = store, keys, today

    def _key(self, kind: str, day: date) -> str:
        return self.keys.plain("stats", f"{kind}:{day.isoformat()}")

    def record_message(self) -> None:
        self.store.incr(self._key("messages", self.today()), TTL)

    def record_query(self, normalized: str | None, found: bool) -> None:
        """Count a question; one that ``found`` nothing also counts among the unanswered."""
        query = (normalized or "").strip()[:MAX_QUERY_CHARS]
        if not query:
            return
        day = self.today()
        self.store.zincr(self._key("queries", day), query, TTL, KEEP)
        if not found:
            self.store.zincr(self._key("unanswered", day), query, TTL, KEEP)
            # Counted apart from the ranking, which forgets questions beyond KEEP.
            self.store.incr(self._key("unanswered-count", day), TTL)

    def report(self, top: int = 20) -> dict[str, list[dict[str, str | int]]]:
        """The last ``REPORT_DAYS`` days: messages and unanswered questions per day (oldest first), and the ``top``
        questions, all and unanswered, summed over those days."""
        today = self.today()
        days = [today - timedelta(days=n) for n in reversed(range(REPORT_DAYS))]
        return {
            "messages_per_day": [{"date": day.isoformat(), "messages": self._count("messages", day)} for day in days],
            "unanswered_per_day": [
                {"date": day.isoformat(), "questions": self._count("unanswered-count", day)} for day in days
            ],
            "top_queries": self._top("queries", days, top),
            "unanswered_queries": self._top("unanswered", days, top),
        }

    def _count(self, kind: str, day: date) -> int:
        return int(self.store.get(self._key(kind, day)) or 0)

    def _top(self, kind: str, days: Iterable[date], count: int) -> list[dict[str, str | int]]:
        totals: Counter[str] = Counter()
        for day in days:
            totals.update(dict(self.store.ztop(self._key(kind, day), KEEP)))
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:count]
        return [{"query": query, "count": total} for query, total in ranked]
