"""The real servers a benchmark runs against, on free loopback ports: a throwaway redis-server, gunicorn, and for a
cluster PostgreSQL (the record) and HAProxy (the balancer), each from Debian's packages.

Every process is started here and stopped here by its own pid (never by name), with bounded waits, so a run that
fails or is interrupted still leaves nothing behind.
"""

import csv
import glob
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
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process, grace=10, sig=signal.SIGTERM):
    """``sig`` (SIGTERM), then SIGKILL after ``grace`` seconds; returns once the process is gone."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
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


def wait_for_port(port, process, what, timeout=30):
    """Return once something accepts connections on ``port``; ``RuntimeError`` if ``process`` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on port {port} within {timeout} s")


def postgres_program(name):
    """Debian installs PostgreSQL's server programs off the PATH, under /usr/lib/postgresql/<version>/bin."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda path: int(path.split("/")[4]))
    program = found[-1] if found else shutil.which(name)
    if program is None:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (`make test` installs Debian's postgresql)")
    return program


class PostgresServer:
    """A PostgreSQL server of its own on a free loopback port (or ``port``), its cluster in ``root`` (a throwaway
    directory by default), created on first start with a superuser ``bulletin`` trusted on loopback and an empty
    database ``bulletin``. PostgreSQL refuses to run as root, so as root it runs as Debian's ``postgres`` user.

    ``stop`` is a fast shutdown (connections are cut, as when the server restarts); ``start`` again, same port."""

    def __init__(self, root=None, port=None):
        self.port = port or free_port()
        self.throwaway = root is None
        self.root = Path(root or tempfile.mkdtemp(prefix="throwaway-postgres-"))
        self.data = self.root / "data"
        self.process = None

    @property
    def url(self):
        return f"postgresql://bulletin@127.0.0.1:{self.port}/bulletin"

    def _owner(self):
        """``subprocess`` arguments that run a program as the cluster's owner."""
        return {"user": "postgres", "group": "postgres"} if os.geteuid() == 0 else {}

    def _initialise(self):
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        if (self.data / "PG_VERSION").exists():
            return False
        subprocess.run(
            [postgres_program("initdb"), "-D", str(self.data), "-U", "bulletin", "--auth=trust", "-E", "UTF8"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=self.root,
            **self._owner(),
        )
        return True

    def start(self):
        created = self._initialise()
        log = open(self.root / "postgres.log", "ab")  # noqa: SIM115  (handed to the child, closed right after)
        self.process = subprocess.Popen(
            [
                postgres_program("postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={self.root}",
                "-c",
                "max_connections=50",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.root,
            **self._owner(),
        )
        log.close()
        deadline = time.monotonic() + 30
        while True:
            try:
                self._run("SELECT 1", database="postgres")
                break
            except Exception:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"PostgreSQL did not start; see {self.root / 'postgres.log'}") from None
                time.sleep(0.1)
        if created:
            self.create_database("bulletin")
        return self

    def create_database(self, name):
        self._run(f"CREATE DATABASE {name}", database="postgres")

    def _run(self, statement, database="bulletin"):
        import psycopg

        url = f"postgresql://bulletin@127.0.0.1:{self.port}/{database}"
        with psycopg.connect(url, autocommit=True, connect_timeout=2) as conn:
            conn.execute(statement)

    def stop(self):
        stop_process(self.process, grace=30, sig=signal.SIGINT)
        self.process = None

    def restart(self):
        self.stop()
        return self.start()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        if self.throwaway:
            shutil.rmtree(self.root, ignore_errors=True)


class HAProxy:
    """Debian's haproxy with ``deploy/haproxy.cfg``, in front of ``nodes`` (``host:port`` each, two: the config's
    ``NODE_A`` and ``NODE_B``), on a free loopback port; its stats socket tells which nodes it considers up."""

    def __init__(self, nodes, port=None, config=HAPROXY_CONFIG):
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="throwaway-haproxy-")
        self.socket = os.path.join(self.dir, "stats.sock")
        self.env = {
            **os.environ,
            "BALANCER_BIND": f"127.0.0.1:{self.port}",
            "NODE_A": nodes[0],
            "NODE_B": nodes[1],
            "HAPROXY_STATS": self.socket,
        }
        self.config = config
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        program = shutil.which("haproxy") or "/usr/sbin/haproxy"
        if not os.path.exists(program):
            raise RuntimeError("haproxy is not installed (`make test` installs Debian's haproxy)")
        log = open(os.path.join(self.dir, "haproxy.log"), "ab")  # noqa: SIM115  (handed to the child)
        self.process = subprocess.Popen(
            [program, "-f", str(self.config), "-db"], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        wait_for_port(self.port, self.process, "haproxy")
        return self

    def stop(self):
        stop_process(self.process)
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def servers(self):
        """``{server name: status}`` of the nodes' backend (``UP``, ``DOWN``, ``UP 1/2``, ...)."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(2)
            sock.connect(self.socket)
            sock.sendall(b"show stat\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        rows = csv.DictReader(data.decode().lstrip("# ").splitlines())
        return {row["svname"]: row["status"] for row in rows if row["pxname"] == "nodes" and row["svname"] != "BACKEND"}


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
        """The master's child processes (its workers)."""
        return children(self.process.pid)

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


def process_table():
    """Every running process's parent and CPU ticks so far (user + kernel), from /proc: ``{pid: (ppid, ticks)}``."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # gone meanwhile
                continue
            table[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return table


def children(pid):
    """The child processes of ``pid``, from /proc."""
    return sorted(child for child, (parent, _) in process_table().items() if parent == pid)
