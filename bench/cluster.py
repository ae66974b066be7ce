"""Cluster: the same warm load on one node and on a two-node cluster of the same machine; how long a new node takes
to catch up with the ten-year record; how soon a node applies a change at that size.

* Warm throughput per core. wrk (the web part's settings) with the warm request file against one node (gunicorn,
  2 workers, no record) and against HAProxy in front of a cluster on the same two cores: the record, two nodes of
  1 worker each (so the same two worker processes) with their followers, Redis shared. Both are up at once and
  loaded in turn, twice each. Both on the same cores, so the req/s ratio is the ratio per core; the balancer's own
  CPU is part of the cluster's cost.
* Catch-up. The ten-year corpus (the corpus part's cached archive) appended to a fresh record as one change per
  issue, then a node started from an empty data dir: ``ReplicaStore.catch_up`` fetching every version, writing
  it, and reindexing in ``INDEX_PROCS`` processes, timed end to end.
* Apply latency. ``bulletin follow`` running on that node; new issues appended to the record as another node
  publishes them; the time from each commit until the node's index holds it.
"""

import os
import shutil
import statistics
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

from bench import corpus, datasets, signed, web
from bench.corpus_bank import WARM_QUERIES
from bench.servers import ROOT, Gunicorn, PostgresServer, children, process_table, stop_process
from config.settings import from_env
from deploy.cluster import BIN, Cluster
from index.archive import Archive
from index.nodestatus import Phase, read_status
from index.record import Record
from index.replica import ReplicaStore

OUT = datasets.OUT / "cluster"
#: New issues appended one at a time while the follower runs, for the apply latency.
LATENCY_CHANGES = 5
#: Pairs of warm runs (one node, then the cluster), and the shortest run.
ROUNDS, MIN_RUN_S = 4, 5


def throughput(duration, connections, threads, report, rounds=ROUNDS):
    """wrk's warm run against one node and against the balancer of a two-node cluster, both up at once and loaded
    in turn (one node, cluster, one node, cluster, ...), so that other work on the machine weighs on both alike.
    ``rounds`` pairs of runs share the time of two pairs of ``duration`` s: the ratio per core is the median of the
    rounds' own ratios, each of two runs next to each other in time, so that one disturbed run (a neighbour's job:
    the same requests cost 0.69 ms of CPU in one run and 1.21 ms in the next) moves it little."""
    data_dir, articles = datasets.web_data_dir(OUT / "single" / "data", report)
    run_s = max(MIN_RUN_S, round(duration * 2 / rounds))
    requests = signed.write(OUT / "warm.req", WARM_QUERIES, run_s * web.MAX_RATE)
    web.OUT.mkdir(parents=True, exist_ok=True)  # where ``web.load`` keeps wrk's output
    settings = {"duration": run_s, "connections": connections, "threads": threads}
    runs = {"one node": [], "cluster": []}
    with Cluster(OUT / "nodes", workers=1, settings=signed.ACCOUNT_ENV) as cluster:
        pushed = cluster.nodes[0].run("record", "push", check=False, env={"BULLETIN_DATA_DIR": str(data_dir)})
        if pushed.returncode:
            raise RuntimeError(f"could not push the web data dir into the record: {pushed.stderr.strip()}")
        with Record(cluster.record.url).connect() as conn:
            head = Record.head(conn).seq
        for node in cluster.nodes:
            node.wait_ready(position=head, timeout=300)
        balancer = _Endpoint(
            cluster.balancer.port,
            [node.processes["web"].pid for node in cluster.nodes],
            cluster.root / "a-web.log",
            cluster.root / "b-web.log",
        )
        # The single node: the same articles, its own keys in the same Redis, no record.
        env = {
            **signed.ACCOUNT_ENV,
            "REDIS_URL": cluster.redis.url,
            "REDIS_PREFIX": "single:",
            "BULLETIN_DATA_DIR": str(data_dir),
        }
        with Gunicorn("bot:create_app()", env, OUT / "single.log", workers=2) as node:
            for server in (node, balancer):
                for question in WARM_QUERIES:
                    web.wait_answering(server, question)
            # Each set-up's processes by role (a node's gunicorn, the cluster's followers), to see where CPU goes.
            roles = {
                "one node": {"web": [node.process.pid]},
                "cluster": {
                    role: [n.processes[role].pid for n in cluster.nodes] for role in cluster.nodes[0].processes
                },
            }
            servers = {"one node": node, "cluster": balancer}
            for round_ in range(1, rounds + 1):
                for name, server in servers.items():
                    cluster.redis.flush()  # every run starts cold on the same few questions: no MsgId seen before
                    for question in WARM_QUERIES:
                        web.wait_answering(server, question)
                    balancer_before = cpu_seconds([cluster.balancer.process.pid])
                    by_role = {role: cpu_seconds(pids) for role, pids in roles[name].items()}
                    result = web.load(
                        server, cluster.redis, requests, settings, report, f"{name.replace(' ', '-')}-{round_}"
                    )
                    result["balancer_cpu_s"] = cpu_seconds([cluster.balancer.process.pid]) - balancer_before
                    result["role_cpu_s"] = {
                        role: cpu_seconds(pids) - by_role[role] for role, pids in roles[name].items()
                    }
                    result["node_cpu_s"] = sum(result["role_cpu_s"].values())  # the roles' process trees are apart
                    runs[name].append(result)
    summary = {name: _combined(loads) for name, loads in runs.items()}
    summary["cluster"]["ratio_rps"] = summary["cluster"]["rps"] / summary["one node"]["rps"]
    per_round = [
        (cluster_run["requests"] / cluster_run["node_cpu_s"]) / (one["requests"] / one["node_cpu_s"])
        for one, cluster_run in zip(runs["one node"], runs["cluster"], strict=True)
    ]
    summary["cluster"]["ratio_per_cpu_s_rounds"] = [round(ratio, 3) for ratio in per_round]
    summary["cluster"]["ratio_per_cpu_s"] = statistics.median(per_round)
    return {"articles": articles, "settings": {**settings, "rounds": rounds}, "runs": summary}


