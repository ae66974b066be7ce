"""Corpus scale: ten years of daily issues through the real parser, archive, reindex, ingest and search.

Steps, each on a hard-linked copy of the cached archive (``bench.datasets``):

1. generate and archive the corpus (cached between runs; not timed) and check how the parser read it;
2. a probe reindex of a small slice predicts the full reindex; if the prediction does not fit the time left, the
   newest slice that fits is reindexed instead, and the full figure is extrapolated and labelled as such;
3. the timed ``Store.reindex`` as ``bulletin reindex`` runs it (``INDEX_PROCS`` processes; sample issue
   included), the index size on disk;
4. search latency over that index (``bench.latency``);
5. one new issue at a time through ``Store.ingest`` (commit included), then the switch: the live ``Search``
   reopening on the new index generation to fetch the new issue's first article; then a search that finds it;
6. a profiled reindex of a small slice, in one process so that cProfile sees all of it (``bench.profile_reindex``).
"""

import statistics
import time
from datetime import timedelta

from bench import corpus, datasets, latency, profile_reindex
from bench.datasets import OUT, SAMPLE_DATE, Corpus, parsed_issue, with_sample
from bench.stats import stopwatch
from bot.answers import answer_question
from config.settings import from_env

RUN_DIR = OUT / "corpus-run"
#: Share of the corpus the probe and the profile reindex (at least a few issues).
PROBE_SHARE, PROFILE_SHARE, MIN_SLICE = 0.02, 0.05, 20
#: A reindex costs more per article as the index grows (bigger segments to merge): full size / probe, measured.
PROBE_GROWTH = 1.35
#: Never spend longer than this on the timed reindex, whatever the budget.
MAX_REINDEX_S = 360
#: Seconds the steps after the reindex take at full scale (latency, ingests, profile).
AFTER_REINDEX_S = 60
NEW_ISSUES = 3


def volume(archive, dates):
    articles = [article for day in dates for article in archive.load(day).articles]
    return len(articles), sum(len(article.body) for article in articles)


