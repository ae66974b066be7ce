"""``bench/RESULTS.md`` from the figures of the latest run of each part, with every target marked met or not.

Figures are kept per part in ``bench/out/results.json``, so running one part (``python -m bench.run web``) updates
its tables and leaves the others as their own last run left them (each table says when that was). Only the text
between the two ``figures`` markers of RESULTS.md is rewritten: notes written around it (what was tried, and why)
stay.
"""

import json
import os
import platform
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_JSON = ROOT / "bench" / "out" / "results.json"
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"
NOTES = """## What was tried

(Notes on optimisations tried, kept across runs: `python -m bench.run` rewrites only the figures above.)
"""

#: The ingest table's columns.
INGEST_COLUMNS = (
    "Issue",
    "Articles",
    "Parse s",
    "Ingest s",
    "Switch ms",
    "First question ms",
    "Headline ms (first / again)",
)


def load():
    return json.loads(RESULTS_JSON.read_text(encoding="utf-8")) if RESULTS_JSON.exists() else {}


def save(results):
    RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_JSON.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


def now():
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def machine():
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    kb = int(
        next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    )
    return (
        f"{len(os.sched_getaffinity(0))} CPUs ({model}), {kb / 1024 / 1024:.1f} GB RAM, "
        f"Linux {platform.release()}, Python {sys.version.split()[0]}"
    )


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def ms(value):
    return f"{value:.1f}"


def figures(results, part):
    entry = results.get(part)
    return entry.get("figures") if entry else None


def bot_errors(run):
    return run["non_2xx"] + run["socket_errors"] + run.get("bot_errors", 0)


# -- targets ---------------------------------------------------------------------------------------------------


