"""What residents ask and how often they write, counted per day for the editors' desk, and how often the query cache
answers.

A question is counted as its normalised text, never with who asked, so the numbers tell the editors what the
bulletin leaves unanswered without telling them about anyone. Each day has its own keys that expire after
``DAYS_KEPT`` days and rankings trimmed to ``KEEP`` members, so the state holds about a week whatever the traffic.

Counts are kept in the process first and added to the store together, in one round trip, every ``flush_every``
seconds (``STATS_FLUSH_INTERVAL``): by a thread that the first count starts in the process that counts (a gunicorn
worker, after the fork), and once more when the state is closed (a worker's exit, a test's end). A report flushes
this process's counts before reading. A flush the store fails (Redis down) keeps its counts for the next one, so an
outage delays counts rather than losing them; a worker killed outright loses at most its last interval's. Counts
that reached Redis just before a failure was noticed may be counted twice: the figures are for reading trends.
"""

import logging
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.state.base import Keys, Store

log = logging.getLogger("bot.state")

#: A day's counts outlive the report's week by a day, so the oldest day in a report is always complete.
DAYS_KEPT = 8
REPORT_DAYS = 7
TTL = DAYS_KEPT * 24 * 3600.0
#: Distinct questions kept per day: the often asked stay, one-off questions make room for each other.
KEEP = 500
#: Longest question kept, in characters: a pasted article is not a question worth ranking, nor worth the memory.
MAX_QUERY_CHARS = 100
#: How long the cache's hit and miss counters run before they start again from zero.
LOOKUPS_TTL = 24 * 3600.0
LOOKUPS = ("hits", "misses")


def hit_rate(counts: Mapping[str, int]) -> float | None:
    """The share of cache look-ups answered from the cache, or None before the first look-up."""
    total = counts["hits"] + counts["misses"]
    return round(counts["hits"] / total, 3) if total else None


@dataclass
class Tally:
    """Counts not yet in the store: counters by key, and rankings by key (member -> count)."""

    counters: dict[str, tuple[float, int]] = field(default_factory=dict)
    rankings: dict[str, Counter[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.counters or self.rankings)

    def count(self, key: str, ttl: float, by: int = 1) -> None:
        self.counters[key] = (ttl, self.counters.get(key, (ttl, 0))[1] + by)

    def rank(self, key: str, member: str, by: int = 1) -> None:
        """As the store's rankings do: at most ``KEEP`` members, a newcomer to a full one taking the lowest's count."""
        ranking = self.rankings.setdefault(key, Counter())
        if member not in ranking and len(ranking) >= KEEP:
            lowest = min(ranking, key=lambda name: (ranking[name], name))
            by += ranking.pop(lowest)
        ranking[member] += by

    def add(self, other: "Tally") -> None:
        for key, (ttl, count) in other.counters.items():
            self.count(key, ttl, count)
        for key, ranking in other.rankings.items():
            for member, count in ranking.items():
                self.rank(key, member, count)


class Stats:
    def __init__(
        self, store: Store, keys: Keys, today: Callable[[], date] = date.today, flush_every: float = 1.0
    ) -> None:
        self.store, self.keys, self.today = store, keys, today
        #: Seconds between flushes; 0 adds every count to the store at once.
        self.flush_every = flush_every
        self._pending = Tally()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._flusher_pid = 0

    def _key(self, kind: str, day: date) -> str:
        return self.keys.plain("stats", f"{kind}:{day.isoformat()}")

    def record_message(self) -> None:
        with self._lock:
            self._pending.count(self._key("messages", self.today()), TTL)
        self._counted()

    def record_query(self, normalized: str | None, found: bool, doubtful: bool = False) -> None:
        """Count a question; one that ``found`` nothing also counts among the unanswered, one answered with little
        confidence (``doubtful``) among the doubtful answers an editor should check."""
        query = (normalized or "").strip()[:MAX_QUERY_CHARS]
        if not query:
            return
        day = self.today()
        with self._lock:
            self._pending.rank(self._key("queries", day), query)
            if not found:
                self._pending.rank(self._key("unanswered", day), query)
                # Counted apart from the ranking, which forgets questions beyond KEEP.
                self._pending.count(self._key("unanswered-count", day), TTL)
            elif doubtful:
                self._pending.rank(self._key("doubtful", day), query)
        self._counted()

    def record_lookup(self, hit: bool) -> None:
        """Count a look-up in the query cache, answered from it (``hit``) or not."""
        with self._lock:
            self._pending.count(self.keys.plain("stats", LOOKUPS[0] if hit else LOOKUPS[1]), LOOKUPS_TTL)
        self._counted()

    # -- flushing ------------------------------------------------------------------------------------------

    def _counted(self) -> None:
        if self.flush_every <= 0:
            self.flush()
        elif self._flusher_pid != os.getpid():  # none yet in this process (a fork does not copy threads)
            self._start_flusher()

    def _start_flusher(self) -> None:
        with self._lock:
            if self._flusher_pid == os.getpid():
                return
            self._flusher_pid = os.getpid()
            self._stop = threading.Event()
        threading.Thread(target=self._flush_regularly, args=(self._stop,), name="stats-flush", daemon=True).start()

    def _flush_regularly(self, stop: threading.Event) -> None:
        while not stop.wait(self.flush_every):
            try:
                self.flush()
            except Exception:  # a bug here must not end the flushing for good
                log.exception("could not add the statistics to the store")

    def flush(self) -> None:
        """Add this process's counts to the store in one round trip; on failure keep them for the next flush."""
        with self._lock:
            pending, self._pending = self._pending, Tally()
        if not pending:
            return
        with self.store.batch() as sent:
            for key, (ttl, count) in pending.counters.items():
                self.store.incr(key, ttl, count)
            for key, ranking in pending.rankings.items():
                for member, count in ranking.items():
                    self.store.zincr(key, member, TTL, KEEP, count)
        if not sent.ok:
            with self._lock:
                pending.add(self._pending)
                self._pending = pending

    def close(self) -> None:
        """Stop the flushing thread and flush what is left (a worker's exit)."""
        self._stop.set()
        self.flush()

    # -- reading -------------------------------------------------------------------------------------------

    def lookups(self) -> dict[str, int]:
        """The cache's hits and misses across every worker, over the current day-long window."""
        self.flush()
        return {name: int(self.store.get(self.keys.plain("stats", name)) or 0) for name in LOOKUPS}

    def report(self, top: int = 20) -> dict[str, list[dict[str, str | int]]]:
        """The last ``REPORT_DAYS`` days: messages and unanswered questions per day (oldest first), and the ``top``
        questions, all, unanswered and answered doubtfully, summed over those days."""
        self.flush()
        today = self.today()
        days = [today - timedelta(days=n) for n in reversed(range(REPORT_DAYS))]
        return {
            "messages_per_day": [{"date": day.isoformat(), "messages": self._count("messages", day)} for day in days],
            "unanswered_per_day": [
                {"date": day.isoformat(), "questions": self._count("unanswered-count", day)} for day in days
            ],
            "top_queries": self._top("queries", days, top),
            "unanswered_queries": self._top("unanswered", days, top),
            "doubtful_queries": self._top("doubtful", days, top),
        }

    def _count(self, kind: str, day: date) -> int:
        return int(self.store.get(self._key(kind, day)) or 0)

    def _top(self, kind: str, days: Iterable[date], count: int) -> list[dict[str, str | int]]:
        totals: Counter[str] = Counter()
        for day in days:
            totals.update(dict(self.store.ztop(self._key(kind, day), KEEP)))
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:count]
        return [{"query": query, "count": total} for query, total in ranked]