def timed_reindex(data_dir, report):
    """Seconds and articles of one ``Store.reindex`` in as many processes as the editors' command uses, with a
    progress line every tenth of the issues."""
    store = datasets.store(data_dir)
    total = len(store.archive.dates())
    done = [0]

    def progress(step):
        done[0] += step
        if done[0] % max(1, total // 10) == 0:
            report(f"    reindexed {done[0]}/{total} issues")

    with stopwatch() as elapsed:
        articles = store.reindex(progress=progress, procs=from_env()["INDEX_PROCS"])
    return elapsed(), articles


def index_size(data_dir):
    live = datasets.store(data_dir).index_dir.current()
    return sum(path.stat().st_size for path in live.iterdir() if path.is_file())


def ingests(data_dir, count=NEW_ISSUES):
    """Ingest ``count`` new issues into the big index one by one, into a ``Search`` that has answered the latency
    part's questions first, as a serving worker has; time each ingest, the switch of the live searcher to the new
    generation, then the first question after it (one asked before the ingest: what the next resident pays for the
    new generation), then a question for the new issue, asked twice (its terms' first asking, then warm)."""
    store = datasets.store(data_dir)
    search = datasets.search(data_dir)
    search.warm_up()
    asked = latency.questions()
    for question in asked:
        answer_question(search, question, latency.TODAY)
    rows = []
    for number in range(1, count + 1):
        day = SAMPLE_DATE + timedelta(days=number)
        data = corpus.generate_issue(day).text.encode("utf-8")
        with stopwatch() as parsing:
            issue = parsed_issue(day, data, f"{day.isoformat()}.txt")
        with stopwatch() as ingesting:
            store.ingest(issue, data)
        with stopwatch() as switching:
            if search.article(issue.articles[0].id) is None:
                raise RuntimeError(f"the issue of {day} was ingested but its first article is not in the index")
        resident = search.questions.analyze(asked[number], latency.TODAY)
        with stopwatch() as first:
            search.find(resident)
        # The issue's date in the question restricts the search to it: its first story must come back.
        question = search.questions.analyze(f"{day.month}月{day.day}日 {issue.articles[0].title}", latency.TODAY)
        with stopwatch() as finding:
            ranked = search.find(question)
        if not any(item.id.startswith(day.isoformat()) for item in ranked):
            raise RuntimeError(f"the issue of {day} was ingested but {question.normalized!r} does not find it")
        with stopwatch() as again:
            search.find(question)
        rows.append(
            {
                "date": day.isoformat(),
                "articles": len(issue.articles),
                "parse_s": parsing(),
                "ingest_s": ingesting(),
                "switch_s": switching(),
                "first_s": first(),
                "search_s": finding(),
                "again_s": again(),
            }
        )
    search.close()
    return rows


def choose_slice(corpus_, dates, total_articles, deadline, later_share, report):
    """The dates to reindex: all of them if the probe predicts the reindex fits the time left, else the newest
    slice that does. ``later_share``: work still to come after this part, as a share of the reindex time (the
    segmenter re-cuts the same text). Returns the dates and the probe's figures."""
    probe_dates = dates[-max(MIN_SLICE, round(len(dates) * PROBE_SHARE)) :]
    seconds, articles = timed_reindex(corpus_.copy_to(OUT / "corpus-probe", probe_dates), lambda _: None)
    predicted = seconds / articles * total_articles * PROBE_GROWTH
    budget = min(MAX_REINDEX_S, (deadline - time.monotonic() - AFTER_REINDEX_S) / (1 + later_share))
    report(
        f"  probe: {articles} articles in {seconds:.1f} s; full reindex predicted {predicted:.0f} s, "
        f"budget {budget:.0f} s"
    )
    probe = {"articles": articles, "seconds": seconds, "predicted_full_s": predicted, "budget_s": budget}
    if predicted <= budget:
        return dates, probe
    keep = max(MIN_SLICE, int(len(dates) * budget / predicted * 0.9))
    return dates[-keep:], probe


def run(scale=1.0, deadline=None, later_share=0.0, report=print):
    """All the corpus figures; ``deadline`` (``time.monotonic``) bounds the reindex, see ``choose_slice``."""
    deadline = deadline or time.monotonic() + 3600
    corpus_ = Corpus()
    dates = corpus.issue_dates(scale)
    with stopwatch() as filling:
        corpus_.ensure(dates, report)
    check = corpus_.check(dates)
    report(
        f"  corpus: {len(dates)} issues, {check['articles']} articles; "
        f"{len(check['count_mismatches'])} issues parsed to a different article count"
    )
    articles_all, chars_all = volume(corpus_.archive, dates)
    measured, probe = choose_slice(corpus_, dates, articles_all, deadline, later_share, report)
    data_dir = corpus_.copy_to(RUN_DIR / "data", measured)
    with_sample(data_dir)
    report(f"  reindexing {len(measured)} issues...")
    seconds, articles = timed_reindex(data_dir, report)
    _, chars = volume(datasets.store(data_dir).archive, datasets.store(data_dir).archive.dates())
    whole = articles_all + articles - volume(corpus_.archive, measured)[0]  # the sample's articles too
    reindex = {
        "issues": len(measured) + 1,
        "articles": articles,
        "body_chars": chars,
        "seconds": seconds,
        "procs": from_env()["INDEX_PROCS"],
        "articles_per_s": articles / seconds,
        "chars_per_s": chars / seconds,
        "full_size": measured == dates,
        "whole_corpus_s": seconds / articles * whole,
        "index_bytes": index_size(data_dir),
    }
    report(
        f"  reindex: {articles} articles in {seconds:.1f} s ({articles / seconds:.0f} articles/s), "
        f"index {reindex['index_bytes'] / 1e6:.0f} MB"
    )
    search = latency.measure(data_dir, latency.questions())
    report(
        f"  search over {search['articles']} articles: find+hits p99 "
        f"{search['steps']['find+hits']['p99_ms']:.1f} ms, answer p99 {search['steps']['answer']['p99_ms']:.1f} ms"
    )
    ingest_rows = ingests(data_dir)
    report(
        "  ingest: "
        + ", ".join(f"{row['ingest_s']:.2f} s (+{row['switch_s'] * 1000:.0f} ms switch)" for row in ingest_rows)
    )
    profile_dates = dates[-max(MIN_SLICE, round(len(dates) * PROFILE_SHARE)) :]
    profile = profile_reindex.run(corpus_, profile_dates, OUT / "corpus-profile", report)
    return {
        "scale": scale,
        "generated_in_s": filling(),
        "check": check,
        "corpus": {"issues": len(dates), "articles": articles_all, "body_chars": chars_all},
        "probe": probe,
        "reindex": reindex,
        "search": search,
        "ingests": ingest_rows,
        "ingest_median_s": statistics.median(row["ingest_s"] for row in ingest_rows),
        "profile": profile,
        "measured_dates": [measured[0].isoformat(), measured[-1].isoformat()],
    }
