"""The read side: a resident's analysed question → ranked articles (or an honest "nothing") → hits with snippets.

The rest of the application sees ``Search`` and plain values (``Article``, ``Hit``, ``Ranking``); Whoosh stays in
here.

Ranking is hybrid (``index.ranking`` says why and how it is fitted):

1. Lexical candidates: BM25F over title (boosted), subtitle, body and the people who wrote or photographed a story.
   Articles that match every term rank above those matching only some; equal scores go to the newer issue. A date in
   the question restricts them to that period when anything matches there. A single character never searches
   beside longer words (养老服务有什么新政策 does not look for 新), and a paper's word from the colloquial-word map
   searches beside the resident's word it stands for, at ``EXPANSION_BOOST``.
2. Dense candidates: the stories whose vectors (``index.dense``, one per article, made at ingest) are nearest the
   question's, encoded at query time.
3. Every candidate's features (BM25F share and rank, cosine and its rank, coverage of the question's content words
   in the story and its headline, its neighbouring words side by side) are summed with the fitted weights. A story
   BM25F did not find is shown only when the model finds it nearly as likely as the first (``SHOWN_LIKELIHOOD``). A
   period named in the question keeps the stories of that period when BM25F found one there.
4. "Nothing": the first story's similarity and coverage of the question as written, and the question's kind, give
   the confidence that it answers; below the fitted threshold the ranking is empty and says why.

BM25F's statistics count the live documents only (``index.live``: nodes of a cluster holding the same articles rank
them alike).
"""

import dataclasses
import functools
import logging
import math
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
from whoosh import query as Q
from whoosh import sorting
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from index import live, segment_arrays, term_scores, tier_ranking
from index.article import Article
from index.coverage import (
    ContentWord,
    content_words,
    coverage,
    coverages,
    fold,
    is_common,
    phrase_share,
    phrases,
)
from index.dates import DateRange, dates_mentioned, overlaps
from index.dense import Encoder, Matrix, Vectors
from index.expansion import with_words
from index.facts import Fact, lacking
from index.hit import Hit
from index.indexdir import IndexDir, IndexMissing, VectorsMissing, read_vectors
from index.query import ParsedQuery, QueryAnalyzer
from index.ranking import FEATURES, AnswerModel, Signals
from index.schema import from_stored
from index.snippets import best_passage, term_spans

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
#: Candidates taken from each signal: the BM25F ranking and the nearest vectors.
CANDIDATES = 30
#: Weight of a paper's word searched for a resident's colloquial word, against 1 for the resident's own word.
EXPANSION_BOOST = 0.5
#: A candidate is shown when the fitted model finds it at least this likely, against the first, to be the answer:
#: the rank scores are a conditional logit's, so a difference of scores is a log ratio of probabilities.
SHOWN_LIKELIHOOD = 0.05
#: Stories kept read and folded for ranking (``_Story``): about 4 KB each, so at most ~8 MB per worker. Residents
#: ask mostly about recent issues, so a few thousand stories cover nearly every question; one missing costs ~140 µs
#: (its stored copy decoded and its text folded), and a question weighs up to 60. They are kept by segment
#: (``segment_arrays.BoundedCache``: a stored story never changes), so a new index generation reads only its new
#: issue's.
STORY_CACHE = 2048
#: The attributes a top-level searcher keeps its stories and its newest issue in (``live.kept``).
STORIES = "_stories"
LATEST_ISSUE = "_latest_issue"


@dataclass(frozen=True)
class Ranked:
    id: str
    score: float


@dataclass(frozen=True)
class Candidate:
    """A story considered for a question, with the features it is ranked by (``index.ranking.FEATURES``)."""

    id: str
    features: tuple[float, ...]
    #: Coverage of the question as written (the colloquial-word map not counted): a signal of "nothing".
    written_coverage: float


@dataclass(frozen=True)
class Ranking:
    """What a question finds: ranked ids, or nothing, and why."""

    #: Best first; empty when nothing answers (``refused``) or nothing matched at all.
    ranked: tuple[Ranked, ...]
    #: The best story was judged no answer (low similarity and coverage, or a kind of question never answered).
    refused: bool = False
    #: The kind of question the bulletin never answers this one is (天气, ...), if any.
    kind: str | None = None
    #: The "nothing" decision's signals and confidence, when it was made.
    signals: Signals | None = None
    confidence: float | None = None
    #: Every candidate with its features, best first (what ``index.fitting`` fits the weights on).
    candidates: tuple[Candidate, ...] = ()