def targets(results):
    """``(target, figure, verdict)`` rows; a target whose part did not run (or not at full size) is "not measured"."""
    web, corpus, cold, search = (figures(results, part) for part in ("web", "corpus", "coldstart", "search"))
    rows = []

    def add(name, value="", met=False, measured=True, why=""):
        verdict = ("met" if met else "**not met**") if measured else f"not measured{why}"
        rows.append((name, value or "-", verdict))

    names = (
        "Warm-cache replies ≥ 0.5 × echo bot req/s (issue 14)",
        "Distinct-query replies p99 ≤ 25 ms (16 connections)",
        "Zero errors (non-2xx, socket errors, unanswered messages)",
    )
    if web:
        runs = web["runs"]
        errors = sum(bot_errors(run) for run in runs.values())
        add(names[0], f"{runs['warm']['ratio_rps']:.2f} ×", runs["warm"]["ratio_rps"] >= 0.5)
        add(names[1], f"{ms(runs['distinct']['p99_ms'])} ms", runs["distinct"]["p99_ms"] <= 25)
        add(names[2], f"{errors}", errors == 0)
    else:
        for name in names:
            add(name, measured=False)

    names = (
        "Search + snippet p99 ≤ 50 ms over ~22,000 articles",
        "Full reindex ≤ 120 s",
        "One-issue ingest ≤ 2 s incl. parse and the index switch",
        "The first question after an ingest ≤ 50 ms (issue 14)",
    )
    if corpus:
        steps, reindex = corpus["search"]["steps"], corpus["reindex"]
        full, why = corpus["scale"] == 1.0, f" at full size (scale {corpus['scale']})"
        # The search and the ingests ran over the reindexed slice: their figures say nothing about ~22,000 articles.
        whole = full and reindex["full_size"]
        sliced = f" over the whole corpus (a slice of {corpus['search']['articles']} articles ran)"
        why_whole = sliced if full else why
        p99 = steps["find+hits"]["p99_ms"]
        add(names[0], f"{ms(p99)} ms over {corpus['search']['articles']} articles", p99 <= 50, whole, why_whole)
        seconds = reindex["seconds"] if reindex["full_size"] else reindex["whole_corpus_s"]
        label = "" if reindex["full_size"] else " (extrapolated from a slice)"
        add(names[1], f"{seconds:.0f} s{label}", seconds <= 120, full, why)
        worst = max(row.get("parse_s", 0.0) + row["ingest_s"] + row["switch_s"] for row in corpus["ingests"])
        add(names[2], f"{worst:.2f} s (slowest of {len(corpus['ingests'])})", worst <= 2, whole, why_whole)
        first = max(row["first_s"] for row in corpus["ingests"]) * 1000
        headline = max(row["search_s"] for row in corpus["ingests"]) * 1000
        label = f"{ms(first)} ms (slowest of {len(corpus['ingests'])}; the new issue's headline: {ms(headline)} ms)"
        add(names[3], label, first <= 50, whole, why_whole)
    else:
        for name in names:
            add(name, measured=False)

    name = "Cold start ≤ 1.5 s"
    if cold:
        worst = max(entry["median_s"] for entry in cold.values())
        add(name, f"{worst:.2f} s (median; the larger index)", worst <= 1.5)
    else:
        add(name, measured=False)
    rss = worker_rss(web, cold)
    add(
        "Resident memory ≤ 150 MB per worker",
        rss and f"{rss:.0f} MB RSS (largest warm worker seen)",
        (rss or 0) <= 150,
        bool(rss),
    )
    names = (
        "Issue 3: search+snippets+reply median ≤ 5 ms (1,000 articles)",
        "Issue 3: search+snippets+reply p99 ≤ 20 ms (1,000 articles)",
    )
    if search:
        answer = search["steps"]["answer"]
        add(names[0], f"{ms(answer['median_ms'])} ms", answer["median_ms"] <= 5)
        add(names[1], f"{ms(answer['p99_ms'])} ms", answer["p99_ms"] <= 20)
    else:
        for name in names:
            add(name, measured=False)
    names = (
        "Cluster warm replies per CPU second of its nodes ≥ 0.9 × one node's (same cores)",
        "A node applies a change within 2 s (ten-year record)",
        "A new node catches up with the ten-year record (figure only)",
    )
    clustered = figures(results, "cluster")
    if clustered:
        run = clustered["throughput"]["runs"]["cluster"]
        caught = clustered["catch_up"]
        add(
            names[0],
            f"{run['ratio_per_cpu_s']:.2f} × (median of the rounds' {rounds_of(run)}; end to end, balancer "
            f"included: {run['ratio_rps']:.2f} × req/s)",
            run["ratio_per_cpu_s"] >= 0.9,
        )
        worst = max(caught["apply_ms"])
        add(names[1], f"{worst:.0f} ms (slowest of {len(caught['apply_ms'])})", worst <= 2000)
        rows.append((names[2], f"{caught['catch_up_s']:.0f} s for {caught['articles']} articles", "reported"))
    else:
        for name in names:
            add(name, measured=False)
    soak = figures(results, "soak")
    for name, value, met in soak_targets(soak) if soak else ():
        add(name, value, met)
    pdf = figures(results, "pdf")
    name = "Issue 15: a 4-page page PDF ingests in < 3 s (read, parse, archive, index; warm process)"
    if pdf:
        add(name, f"{pdf['median_total_s']:.2f} s (median; slowest {pdf['max_total_s']:.2f} s)", pdf["max_total_s"] < 3)
    else:
        add(name, measured=False)
    return rows


def worker_rss(web, cold):
    """The largest warm worker RSS seen: after the web load (1,000 articles) and after the cold-start warm-up (each
    index it ran on, the big one included)."""
    seen = [entry["rss_mb"] for entry in (web or {}).get("worker_memory", {}).values()]
    seen += [entry["memory_warm"]["worker"]["rss_mb"] for entry in (cold or {}).values()]
    return max(seen, default=None)


# -- one section per part --------------------------------------------------------------------------------------