def cpu_seconds(pids):
    """CPU time (user + system) used so far by ``pids`` and all their descendants still running, in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = process_table()
    wanted, total = set(pids), 0
    for pid in sorted(stats):  # parents before children: pids grow
        parent, ticks = stats[pid]
        if pid in wanted or parent in wanted:
            wanted.add(pid)
            total += ticks
    return total / tick


def _combined(loads):
    """Several wrk runs of one set-up as one: requests over time, requests per CPU second of the node's processes,
    the worst p50 and p99, every error."""
    return {
        "rps": statistics.mean(load["rps"] for load in loads),
        "each_rps": [round(load["rps"]) for load in loads],
        "per_cpu_s": sum(load["requests"] for load in loads) / sum(load["node_cpu_s"] for load in loads),
        "balancer_cpu_ms_per_request": 1000
        * sum(load["balancer_cpu_s"] for load in loads)
        / sum(load["requests"] for load in loads),
        "role_cpu_ms_per_request": {
            role: 1000 * sum(load["role_cpu_s"][role] for load in loads) / sum(load["requests"] for load in loads)
            for role in loads[0]["role_cpu_s"]
        },
        "p50_ms": max(load["p50_ms"] for load in loads),
        "p99_ms": max(load["p99_ms"] for load in loads),
        "non_2xx": sum(load["non_2xx"] for load in loads),
        "socket_errors": sum(load["socket_errors"] for load in loads),
        "bot_errors": sum(load["bot_errors"] for load in loads),
    }


class _Endpoint:
    """The balancer, as ``bench.web`` loads a server: its port, the nodes' gunicorn workers, and the nodes' logs read
    as one."""

    app = "the cluster's balancer"

    def __init__(self, port, masters, *logs):
        self.port, self.masters, self.logs = port, masters, logs
        self.log_path = logs[0].parent

    def alive(self):
        return True

    def worker_pids(self):
        return [pid for master in self.masters for pid in children(master)]

    def log_size(self):
        return tuple(path.stat().st_size for path in self.logs)

    def log_since(self, offsets):
        text = ""
        for path, offset in zip(self.logs, offsets, strict=True):
            with open(path, "rb") as handle:
                handle.seek(offset)
                text += handle.read().decode("utf-8", "replace")
        return text


def catch_up(scale, report):
    """The ten-year record, then a new node catching up with it, then its follower applying new changes."""
    corpus_ = datasets.Corpus()
    dates = corpus.issue_dates(scale)
    corpus_.ensure(dates, report)
    with PostgresServer() as server:
        record = Record(server.url)
        started = time.perf_counter()
        head = record.append_all(((day, corpus_.archive.files(day)) for day in dates), origin="bench", wait=60)
        pushed_s = time.perf_counter() - started
        report(f"  record: {head} changes appended in {pushed_s:.0f} s")

        data_dir = OUT / "newcomer"
        shutil.rmtree(data_dir, ignore_errors=True)
        node = ReplicaStore(data_dir, datasets.WORDS, record=record, origin="newcomer", procs=_procs())
        started = time.perf_counter()
        progress = node.catch_up()
        caught_s = time.perf_counter() - started
        articles = node.index_dir.open().doc_count()
        report(f"  a new node caught up with {articles} articles ({progress.head} changes) in {caught_s:.0f} s")

        latencies = apply_latency(server, record, node, dates[-1], report)
    return {
        "issues": len(dates),
        "articles": articles,
        "changes": head,
        "append_s": pushed_s,
        "catch_up_s": caught_s,
        "apply_ms": latencies,
    }


def _procs():
    return from_env()["INDEX_PROCS"]


def apply_latency(server, record, node, last, report):
    """From the commit of each new issue to the follower's node holding it, in milliseconds."""
    env = {"BULLETIN_DATA_DIR": str(node.data_dir), "RECORD_URL": server.url, "NODE_NAME": "newcomer"}
    log = open(OUT / "follow.log", "wb")  # noqa: SIM115  (handed to the child, closed right after)
    follower = subprocess.Popen(
        [str(BIN / "bulletin"), "follow"], cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
    )
    log.close()
    latencies = []
    try:
        _wait(lambda: getattr(read_status(node.data_dir), "phase", None) is Phase.FOLLOWING, 120)
        sample = datasets.SAMPLE.read_bytes()
        for number in range(1, LATENCY_CHANGES + 1):
            day = last + timedelta(days=number)
            issue = datasets.parsed_issue(day, sample, f"{day.isoformat()}.txt")
            files = Archive.version_files(issue, sample)
            time.sleep(0.5)
            started = time.perf_counter()
            change = record.append(day, files, base="", origin="bench", wait=10)
            _wait(lambda change=change: node.index_dir.position() == change.seq, 30, poll=0.002)
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        stop_process(follower)
    report(
        f"  the follower applied {len(latencies)} new issues in median {statistics.median(latencies):.0f} ms, "
        f"at most {max(latencies):.0f} ms"
    )
    return latencies


def _wait(condition, seconds, poll=0.05):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"gave up after {seconds} s")
        time.sleep(poll)


def run(scale=1.0, duration=15, connections=16, threads=2, report=print):
    OUT.mkdir(parents=True, exist_ok=True)
    return {
        "throughput": throughput(duration, connections, threads, report),
        "catch_up": catch_up(scale, report),
        "date": date.today().isoformat(),
        "out": str(Path(OUT)),
    }
