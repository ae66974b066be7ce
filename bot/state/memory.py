"""The in-process backend: for development and single-process deployments, when there is no Redis.

Memory stays bounded two ways: expired entries are swept every ``sweep_every`` seconds (and read as absent before
that), and past ``max_entries`` the least recently written entries are dropped, as a full Redis with an eviction
policy would. A sweep walks every entry, hence not on every write.
"""
import threading
import time
from collections import OrderedDict

from bot.state.base import Store


class MemoryStore(Store):
    def __init__(self, max_entries=10_000, sweep_every=60.0, clock=time.monotonic):
        self.max_entries = max_entries
        self.sweep_every = sweep_every
        self.clock = clock
        self._entries = OrderedDict()  # key -> (value or ranking dict, expires_at), least recently written first
        self._lock = threading.Lock()
        self._next_sweep = clock() + sweep_every

    def __len__(self):
        return len(self._entries)

    def get(self, key):
        with self._lock:
            return self._live(key, self.clock())

    def set(self, key, value, ttl):
        with self._lock:
            now = self.clock()
            self._write(key, value, now + ttl, now)

    def add(self, key, value, ttl):
        with self._lock:
            now = self.clock()
            if self._live(key, now) is not None:
                return False
            self._write(key, value, now + ttl, now)
            return True

    def incr(self, key, ttl):
        with self._lock:
            return self._incr(key, ttl, self.clock())

    def admit(self, claim_key, claim_ttl, counter_key, counter_ttl):
        with self._lock:
            now = self.clock()
            if self._live(claim_key, now) is not None:
                return False, 0
            self._write(claim_key, "1", now + claim_ttl, now)
            return True, self._incr(counter_key, counter_ttl, now)

    def _incr(self, key, ttl, now):
        count = self._live(key, now)
        expires_at = self._entries[key][1] if count is not None else now + ttl
        count = int(count or 0) + 1
        self._write(key, str(count), expires_at, now)
        return count

    def zincr(self, key, member, ttl, keep):
        with self._lock:
            now = self.clock()
            ranking = self._live(key, now)
            expires_at = self._entries[key][1] if ranking is not None else now + ttl
            ranking = ranking if ranking is not None else {}
            if member not in ranking and len(ranking) >= keep:
                count = ranking.pop(min(ranking, key=lambda name: (ranking[name], name))) + 1
            else:
                count = ranking.get(member, 0) + 1
            ranking[member] = count
            self._write(key, ranking, expires_at, now)
            return count

    def ztop(self, key, count):
        with self._lock:
            ranking = self._live(key, self.clock()) or {}
            return sorted(ranking.items(), key=lambda item: (item[1], item[0]), reverse=True)[:count]

    def ping(self):
        return True

    def _live(self, key, now):
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, expires_at = entry
        if expires_at <= now:
            del self._entries[key]
            return None
        return value

    def _write(self, key, value, expires_at, now):
        self._entries[key] = (value, expires_at)
        self._entries.move_to_end(key)
        if now >= self._next_sweep:
            self._sweep(now)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def _sweep(self, now):
        for key in [key for key, (_, expires_at) in self._entries.items() if expires_at <= now]:
            del self._entries[key]
        self._next_sweep = now + self.sweep_every