def web_section(web, when):
    settings = web["settings"]
    rows = []
    for name, label in (
        ("echo", "echo bot (ceiling)"),
        ("warm", "bot, warm cache"),
        ("distinct", "bot, distinct questions"),
        ("safe", "bot, safe mode, warm cache"),
    ):
        run = web["runs"][name]
        others = {k: v for k, v in run.get("outcomes", {}).items() if k != "answered"}
        rows.append(
            (
                label,
                f"{run['rps']:.0f}",
                f"{run['ratio_rps']:.2f}",
                ms(run["p50_ms"]),
                f"{run['ratio_p50']:.1f}",
                ms(run["p99_ms"]),
                f"{run['ratio_p99']:.1f}",
                run["non_2xx"],
                run["socket_errors"],
                json.dumps(others) if others else "0",
                "yes" if run["wrapped"] else "no",
                f"{run['workers_cpu_ms']:.2f}",
                f"{run['redis_cpu_ms']:.3f}",
            )
        )
    memory = ", ".join(
        f"{entry['rss_mb']:.0f} MB RSS ({entry['anon_mb']:.0f} anonymous, {entry['pss_mb']:.0f} PSS)"
        for entry in web["worker_memory"].values()
    )
    return f"""## 1. Web load ({when})

wrk, {settings["connections"]} connections, {settings["threads"]} threads, {settings["duration"]} s per run, on
loopback; gunicorn with `config/gunicorn.conf.py` ({settings["workers"]} workers, gthread), a throwaway
redis-server; the bot's index holds {settings["articles"]} articles (the sample issue and the newest synthetic ones).

{
        table(
            (
                "Run",
                "req/s",
                "× echo",
                "p50 ms",
                "× echo",
                "p99 ms",
                "× echo",
                "non-2xx",
                "socket errors",
                "not answered",
                "MsgIds repeated",
                "worker CPU ms/req",
                "Redis CPU ms/req",
            ),
            rows,
        )
    }

- Every request is a distinct pre-signed message ({settings["requests_per_file"]} per run, more than a run sends):
  its own MsgId, so the retry dedupe never answers from memory, and its own sender (FromUserName), so the
  per-user rate limit (left at its default, 30/min) never applies while its Redis call is still made.
- "not answered": the bot's own log (`outcome=` other than `answered`: rate-limited, timeout, error, retry).
- The echo bot (`bench/echo_bot.py`) runs under the same `config/gunicorn.conf.py`; it gives the config's
  `post_fork` hook a stand-in search object (`NoIndex`) instead of a second gunicorn config.
- wrk runs on the same two cores as gunicorn and Redis: read the ratios to the echo bot, measured in the same run.
- "CPU ms/req": the CPU time the gunicorn workers (all of them) and redis-server spent during the run, per
  request answered (from `/proc/<pid>/stat`); less disturbed by other work on the machine than req/s.
- Worker memory after the load: {memory}.

{profile_section(web["warm_profile"])}"""


def profile_section(profile):
    """Where one warm message spends its time in a worker (``bench.profile_warm``)."""
    shares = ", ".join(f"{name} {share:.0%}" for name, share in profile["shares"].items())
    top = table(
        ("Function", "share of own time", "calls per message"),
        [
            (f"`{row['function']}`", f"{row['own_share']:.1%}", f"{row['calls_per_message']:.0f}")
            for row in profile["top"]
        ],
    )
    return f"""### Where a warm message spends its time

The bot's WSGI app in one process (`bench/profile_warm.py`), {profile["messages"]} warm questions (each its own
MsgId and sender, answers cached) against a real redis-server, log line written as under gunicorn: **{
        profile["cpu_us_per_message"]:.0f} µs of CPU per message** (the echo bot, timed the same way over the same
requests: {profile["echo_cpu_us_per_message"]:.0f} µs; gunicorn's own share comes on top of both), **{
        profile["round_trips_per_message"]:.1f} Redis round trips per message**.

cProfile (CPU time, {
        profile["profiled_messages"]
    } more messages), own time by part, built-ins and the standard library charged to their callers: {shares}.

{top}
"""


def latency_table(steps):
    names = (
        ("analyze", "analyse the question"),
        ("find", "Search.find (rank)"),
        ("hits", "Search.hits (snippets)"),
        ("find+hits", "find + hits"),
        ("answer", "answer_question end to end"),
        ("answer (repeat)", "answer_question, same question again"),
    )
    return table(
        ("Step", "median ms", "p99 ms", "max ms"),
        [
            (label, ms(steps[key]["median_ms"]), ms(steps[key]["p99_ms"]), ms(steps[key]["max_ms"]))
            for key, label in names
        ],
    )


