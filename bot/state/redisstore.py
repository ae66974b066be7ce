"""The Redis backend, shared by every web worker; each call goes through the outage guard.

The client is told never to retry (``redis.Redis(...)`` would otherwise retry ten times with back-off): the guard
decides what a failure means, and a reply is due within WeChat's 5 seconds.
"""
import threading
from contextlib import contextmanager

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.state.base import Store
from bot.state.guard import Guard, guarded

# INCR, and an expiry for a new counter, in one atomic step; a script rather than EXPIRE NX, which needs Redis 7.
INCR_WITH_EXPIRY = """
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
"""

# The same for a ranking of at most ARGV[3] members: a newcomer to a full one replaces the lowest and inherits its
# count (see ``Store.zincr``), so no ranking grows with the traffic.
ZINCR_WITH_EXPIRY = """
local count
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  count = redis.call('ZINCRBY', KEYS[1], 1, ARGV[1])
else
  local lowest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  redis.call('ZREM', KEYS[1], lowest[1])
  count = redis.call('ZINCRBY', KEYS[1], tonumber(lowest[2]) + 1, ARGV[1])
end
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return count
"""


# SET NX the claim and, for a new message only, count it in the sender's window: one round trip per message.
ADMIT = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return {0, 0} end
local count = redis.call('INCR', KEYS[2])
if redis.call('PTTL', KEYS[2]) < 0 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return {1, count}
"""


def milliseconds(ttl):
    return max(1, round(ttl * 1000))


class RedisStore(Store):
    def __init__(self, client):
        self.client = client
        self.guard = Guard()
        self._incr = client.register_script(INCR_WITH_EXPIRY)
        self._zincr = client.register_script(ZINCR_WITH_EXPIRY)
        self._admit = client.register_script(ADMIT)
        self._held = threading.local()

    @classmethod
    def from_url(cls, url, timeout):
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                      retry=Retry(NoBackoff(), 0), decode_responses=True)
        return cls(client)

    @property
    def available(self):
        return not self.guard.down

    @guarded(None)
    def get(self, key):
        return self.client.get(key)

    @contextmanager
    def batch(self):
        held = self._held.writes = []
        try:
            yield
        finally:
            self._held.writes = None
            if held:
                self.guard.call(lambda: self._send(held), None)

    def _send(self, writes):
        pipe = self.client.pipeline(transaction=False)
        for write in writes:
            write(pipe)
        pipe.execute()

    def _hold(self, write):
        """Keep ``write`` (a function of a pipeline) for the end of the batch; False outside a batch."""
        held = getattr(self._held, "writes", None)
        if held is None:
            return False
        held.append(write)
        return True

    @guarded(None)
    def set(self, key, value, ttl):
        if not self._hold(lambda pipe: pipe.set(key, value, px=milliseconds(ttl))):
            self.client.set(key, value, px=milliseconds(ttl))

    # Unsure whether another worker claimed it: process the message; a duplicate answer beats none.
    @guarded(True)
    def add(self, key, value, ttl):
        return bool(self.client.set(key, value, px=milliseconds(ttl), nx=True))

    # Count unknown: zero, which any limit allows.
    @guarded(0)
    def incr(self, key, ttl):
        if not self._hold(lambda pipe: pipe.eval(INCR_WITH_EXPIRY, 1, key, milliseconds(ttl))):
            return self._incr(keys=[key], args=[milliseconds(ttl)])

    # Unsure: process the message and allow it, as ``add`` and ``incr`` each would.
    @guarded((True, 0))
    def admit(self, claim_key, claim_ttl, counter_key, counter_ttl):
        claimed, count = self._admit(keys=[claim_key, counter_key],
                                     args=[milliseconds(claim_ttl), milliseconds(counter_ttl)])
        return bool(claimed), int(count)

    # A count lost in an outage only makes the editors' statistics a little low.
    @guarded(0)
    def zincr(self, key, member, ttl, keep):
        args = [member, milliseconds(ttl), keep]
        if not self._hold(lambda pipe: pipe.eval(ZINCR_WITH_EXPIRY, 1, key, *args)):
            return int(float(self._zincr(keys=[key], args=args)))

    @guarded(())
    def ztop(self, key, count):
        return [(member, int(score)) for member, score in self.client.zrevrange(key, 0, count - 1, withscores=True)]

    @guarded(False)
    def ping(self):
        return bool(self.client.ping())

    def close(self):
        self.client.close()
