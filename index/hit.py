"""One search result as the rest of the application sees it: no Whoosh object crosses this line."""

from dataclasses import dataclass
from datetime import date

from index.article import Article

#: How matched terms are marked in a snippet of a text reply.
MARK_OPEN, MARK_CLOSE = "【", "】"


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float
    #: The sentence (or two) of the article that best matches the query, matched terms marked 【like this】.
    snippet: str

    @property
    def shown_date(self) -> date:
        """The date a resident cares about: when it happened, else when it was printed."""
        return self.article.event_date or self.article.issue_date
