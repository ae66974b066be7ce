"""Latency figures the same way everywhere (milliseconds, nearest-rank percentiles), and how busy the machine was
with other work while they were taken."""

import math
import os
import time
from contextlib import contextmanager
from pathlib import Path


def percentile(values, share):
    """Nearest-rank percentile (``share`` in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share / 100 * len(ordered)) - 1)]


def summary(seconds):
    """``n``, median, p99 and max of durations given in seconds, reported in milliseconds."""
    return {
        "n": len(seconds),
        "median_ms": percentile(seconds, 50) * 1000,
        "p99_ms": percentile(seconds, 99) * 1000,
        "max_ms": max(seconds) * 1000,
    }


@contextmanager
def stopwatch():
    """``with stopwatch() as elapsed: ...``; ``elapsed()`` is the seconds since the block began (frozen at its end)."""
    start = time.perf_counter()
    end = None

    def elapsed():
        return (end or time.perf_counter()) - start

    try:
        yield elapsed
    finally:
        end = time.perf_counter()


def busy_cpu_seconds():
    """CPU seconds all processes have run since boot, in user and kernel mode (``/proc/stat``). Interrupt time is
    left out: it belongs to no process, and loopback traffic makes plenty of it."""
    user, nice, system = (int(value) for value in Path("/proc/stat").read_text().split()[1:4])
    return (user + nice + system) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds():
    """CPU seconds of this process and of its children that have ended (servers, wrk, their workers)."""
    return sum(os.times()[:4])


@contextmanager
def others_share():
    """``with others_share() as share: ...``; ``share()`` is the share of the machine's CPUs that other processes
    used during the block. Call it after the block, once every child has ended."""
    cpus = os.cpu_count() or 1
    start, busy, own = time.monotonic(), busy_cpu_seconds(), own_cpu_seconds()
    end = []

    def share():
        elapsed = end[0] - start if end else time.monotonic() - start
        others = busy_cpu_seconds() - busy - (own_cpu_seconds() - own)
        return max(0.0, others) / (elapsed * cpus) if elapsed else 0.0

    try:
        yield share
    finally:
        end.append(time.monotonic())
