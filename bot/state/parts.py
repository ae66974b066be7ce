"""What the webhook keeps between requests, written once over any ``Store``.

Every caller-supplied key (a query, a message id, an OpenID) is hashed into the key name, so no OpenID or message
text ever appears in a key.
"""

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from bot.state.base import Keys, Store, Write

#: How often a retry looks for the first request's reply.
POLL_INTERVAL = 0.025
#: What a caller decodes an answer into.
T = TypeVar("T")


class LocalCopies:
    """The most recently used cache entries of this process, decoded, so a popular question costs no round trip and no
    decoding at all.

    Safe because an entry never changes once written: the caller's key holds the index generation, so a new issue
    makes new keys rather than stale copies.
    """

    def __init__(self, size: int, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.size, self.ttl, self.clock = size, ttl, clock
        self._entries: OrderedDict[str, tuple[object, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> object | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[1] <= self.clock():
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: str, value: object) -> None:
        with self._lock:
            self._entries[key] = (value, self.clock() + self.ttl)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


class Cache:
    """Search answers by query; the caller puts the index generation in the key, so a re-index needs no purge.

    Answers are shared by every worker through the store, as text; the most used are also kept in the process as the
    caller decoded them (``peek`` reads only those: no round trip).
    """

    def __init__(self, store: Store, keys: Keys, ttl: float, local_size: int = 1024) -> None:
        self.store, self.keys, self.ttl = store, keys, ttl
        self.local = LocalCopies(local_size, ttl)

    def peek(self, key: str) -> object | None:
        """The decoded answer this process holds for ``key``, without asking the store."""
        return self.local.get(key)

    def get(self, key: str, decode: Callable[[str], T]) -> T | None:
        """The answer for ``key``, decoded by ``decode`` (from this process's copy, else from the store)."""
        value = self.local.get(key)
        if value is not None:
            return cast(T, value)  # every caller of one key decodes it alike
        text = self.store.get(self.keys.hashed("cache", key))
        if text is None:
            return None
        decoded = decode(text)
        self.local.put(key, decoded)
        return decoded

    def set(self, key: str, text: str, decoded: object) -> None:
        """Store ``text`` for every worker, and ``decoded`` (what ``decode`` makes of ``text``) in this process."""
        self.local.put(key, decoded)
        self.store.set(self.keys.hashed("cache", key), text, self.ttl)


@dataclass(frozen=True)
class Admission:
    #: False for a retry of a message another request is answering (or has answered).
    claimed: bool
    #: False when the sender is over the rate limit (only asked of claimed messages: retries are not counted).
    allowed: bool


class Gate:
    """The two questions every message asks first, in one step: a retry? over the sender's limit?

    WeChat resends a message it got no answer to within 5 seconds; each message must be processed once. A sender
    may send at most ``limit`` messages in a fixed window that opens with their first message.
    """

    def __init__(self, store: Store, keys: Keys, claim_ttl: float, limit: int, window: float) -> None:
        self.store, self.keys = store, keys
        self.claim_ttl, self.limit, self.window = claim_ttl, limit, window

    def admit(self, message_key: str, openid: str, writes: Sequence[Write] = ()) -> Admission:
        """Admit a message; ``writes`` are made with it when it is new and within the limit (see ``Store.admit``)."""
        claimed, count = self.store.admit(
            self.keys.hashed("claim", message_key),
            self.claim_ttl,
            self.keys.hashed("rate", openid),
            self.window,
            self.limit,
            writes,
        )
        return Admission(claimed=claimed, allowed=not claimed or count <= self.limit)


class Dedupe:
    """The reply to each claimed message, for its retries."""

    def __init__(self, store: Store, keys: Keys, ttl: float) -> None:
        self.store, self.keys, self.ttl = store, keys, ttl

    def store_reply(self, message_key: str, reply: str) -> None:
        self.store.set(*self.write(message_key, reply))

    def write(self, message_key: str, reply: str) -> Write:
        """Storing ``reply``, as data for ``Gate.admit``."""
        return Write(self.keys.hashed("reply", message_key), reply, self.ttl)

    def take_over(self, message_key: str) -> bool:
        """True for the one retry that answers a message whose first delivery never stored a reply in time (its
        worker or its whole node died with it: a balancer resent it elsewhere)."""
        return self.store.add(self.keys.hashed("takeover", message_key), "1", self.ttl)

    def wait_reply(self, message_key: str, timeout: float) -> str | None:
        """The first request's reply once stored, or None when it is not ready within ``timeout`` seconds."""
        key = self.keys.hashed("reply", message_key)
        deadline = time.monotonic() + timeout
        while True:
            reply = self.store.get(key)
            remaining = deadline - time.monotonic()
            if reply is not None or remaining <= 0 or not self.store.available:
                return reply
            time.sleep(min(POLL_INTERVAL, remaining))


class Sessions:
    """A small JSON-able dict per user, forgotten ``ttl`` seconds after their last message."""

    def __init__(self, store: Store, keys: Keys, ttl: float) -> None:
        self.store, self.keys, self.ttl = store, keys, ttl

    def get(self, openid: str) -> dict[str, Any] | None:
        value = self.store.get(self.keys.hashed("session", openid))
        return None if value is None else json.loads(value)

    def set(self, openid: str, data: Mapping[str, Any]) -> None:
        self.set_encoded(openid, encode_session(data))

    def set_encoded(self, openid: str, encoded: str) -> None:
        """``set`` for a session already encoded (``encode_session``)."""
        self.store.set(*self.write(openid, encoded))

    def write(self, openid: str, encoded: str) -> Write:
        """Storing a session already encoded (``encode_session``), as data for ``Gate.admit``."""
        return Write(self.keys.hashed("session", openid), encoded, self.ttl)


def encode_session(data: Mapping[str, Any]) -> str:
    """A session as the store keeps it (JSON, real UTF-8)."""
    return json.dumps(data, ensure_ascii=False)
