"""What the webhook keeps between requests, written once over any ``Store``.

Every caller-supplied key (a query, a message id, an OpenID) is hashed into the key name, so no OpenID or message
text ever appears in a key.
"""
import json
import time

#: How often a retry looks for the first request's reply.
POLL_INTERVAL = 0.025
#: How long the hit and miss counters run before they start again from zero.
STATS_TTL = 24 * 3600.0


class Cache:
    """Search answers by query; the caller puts the index generation in the key, so a re-index needs no purge."""

    def __init__(self, store, keys, ttl):
        self.store, self.keys, self.ttl = store, keys, ttl

    def get(self, key):
        value = self.store.get(self.keys.hashed("cache", key))
        self.store.incr(self.keys.plain("stats", "hits" if value is not None else "misses"), STATS_TTL)
        return value

    def set(self, key, value):
        self.store.set(self.keys.hashed("cache", key), value, self.ttl)

    def stats(self):
        """Counts across every worker, over the current day-long window."""
        return {name: int(self.store.get(self.keys.plain("stats", name)) or 0) for name in ("hits", "misses")}


class Dedupe:
    """WeChat resends a message it got no answer to within 5 seconds; each message must be processed once."""

    def __init__(self, store, keys, ttl):
        self.store, self.keys, self.ttl = store, keys, ttl

    def claim(self, message_key):
        """True for the first request carrying this message, False for its retries."""
        return self.store.add(self.keys.hashed("claim", message_key), "1", self.ttl)

    def store_reply(self, message_key, reply):
        self.store.set(self.keys.hashed("reply", message_key), reply, self.ttl)

    def wait_reply(self, message_key, timeout):
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

    def __init__(self, store, keys, ttl):
        self.store, self.keys, self.ttl = store, keys, ttl

    def get(self, openid):
        value = self.store.get(self.keys.hashed("session", openid))
        return None if value is None else json.loads(value)

    def set(self, openid, data):
        self.store.set(self.keys.hashed("session", openid), json.dumps(data, ensure_ascii=False), self.ttl)


class RateLimit:
    """At most ``limit`` messages per user in a fixed window that opens with their first message."""

    def __init__(self, store, keys, limit, window):
        self.store, self.keys, self.limit, self.window = store, keys, limit, window

    def hit(self, openid):
        """Count one message; True when it is within the limit."""
        return self.store.incr(self.keys.hashed("rate", openid), self.window) <= self.limit
