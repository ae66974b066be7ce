"""Which index generation a worker answers from, looked up at most every ``GENERATION_CHECK_INTERVAL`` seconds.

The generation keys the query cache, so every question needs it, and looking it up costs a ``readlink`` and a
directory listing (``IndexDir.generation``). A worker therefore reuses what it saw for a short interval: a new issue
reaches residents at most that much later. The first question always looks; an interval of 0 looks every time.
"""

import threading
import time
from collections.abc import Callable


class GenerationWatch:
    def __init__(
        self, look: Callable[[], str | None], interval: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.look, self.interval, self.clock = look, interval, clock
        self._seen: str | None = None
        self._next_look = float("-inf")
        self._lock = threading.Lock()

    def __call__(self) -> str | None:
        """The generation, as last looked up within ``interval`` seconds."""
        now = self.clock()
        with self._lock:
            if now < self._next_look:
                return self._seen
        seen = self.look()
        with self._lock:
            self._seen, self._next_look = seen, now + self.interval
        return seen
