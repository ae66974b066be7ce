"""Where a reindex spends its time: the segmenter, Whoosh, the project's own code, or the rest.

A reindex of a slice of the corpus runs under cProfile. Each function's own time goes to the part its code belongs
to: the segmenter (the jieba package's Python code, or rjieba's native ``Jieba`` methods), Whoosh, the project
(``index/``, ``bot/``, ``config/``); time in other C built-ins and the standard library goes to the part that called
them (a regex run by jieba is jieba's cost). cProfile slows Python code down more than C, so read the shares, not
the seconds.
"""

import cProfile
import pstats
from pathlib import Path

from bench import datasets
from bench.stats import stopwatch

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tuple(str(ROOT / name) + "/" for name in ("index", "bot", "config"))
TOP = 8


def part(filename, name):
    """``segmenter``, ``whoosh``, ``project``, or None for built-ins and the standard library."""
    if "/jieba/" in filename or "builtins.Jieba" in name:
        return "segmenter"
    if "/whoosh/" in filename:
        return "whoosh"
    if filename.startswith(PROJECT):
        return "project"
    return None


def shares(stats):
    """Own time per part, with built-ins and the standard library charged to their callers' parts."""
    totals = {}
    for (filename, _, function), (_, _, own, _, callers) in stats.stats.items():
        owner = part(filename, function)
        if owner:
            totals[owner] = totals.get(owner, 0.0) + own
            continue
        for (caller_file, _, caller_function), (_, _, caller_own, _) in callers.items():
            name = part(caller_file, caller_function) or "other"
            totals[name] = totals.get(name, 0.0) + caller_own
        if not callers:
            totals["other"] = totals.get("other", 0.0) + own
    whole = sum(totals.values())
    return {name: seconds / whole for name, seconds in sorted(totals.items(), key=lambda item: -item[1])}


def where(filename, line, name):
    """``jieba/__init__.py:180 get_DAG``; a built-in is known by its name alone."""
    if filename == "~":
        return name
    path = Path(filename)
    return f"{path.parent.name}/{path.name}:{line} {name}"


def run(corpus, dates, path, report=print):
    data_dir = corpus.copy_to(path, dates)
    profiler = cProfile.Profile()
    with stopwatch() as elapsed:
        profiler.enable()
        articles = datasets.store(data_dir).reindex()
        profiler.disable()
    stats = pstats.Stats(profiler)
    top = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:TOP]
    result = {
        "articles": articles,
        "seconds_profiled": elapsed(),
        "shares": shares(stats),
        "top": [{"function": where(*key), "own_s": row[2]} for key, row in top],
    }
    report("  reindex profile: " + ", ".join(f"{name} {share:.0%}" for name, share in result["shares"].items()))
    return result