class Search:
    """A searcher over the live index (and its vectors) that follows it to each new generation on the next query."""

    def __init__(self, index_dir: IndexDir, questions: QueryAnalyzer, *, encoder: Encoder, model: AnswerModel) -> None:
        self.index_dir = index_dir
        #: Reads residents' messages with the word lists the index was built with.
        self.questions = questions
        #: Encodes questions as the index's articles were (the vectors say which encoder made them).
        self.encoder = encoder
        #: How the signals combine, and when the best story is no answer.
        self.model = model
        self._lock = threading.RLock()
        self._searcher: Searcher | None = None
        self._generation: str | None = None
        self._vectors: Vectors | None = None
        self._rows: dict[str, int] = {}

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
        """The Whoosh searcher of the live generation; reopened (never ``refresh``-ed) when it changed, with the
        vectors of the very commit it reads."""
        generation = self.index_dir.generation()
        if self._searcher is None or generation != self._generation or not self._searcher.up_to_date():
            self.close()
            path, ix = self.index_dir.open_current()
            searcher = ix.searcher(weighting=live.WEIGHTING)
            try:
                self._vectors = read_vectors(path, searcher.reader().generation(), self.encoder.name)
            except VectorsMissing:
                searcher.close()
                raise
            self._rows = {id_: row for row, id_ in enumerate(self._vectors.ids)}
            self._searcher = searcher
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
            self._vectors, self._rows = None, {}

    def warm_up(self) -> None:
        """Open the index and read its segments' per-document arrays now (in gunicorn's master, and again in each
        worker for its own file handles), so the first message does not pay for them.

        A missing or damaged index must not stop the server from starting: ``/healthz`` reports it (503) until an
        editor ingests or reindexes, and the searcher is opened again on the next query.
        """
        try:
            with self._lock:
                term_scores.of(self._current()).warm()
        except IndexMissing:
            log.warning("no index yet: ingest an issue or run `bulletin reindex`")
        except Exception as error:  # Whoosh raises many kinds for a damaged index
            reason = f"{type(error).__name__}: {error}"  # formatted now: a record must not keep Whoosh's frames alive
            log.error("the index cannot be opened (%s): run `bulletin reindex`", reason)

    # -- queries -------------------------------------------------------------------------------------------

    def find(self, parsed: ParsedQuery, limit: int = MAX_RESULTS) -> list[Ranked]:
        """Ranked article ids for a ``ParsedQuery``; none before the first ingest, or when nothing answers."""
        return list(self.rank(parsed, limit).ranked)

    def rank(self, parsed: ParsedQuery, limit: int = MAX_RESULTS) -> Ranking:
        """The ``Ranking`` of a ``ParsedQuery`` (terms and optional dates): hybrid, or nothing with its reason.

        A question naming only a period lists that period's stories, newest issue first, and is never refused.
        """
        with self._lock:
            try:
                searcher = self._current()
            except IndexMissing:
                return Ranking((), kind=parsed.kind)
            terms = _deciding_terms(parsed.terms)
            if not terms:
                if parsed.dates is None:
                    return Ranking((), kind=parsed.kind)
                listed = searcher.search(_date_filter(parsed.dates), limit=limit, sortedby=NEWEST_ISSUE_IN_PAGE_ORDER)
                return Ranking(tuple(Ranked(hit["id"], 0.0) for hit in listed))
            ranking = self._hybrid(searcher, parsed, terms, limit)
        if ranking.signals is not None:
            log.debug(
                "answer signals: similarity=%.3f coverage=%.3f kind=%s confidence=%.3f refused=%s",
                ranking.signals.similarity,
                ranking.signals.coverage,
                ranking.signals.kind,
                ranking.confidence,
                ranking.refused,
            )
        return ranking

    def _hybrid(self, searcher: Searcher, parsed: ParsedQuery, terms: list[str], limit: int) -> Ranking:
        doc_count = max(live.doc_count(searcher), 1)
        expansions = _expansions(searcher, parsed.expansions, doc_count)
        lexical = self._lexical(searcher, _plan(searcher, terms, expansions), parsed.dates)
        vectors = self._vectors
        assert vectors is not None  # loaded with the searcher
        cosines = vectors.cosines(self.encoder.encode([parsed.normalized])[0])
        question = _Question(
            words=content_words(
                with_words(parsed.words, expansions),
                lambda word: [token.text for token in self.questions.terms_analyzer(word)],
                lambda word: _frequency(searcher, word),
                doc_count,
                expansions,
            ),
            pairs=phrases(parsed.words),
            lexical=_shared_ranks([score for _, score in lexical]),
            best=max((score for _, score in lexical), default=0.0) or 1.0,
            descending=-np.sort(cosines)[::-1],
        )
        scored = []
        ids = dict.fromkeys([*(id_ for id_, _ in lexical), *(vectors.ids[row] for row in _top(cosines, CANDIDATES))])
        lexical_ids = {id_: n for n, (id_, _) in enumerate(lexical)}
        story_of = _stories(searcher)
        found = [
            (id_, story, self._rows[id_]) for id_ in ids if id_ in self._rows and (story := story_of(id_)) is not None
        ]
        ranks = question.cosine_ranks(cosines[[row for *_, row in found]])
        for (id_, story, row), rank in zip(found, ranks, strict=True):
            candidate = question.candidate(story, lexical_ids.get(id_), lexical, float(cosines[row]), rank)
            scored.append((self.model.score(candidate.features), story, candidate, id_ in lexical_ids))
        scored.sort(key=lambda row: (-round(row[0], 9), -row[1].issue_date.toordinal(), row[1].ordinal))
        in_period = [row for row in scored if _in_dates(row[1], parsed.dates)]
        if any(found for *_, found in in_period):  # a period named restricts the results when a match is in it
            scored = in_period
        if not scored:
            return Ranking((), kind=parsed.kind)
        first = scored[0][2]
        signals = Signals(
            similarity=first.features[FEATURES.index("similarity")],
            coverage=first.written_coverage,
            kind=parsed.kind is not None,
        )
        confidence = self.model.confidence(signals)
        refused = confidence < self.model.threshold
        floor = scored[0][0] + math.log(SHOWN_LIKELIHOOD)
        shown = tuple(Ranked(c.id, round(score, 6)) for score, _, c, found in scored if found or score >= floor)
        return Ranking(
            () if refused else shown[:limit],
            refused=refused,
            kind=parsed.kind,
            signals=signals,
            confidence=confidence,
            candidates=tuple(c for _, _, c, _ in scored),
        )

    def _lexical(self, searcher: Searcher, plan: "Plan | None", dated: DateRange | None) -> list[tuple[str, float]]:
        """The BM25F candidates (id, score), best first: within the question's period when any match there."""
        if plan is None:
            return []
        if dated is not None:
            ranked = self._tiers(searcher, plan, dated)
            if ranked:
                return ranked
        return self._tiers(searcher, plan, None)

    @staticmethod
    def _tiers(searcher: Searcher, plan: "Plan", dated: DateRange | None) -> list[tuple[str, float]]:
        """Each tier's best ``CANDIDATES`` (``index.tier_ranking``: the tie rules decide the cut) less those an
        earlier tier found, until there are ``CANDIDATES``: ranked from each term's cached scores, never loading a
        stored article."""
        scores = term_scores.of(searcher)
        ranked: list[tuple[str, float]] = []
        seen: set[str] = set()
        for query in plan.tiers():
            found = tier_ranking.matches(query, scores)
            if dated is not None:
                found = tier_ranking.within(found, scores.allowed(dated))
            batch = [(id_, score) for id_, score in tier_ranking.best(found, scores, CANDIDATES) if id_ not in seen]
            ranked.extend(batch)
            seen.update(id_ for id_, _ in batch)
            if len(ranked) >= CANDIDATES:
                break
        return ranked[:CANDIDATES]

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
            story_of = _stories(searcher)
            marked = _body_terms(searcher, terms)
            for item in ranked:
                story = story_of(item.id)
                if story is None:
                    continue
                article = from_stored(searcher.stored_fields(story.docnum))
                spans = term_spans(article.body, marked)
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
        """The newest issue's articles in page order (empty when nothing is indexed): found once per generation, since
        every "nothing" reply offers them and finding the newest issue sorts every document (134 ms at 22,000)."""
        with self._lock:
            try:
                searcher = self._current()
            except IndexMissing:
                return []
            return list(live.kept(searcher, LATEST_ISSUE, _latest_issue))

    def doc_count(self) -> int:
        with self._lock:
            count: int = self._current().doc_count()
            return count


