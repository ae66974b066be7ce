"""The Redis backend, shared by every web worker; each call goes through the outage guard.

The client is told never to retry (``redis.Redis(...)`` would otherwise retry ten times with back-off): the guard
decides what a failure means, and a reply is due within WeChat's 5 seconds. Scripts are sent once and then called
by their SHA-1 (``EVALSHA``, through redis-py's ``register_script``, which loads a script again when the server has
forgotten it): a message sends its keys and values, not the scripts' text. When the ``hiredis`` package is installed
(it is a dependency), redis-py reads replies with its C parser.
"""

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol, Self, cast

import redis
from hiredis import pack_command
from redis.backoff import NoBackoff
from redis.client import Pipeline
from redis.commands.core import Script
from redis.exceptions import NoScriptError
from redis.retry import Retry

from bot.state.base import Sent, Store, Write
from bot.state.guard import FAILURES, Guard, guarded

# INCRBY, and an expiry for a new counter, in one atomic step; a script rather than EXPIRE NX, which needs Redis 7.
INCR_WITH_EXPIRY = """
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
"""

# The same for a ranking of at most ARGV[3] members: a newcomer to a full one replaces the lowest and inherits its
# count (see ``Store.zincr``), so no ranking grows with the traffic. ARGV[4] is what is added.
ZINCR_WITH_EXPIRY = """
local count
local by = tonumber(ARGV[4])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  count = redis.call('ZINCRBY', KEYS[1], by, ARGV[1])
else
  local lowest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  redis.call('ZREM', KEYS[1], lowest[1])
  count = redis.call('ZINCRBY', KEYS[1], tonumber(lowest[2]) + by, ARGV[1])
end
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return count
"""


# SET NX the claim and, for a new message only, count it in the sender's window; within the limit (ARGV[3]), make
# the message's writes: KEYS[3], KEYS[4]... with ARGV[4], ARGV[6]... for PX ARGV[5], ARGV[7]...
# One round trip per message, and for an answer known beforehand the only one.
ADMIT = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return {0, 0} end
local count = redis.call('INCR', KEYS[2])
if redis.call('PTTL', KEYS[2]) < 0 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
if count <= tonumber(ARGV[3]) then
  for i = 3, #KEYS do redis.call('SET', KEYS[i], ARGV[2 * i - 2], 'PX', ARGV[2 * i - 1]) end
