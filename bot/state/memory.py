"""The in-process backend: for development and single-process deployments, when there is no Redis.

Memory stays bounded two ways: expired entries are swept every ``sweep_every`` seconds (and read as absent before
that), and past ``max_entries`` the least recently written entries are dropped, as a full Redis with an eviction
policy would. A sweep walks every entry, hence not on every write.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from bot.state.base import Store, Write

#: What a key holds: a string (``set``, ``add``, ``incr``) or a ranking of member -> count (``zincr``).
Value = str | dict[str, int]


class MemoryStore(Store):
    def __init__(
        self, max_entries: int = 10_000, sweep_every: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_entries = max_entries
        self.sweep_every = sweep_every
        self.clock = clock
        # key -> (value or ranking dict, expires_at), least recently written first
        self._entries: OrderedDict[str, tuple[Value, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._next_sweep = clock() + sweep_every

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._text(key, self.clock())

    def set(self, key: str, value: str, ttl: float) -> None:
        with self._lock:
            now = self.clock()
            self._write(key, value, now + ttl, now)

    def add(self, key: str, value: str, ttl: float) -> bool:
        with self._lock:
            now = self.clock()
            if self._live(key, now) is not None:
                return False
            self._write(key, value, now + ttl, now)
            return True

    def incr(self, key: str, ttl: float, by: int) -> int:
        with self._lock:
            return self._incr(key, ttl, self.clock(), by)

    def admit(
        self,
        claim_key: str,
        claim_ttl: float,
        counter_key: str,
        counter_ttl: float,
        limit: int,
        writes: Sequence[Write],
    ) -> tuple[bool, int]:
        with self._lock:
            now = self.clock()
            if self._live(claim_key, now) is not None:
                return False, 0
            self._write(claim_key, "1", now + claim_ttl, now)
            count = self._incr(counter_key, counter_ttl, now)
            if count <= limit:
                for write in writes:
                    self._write(write.key, write.value, now + write.ttl, now)
            return True, count

    def _incr(self, key: str, ttl: float, now: float, by: int = 1) -> int:
        current = self._text(key, now)
        expires_at = self._entries[key][1] if current is not None else now + ttl
        count = int(current or 0) + by
        self._write(key, str(count), expires_at, now)
        return count

    def zincr(self, key: str, member: str, ttl: float, keep: int, by: int) -> int:
        with self._lock:
            now = self.clock()
            live = self._ranking(key, now)
            expires_at = self._entries[key][1] if live is not None else now + ttl
            ranking = live if live is not None else {}
            if member not in ranking and len(ranking) >= keep:
                count = ranking.pop(min(ranking, key=lambda name: (ranking[name], name))) + by
            else:
                count = ranking.get(member, 0) + by
            ranking[member] = count
            self._write(key, ranking, expires_at, now)
            return count

    def ztop(self, key: str, count: int) -> list[tuple[str, int]]:
        with self._lock:
            ranking = self._ranking(key, self.clock()) or {}
            return sorted(ranking.items(), key=lambda item: (item[1], item[0]), reverse=True)[:count]

    def ping(self) -> bool:
        return True

    def _text(self, key: str, now: float) -> str | None:
        """The live string at ``key``; a ranking there is a caller's mistake (Redis answers it WRONGTYPE)."""
        value = self._live(key, now)
        if isinstance(value, dict):
            raise TypeError(f"{key} holds a ranking, not a string")
        return value

    def _ranking(self, key: str, now: float) -> dict[str, int] | None:
        """The live ranking at ``key``; a string there is a caller's mistake (Redis answers it WRONGTYPE)."""
        value = self._live(key, now)
        if isinstance(value, str):
            raise TypeError(f"{key} holds a string, not a ranking")
        return value

    def _live(self, key: str, now: float) -> Value | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, expires_at = entry
        if expires_at <= now:
            del self._entries[key]
            return None
        return value

    def _write(self, key: str, value: Value, expires_at: float, now: float) -> None:
        self._entries[key] = (value, expires_at)
        self._entries.move_to_end(key)
        if now >= self._next_sweep:
            self._sweep(now)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def _sweep(self, now: float) -> None:
        for key in [key for key, (_, expires_at) in self._entries.items() if expires_at <= now]:
            del self._entries[key]
        self._next_sweep = now + self.sweep_every
