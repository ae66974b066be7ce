"""Redis down or slow must never cost a user their answer.

A failed call answers a safe fallback instead (a cache miss, "process this message", "allowed"). After a failure the
guard stops asking Redis for ``backoff`` seconds, so an outage costs one timeout per second rather than one per call,
then tries again: the bot recovers by itself when Redis returns. One warning per outage, one INFO line when it ends,
so an outage does not flood the log.
"""

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol, TypeVar, TypeVarTuple

import redis

log = logging.getLogger("bot.state")

#: OSError covers socket errors and the built-in TimeoutError.
FAILURES = (redis.RedisError, OSError)

#: A call's result, its fallback, and the arguments of a guarded method after ``self``.
R = TypeVar("R")
F = TypeVar("F")
Ts = TypeVarTuple("Ts")


class Guard:
    def __init__(self, backoff: float = 1.0) -> None:
        self.backoff = backoff
        self.down = False
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def call(self, function: Callable[[], R], fallback: F) -> R | F:
        if self.down and time.monotonic() < self._retry_at:
            return fallback
        try:
            result = function()
        except FAILURES as error:
            self._failed(error)
            return fallback
        if self.down:
            self._recovered()
        return result

    def _failed(self, error: Exception) -> None:
        with self._lock:
            self._retry_at = time.monotonic() + self.backoff
            if self.down:
                return
            self.down = True
        log.warning(
            "Redis is unavailable (%s: %s): no shared cache, dedupe, sessions or rate limit until it is back",
            type(error).__name__,
            error,
        )

    def _recovered(self) -> None:
        with self._lock:
            if not self.down:
                return
            self.down = False
        log.info("Redis is back: shared state restored")


class Guarded(Protocol):
    """An object whose methods ``guarded`` runs through its ``guard``."""

    guard: Guard


G = TypeVar("G", bound=Guarded)


def guarded(fallback: F) -> Callable[[Callable[[G, *Ts], R]], Callable[[G, *Ts], R | F]]:
    """Run a method of an object with a ``guard`` attribute through it, answering ``fallback`` when Redis fails."""

    def decorate(method: Callable[[G, *Ts], R]) -> Callable[[G, *Ts], R | F]:
        @functools.wraps(method)
        def run(self: G, *args: *Ts) -> R | F:
            return self.guard.call(lambda: method(self, *args), fallback)

        return run

    return decorate