def corpus_section(corpus, when):
    check, whole, reindex, probe = corpus["check"], corpus["corpus"], corpus["reindex"], corpus["probe"]
    mismatches = check["count_mismatches"]
    listed = ", ".join(mismatches[:8]) + (f" and {len(mismatches) - 8} more" if len(mismatches) > 8 else "")
    slice_note = (
        "the whole corpus"
        if reindex["full_size"]
        else f"**a slice** ({reindex['issues']} issues, {corpus['measured_dates'][0]} to "
        f"{corpus['measured_dates'][1]}): the full reindex was predicted at "
        f"{probe['predicted_full_s']:.0f} s "
        f"against a budget of {probe['budget_s']:.0f} s; the whole-corpus figure is extrapolated"
    )
    ingest_rows = [
        (
            row["date"],
            row["articles"],
            f"{row.get('parse_s', 0.0):.2f}",
            f"{row['ingest_s']:.2f}",
            ms(row["switch_s"] * 1000),
            ms(row["first_s"] * 1000),
            f"{ms(row['search_s'] * 1000)} / {ms(row['again_s'] * 1000)}",
        )
        for row in corpus["ingests"]
    ]
    profile = corpus["profile"]
    shares = ", ".join(f"{name} {share:.0%}" for name, share in profile["shares"].items())
    top = table(
        ("Function", "own time s (profiled)"),
        [(f"`{row['function']}`", f"{row['own_s']:.2f}") for row in profile["top"]],
    )
    search = corpus["search"]
    return f"""## 2. Corpus scale ({when})

Synthetic archive (`bench/corpus.py`, seeded; scale {corpus["scale"]}): {whole["issues"]} daily issues,
{whole["articles"]} articles, {whole["body_chars"] / 1e6:.1f} M body characters, plus the real sample issue.
Generated, parsed by `index.load.parse_upload` and archived (`Archive.replacing`) once and cached; this run spent
{corpus["generated_in_s"]:.0f} s on it.

Parser check over all {check["issues"]} issues: {len(mismatches)} issues parsed to a different article count than
generated{": " + listed if mismatches else ""}. Titles: {check["titles_agreeing"]} of {check["titles_checked"]}
printed headlines recovered as the article's title.

### Reindex over {slice_note}

`Store.reindex` in {reindex["procs"]} processes (`INDEX_PROCS`), as `bulletin reindex` runs it.

{
        table(
            ("Articles", "Body chars", "Seconds", "Articles/s", "Chars/s", "Whole corpus s", "Index on disk"),
            [
                (
                    reindex["articles"],
                    f"{reindex['body_chars'] / 1e6:.1f} M",
                    f"{reindex['seconds']:.1f}",
                    f"{reindex['articles_per_s']:.0f}",
                    f"{reindex['chars_per_s'] / 1000:.0f} k",
                    f"{reindex['whole_corpus_s']:.0f}",
                    f"{reindex['index_bytes'] / 1e6:.0f} MB",
                )
            ],
        )
    }

Probe before it: {probe["articles"]} articles in {probe["seconds"]:.1f} s.

### One-issue ingest into the big index

The page parsed (`index.load.load_issue`, as `bulletin ingest` reads a file), then `Store.ingest` (archive and index
commit), into a process whose `Search` has answered the search table's questions first, as a serving worker has;
then the switch: the live `Search` reopening on the new index generation to fetch the new issue's first article; then
the first question after the ingest (one it answered before: what the next resident pays for the new generation);
then a question naming the issue's date and its first headline, which must find it, asked twice (its terms' first
asking, then warm).

{table(INGEST_COLUMNS, ingest_rows)}

### Search over the big index ({search["articles"]} articles, {search["questions"]} distinct questions, warm process)

{latency_table(search["steps"])}

{search["answered_share"]:.0%} of the questions found something.

### Where a reindex spends its time (cProfile, {profile["articles"]} articles, one process)

Own time by part (built-ins and the standard library charged to their caller): {shares}.

{top}
"""


def search_section(search, when):
    return f"""## 2b. Issue 3: search, snippets and reply over a 1,000-article index ({when})

{search["articles"]} articles (the sample issue and the newest synthetic ones), {search["questions"]} distinct
questions, each asked once after a warm-up; `answer_question` is search + snippets + reply composition.

{latency_table(search["steps"])}

{search["answered_share"]:.0%} of the questions found something.
"""


