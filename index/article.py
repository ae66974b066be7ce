"""The article: what the parser produces, the archive stores, the index holds and replies show.

Its fields are listed once, here: ``index.codec`` turns it into JSON and back for every place that stores or sends it.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from index import codec


class Kind(StrEnum):
    """What an article is on the page; a ``StrEnum``, so it compares and serialises as its plain name."""

    STORY = "story"
    PHOTO = "photo"
    BRIEF = "brief"


def article_id(issue_date: date, ordinal: int) -> str:
    """Stable id: issue date plus the article's place on the page (``2026-04-28-03``)."""
    return f"{issue_date.isoformat()}-{ordinal:02d}"


def id_parts(id_: str) -> tuple[date, int] | None:
    """The issue date and place of an ``article_id``, or ``None`` when ``id_`` is not one."""
    day, _, ordinal = id_.rpartition("-")
    try:
        parts = date.fromisoformat(day), int(ordinal)
    except ValueError:
        return None
    return parts if article_id(*parts) == id_ else None


@dataclass(frozen=True)
class Article:
    issue_date: date
    ordinal: int
    title: str
    body: str
    kind: Kind = Kind.STORY
    #: The kicker (引题) printed above the headline.
    kicker: str = ""
    #: The deck (副题) printed below the headline, without its leading ``——``.
    subtitle: str = ""
    reporters: tuple[str, ...] = ()
    correspondents: tuple[str, ...] = ()
    photographer: str | None = None
    event_date: date | None = None
    #: The file name of its photo in the issue's archive folder (``photo-2.jpg``, ``index.photos``), or ``""``.
    photo: str = ""
    id: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", article_id(self.issue_date, self.ordinal))

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n") if p]

    @property
    def byline(self) -> str:
        """The credit line as the paper prints it: ``记者 付凯明 通讯员 许锦`` or ``马雅宁 摄``."""
        parts = []
        if self.reporters:
            parts.append("记者 " + "、".join(self.reporters))
        if self.correspondents:
            parts.append("通讯员 " + "、".join(self.correspondents))
        if self.photographer:
            parts.append(f"{self.photographer} 摄")
        return " ".join(parts)

    def renumbered(self, issue_date: date, ordinal: int) -> "Article":
        return replace(self, issue_date=issue_date, ordinal=ordinal, id=article_id(issue_date, ordinal))

    def to_json(self) -> dict[str, Any]:
        encoded: dict[str, Any] = codec.encode(self)
        return encoded

    @classmethod
    def from_json(cls, data: object) -> "Article":
        """Inverse of ``to_json``; ``codec.CodecError`` names a field of the wrong type."""
        article = codec.decode(cls, data)
        if article.id and article.id != article_id(article.issue_date, article.ordinal):
            raise codec.CodecError("id", "does not match issue_date and ordinal", expected="id")
        return article
