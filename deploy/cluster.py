"""A whole cluster on one machine: the record (PostgreSQL), Redis, nodes running ``deploy/Procfile.node`` and HAProxy
with ``deploy/haproxy.cfg`` in front. ``make cluster`` runs it to try the cluster out; the tests and the benchmarks
build theirs with the same classes.

Each node's processes (gunicorn, ``bulletin follow``) run the Procfile's own lines, each in a process group of its
own, so ``Node.kill`` can take the whole node down with SIGKILL as a lost machine would go, and stopping touches
nothing but the processes started here.

    python -m deploy.cluster [--dir var/cluster] [--port 5000]
"""

import argparse
import os
import secrets
import shlex
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

from bench.servers import ROOT, HAProxy, PostgresServer, RedisServer, free_port, stop_process
from index.errors import RecordUnavailable
from index.record import Record

PROCFILE = ROOT / "deploy" / "Procfile.node"
BIN = Path(sys.executable).parent


def procfile(path=PROCFILE):
    """``{role: command}`` of a Procfile (``role: command`` lines; anything else is a comment)."""
    roles = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        role, colon, command = line.partition(":")
        if colon and role.strip().isidentifier() and not line.startswith("#"):
            roles[role.strip()] = command.strip()
    return roles


def get(url, timeout=5):
    """``(status, body)`` of a GET; a refused connection raises ``OSError``."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Node:
    """One node: ``deploy/Procfile.node``'s roles with the node's settings (``env``) on top of this environment."""

    def __init__(self, name, data_dir, env, port=None, log_dir=None, workers=2):
        self.name = name
        self.port = port or free_port()
        self.data_dir = Path(data_dir)
        self.log_dir = Path(log_dir or self.data_dir.parent)
        self.env = {
            **os.environ,
            **env,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "NODE_NAME": name,
            "BULLETIN_DATA_DIR": str(self.data_dir),
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers),
        }
        self.processes = {}

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def log_path(self, role):
        return self.log_dir / f"{self.name}-{role}.log"

    def start(self):
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for role, command in procfile().items():
            log = open(self.log_path(role), "ab")  # noqa: SIM115  (handed to the child, closed right after)
            self.processes[role] = subprocess.Popen(
                ["sh", "-c", f"exec {command}"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            log.close()
        return self

    def run(self, *args, check=True, env=None, input=None):
        """A ``bulletin`` command with this node's settings (and ``env`` on top); its output as text."""
        return subprocess.run(
            [str(BIN / "bulletin"), *args],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            check=check,
            capture_output=True,
            text=True,
            input=input,
        )

    def healthz(self):
        """``/healthz`` as a dict (``{"status": ...}`` with the status code when it is not JSON)."""
        import json

        status, body = get(f"{self.url}/healthz")
        try:
            return {**json.loads(body), "code": status}
        except ValueError:
            return {"status": body.decode("utf-8", "replace"), "code": status}

    def wait_ready(self, position=None, timeout=120):
        """Return ``/healthz`` once the node answers 200 (and holds ``position``, when given)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for role, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{self.name}'s {role} exited; see {self.log_path(role)}")
            try:
                health = self.healthz()
                if health["code"] == 200 and (position is None or health.get("position") == position):
                    return health
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} was not ready within {timeout} s; see {self.log_dir}")

    def kill(self):
        """SIGKILL every process of the node at once: a machine lost."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        for process in self.processes.values():
            process.wait(10)
        self.processes = {}

    def stop(self):
        for process in self.processes.values():
            stop_process(process, grace=15)
        self.processes = {}

    def alive(self):
        return bool(self.processes) and all(process.poll() is None for process in self.processes.values())