def memory_cells(memory):
    return tuple(f"{memory[key]:.0f}" for key in ("rss_mb", "pss_mb", "anon_mb", "file_mb"))


def coldstart_section(cold, when):
    launches = [
        (name, ", ".join(f"{s:.2f}" for s in entry["seconds"]), f"{entry['median_s']:.2f}")
        for name, entry in cold.items()
    ]
    memory = [
        (name, process, *memory_cells(entry["memory_warm"][process]))
        for name, entry in cold.items()
        for process in ("master", "worker")
    ]
    questions = next(iter(cold.values()))["warm_up_questions"]
    return f"""## 3. Worker cold start and memory ({when})

gunicorn with one worker (`config/gunicorn.conf.py`, app preloaded in the master), timed from launching the process
to the first reply that lists search results (a signed question posted every 10 ms), three launches per index; the
first over a fresh data dir also writes the sentence encoder's snapshot, which the others read.

{table(("Index", "Launch to first answer, s", "Median s"), launches)}

Memory after the last launch and {questions} more questions (MB). RSS counts every page the process maps, shared or
not; PSS splits shared pages among the processes sharing them; anonymous is the process's own heap; file is mapped
files (libraries, the Whoosh index: page cache, shared).

{table(("Index", "Process", "RSS", "PSS", "Anonymous", "File"), memory)}
"""


def segmenter_section(seg, when):
    rows = [
        (
            row["name"],
            f"{row['seconds']:.1f}",
            f"{row['chars'] / 1e6:.1f} M",
            f"{row['chars_per_s'] / 1000:.0f} k",
            row["tokens"],
        )
        if row["installed"]
        else (row["name"], "not installed, skipped", "", "", "")
        for row in seg["tokenizers"]
    ]
    in_use = seg["tokenizers"][0]
    against = ""
    if seg["reindex_s"]:
        against = (
            f"The corpus part's reindex of the same issues (with the sample's, and titles, subtitles and names "
            f"too) took {seg['reindex_s']:.0f} s: cutting the bodies with the segmenter in use is "
            f"{in_use['seconds'] / seg['reindex_s']:.0%} of it.\n"
        )
    return f"""## 4. The segmenter ({when})

Search-mode tokenizing of the {seg["articles"]} article bodies of {seg["issues"]} synthetic issues, nothing else.
{against}
{table(("Tokenizer", "Seconds", "Chars", "Chars/s", "Tokens"), rows)}
"""


def soak_section(soak, when):
    samples = soak["samples"]
    rows = [
        (
            f"{s['s']}",
            f"{s['sent']}",
            f"{s['redis_mb']}",
            f"{s['keys']}",
            " / ".join(f"{mb:.0f}" for mb in s["worker_anon_mb"]),
        )
        for s in samples
    ]
    statuses = ", ".join(f"{status}: {n}" for status, n in soak["statuses"].items())
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(soak["kinds"].items(), key=lambda kv: -kv[1]))
    retries = soak["retries"]
    return f"""## 5. Soak ({when})

{soak["messages"]} mixed messages in {soak["seconds"]} s ({soak["rate"]}/s, 8 client threads, 3,000 senders) against
gunicorn (2 workers) and a real redis-server; {soak["articles"]} articles indexed. Sent: {kinds}. Statuses:
{statuses}. Retries (an earlier message resent with its MsgId): {retries.get("identical", 0)} answered with the very
same bytes, {retries.get("different", 0)} differently. Keys without an expiry among 200 sampled at the end:
{soak["keys_without_expiry"]}.

Over time (Redis memory and keys level off once the first claims and replies expire after `DEDUPE_TTL`; worker
memory is the anonymous heap of each worker):

{table(("s", "Messages sent", "Redis MB", "Redis keys", "Worker heap MB"), rows)}
"""


