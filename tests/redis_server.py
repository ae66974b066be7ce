"""A throwaway real ``redis-server`` for the tests, on a free loopback port.

Started once per test session the first time a test asks for it, stopped at the end. Tests that stop and restart it
(to prove the bot survives an outage) use ``RedisServer.stop``/``start``; the port stays the same.
"""
import shutil
import socket
import subprocess
import tempfile
import time

import pytest


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, executable):
        self.executable = executable
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="test-redis-")
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dir, "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def flush(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(b"FLUSHALL\r\n")
            sock.recv(16)


@pytest.fixture(scope="session")
def redis_server():
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.fail("redis-server is not installed: `make test` installs it (Debian package redis-server)")
    server = RedisServer(executable)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


@pytest.fixture
def redis_url(redis_server):
    """The URL of a running, empty Redis (restarted if an earlier test left it stopped)."""
    if redis_server.process is None:
        redis_server.start()
    redis_server.flush()
    return redis_server.url
