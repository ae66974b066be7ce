"""The read side: a resident's analysed question → ranked articles → hits with snippets.

The rest of the application sees ``Search`` and plain values (``Article``, ``Hit``); Whoosh stays in here.

Ranking: BM25F over title (boosted), subtitle, body and the people who wrote or photographed a story, its statistics
over the live documents only (``index.live``: nodes of a cluster holding the same articles rank them alike).
Articles that match every term rank above those matching only some; equal scores go to the newer issue. A date in
the question restricts the results to that period when anything matches there, and only ranks otherwise, so
"最近的太极拳比赛" still finds the last tournament even if it was months ago.
"""

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time

from whoosh import query as Q
from whoosh import sorting
from whoosh.searching import Searcher

from index import live
from index.article import Article
from index.dates import DateRange
from index.facts import Fact, lacking
from index.hit import Hit
from index.indexdir import IndexDir, IndexMissing
from index.query import ParsedQuery, QueryAnalyzer
from index.schema import from_stored
from index.snippets import Span, best_passage

log = logging.getLogger("index.search")

SEARCH_FIELDS = ("title", "subtitle", "body", "people")
#: How many ranked ids a search keeps: enough pages of "更多" for any real question.
MAX_RESULTS = 30
#: A single character absent from the index as a word (拳 in 太极拳) is widened to at most this many indexed words
#: that contain it, by a walk over the whole lexicon; longer unknown terms are simply unknown.
MAX_EXPANSIONS = 20
MAX_EXPANDED_LENGTH = 1
#: Articles a term must be in to count as common (see ``Plan``): about what one pass of scoring costs 10 ms for.
LONG_POSTINGS = 1000
#: How a question naming only a date lists that period: the newest issue first, each issue as printed.
NEWEST_ISSUE_IN_PAGE_ORDER = [sorting.FieldFacet("issue_date", reverse=True), sorting.FieldFacet("ordinal")]


@dataclass(frozen=True)
class Ranked:
    id: str
    score: float