def cluster_section(clustered, when):
    throughput, caught = clustered["throughput"], clustered["catch_up"]
    settings = throughput["settings"]
    rows = [
        (
            label,
            f"{run['rps']:.0f}",
            " / ".join(str(rps) for rps in run["each_rps"]),
            f"{run['rps'] / throughput['runs']['one node']['rps']:.2f}",
            f"{run['per_cpu_s']:.0f}",
            f"{run['per_cpu_s'] / throughput['runs']['one node']['per_cpu_s']:.2f}",
            f"{run['balancer_cpu_ms_per_request']:.3f}",
            ms(run["p50_ms"]),
            ms(run["p99_ms"]),
            bot_errors(run),
        )
        for label, run in throughput["runs"].items()
    ]
    latencies = caught["apply_ms"]
    return f"""## 6. Cluster ({when})

Warm load (wrk, {settings["connections"]} connections, {settings["threads"]} threads, {settings["duration"]} s a run,
the web part's warm request file; {throughput["articles"]} articles) against one node (gunicorn, 2 workers, Redis,
no record) and against HAProxy in front of two nodes of 1 worker each, their followers, the record (PostgreSQL) and
Redis, all on the same cores: the same two worker processes either way, so the ratio is per core, and the
balancer's CPU counts against the cluster. Both set-ups were up at once and loaded in turn, {settings["rounds"]}
runs each (one node, cluster, one node, ...), so that other work on the machine weighs on both alike; p50 and p99
are the worse of the runs. "Per CPU s": replies per second of CPU the node's own processes used (gunicorn master
and workers; on the cluster both nodes' and their followers'), read from /proc around each run: the throughput
per core, which other work on the machine disturbs far less than req/s, but still disturbs. The table's "× one
node" is over all the runs; the target's ratio is the median of each round's own ratio (the cluster's run over the
one node's just before it: {rounds_of(throughput["runs"]["cluster"])}). The balancer's CPU per request is shown
apart (on several machines it has its own).

{
        table(
            (
                "Set-up",
                "req/s (mean)",
                "each run",
                "× one node",
                "per CPU s",
                "× one node",
                "balancer CPU ms/request",
                "p50 ms",
                "p99 ms",
                "errors",
            ),
            rows,
        )
    }

{role_line(throughput["runs"])}

The ten-year record: {caught["issues"]} issues appended as {caught["changes"]} changes in {caught["append_s"]:.0f} s
(one transaction, as `bulletin record push` does). A new node from an empty data dir (`ReplicaStore.catch_up`:
every version fetched and written, then a reindex in `INDEX_PROCS` processes) caught up with
{caught["articles"]} articles in **{caught["catch_up_s"]:.0f} s**. Its follower (`bulletin follow`) then applied
{len(latencies)} new issues, each from the record's commit to the node's index holding it, in median
{statistics.median(latencies):.0f} ms, at most {max(latencies):.0f} ms.

The machine is shared and noisy: other work shows in every figure here (see the heading).
"""


def rounds_of(run):
    """The cluster's per-core ratio of each round, as listed in the targets (older results have none)."""
    return " / ".join(f"{ratio:.2f}" for ratio in run.get("ratio_per_cpu_s_rounds", ())) or "-"


def role_line(runs):
    """Where each set-up's node CPU went, per request, by the role of its processes (older results have none)."""
    parts = [
        f"{label}: " + ", ".join(f"{role} {value:.3f}" for role, value in run["role_cpu_ms_per_request"].items())
        for label, run in runs.items()
        if "role_cpu_ms_per_request" in run
    ]
    if not parts:
        return ""
    what = "Node CPU ms per request by role (a node's gunicorn: master and workers; the followers): "
    return what + "; ".join(parts) + "."


