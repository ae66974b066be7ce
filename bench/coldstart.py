"""Worker cold start and memory: from launching gunicorn to the first real answer, and what a worker holds.

gunicorn is started with one worker (the project's config: the app is preloaded in the master, then forked) and a
signed question is posted every few milliseconds from the moment the process is launched; the time is taken when
the first reply lists search results. It includes everything a deploy or a restart costs a resident: Python
imports, jieba's dictionary, the index opening, the lazily built OpenCC converter and query analyzer. The first launch
over a fresh data dir also writes the sentence encoder's snapshot into it (``index.encoder_cache``), as a deploy's
first start does; the launches after it read the snapshot, as every restart does. After the last launch the worker
answers a few dozen different questions, then its memory is read.
"""

import statistics
import time

from bench import client, latency, signed
from bench.corpus_bank import WARM_QUERIES
from bench.datasets import OUT
from bench.servers import Gunicorn, RedisServer, memory_mb
from bench.web import wait_answering

RUNS = 3
POLL_SECONDS = 0.01


def first_answer(env, log_path, warm_up=()):
    """Seconds from launch to the first real answer; then, after asking ``warm_up``, the master's and the worker's
    memory."""
    with Gunicorn("bot:create_app()", env, log_path, workers=1) as server:
        wait_answering(server, WARM_QUERIES[0], poll=POLL_SECONDS)
        seconds = time.perf_counter() - server.started
        for question in warm_up:
            client.ask(server.port, question)
        (worker,) = server.worker_pids()
        return seconds, {"master": memory_mb(server.process.pid), "worker": memory_mb(worker)}


def run(data_dirs, report=print):
    """``data_dirs``: name -> data dir with an index. Returns per data dir the launch-to-answer times and memory."""
    results = {}
    warm_up = latency.questions()[: latency.WARM_UP]
    with RedisServer() as redis:
        for name, data_dir in data_dirs.items():
            env = {**signed.ACCOUNT_ENV, "REDIS_URL": redis.url, "BULLETIN_DATA_DIR": str(data_dir)}
            log_path = OUT / "coldstart" / f"{name}.log"
            log_path.unlink(missing_ok=True)
            times = []
            for attempt in range(1, RUNS + 1):
                redis.flush()
                seconds, memory = first_answer(env, log_path, warm_up if attempt == RUNS else ())
                times.append(seconds)
            results[name] = {
                "seconds": times,
                "median_s": statistics.median(times),
                "memory_warm": memory,
                "warm_up_questions": len(warm_up),
            }
            worker = memory["worker"]
            report(
                f"  {name}: first answer after {', '.join(f'{t:.2f}' for t in times)} s; warm worker "
                f"RSS {worker['rss_mb']:.0f} MB (anonymous {worker['anon_mb']:.0f}, file {worker['file_mb']:.0f})"
            )
    return results
