"""The lexical ranking from cached term scores (``index.term_scores``, ``index.tier_ranking``) is exact: the same
articles in the same order, with the same scores to the sixth decimal, as a reference taken from Whoosh's own
``searcher.search`` scores.

The reference scores every match (``limit=None``: nothing pruned), loads each hit's stored date and place, and sorts
a tier by the tie rules before its cut, as ``Search._tiers`` documents; it is asked the residents' evaluation
questions and a seeded random set of term combinations (rare and common terms, widened single characters,
expansions, periods) over the residents' index with one issue corrected afterwards, so that its segments hold
deleted documents and the live statistics differ from Whoosh's raw ones.
"""

import random
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest
from whoosh import query as Q

from index import live, term_scores
from index import search as search_module
from index.dates import DateRange
from index.evaluation import EvalSet, ingest_set, load_cases
from index.load import load_issue
from index.store import Store
from tests.helpers import PARSER, WORDS, analyze, make_issue, open_search
from tests.test_eval_residents import RESIDENTS

#: Random term combinations asked per case.
RANDOM_QUESTIONS = 100
#: A posting-list length above which terms count as common in the small index, as 高新区 does in a big one.
SMALL_LONG_POSTINGS = 12


@pytest.fixture(scope="module")
def eval_set() -> EvalSet:
    return load_cases(RESIDENTS)


@pytest.fixture(scope="module")
def corrected(eval_set, tmp_path_factory) -> Store:
    """The residents' index with its newest issue corrected afterwards: an article's body changed and re-ingested."""
    data_dir = tmp_path_factory.mktemp("residents")
    ingest_set(eval_set, data_dir, WORDS, max_bytes=10**7, parser=PARSER)
    newest = eval_set.issues[-1]
    data = newest.path.read_bytes()
    issue = load_issue(data, newest.date, source=newest.path, max_bytes=10**7, parser=PARSER)
    first = issue.articles[0]
    fixed = replace(first, body=f"{first.body}(更正:活动改在社区服务中心举行。)")
    store = Store(data_dir, WORDS)
    store.ingest(replace(issue, articles=(fixed, *issue.articles[1:])), data)
    return store


@pytest.fixture
def searcher(corrected):
    with corrected.index_dir.open().searcher(weighting=live.WEIGHTING) as searcher:
        assert searcher.reader().has_deletions()
        yield searcher


@pytest.fixture
def search(corrected):
    with open_search(corrected) as search:
        yield search


def reference(searcher, plan, dated):
    """``Search._lexical``'s answer from Whoosh's scores of every match, tiers cut after sorting by the tie rules, and
    a period (``dated``) read by Whoosh from the date filter a listing by period uses (``_date_filter``)."""

    def tiers(period):
        ranked, seen = [], set()
        allowed = None if period is None else set(searcher.docs_for_query(search_module._date_filter(period)))
        for query in plan.tiers():
            hits = searcher.search(query, filter=allowed, limit=None)
            rows = [(hit["id"], hit.score, hit["issue_date"].toordinal(), hit["ordinal"]) for hit in hits]
            rows.sort(key=lambda row: (-round(row[1], 6), -row[2], row[3]))
            batch = [(id_, score) for id_, score, _, _ in rows[: search_module.CANDIDATES] if id_ not in seen]
            ranked.extend(batch)
            seen.update(id_ for id_, _ in batch)
            if len(ranked) >= search_module.CANDIDATES:
                break
        return ranked[: search_module.CANDIDATES]

    return (dated is not None and tiers(dated)) or tiers(None)


def rounded(ranked):
    return [(id_, round(score, 6)) for id_, score in ranked]


def lexical(search, searcher, parsed):
    """The plan and period ``Search`` searches a question with, and its lexical ranking, or ``None``."""
    terms = search_module._deciding_terms(parsed.terms)
    expansions = search_module._expansions(searcher, parsed.expansions, max(live.doc_count(searcher), 1))
    plan = search_module._plan(searcher, terms, expansions) if terms else None
    if plan is None:
        return None
    return plan, parsed.dates, search._lexical(searcher, plan, parsed.dates)


def boosted(plan):
    """Whether a plan searches a paper's word for a resident's (a term at ``EXPANSION_BOOST``)."""
    return any(term.boost != 1.0 for tier in plan.tiers() for term in tier.leaves() if isinstance(term, Q.Term))


@pytest.mark.slow
def test_the_evaluation_questions_rank_as_whoosh_scores_them(eval_set, search, searcher):
    asked = dated = expanded = 0
    for case in eval_set.cases:
        found = lexical(search, searcher, analyze(case.query, case.today or eval_set.today))
        if found is None:
            continue
        plan, period, fast = found
        assert rounded(fast) == rounded(reference(searcher, plan, period)), case.query
        asked += 1
        dated += period is not None and bool(fast)
        expanded += boosted(plan)
    assert asked > 0.9 * len(eval_set.cases) and dated >= 10 and expanded >= 10