class Search:
    """A searcher over the live index that follows it to each new generation on the next query."""

    def __init__(self, index_dir: IndexDir, questions: QueryAnalyzer) -> None:
        self.index_dir = index_dir
        #: Reads residents' messages with the word lists the index was built with.
        self.questions = questions
        self._lock = threading.RLock()
        self._searcher: Searcher | None = None
        self._generation: str | None = None

    def generation(self) -> str | None:
        """The index state queries are answered from, as the query cache keys it (``IndexDir.cache_key``: the record
        position on a node of a cluster); ``None`` before the first ingest (nothing to cache yet)."""
        try:
            return self.index_dir.cache_key()
        except IndexMissing:
            return None

    def position(self) -> int | None:
        """The record position of the index (a node of a cluster), else ``None``."""
        return self.index_dir.position()

    def _current(self) -> Searcher:
        """The Whoosh searcher of the live generation; reopened (never ``refresh``-ed) when it changed."""
        generation = self.index_dir.generation()
        if self._searcher is None or generation != self._generation or not self._searcher.up_to_date():
            self.close()
            self._searcher = self.index_dir.open().searcher(weighting=live.WEIGHTING)
            self._generation = generation
        return self._searcher

    def __enter__(self) -> "Search":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the searcher (it holds the index's files open); the next query opens a new one."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def warm_up(self) -> None:
        """Open the index now (at worker start), so the first message does not pay for it.

        A missing or damaged index must not stop the server from starting: ``/healthz`` reports it (503) until an
        editor ingests or reindexes, and the searcher is opened again on the next query.
        """
        try:
            with self._lock:
                self._current()
        except IndexMissing:
            log.warning("no index yet: ingest an issue or run `bulletin reindex`")
        except Exception as error:  # Whoosh raises many kinds for a damaged index
            reason = f"{type(error).__name__}: {error}"  # formatted now: a record must not keep Whoosh's frames alive
            log.error("the index cannot be opened (%s): run `bulletin reindex`", reason)

    # -- queries -------------------------------------------------------------------------------------------

    def find(self, parsed: ParsedQuery, limit: int = MAX_RESULTS) -> list[Ranked]:
        """Ranked article ids for a ``ParsedQuery`` (terms and optional dates); none before the first ingest."""
        with self._lock:
            try:
                searcher = self._current()
            except IndexMissing:
                return []
            plan = _plan(searcher, [t for t in parsed.terms if t])
            if parsed.terms and plan is None:
                return []
            dated = _date_filter(parsed.dates)
            if dated is not None:
                ranked = self._rank(searcher, plan, dated, limit)
                if ranked:
                    return ranked
            return self._rank(searcher, plan, None, limit) if plan else []

    def _rank(self, searcher: Searcher, plan: "Plan | None", dated: Q.Query | None, limit: int) -> list[Ranked]:
        if not plan:
            results = searcher.search(dated, limit=limit, sortedby=NEWEST_ISSUE_IN_PAGE_ORDER)
            return [Ranked(hit["id"], 0.0) for hit in results]
        ranked: list[Ranked] = []
        seen: set[str] = set()
        for query in plan.tiers():
            results = searcher.search(query, filter=dated, limit=limit)
            batch = [
                (hit["id"], hit.score, hit["issue_date"], hit["ordinal"]) for hit in results if hit["id"] not in seen
            ]
            batch.sort(key=lambda row: (-round(row[1], 6), -row[2].toordinal(), row[3]))
            ranked.extend(Ranked(id_, score) for id_, score, _, _ in batch)
            seen.update(row[0] for row in batch)
            if len(ranked) >= limit:
                break
        return ranked[:limit]

    # -- documents -----------------------------------------------------------------------------------------

    def hits(self, ranked: Iterable[Ranked], terms: Iterable[str], asks: Sequence[Fact] = ()) -> list[Hit]:
        """``Hit``s with snippets for ``ranked`` (one page of ``find``'s result), skipping ids no longer indexed.

        A question that ``asks`` for a time or a figure gets passages that state one where a matching sentence does,
        and each hit notes what its snippet lacks.
        """
        with self._lock:
            try:
                searcher = self._current()
            except IndexMissing:
                return []
            hits = []
            for item in ranked:
                docnum = searcher.document_number(id=item.id)
                if docnum is None:
                    continue
                article = from_stored(searcher.stored_fields(docnum))
                spans = _body_spans(searcher, docnum, terms)
                snippet = best_passage(article.body, spans, asks) if article.body else article.title
                hits.append(Hit(article=article, score=item.score, snippet=snippet, lacks=lacking(asks, snippet)))
            return hits

    def article(self, article_id: str) -> Article | None:
        """The article with this id, or ``None``."""
        with self._lock:
            try:
                fields = self._current().document(id=article_id)
            except IndexMissing:
                return None
            return from_stored(fields) if fields else None

    def latest_issue(self) -> list[Article]:
        """The newest issue's articles in page order (empty when nothing is indexed)."""
        with self._lock:
            try:
                searcher = self._current()
            except IndexMissing:
                return []
            # Not the lexicon's last term: it keeps the terms of deleted documents until a merge.
            top = searcher.search(Q.Every(), limit=1, sortedby="issue_date", reverse=True)
            if not top.scored_length():
                return []
            newest = top[0]["issue_date"].date().isoformat()
            results = searcher.search(Q.Term("issue", newest), limit=None, sortedby="ordinal")
            return [from_stored(hit.fields()) for hit in results]

    def doc_count(self) -> int:
        with self._lock:
            count: int = self._current().doc_count()
            return count


@dataclass(frozen=True)
class Plan:
    """How a question's terms are searched: ``rare`` terms find the articles, ``common`` ones only rank them.

    A term in more than ``LONG_POSTINGS`` articles (高新区, 服务, 社区 in a district paper) costs a pass over a
    long posting list and tells little about any one article. So the tiers are: articles holding every rare term,
    then articles holding some, each scored with the common terms too (``AndMaybe``). When every term is common, the
    titles decide first (an article about 社区服务 names it in its headline), then the bodies.
    """

    rare: tuple[tuple[str, Q.Query], ...]
    common: tuple[tuple[str, Q.Query], ...]

    def tiers(self) -> list[Q.Query]:
        if self.rare:
            if self.common:
                ranking = Q.Or([q for _, q in self.common])
                return [
                    Q.AndMaybe(Q.And([q for _, q in self.rare]), ranking),
                    Q.AndMaybe(Q.Or([q for _, q in self.rare]), ranking),
                ]
            return [Q.And([q for _, q in self.rare]), Q.Or([q for _, q in self.rare])]
        words = [term for term, _ in self.common]
        return [
            Q.And([Q.Term("title", w) for w in words]),
            Q.Or([Q.Term("title", w) for w in words]),
            Q.Or([Q.Term("body", w) for w in words]),
        ]


def _plan(searcher: Searcher, terms: list[str]) -> Plan | None:
    """The ``Plan`` for ``terms``, or ``None`` when none of them can match anything."""
    queries = {}
    for term in terms:
        query = _term_query(searcher, term)
        if query is not None:
            queries[term] = query
    if not queries:
        return None
    length = {term: live.doc_frequency(searcher, "body", term) for term in queries}
    common = [t for t in queries if length[t] > LONG_POSTINGS]
    # Search mode indexes every sub-word beside its word (服务中心: 服务, 中心): a common sub-word of a longer term of
    # the question adds a long list to walk and nothing to find.
    common = [t for t in common if not any(t != other and t in other for other in queries)]
    rare = [t for t in queries if length[t] <= LONG_POSTINGS]
    return Plan(rare=tuple((t, queries[t]) for t in rare), common=tuple((t, queries[t]) for t in common))


def _term_query(searcher: Searcher, term: str) -> Q.Query | None:
    """One term over every field; a term the index never saw widens to the indexed words holding it."""
    fields = [f for f in SEARCH_FIELDS if live.doc_frequency(searcher, f, term)]
    if fields:
        return Q.Or([Q.Term(f, term) for f in fields])
    expansions = _containing(searcher, term, MAX_EXPANSIONS) if len(term) <= MAX_EXPANDED_LENGTH else []
    if not expansions:
        return None
    return Q.Or([Q.Term(f, word) for word in expansions for f in SEARCH_FIELDS])


def _body_spans(searcher: Searcher, docnum: int, terms: Iterable[str]) -> dict[str, list[Span]]:
    """Character spans of each term in the body of ``docnum``, read from the stored postings."""
    spans = {}
    reader = searcher.reader()
    for term in set(terms):
        if not reader.doc_frequency("body", term):
            continue
        matcher = reader.postings("body", term)
        matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            spans[term] = [(start, end) for _, start, end in matcher.value_as("characters")]
    return spans


def _containing(searcher: Searcher, fragment: str, limit: int) -> list[str]:
    """Indexed words (in titles and bodies) that contain ``fragment``, most frequent first."""
    found = set()
    reader = searcher.reader()
    for field in ("title", "body"):
        for raw in reader.lexicon(field):
            word = raw.decode("utf-8")
            if fragment in word:
                found.add(word)
    return sorted(found, key=lambda w: -live.doc_frequency(searcher, "body", w))[:limit]


def _date_filter(dates: DateRange | None) -> Q.Query | None:
    if dates is None:
        return None
    start = datetime.combine(dates.start, time.min)
    end = datetime.combine(dates.end, time.max)
    return Q.Or([Q.DateRange("event_date", start, end), Q.DateRange("issue_date", start, end)])
