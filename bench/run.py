"""``python -m bench.run [PART ...] [--scale S] [--duration D] [--budget B]``: run the benchmarks, write RESULTS.md.

Parts, in the order ``all`` runs them: ``web`` (wrk load), ``search`` (issue 3, 1,000-article index), ``corpus``
(ten-year corpus: reindex, ingest, search), ``cluster`` (one node against a two-node cluster, warm; a new node
catching up with the ten-year record; the follower's apply latency), ``segmenter`` (the segmenter in use, and
jieba and rjieba when installed, over the same bodies), ``coldstart`` (first answer and memory), ``soak`` (50,000
mixed messages with retries: 5xx, retry answers, Redis and worker memory over time), ``pdf`` (issue 15: a four-page
page PDF ingested, and the reading child's memory). The whole run keeps to ``--budget`` seconds: the corpus reindex
is the one step that can shrink, and it is given what the others leave (see ``bench.scale``). A part that fails is
reported as failed; the others still run.
"""

import argparse
import os
import signal
import sys
import time
import traceback
from datetime import date

from bench import cluster, coldstart, corpus, datasets, latency, pdf_ingest, report, scale, segmenter, soak, web
from bench.datasets import OUT
from bench.stats import others_share

PARTS = ("web", "search", "corpus", "cluster", "segmenter", "coldstart", "soak", "pdf")
#: What the segmenter part costs after the corpus part, as a share of the reindex time: it cuts the same bodies
#: with the segmenter in use and, for comparison, with the jieba package (measured here: about 40%).
SEGMENTER_SHARE = 0.5
#: Seconds kept for the cluster part, the cold-start part, the soak and the PDF part after the corpus part.
CLUSTER_RESERVE_S = 200
COLDSTART_RESERVE_S = 40
SOAK_RESERVE_S = soak.MAX_SECONDS + 30
PDF_RESERVE_S = 30


def log(message):
    print(message, flush=True)


class Runner:
    def __init__(self, args):
        self.args = args
        self.deadline = time.monotonic() + args.budget
        self.reindexed = None  # (dates, seconds) of the corpus part's reindex, for the segmenter to compare with

    def web(self):
        return web.run(duration=self.args.duration, report=log)

    def search(self):
        data_dir, _ = datasets.web_data_dir(OUT / "search" / "data", log)
        result = latency.measure(data_dir, latency.questions())
        steps = result["steps"]
        log(
            f"  answer_question over {result['articles']} articles: median {steps['answer']['median_ms']:.1f} ms, "
            f"p99 {steps['answer']['p99_ms']:.1f} ms"
        )
        return result

    def corpus(self):
        deadline = (
            self.deadline
            - (CLUSTER_RESERVE_S if "cluster" in self.args.parts else 0)
            - (COLDSTART_RESERVE_S if "coldstart" in self.args.parts else 0)
            - (SOAK_RESERVE_S if "soak" in self.args.parts else 0)
            - (PDF_RESERVE_S if "pdf" in self.args.parts else 0)
        )
        share = SEGMENTER_SHARE if "segmenter" in self.args.parts else 0.0
        result = scale.run(self.args.scale, deadline, share, log)
        first, last = (date.fromisoformat(day) for day in result["measured_dates"])
        dates = [day for day in corpus.issue_dates(self.args.scale) if first <= day <= last]
        self.reindexed = dates, result["reindex"]["seconds"]
        return result

    def cluster(self):
        return cluster.run(self.args.scale, self.args.duration, report=log)

    def segmenter(self):
        corpus_ = datasets.Corpus()
        dates, reindex_s = self.reindexed or (corpus.issue_dates(self.args.scale), None)
        corpus_.ensure(dates, log)
        result = segmenter.run(corpus_.archive, dates, log)
        return {**result, "issues": len(dates), "reindex_s": reindex_s}

    def coldstart(self):
        small, articles = datasets.web_data_dir(OUT / "coldstart" / "data", log)
        dirs = {f"{articles} articles": small}
        big = scale.RUN_DIR / "data"
        if (big / "index" / "current").exists():  # left by the corpus part
            dirs[f"{datasets.store(big).index_dir.open().doc_count()} articles"] = big
        return coldstart.run(dirs, log)

    def soak(self):
        seconds = min(
            soak.MAX_SECONDS, self.deadline - time.monotonic() - 30 - (PDF_RESERVE_S if "pdf" in self.args.parts else 0)
        )
        return soak.run(max_seconds=max(seconds, 30), report=log)

    def pdf(self):
        return pdf_ingest.run(report=log)


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", nargs="*", metavar="PART", help=f"one or more of {', '.join(PARTS)}, or all (default)")
    parser.add_argument("--scale", type=float, default=1.0, help="corpus size as a share of ten years (default 1)")
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run (default 15)")
    parser.add_argument("--budget", type=float, default=900, help="seconds the whole run may take (default 900)")
    args = parser.parse_args(argv)
    unknown = set(args.parts) - {"all", *PARTS}
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)} or all")
    args.parts = list(PARTS) if not args.parts or "all" in args.parts else [p for p in PARTS if p in args.parts]
    return args


def stop_on_sigterm(signum, frame):
    """`timeout` or a CI runner sends SIGTERM: unwind, so every server this run started is stopped."""
    raise KeyboardInterrupt


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    command = " ".join(["python -m bench.run", *(sys.argv[1:] if argv is None else argv)])
    if "MAKELEVEL" in os.environ:
        command = f"make bench ({command})"
    runner = Runner(args)
    results = report.load()
    started = time.monotonic()
    for part in args.parts:
        log(f"== {part}")
        begun = time.monotonic()
        entry = {"date": report.now()}
        # Anything else running on the machine shows in every figure: say how much CPU it took meanwhile.
        with others_share() as others:
            try:
                entry["figures"] = getattr(runner, part)()
            except Exception as error:  # one broken part must not cost the others' figures
                traceback.print_exc()
                entry["error"] = f"{type(error).__name__}: {error}"
        results[part] = {**entry, "others_cpu": others()}
        log(f"   {part} took {time.monotonic() - begun:.0f} s; other processes used {others():.0%} of the CPUs")
        report.save(results)
        report.write(results, command)
    log(f"== done in {time.monotonic() - started:.0f} s; figures in {report.RESULTS_MD}")
    return 0 if all("figures" in results[part] for part in args.parts) else 1


if __name__ == "__main__":
    sys.exit(main())