def random_questions(searcher, seed, count):
    """Term combinations drawn from the index's own words (common and rare ones, and single characters, which widen
    to the words holding them), some with a paper's word for one of them, some within a period of issues."""
    rng = random.Random(seed)
    reader = searcher.reader()
    words = sorted({raw.decode("utf-8") for field in ("title", "body") for raw in reader.lexicon(field)})
    common = [word for word in words if live.doc_frequency(searcher, "body", word) > SMALL_LONG_POSTINGS]
    days = sorted({day.date() for day in reader.column_reader("issue_date", translate=True)})
    for _ in range(count):
        terms = [rng.choice(common if rng.random() < 0.4 else words) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.15:
            terms = [rng.choice(words)[0]]
        expansions = {terms[0]: (rng.choice(words),)} if rng.random() < 0.3 else {}
        period = None
        if rng.random() < 0.3:
            start = rng.choice(days)
            period = DateRange(start, start + timedelta(days=rng.choice((0, 3, 30))))
        yield terms, expansions, period


@pytest.mark.parametrize("long_postings", [search_module.LONG_POSTINGS, SMALL_LONG_POSTINGS])
def test_random_term_combinations_rank_as_whoosh_scores_them(search, searcher, monkeypatch, long_postings):
    """With the small index's common terms counted as common, too, so that every kind of tier is asked."""
    monkeypatch.setattr(search_module, "LONG_POSTINGS", long_postings)
    tiers, asked = set(), Counter()
    for terms, expansions, period in random_questions(searcher, seed=14, count=RANDOM_QUESTIONS):
        plan = search_module._plan(searcher, search_module._deciding_terms(terms), expansions)
        if plan is None:
            continue
        fast = search._lexical(searcher, plan, period)
        assert rounded(fast) == rounded(reference(searcher, plan, period)), (terms, expansions, period)
        tiers.add((bool(plan.rare), bool(plan.common)))
        asked.update(dated=period is not None and bool(fast), expanded=boosted(plan), widened=len(terms[0]) == 1)
    assert min(asked["dated"], asked["expanded"], asked["widened"]) >= 3, asked
    rare_only, rare_and_common, common_only = (True, False), (True, True), (False, True)
    small = long_postings == SMALL_LONG_POSTINGS
    assert tiers == ({rare_only, rare_and_common, common_only} if small else {rare_only})


def test_a_bounded_cache_ranks_the_same(search, searcher, monkeypatch):
    monkeypatch.setattr(term_scores, "MAX_POSTINGS", 50)
    for terms, expansions, period in random_questions(searcher, seed=15, count=RANDOM_QUESTIONS // 5):
        plan = search_module._plan(searcher, search_module._deciding_terms(terms), expansions)
        if plan is not None:
            assert rounded(search._lexical(searcher, plan, period)) == rounded(reference(searcher, plan, period))
    cached = term_scores.of(searcher)
    assert cached._postings <= 50 or len(cached._terms) == 1


def test_equal_scores_beyond_the_cut_go_to_the_newer_issue(data_dir):
    """Whoosh's own cut kept the first ingested of equally scored stories; the tie rules keep the newer issue's."""
    store = Store(data_dir, WORDS)
    store.ingest(make_issue("2026-03-02", ["高新区安全生产会议召开"] * search_module.CANDIDATES), b"x")
    store.ingest(make_issue("2026-04-27", ["高新区安全生产会议召开"]), b"x")
    with open_search(store) as search, store.index_dir.open().searcher(weighting=live.WEIGHTING) as searcher:
        _, _, ranked = lexical(search, searcher, analyze("安全生产会议", date(2026, 4, 28)))
    assert ranked[0][0] == "2026-04-27-01"
    assert [id_ for id_, _ in ranked[1:]] == [f"2026-03-02-{n:02d}" for n in range(1, search_module.CANDIDATES)]


def test_an_articles_live_document_is_found_as_whoosh_finds_it(searcher):
    """Over an index whose corrected issue left a deleted document under the same id as its replacement."""
    scores = term_scores.of(searcher)
    ids = {searcher.stored_fields(docnum)["id"] for docnum in range(searcher.doc_count_all())}
    assert ids and all(scores.docnum(id_) == searcher.document_number(id=id_) for id_ in ids)
    assert [scores.docnum(id_) for id_ in ("2026-04-28-99", "2026-02-30-01", "sample", "2026-04-28-3")] == [None] * 4
