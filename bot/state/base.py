"""The storage interface every backend implements, and the key names both backends share.

The cache, the retry dedupe, the sessions and the rate limit are written once (``bot.state.parts``) over these few
primitives, so the in-process and the Redis backends cannot drift apart: a backend only stores strings, counters and
bounded rankings (what Redis calls sorted sets), each with an expiry.
Every primitive takes a time-to-live, so nothing a backend holds outlives its use.
"""
import abc
import hashlib
from contextlib import contextmanager


def digest(text):
    """A fixed-length stand-in for a caller's key: bounded key length, and no OpenID or message text in key names."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Keys:
    """Key names under one prefix, so one Redis can serve several bots and an operator can find ours."""

    def __init__(self, prefix):
        self.prefix = prefix

    def hashed(self, kind, text):
        return f"{self.prefix}{kind}:{digest(text)}"

    def plain(self, kind, name):
        """For fixed names chosen here, never for anything a user sent."""
        return f"{self.prefix}{kind}:{name}"


class Store(abc.ABC):
    """Strings with an expiry; ``ttl`` is in seconds and may be fractional."""

    #: False while the backend is known to be unreachable, so a waiting caller stops polling it.
    available = True

    @abc.abstractmethod
    def get(self, key):
        """The value, or None when absent or expired."""

    @abc.abstractmethod
    def set(self, key, value, ttl):
        """Store ``value``, replacing any earlier one and its expiry."""

    @abc.abstractmethod
    def add(self, key, value, ttl):
        """Store ``value`` only if ``key`` is absent; True for the one caller that stored it."""

    @abc.abstractmethod
    def incr(self, key, ttl):
        """Add one and return the count; the expiry is set by the first increment only (a fixed window)."""

    @abc.abstractmethod
    def admit(self, claim_key, claim_ttl, counter_key, counter_ttl):
        """``add(claim_key)`` and, only when that claimed it, ``incr(counter_key)``, as one step: ``(claimed,
        count)``, with count 0 when not claimed. Every message asks both first (is it a retry? is its sender over the
        limit?), so they share a round trip."""

    @contextmanager
    def batch(self):
        """Within the block, writes whose result nobody reads (``set``, ``incr``, ``zincr``; they return None) may be
        held back and sent together when it ends: one round trip for the lot. Reads and ``add`` are never held."""
        yield

    @abc.abstractmethod
    def zincr(self, key, member, ttl, keep):
        """Add one to ``member``'s count in the ranking at ``key`` and return the count; the expiry is set by the first
        increment only.

        A ranking holds at most ``keep`` members. A new member of a full ranking takes the place of the lowest (ties:
        the first by member, as Redis orders them) and its count on top: the "space-saving" way to keep the most
        frequent, where a newcomer always gets in and a count is high by at most what it inherited."""

    @abc.abstractmethod
    def ztop(self, key, count):
        """The ``count`` highest ``(member, count)`` pairs of the ranking at ``key``, highest first."""

    @abc.abstractmethod
    def ping(self):
        """True when the backend answers."""

    def close(self):
        """Release connections; a no-op for backends that hold none."""
