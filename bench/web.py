"""Web load: wrk against gunicorn (2 workers, the project's config) on loopback, with a real redis-server.

Four runs of the same length and concurrency, each answer checked for real before the load starts:

* ``echo``: ``bench.echo_bot``, the ceiling of the stack itself (signature, parse, reply);
* ``warm``: the bot, a few questions asked over and over (answers come from the shared cache);
* ``distinct``: the bot, every request a different question (every answer searched);
* ``safe``: the bot in safe mode (encrypted request and reply), warm cache.

Every request has its own MsgId and sender (see ``bench.signed``); Redis is flushed before each run so no run
inherits another's cache. The bot's log says how each message ended (``outcome=answered``, ``rate-limited``,
``timeout``, ``error``, ``retry``); anything but ``answered`` counts as an error, as do non-2xx replies and socket
errors. wrk shares the two cores with gunicorn and Redis, which is why figures are also given as ratios to the echo
bot measured in the same run.
"""

import json
import re
import shutil
import subprocess
import time
from collections import Counter

from bench import client, datasets, profile_warm, queries, signed
from bench.corpus_bank import WARM_QUERIES
from bench.servers import ROOT, Gunicorn, RedisServer, cpu_seconds, memory_mb

OUT = datasets.OUT / "web"
LUA = ROOT / "bench" / "rotate.lua"
#: More requests per second than any run sends (the echo bot has reached ~7,500/s here), so no request repeats.
MAX_RATE = 10000
READY_SECONDS = 60
OUTCOME = re.compile(r"outcome=([\w-]+)")


def wait_answering(server, question, mode="plain", deadline_s=READY_SECONDS, check=client.found_something, poll=0.05):
    """Poll every ``poll`` seconds until ``server`` answers ``question`` for real; fail if it dies or time is up."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"{server.app} exited; see {server.log_path}")
        try:
            status, reply = client.ask(server.port, question, mode)
            if status == 200 and check(reply):
                return reply
        except OSError:
            pass
        time.sleep(poll)
    raise RuntimeError(f"{server.app} gave no real answer to {question!r} within {deadline_s} s")


def wrk(port, requests_file, duration, connections, threads):
    """One wrk run; its figures as a dict (latency in ms)."""
    command = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "--timeout",
        "5s",
        "--latency",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
        "--",
        str(requests_file),
        str(threads),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "non_2xx": raw["status"],
        "socket_errors": socket_errors,
        "wrapped": raw["wrapped"],
        "wrk_output": done.stdout,
    }


def request_files(count, report):
    """The pre-signed request files: warm (plain and safe) and distinct questions."""
    distinct = queries.realistic(count)
    queries.write(OUT / "queries.txt", distinct)
    files = {
        "warm": signed.write(OUT / "warm.req", WARM_QUERIES, count),
        "distinct": signed.write(OUT / "distinct.req", distinct, count),
        "safe": signed.write(OUT / "safe.req", WARM_QUERIES, count, mode="safe"),
    }
    report(f"  {len(files)} request files of {count} signed requests each in {OUT}")
    return files


def load(server, redis, requests_file, settings, report, name):
    """One wrk run against ``server``, its figures, the bot's outcomes, and the CPU its workers and Redis spent per
    request (each process's own CPU time over the run: what the ratios to the echo bot come from, and what other
    work on the machine disturbs least)."""
    offset = server.log_size()
    processes = {"workers": server.worker_pids(), "redis": [redis.process.pid]}
    before = {part: sum(cpu_seconds(pid) for pid in pids) for part, pids in processes.items()}
    result = wrk(server.port, requests_file, **settings)
    for part, pids in processes.items():
        spent = sum(cpu_seconds(pid) for pid in pids) - before[part]
        result[f"{part}_cpu_ms"] = spent / max(result["requests"], 1) * 1000
    outcomes = Counter(OUTCOME.findall(server.log_since(offset)))
    result["outcomes"] = dict(outcomes)
    result["bot_errors"] = sum(count for outcome, count in outcomes.items() if outcome != "answered")
    (OUT / f"{name}.wrk.txt").write_text(result.pop("wrk_output"), encoding="utf-8")
    report(
        f"  {name}: {result['rps']:.0f} req/s, p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
        f"non-2xx {result['non_2xx']}, socket errors {result['socket_errors']}, outcomes {dict(outcomes)}, "
        f"CPU per request: workers {result['workers_cpu_ms']:.2f} ms, Redis {result['redis_cpu_ms']:.3f} ms"
    )
    return result


def run(duration=15, connections=16, threads=2, report=print):
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    data_dir, articles = datasets.web_data_dir(OUT / "data", report)
    files = request_files(duration * MAX_RATE, report)
    settings = {"duration": duration, "connections": connections, "threads": threads}
    runs = {}
    with RedisServer() as redis:
        env = {**signed.ACCOUNT_ENV, "REDIS_URL": redis.url, "BULLETIN_DATA_DIR": str(data_dir)}
        with Gunicorn("bench.echo_bot:create_app()", env, OUT / "echo.log") as echo:
            wait_answering(echo, WARM_QUERIES[0], check=bool)
            runs["echo"] = load(echo, redis, files["warm"], settings, report, "echo")
        with Gunicorn("bot:create_app()", env, OUT / "bot.log") as bot:
            wait_answering(bot, WARM_QUERIES[0])
            for name, mode in (("warm", "plain"), ("distinct", "plain"), ("safe", "safe")):
                redis.flush()
                if name != "distinct":
                    for question in WARM_QUERIES:
                        wait_answering(bot, question, mode, deadline_s=10)
                runs[name] = load(bot, redis, files[name], settings, report, name)
            memory = {str(pid): memory_mb(pid) for pid in bot.worker_pids()}
    profile = profile_warm.run(data_dir, report=report)
    echo_run = runs["echo"]
    for result in runs.values():
        result["ratio_rps"] = result["rps"] / echo_run["rps"]
        result["ratio_p50"] = result["p50_ms"] / echo_run["p50_ms"]
        result["ratio_p99"] = result["p99_ms"] / echo_run["p99_ms"]
    return {
        "settings": {**settings, "workers": 2, "requests_per_file": duration * MAX_RATE, "articles": articles},
        "runs": runs,
        "worker_memory": memory,
        "warm_profile": profile,
    }
