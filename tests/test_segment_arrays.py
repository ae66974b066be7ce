"""What ranking reads of a segment is read once and stays true in every generation holding the segment; what a new
generation changes (its new segment, the documents it deletes) is seen."""

from dataclasses import replace
from datetime import date

import numpy as np
from whoosh import query as Q

from index import live, segment_arrays, term_scores
from index.dates import DateRange
from index.store import Store
from tests.helpers import WORDS, make_issue


def open_searcher(store):
    return store.index_dir.open().searcher(weighting=live.WEIGHTING)


def whoosh_scores(searcher, fieldname, text):
    """The term's score in each live document, from Whoosh's own search."""
    hits = searcher.search(Q.Term(fieldname, text), limit=None)
    return {hit.docnum: hit.score for hit in hits}


def cached_scores(searcher, fieldname, text):
    found = term_scores.of(searcher).term(fieldname, text)
    return dict(zip(found.docs.tolist(), found.scores.tolist(), strict=True))


def test_a_new_generation_reads_only_its_new_segment_and_scores_as_whoosh_does(data_dir):
    store = Store(data_dir, WORDS)
    store.ingest(make_issue("2026-03-02", ["高新区安全生产会议召开", "社区义诊进小区"]), b"x")
    with open_searcher(store) as before:
        ((old, _),) = before.reader().leaf_readers()
        first = segment_arrays.postings(old, "body", "安全")
        assert cached_scores(before, "body", "安全") == whoosh_scores(before, "body", "安全")
    store.ingest(make_issue("2026-03-03", ["安全生产检查覆盖全区"]), b"x")
    with open_searcher(store) as after:
        leaves = [leaf for leaf, _ in after.reader().leaf_readers()]
        assert len(leaves) == 2  # the old segment kept, the new issue's beside it
        kept = next(leaf for leaf in leaves if leaf.segment().segment_id() == old.segment().segment_id())
        assert segment_arrays.postings(kept, "body", "安全") is first
        scores = cached_scores(after, "body", "安全")
        assert len(scores) == 2 and scores == whoosh_scores(after, "body", "安全")


def test_documents_a_generation_deletes_are_left_out_of_its_scores_and_frequencies(data_dir):
    store = Store(data_dir, WORDS)
    issue = make_issue("2026-03-02", ["高新区安全生产会议召开", "社区义诊进小区"])
    store.ingest(issue, b"x")
    with open_searcher(store) as searcher:
        term_scores.of(searcher).term("body", "义诊")
    store.ingest(replace(issue, articles=issue.articles[:1]), b"x")  # the second story removed from the issue
    with open_searcher(store) as searcher:
        assert searcher.reader().has_deletions()
        assert live.doc_frequency(searcher, "body", "义诊") == 0
        assert cached_scores(searcher, "body", "义诊") == {}
        assert cached_scores(searcher, "body", "安全") == whoosh_scores(searcher, "body", "安全")


def test_days_are_the_stored_articles_and_none_where_an_article_has_none(data_dir):
    store = Store(data_dir, WORDS)
    issue = make_issue("2026-03-02", ["高新区安全生产会议召开", "社区义诊进小区"])
    dated = replace(issue.articles[0], event_date=date(2026, 2, 27))
    store.ingest(replace(issue, articles=(dated, issue.articles[1])), b"x")
    with open_searcher(store) as searcher:
        (reader, _), *_ = searcher.reader().leaf_readers()
        assert segment_arrays.days(reader, "issue_date").tolist() == [date(2026, 3, 2).toordinal()] * 2
        events = segment_arrays.days(reader, "event_date")
        assert sorted(events.tolist()) == sorted([segment_arrays.NO_DAY, date(2026, 2, 27).toordinal()])
        scores = term_scores.of(searcher)
        assert np.count_nonzero(scores.allowed(DateRange(date(2026, 2, 27), date(2026, 2, 27)))) == 1
        assert np.count_nonzero(scores.allowed(DateRange(date(2026, 3, 1), date(2026, 3, 2)))) == 2