@dataclass(frozen=True)
class _Question:
    """What a question's candidates are measured against (``index.ranking.FEATURES``)."""

    words: tuple[ContentWord, ...]
    pairs: tuple[str, ...]
    #: The BM25F rank of each lexical candidate, equal scores sharing the better rank.
    lexical: tuple[int, ...]
    #: The best BM25F score of the question.
    best: float
    #: Every story's cosine, negated, in ascending order: a cosine's rank is where it falls in it.
    descending: Matrix

    def cosine_ranks(self, cosines: Matrix) -> list[int]:
        """Where each of the candidates' ``cosines`` falls among every story's (0: the best), at once."""
        return [int(rank) for rank in np.searchsorted(self.descending, -cosines, side="left")]

    def candidate(
        self,
        story: "_Story",
        lexical_index: int | None,
        lexical: Sequence[tuple[str, float]],
        cosine: float,
        cosine_rank: int,
    ) -> Candidate:
        expanded, written = coverages(self.words, story.text)
        features = (
            lexical[lexical_index][1] / self.best if lexical_index is not None else 0.0,
            1.0 / (self.lexical[lexical_index] + 1) if lexical_index is not None else 0.0,
            cosine,
            1.0 / (cosine_rank + 1),
            expanded,
            written,
            coverage(self.words, story.head),
            phrase_share(self.pairs, story.text),
        )
        return Candidate(story.id, features, written)