end
return {1, count}
"""


#: A write held for the end of a batch: a function of the pipeline that sends it.
Held = Callable[[Pipeline], object]


def milliseconds(ttl: float) -> int:
    return max(1, round(ttl * 1000))


def evalsha_command(sha: str, keys: Sequence[str], args: Sequence[str | int]) -> list[bytes]:
    """``EVALSHA`` as it goes on the wire, packed by hiredis."""
    command = ("EVALSHA", sha, len(keys), *keys, *args)
    return [pack_command(command)]  # type: ignore[arg-type]  # hiredis's stub says a one-item tuple; any length works


class Connection(Protocol):
    """What ``OwnConnections`` uses of a redis-py connection (whose methods are not annotated)."""

    def send_packed_command(self, command: list[bytes]) -> None: ...

    def read_response(self) -> object: ...

    def can_read(self, timeout: float = 0) -> bool: ...

    def disconnect(self) -> None: ...


class OwnConnections:
    """A connection of each thread's own, for the one call every message makes (``admit``).

    redis-py's per-command path (the pool's lock, the retry wrapper, its observability hooks, packing in Python) costs
    a message about as much client CPU as sending and reading the command itself; a thread that keeps one connection
    from the same pool settings (timeouts, hiredis, decoding) sends a command hiredis packed and reads the reply. As
    the pool does, a connection with something to read before it is used (Redis restarted and closed it) is connected
    again first; one that fails in any way is
    dropped: its state is unknown, and the next call connects afresh.
    """

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self._mine = threading.local()
        self._every: list[Connection] = []
        self._lock = threading.Lock()

    def evalsha(self, script: Script, keys: Sequence[str], args: Sequence[str | int]) -> object:
        connection = self._connection()
        try:
            if self._stale(connection):  # closed by Redis (a restart) while idle: connect again
                connection.disconnect()
            try:
                connection.send_packed_command(evalsha_command(script.sha, keys, args))
                return connection.read_response()
            except NoScriptError:  # Redis restarted, or its scripts were flushed: nothing ran, so run it again
                script.sha = self.client.script_load(script.script)
                connection.send_packed_command(evalsha_command(script.sha, keys, args))
                return connection.read_response()
        except BaseException:
            self._drop(connection)
            raise

    @staticmethod
    def _stale(connection: Connection) -> bool:
        try:
            return connection.can_read()
        except FAILURES:  # what reading a closed connection raises
            return True

    def _connection(self) -> Connection:
        mine: tuple[int, Connection] | None = getattr(self._mine, "connection", None)
        if mine is not None and mine[0] == os.getpid():
            return mine[1]
        connection = cast(Connection, self.client.connection_pool.make_connection())
        self._mine.connection = (os.getpid(), connection)
        with self._lock:
            self._every.append(connection)
        return connection

    def _drop(self, connection: Connection) -> None:
        self._mine.connection = None
        connection.disconnect()
        with self._lock:
            if connection in self._every:
                self._every.remove(connection)

    def close(self) -> None:
        with self._lock:
            every, self._every = self._every, []
        for connection in every:
            connection.disconnect()


class RedisStore(Store):
    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self.guard = Guard()
        self._incr = client.register_script(INCR_WITH_EXPIRY)
        self._zincr = client.register_script(ZINCR_WITH_EXPIRY)
        self._admit = client.register_script(ADMIT)
        self._held = threading.local()
        self._own = OwnConnections(client)

    @classmethod
    def from_url(cls, url: str, timeout: float) -> Self:
        client = redis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
            decode_responses=True,
        )
        return cls(client)

    @property
    def available(self) -> bool:
        return not self.guard.down

    @guarded(None)
    def get(self, key: str) -> str | None:
        # The client decodes replies (``decode_responses``), which redis-py's types cannot tell: str, never bytes.
        return cast(str | None, self.client.get(key))

    @contextmanager
    def batch(self) -> Iterator[Sent]:
        held: list[Held] = []
        self._held.writes = held
        sent = Sent()
        try:
            yield sent
        finally:
            self._held.writes = None
            if held:
                sent.ok = self.guard.call(lambda: self._send(held), False)

    def _send(self, writes: list[Held]) -> bool:
        """One pipeline, one round trip (redis-py asks ``SCRIPT EXISTS`` first when a script is among the writes)."""
        pipe = self.client.pipeline(transaction=False)
        for write in writes:
            write(pipe)
        pipe.execute()
        return True

    def _hold(self, write: Held) -> bool:
        """Keep ``write`` (a function of a pipeline) for the end of the batch; False outside a batch."""
        held: list[Held] | None = getattr(self._held, "writes", None)
        if held is None:
            return False
        held.append(write)
        return True

    # Writes are held for the batch whether or not Redis is up: the batch's ``Sent`` then says they were not made.
    def set(self, key: str, value: str, ttl: float) -> None:
        if not self._hold(lambda pipe: pipe.set(key, value, px=milliseconds(ttl))):
            self._set_now(key, value, ttl)

    @guarded(None)
    def _set_now(self, key: str, value: str, ttl: float) -> None:
        self.client.set(key, value, px=milliseconds(ttl))

    # Unsure whether another worker claimed it: process the message; a duplicate answer beats none.
    @guarded(True)
    def add(self, key: str, value: str, ttl: float) -> bool:
        return bool(self.client.set(key, value, px=milliseconds(ttl), nx=True))

    def incr(self, key: str, ttl: float, by: int) -> int | None:
        args = [milliseconds(ttl), by]
        if self._hold(lambda pipe: self._incr(keys=[key], args=args, client=pipe)):
            return None
        return self._incr_now(key, args)

    # Count unknown: zero, which any limit allows.
    @guarded(0)
    def _incr_now(self, key: str, args: list[int]) -> int:
        return int(self._incr(keys=[key], args=args))

    # Unsure: process the message and allow it, as ``add`` and ``incr`` each would; its writes are lost with Redis.
    @guarded((True, 0))
    def admit(
        self,
        claim_key: str,
        claim_ttl: float,
        counter_key: str,
        counter_ttl: float,
        limit: int,
        writes: Sequence[Write],
    ) -> tuple[bool, int]:
        args: list[str | int] = [milliseconds(claim_ttl), milliseconds(counter_ttl), limit]
        for write in writes:
            args += [write.value, milliseconds(write.ttl)]
        keys = [claim_key, counter_key, *(write.key for write in writes)]
        claimed, count = cast(list[int], self._own.evalsha(self._admit, keys, args))
        return bool(claimed), int(count)

    def zincr(self, key: str, member: str, ttl: float, keep: int, by: int) -> int | None:
        args: list[str | int] = [member, milliseconds(ttl), keep, by]
        if self._hold(lambda pipe: self._zincr(keys=[key], args=args, client=pipe)):
            return None
        return self._zincr_now(key, args)

    # A count lost in an outage only makes the editors' statistics a little low.
    @guarded(0)
    def _zincr_now(self, key: str, args: list[str | int]) -> int:
        return int(float(self._zincr(keys=[key], args=args)))

    @guarded(())
    def ztop(self, key: str, count: int) -> list[tuple[str, int]]:
        # ``withscores`` gives (member, score) pairs and the client decodes them, which redis-py's types cannot tell.
        pairs = cast(list[tuple[str, float]], self.client.zrevrange(key, 0, count - 1, withscores=True))
        return [(member, int(score)) for member, score in pairs]

    @guarded(False)
    def ping(self) -> bool:
        return bool(self.client.ping())

    def close(self) -> None:
        self._own.close()
        self.client.close()
