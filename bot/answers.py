"""A resident's question in, the reply text out: analyse → search → compose.

Shared by the ``ask`` command, the desk's "search this" and the webhook, so what an editor tries is what residents
get.
"""

from dataclasses import dataclass, replace
from datetime import date

from bot import replies
from index.article import Article
from index.hit import Hit
from index.query import ParsedQuery
from index.search import Ranked, Search

#: Hits shown per reply: as many as fit WeChat's 2048 bytes with a useful snippet each.
PAGE_SIZE = replies.MAX_HITS


@dataclass(frozen=True)
class Answer:
    parsed: ParsedQuery
    #: Every ranked result (``index.search.Ranked``), for the next pages.
    ranked: tuple[Ranked, ...]
    #: The hits shown on this page, with snippets.
    hits: tuple[Hit, ...]
    reply: str
    #: When nothing was found: the newest headlines the reply offers instead, numbered in this order.
    suggested: tuple[Article, ...] = ()
    #: How sure the answer model was that the first story answers (``index.ranking``), when it judged.
    confidence: float | None = None


def answer_question(search: Search, text: str, today: date | None = None, page: int = 0) -> Answer:
    """Answer ``text`` with page ``page`` (0-based) of its results."""
    return answer_parsed(search, search.questions.analyze(text, today or date.today()), page)


def answer_parsed(search: Search, parsed: ParsedQuery, page: int = 0) -> Answer:
    """Rank an analysed question and answer it with page ``page`` of its results, or the honest "nothing"."""
    ranking = search.rank(parsed)
    return replace(answer_page(search, parsed, ranking.ranked, page, kind=ranking.kind), confidence=ranking.confidence)


def answer_page(
    search: Search, parsed: ParsedQuery, ranked: tuple[Ranked, ...], page: int, kind: str | None = None
) -> Answer:
    """Compose the reply for page ``page`` of results already ranked (the "更多" command reuses the ranking); when
    there are none, the reply names the question's ``kind`` if the bulletin never answers such questions."""
    start = page * PAGE_SIZE
    hits = tuple(search.hits(ranked[start : start + PAGE_SIZE], parsed.marked, parsed.asks))
    suggested: tuple[Article, ...] = ()
    if hits:
        reply = replies.results_reply(list(hits), first_number=start + 1, has_more=start + PAGE_SIZE < len(ranked))
    elif page:
        reply = replies.no_more_results_reply()
    else:
        suggested = tuple(search.latest_issue()[: replies.SUGGESTED_TITLES])
        reply = replies.no_hits_reply(parsed.words or (parsed.normalized,), [a.title for a in suggested], kind)
    return Answer(parsed=parsed, ranked=ranked, hits=hits, reply=reply, suggested=suggested)


def answer_json(answer: Answer) -> dict[str, object]:
    """The answer as ``ask --json`` prints it and the desk shows it: the analysis, the hits and the reply."""
    return {
        "query": answer.parsed.text,
        "normalized": answer.parsed.normalized,
        "terms": list(answer.parsed.terms),
        "hits": [
            {
                "id": hit.article.id,
                "title": hit.article.title,
                "issue_date": hit.article.issue_date.isoformat(),
                "score": round(hit.score, 4),
                "snippet": hit.snippet,
            }
            for hit in answer.hits
        ],
        "reply": answer.reply,
    }