@dataclass(frozen=True, slots=True)
class _Story:
    """What ranking reads of a story: where it is, when it was printed and happened, and its text as coverage
    compares it (``fold``; folding a story's text costs more than decoding it, so it is done once per story)."""

    id: str
    docnum: int
    issue_date: date
    ordinal: int
    event_date: date | None
    #: Heads, body and the people credited, folded.
    text: str
    #: Kicker, headline and deck, folded.
    head: str


def _latest_issue(searcher: Searcher) -> tuple[Article, ...]:
    """The newest issue's articles in page order, in the generation ``searcher`` reads."""
    # Not the lexicon's last term: it keeps the terms of deleted documents until a merge.
    top = searcher.search(Q.Every(), limit=1, sortedby="issue_date", reverse=True)
    if not top.scored_length():
        return ()
    newest = top[0]["issue_date"].date().isoformat()
    results = searcher.search(Q.Term("issue", newest), limit=None, sortedby="ordinal")
    return tuple(from_stored(hit.fields()) for hit in results)


def _read_story(searcher: Searcher, article_id: str) -> _Story | None:
    """The ``_Story`` of ``article_id`` in the generation ``searcher`` reads, or ``None`` when it holds no such id."""
    docnum = term_scores.of(searcher).docnum(article_id)
    if docnum is None:
        return None
    leaf, local = live.locate(searcher, docnum)
    story = _segment_stories.get(
        (segment_arrays.segment_key(leaf.reader), local), lambda: _story(leaf.reader, local), _one
    )
    return dataclasses.replace(story, docnum=docnum)


def _story(reader: IndexReader, docnum: int) -> _Story:
    """The story of a segment's document ``docnum``, kept with that number: ``_read_story`` gives the generation's."""
    article = from_stored(reader.stored_fields(docnum))
    return _Story(
        article.id,
        docnum,
        article.issue_date,
        article.ordinal,
        article.event_date,
        fold(_text(article)),
        fold(_head(article)),
    )


def _one(_: object) -> int:
    return 1


_segment_stories = segment_arrays.BoundedCache(STORY_CACHE)


def _stories(searcher: Searcher) -> Callable[[str], _Story | None]:
    """``_read_story`` of ``searcher``'s generation, each story's place found once while it is among the
    ``STORY_CACHE`` most recently asked for."""
    return live.kept(
        searcher, STORIES, lambda top: functools.lru_cache(maxsize=STORY_CACHE)(functools.partial(_read_story, top))
    )


