"""What one question costs inside a warm process: analysis, ranking, snippets, reply, each and end to end.

Measured in this process on the index of a data dir, the way a web worker runs them (one ``Search``, opened and
warmed first), so the figures leave out HTTP, Redis and WeChat's envelope: those are the web benchmark's.
"""

from datetime import date

from bench import datasets, queries
from bench.stats import stopwatch, summary
from bot.answers import PAGE_SIZE, answer_question

#: "Today" for the questions' date words: the day after the newest issue, as if residents asked the next morning.
TODAY = date(2026, 4, 29)
#: Questions asked before timing starts, then the questions timed.
WARM_UP, QUESTIONS = 30, 300


def questions():
    """The questions ``measure`` is given by every part: the first of ``bench.queries``'s list."""
    return queries.realistic(WARM_UP + QUESTIONS)


def measure(data_dir, asked):
    """Per-step and end-to-end latency summaries for the questions ``asked`` (the first ``WARM_UP`` untimed), each
    asked once, then once more (repeat)."""
    search = datasets.search(data_dir)
    search.warm_up()
    for question in asked[:WARM_UP]:
        answer_question(search, question, TODAY)
    steps = {"analyze": [], "find": [], "hits": [], "find+hits": [], "answer": [], "answer (repeat)": []}
    answered = 0
    for question in asked[WARM_UP:]:
        with stopwatch() as analysing:
            parsed = search.questions.analyze(question, TODAY)
        with stopwatch() as finding:
            ranked = search.find(parsed)
        with stopwatch() as snippets:
            hits = search.hits(ranked[:PAGE_SIZE], parsed.terms)
        answered += bool(hits)
        for name, elapsed in (("analyze", analysing), ("find", finding), ("hits", snippets)):
            steps[name].append(elapsed())
        steps["find+hits"].append(finding() + snippets())
        for name in ("answer", "answer (repeat)"):
            with stopwatch() as answering:
                answer_question(search, question, TODAY)
            steps[name].append(answering())
    articles = search.doc_count()
    search.close()
    timed = len(asked) - WARM_UP
    return {
        "articles": articles,
        "questions": timed,
        "answered_share": answered / timed,
        "steps": {name: summary(values) for name, values in steps.items()},
    }