def soak_targets(soak):
    """The soak's checks (issue 7): ``(target, figure, met)``."""
    samples = soak["samples"]
    # From a quarter into the run (caches warm: answers, analysed questions, the index's own) to its end.
    warm, last = samples[len(samples) // 4]["worker_anon_mb"], samples[-1]["worker_anon_mb"]
    growth = max(b - a for a, b in zip(warm, last, strict=False)) if warm and last else 0
    retries = soak["retries"]
    return [
        ("Soak: zero 5xx", f"{soak['server_errors']} of {soak['messages']}", soak["server_errors"] == 0),
        (
            "Soak: every retry answered identically",
            f"{retries.get('identical', 0)} identical, {retries.get('different', 0)} different",
            not retries.get("different"),
        ),
        (
            "Soak: every Redis key expires",
            f"{soak['keys_without_expiry']} of 200 sampled without expiry",
            soak["keys_without_expiry"] == 0,
        ),
        ("Soak: worker memory flat (heap growth ≤ 10 MB once warm)", f"{growth:+.1f} MB", growth <= 10),
    ]


def pdf_section(pdf, when):
    rows = [
        (str(n), f"{run['child_s']:.2f}", f"{run['read_s']:.2f}", f"{run['store_s']:.2f}", f"{run['total_s']:.2f}")
        for n, run in enumerate(pdf["runs"], 1)
    ]
    runs = table(("Run", "Reading child s", "Read and parse s", "Archive and index s", "Ingest s"), rows)
    cli = ", ".join(f"{seconds:.2f}" for seconds in pdf["cli_s"])
    return f"""## 6. Issue 15: a page PDF ingested ({when})

{pdf["pages"]} pages of the page corpus typeset as one PDF ({", ".join(pdf["page_ids"])}; {pdf["bytes"] / 1e6:.1f} MB):
{pdf["articles"]} articles, {pdf["photos"]} photos. In a warm process, as the desk's upload: `index.load.read_upload`
(the reading child: start, PDFium, photos resized; then lines, layout, labels and grammar here), then
`Store.ingest` (archive with the PDF and photos, index). The reading child's time is also measured alone (first
column), so the parent's share is the difference.

{runs}

`bulletin ingest` as a new process (Python's start, the models and jieba's dictionary loaded): {cli} s (median
{pdf["cli_median_s"]:.2f} s).

Memory: the reading child peaked at {pdf["child_peak_mb"]:.0f} MB resident (`VmHWM`), and may never take more than
`PDF_MEMORY_LIMIT` = {pdf["limits"]["memory_mb"]:.0f} MiB of address space nor run past `PDF_TIME_LIMIT` =
{pdf["limits"]["seconds"]:.0f} s; the parent's Python allocations peaked at {pdf["parent_peak_mb"]:.1f} MB while it
read the file (glyphs, resized photos, articles: no decoded picture ever reaches it).
"""


SECTIONS = (
    ("web", web_section),
    ("corpus", corpus_section),
    ("search", search_section),
    ("coldstart", coldstart_section),
    ("segmenter", segmenter_section),
    ("soak", soak_section),
    ("pdf", pdf_section),
    ("cluster", cluster_section),
)


def render(results, command):
    try:
        verdicts = table(("Target", "Figure", "Verdict"), targets(results))
    except (KeyError, TypeError):  # a part's figures kept from an older harness
        verdicts = "Some parts' figures come from an older version of the harness: run `python -m bench.run` again."
    latest = max((entry["date"] for entry in results.values()), default=now())
    parts = [
        f"Machine: {machine()}  \nDate: {latest} (each part's heading has its own date, and how much of the CPUs "
        f"other processes used while it ran: other work on the machine shows in every figure)  \n"
        f"Command: `{command}`",
        "## Targets",
        verdicts,
    ]
    for part, section in SECTIONS:
        entry = results.get(part)
        if entry and entry.get("figures"):
            try:
                when = f"{entry['date']}; other processes used {entry['others_cpu']:.0%} of the CPUs meanwhile"
                parts.append(section(entry["figures"], when))
            except (KeyError, TypeError):  # kept from a run of an older harness: its figures have another shape
                parts.append(
                    f"## {part} ({entry['date']})\n\nFigures kept from an older version of the harness: "
                    f"run `python -m bench.run {part}` again.\n"
                )
        elif entry:
            parts.append(f"## {part} ({entry['date']})\n\nFailed: `{entry['error']}`\n")
    return "\n\n".join(parts)


def write(results, command):
    """Rewrite the figures of RESULTS.md, keeping whatever stands outside the markers."""
    old = RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.exists() else ""
    if START in old and END in old:
        before, rest = old.split(START, 1)
        after = rest.split(END, 1)[1]
    else:
        before, after = "# Benchmark results\n\n", "\n\n" + NOTES
    RESULTS_MD.write_text(f"{before}{START}\n{render(results, command)}\n{END}{after}", encoding="utf-8")
