"""The webhook's state between requests: retry dedupe and rate limit (the gate), query cache, user sessions, and
the editors' statistics.

Shared by every web worker through Redis; in-process when ``REDIS_URL`` is unset, which is only correct with a
single worker (and kept in a file between runs for the command line, whose every command is a process of its own).
The webhook sees the same five objects either way and never touches Redis itself.
"""

import os
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from bot.state.base import Keys, Sent, Store
from bot.state.filestore import FileStore
from bot.state.memory import MemoryStore
from bot.state.parts import Cache, Dedupe, Gate, Sessions
from bot.state.redisstore import RedisStore
from bot.state.stats import Stats
from config.settings import from_env


@dataclass
class State:
    gate: Gate
    cache: Cache
    dedupe: Dedupe
    sessions: Sessions
    stats: Stats
    backend: str
    store: Store

    def batch(self) -> AbstractContextManager[Sent]:
        """See ``Store.batch``: a message's writes travel together."""
        return self.store.batch()

    def ping(self) -> bool:
        """For /healthz: True when the backend answers."""
        return self.store.ping()

    def close(self) -> None:
        """Flush the statistics counted in this process, then release the backend."""
        self.stats.close()
        self.store.close()


def open_state(config: Mapping[str, Any], keep_in: str | os.PathLike[str] | None = None) -> State:
    """Build the state from settings; a missing setting takes its default. Connects lazily: Redis may be down now.

    Without Redis the state is in-process; ``keep_in`` names a file to keep it in between runs (the command line).
    """
    settings = {**from_env({}), **config}
    store: Store
    if settings["REDIS_URL"]:
        store, backend = RedisStore.from_url(settings["REDIS_URL"], settings["REDIS_TIMEOUT"]), "redis"
    elif keep_in is not None:
        store, backend = FileStore(keep_in), "file"
    else:
        store, backend = MemoryStore(), "memory"
    keys = Keys(settings["REDIS_PREFIX"])
    return State(
        gate=Gate(store, keys, settings["DEDUPE_TTL"], settings["RATE_LIMIT"], settings["RATE_WINDOW"]),
        cache=Cache(store, keys, settings["CACHE_TTL"]),
        dedupe=Dedupe(store, keys, settings["DEDUPE_TTL"]),
        sessions=Sessions(store, keys, settings["SESSION_TTL"]),
        stats=Stats(store, keys, flush_every=settings["STATS_FLUSH_INTERVAL"]),
        backend=backend,
        store=store,
    )
