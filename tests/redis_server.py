"""A throwaway real ``redis-server`` for the tests (``bench.servers.RedisServer``, shared with the benchmarks).

Started once per test session the first time a test asks for it, stopped at the end. Tests that stop and restart it
(to prove the bot survives an outage) use ``redis_server.stop()``/``start()``; the port stays the same.
"""

import shutil

import pytest

from bench.servers import RedisServer


@pytest.fixture(scope="session")
def redis_server():
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed: `make test` installs it (Debian package redis-server)")
    with RedisServer() as server:
        yield server


@pytest.fixture
def redis_url(redis_server):
    """The URL of a running, empty Redis (restarted if an earlier test left it stopped)."""
    if redis_server.process is None:
        redis_server.start()
    redis_server.flush()
    return redis_server.url
