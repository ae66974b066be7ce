"""The article: what the parser produces, the archive stores, the index holds and replies show."""

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

KINDS = ("story", "photo", "brief")


def article_id(issue_date: date, ordinal: int) -> str:
    """Stable id: issue date plus the article's place on the page (``2026-04-28-03``)."""
    return f"{issue_date.isoformat()}-{ordinal:02d}"


@dataclass(frozen=True)
class Article:
    issue_date: date
    ordinal: int
    title: str
    body: str
    kind: str = "story"
    subtitle: str = ""
    reporters: tuple[str, ...] = ()
    correspondents: tuple[str, ...] = ()
    photographer: str | None = None
    event_date: date | None = None
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
        return {
            "id": self.id,
            "issue_date": self.issue_date.isoformat(),
            "ordinal": self.ordinal,
            "title": self.title,
            "subtitle": self.subtitle,
            "kind": self.kind,
            "reporters": list(self.reporters),
            "correspondents": list(self.correspondents),
            "photographer": self.photographer,
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "body": self.body,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Article":
        """Inverse of ``to_json`` for what this program wrote (the archive); editors' JSON takes ``jsonissue``."""
        return cls(
            issue_date=date.fromisoformat(data["issue_date"]),
            ordinal=data["ordinal"],
            title=data["title"],
            subtitle=data.get("subtitle") or "",
            kind=data["kind"],
            reporters=tuple(data.get("reporters") or ()),
            correspondents=tuple(data.get("correspondents") or ()),
            photographer=data.get("photographer"),
            event_date=date.fromisoformat(data["event_date"]) if data.get("event_date") else None,
            body=data["body"],
            id=data["id"],
        )
