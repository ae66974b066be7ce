"""The storage interface every backend implements, and the key names both backends share.

The cache, the retry dedupe, the sessions and the rate limit are written once (``bot.state.parts``) over these few
primitives, so the in-process and the Redis backends cannot drift apart: a backend only stores strings, counters and
bounded rankings (what Redis calls sorted sets), each with an expiry.
Every primitive takes a time-to-live, so nothing a backend holds outlives its use.
"""

import abc
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple


def digest(text: str) -> str:
    """A fixed-length stand-in for a caller's key: bounded key length, and no OpenID or message text in key names."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Keys:
    """Key names under one prefix, so one Redis can serve several bots and an operator can find ours."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def hashed(self, kind: str, text: str) -> str:
        return f"{self.prefix}{kind}:{digest(text)}"

    def plain(self, kind: str, name: str) -> str:
        """For fixed names chosen here, never for anything a user sent."""
        return f"{self.prefix}{kind}:{name}"


class Write(NamedTuple):
    """A string to store at ``key`` for ``ttl`` seconds, replacing any earlier value: what ``set`` does, as data, so
    that ``admit`` can make the writes of a message in the same step as its admission."""

    key: str
    value: str
    ttl: float


@dataclass
class Sent:
    """What a ``batch`` yields: after the block, whether its held writes reached the backend (False when it failed,
    and they were dropped)."""

    ok: bool = True


class Store(abc.ABC):
    """Strings with an expiry; ``ttl`` is in seconds and may be fractional."""

    #: False while the backend is known to be unreachable, so a waiting caller stops polling it.
    @property
    def available(self) -> bool:
        return True

    @abc.abstractmethod
    def get(self, key: str) -> str | None:
        """The value, or None when absent or expired."""

    @abc.abstractmethod
    def set(self, key: str, value: str, ttl: float) -> None:
        """Store ``value``, replacing any earlier one and its expiry."""

    @abc.abstractmethod
    def add(self, key: str, value: str, ttl: float) -> bool:
        """Store ``value`` only if ``key`` is absent; True for the one caller that stored it."""

    @abc.abstractmethod
    def incr(self, key: str, ttl: float, by: int) -> int | None:
        """Add ``by`` and return the count; the expiry is set by the first increment only (a fixed window)."""

    @abc.abstractmethod
    def admit(
        self,
        claim_key: str,
        claim_ttl: float,
        counter_key: str,
        counter_ttl: float,
        limit: int,
        writes: Sequence[Write],
    ) -> tuple[bool, int]:
        """``add(claim_key)`` and, only when that claimed it, ``incr(counter_key)``, and, only when that count is
        within ``limit``, every one of ``writes``, as one step: ``(claimed, count)``, with count 0 when not claimed.

        Every message asks the first two (is it a retry? is its sender over the limit?), so they share a round trip.
        A message whose reply is known before it is admitted (an answer this process holds) passes that reply and
        what answering it writes as ``writes``: one round trip in all, and a retry never sees the claim without the
        reply."""

    @contextmanager
    def batch(self) -> Iterator[Sent]:
        """Within the block, writes whose result nobody reads (``set``, ``incr``, ``zincr``; they return None) may be
        held back and sent together when it ends: one round trip for the lot. Reads, ``add`` and ``admit`` are never
        held. The ``Sent`` yielded says, after the block, whether the held writes were made."""
        yield Sent()

    @abc.abstractmethod
    def zincr(self, key: str, member: str, ttl: float, keep: int, by: int) -> int | None:
        """Add ``by`` to ``member``'s count in the ranking at ``key`` and return the count; the expiry is set by the
        first increment only.

        A ranking holds at most ``keep`` members. A new member of a full ranking takes the place of the lowest (ties:
        the first by member, as Redis orders them) and its count on top of ``by``: the "space-saving" way to keep the
        most frequent, where a newcomer always gets in and a count is high by at most what it inherited."""

    @abc.abstractmethod
    def ztop(self, key: str, count: int) -> Sequence[tuple[str, int]]:
        """The ``count`` highest ``(member, count)`` pairs of the ranking at ``key``, highest first."""

    @abc.abstractmethod
    def ping(self) -> bool:
        """True when the backend answers."""

    def close(self) -> None:  # noqa: B027  (a default that backends holding no connection keep, not an abstract method)
        """Release connections; a no-op for backends that hold none."""