def _shared_ranks(scores: Sequence[float]) -> tuple[int, ...]:
    """The rank of each of ``scores`` (best first), equal scores sharing the better one."""
    ranks: list[int] = []
    for n, score in enumerate(scores):
        ranks.append(
            ranks[-1] if n and round(score, tier_ranking.DECIMALS) == round(scores[n - 1], tier_ranking.DECIMALS) else n
        )
    return tuple(ranks)


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


def _plan(searcher: Searcher, terms: list[str], expansions: Mapping[str, Sequence[str]] | None = None) -> Plan | None:
    """The ``Plan`` for ``terms``, or ``None`` when none of them can match anything.

    Each resident's word of ``expansions`` searches as one term: its own terms or the paper's words for it, those at
    ``EXPANSION_BOOST``.
    """
    queries = {}
    for term in terms:
        query = _term_query(searcher, term)
        if query is not None:
            queries[term] = query
    for word, papers in (expansions or {}).items():
        alternatives = [
            Q.Term(field, paper, boost=EXPANSION_BOOST)
            for paper in papers
            for field in SEARCH_FIELDS
            if live.doc_frequency(searcher, field, paper)
        ]
        if alternatives:
            own = [queries.pop(term) for term in list(queries) if term in word]
            queries[word] = Q.Or([*own, *alternatives])
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


def _body_terms(searcher: Searcher, terms: Iterable[str]) -> frozenset[str]:
    """Those of ``terms`` that some story's body holds as a word: the terms a snippet may mark."""
    return frozenset(term for term in terms if live.doc_frequency(searcher, "body", term))


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


def _deciding_terms(terms: Sequence[str]) -> list[str]:
    """The terms that may find and rank stories: a single character (not a digit: 3 of 高新3路 names a route) only
    when the question has nothing longer (拳 alone is widened to 太极拳)."""
    terms = [term for term in terms if term]
    longer = [term for term in terms if len(term) > 1 or term.isdigit()]
    return longer if any(len(term) > 1 for term in longer) else terms


def _expansions(
    searcher: Searcher, found: Sequence[tuple[str, Sequence[str]]], doc_count: int
) -> dict[str, tuple[str, ...]]:
    """The question's colloquial words with the paper's words for them, less any word too common to expand."""

    def common(word: str) -> bool:
        return is_common(_frequency(searcher, word), doc_count)

    kept: dict[str, tuple[str, ...]] = {}
    for word, papers in found:
        papers = tuple(paper for paper in papers if not common(paper))
        if papers and not common(word):
            kept[word] = papers
    return kept


def _frequency(searcher: Searcher, word: str) -> int:
    """In how many live stories ``word`` is a word of the title or of the body, whichever is more."""
    return max(live.doc_frequency(searcher, "title", word), live.doc_frequency(searcher, "body", word))


def _top(scores: Matrix, count: int) -> list[int]:
    """Rows of the ``count`` highest ``scores``, highest first."""
    if len(scores) <= count:
        return [int(row) for row in np.argsort(-scores, kind="stable")]
    top = np.argpartition(-scores, count)[:count]
    return [int(row) for row in top[np.argsort(-scores[top], kind="stable")]]


def _head(article: Article) -> str:
    return " ".join((article.kicker, article.title, article.subtitle))


def _text(article: Article) -> str:
    """What coverage reads a story in: its heads, body and the people credited."""
    people = " ".join((*article.reporters, *article.correspondents, article.photographer or ""))
    return " ".join((_head(article), article.body, people))


def _in_dates(story: _Story, dates: DateRange | None) -> bool:
    """Whether the story happened, was printed or names a day in the question's period (never, when it names
    none). What the text names is read only here, for the candidates of a question with a date (~6 µs for a
    3,000-character story)."""
    if dates is None:
        return False
    days: tuple[date | None, ...] = (story.issue_date, story.event_date)
    return any(day is not None and dates.start <= day <= dates.end for day in days) or any(
        overlaps(dates, named) for named in dates_mentioned(story.text, story.issue_date)
    )


def _date_filter(dates: DateRange | None) -> Q.Query | None:
    if dates is None:
        return None
    start = datetime.combine(dates.start, time.min)
    end = datetime.combine(dates.end, time.max)
    return Q.Or([Q.DateRange("event_date", start, end), Q.DateRange("issue_date", start, end)])
