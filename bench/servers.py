"""The real servers a benchmark runs against, on free loopback ports: a throwaway redis-server and gunicorn.

Every process is started here and stopped here by its own pid (never by name), with bounded waits, so a run that
fails or is interrupted still leaves nothing behind.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = ROOT / "config" / "gunicorn.conf.py"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process, grace=10):
    """SIGTERM, then SIGKILL after ``grace`` seconds; returns once the process is gone."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


class RedisServer:
    """A throwaway ``redis-server`` on a free loopback port, no persistence. The tests use it too: ``stop`` and
    ``start`` again (same port) to show the bot riding out an outage."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="throwaway-redis-")
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        executable = shutil.which("redis-server")
        if executable is None:
            raise RuntimeError("redis-server is not installed (`make test` and `make bench` install Debian's)")
        self.process = subprocess.Popen(
            [
                executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.command(b"PING").startswith(b"+PONG"):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        stop_process(self.process)
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def command(self, line):
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(line + b"\r\n")
            return sock.recv(64)

    def flush(self):
        """Forget every cached answer, claimed message, session and rate count between two runs."""
        self.command(b"FLUSHALL")


class Gunicorn:
    """``gunicorn -c config/gunicorn.conf.py <app>`` from the repository root, with ``env`` on top of this process's
    environment; the master's output goes to ``log_path``."""

    def __init__(self, app, env, log_path, workers=2):
        self.port = free_port()
        self.app, self.log_path = app, Path(log_path)
        self.env = {**os.environ, **env, "HOST": "127.0.0.1", "PORT": str(self.port), "WEB_CONCURRENCY": str(workers)}
        self.process = None
        self.started = None

    def start(self):
        """Start the master and return at once (the cold-start benchmark times from here)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115  (handed to the child, closed right after the fork below)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG), self.app],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        return self

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        stop_process(self.process, grace=15)

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def worker_pids(self):
        """The master's child processes (its workers), from /proc."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return sorted(pids)

    def log_size(self):
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_since(self, offset):
        with open(self.log_path, "rb") as handle:
            handle.seek(offset)
            return handle.read().decode("utf-8", "replace")


def cpu_seconds(pid):
    """CPU seconds ``pid`` has run so far, user and kernel (``/proc/<pid>/stat``); 0 for a process gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid):
    """Memory of ``pid`` in MB: resident (RSS), proportional (PSS: each shared page split among its users), and the
    RSS split into anonymous memory (the heap: what the process really costs) and file pages (mapped files such as
    the Whoosh index, which are the page cache and shared with every process mapping them)."""
    kb = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss", "Anonymous"):
            kb[name] = int(rest.split()[0])
    return {
        "rss_mb": kb["Rss"] / 1024,
        "pss_mb": kb["Pss"] / 1024,
        "anon_mb": kb["Anonymous"] / 1024,
        "file_mb": (kb["Rss"] - kb["Anonymous"]) / 1024,
    }
