"""One search result as the rest of the application sees it: no Whoosh object crosses this line."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from index.article import Article

if TYPE_CHECKING:  # index.facts reads the marks defined here
    from index.facts import Fact

#: How matched terms are marked in a snippet of a text reply.
MARK_OPEN, MARK_CLOSE = "【", "】"


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float
    #: The sentence (or two) of the article that best matches the query, matched terms marked 【like this】.
    snippet: str
    #: What the question asks for (a time, a figure) that the snippet does not state: the reply says so.
    lacks: "tuple[Fact, ...]" = ()

    @property
    def shown_date(self) -> date:
        """The date a resident cares about: when it happened, else when it was printed."""
        return self.article.event_date or self.article.issue_date