class Cluster:
    """The record, Redis, ``nodes`` nodes (``a``, ``b``, ...) and the balancer in front of the first two, under
    ``root``. ``settings`` go to every node; ``record_dir`` keeps the record between runs (else it is thrown away)."""

    def __init__(self, root, nodes=2, workers=2, settings=None, record_dir=None, ports=None):
        ports = ports or {}
        self.root = Path(root)
        self.settings = dict(settings or {})
        self.workers = workers
        self.record = PostgresServer(record_dir, port=ports.get("record"))
        self.redis = RedisServer()
        self.nodes = [self._node(chr(ord("a") + n), ports.get(f"node{n}")) for n in range(nodes)]
        self.balancer = HAProxy([node.address for node in self.nodes[:2]], port=ports.get("balancer"))

    def _node(self, name, port=None):
        env = {**self.settings, "RECORD_URL": self.record.url, "REDIS_URL": self.redis.url}
        return Node(name, self.root / f"node-{name}" / "var", env, port=port, log_dir=self.root, workers=self.workers)

    def start(self):
        self.root.mkdir(parents=True, exist_ok=True)
        self.record.start()
        self.redis.start()
        for node in self.nodes:
            node.start()
        self.balancer.start()
        return self

    def add_node(self, name):
        """One more node (not behind the balancer), started."""
        node = self._node(name)
        self.nodes.append(node)
        return node.start()

    def wait_ready(self, timeout=120):
        """Wait until every node serves the record's head and the balancer sends to each (its health checks need a
        few rounds to mark a node that was catching up as UP); return that position."""
        deadline = time.monotonic() + timeout
        position = self._head(deadline)
        for node in self.nodes:
            node.wait_ready(position, timeout)
        while any(status != "UP" for status in self.balancer.servers().values()):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the balancer does not send to every node: {self.balancer.servers()}")
            time.sleep(0.1)
        return position

    def _head(self, deadline):
        """The record's head, once its schema is there (the first node to start creates it)."""
        while True:
            try:
                with Record(self.record.url).connect() as conn:
                    return Record.head(conn).seq
            except (RecordUnavailable, psycopg.Error) as error:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the record has no head: {error}") from error
                time.sleep(0.1)

    def stop(self):
        self.balancer.stop()
        for node in self.nodes:
            node.stop()
        self.redis.stop()
        self.record.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        self.balancer.__exit__()
        self.redis.__exit__()
        self.record.__exit__()


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run a two-node cluster of the bot on this machine.")
    parser.add_argument("--dir", default=str(ROOT / "var" / "cluster"), help="where the record and the nodes live")
    parser.add_argument("--port", type=int, default=5000, help="the balancer's port; nodes and servers take the next")
    options = parser.parse_args(argv)
    root = Path(options.dir)
    tokens = {name: os.environ.get(name) or secrets.token_urlsafe(18) for name in ("WECHAT_TOKEN", "ADMIN_TOKEN")}
    base = f"http://127.0.0.1:{options.port}"
    settings = {**tokens, "SIMULATOR": "1", "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", base)}
    ports = {"balancer": options.port, "node0": options.port + 1, "node1": options.port + 2, "record": options.port + 3}
    cluster = Cluster(root, settings=settings, record_dir=root / "record", ports=ports)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        cluster.start()
        seeded = cluster.nodes[0].run("seed", str(ROOT / "data" / "issues"), check=False)
        print(seeded.stdout.strip() or seeded.stderr.strip())
        cluster.wait_ready()
        for name, value in tokens.items():
            print(f"{name}={value}" + ("  (development only)" if name == "WECHAT_TOKEN" else ""))
        print(f"Record: {cluster.record.url}   Redis: {cluster.redis.url}   Logs: {root}/")
        for node in cluster.nodes:
            print(f"Node {node.name}: {node.url}/healthz")
        print(f"Balancer: {base}/  Chat simulator: {base}/simulator/  Editors' desk: {base}/admin/")
        node = cluster.nodes[0]
        cli = ["env", f"BULLETIN_DATA_DIR={node.data_dir}", f"RECORD_URL={cluster.record.url}", f"{BIN}/bulletin"]
        print(f"The CLI of node {node.name}: {shlex.join(cli)} ...    Ctrl-C stops the cluster.")
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
