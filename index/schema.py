"""The Whoosh schema, and the mapping between an ``Article`` and its index document.

Text fields store character offsets (``chars=True``) so snippets come from stored offsets. The title is boosted; who
wrote or photographed a story is searchable through ``people`` ("付凯明的报道").
"""

from collections.abc import Mapping
from datetime import date, datetime
from os import PathLike
from typing import Any

from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema

from index.analysis import chinese_analyzer
from index.article import Article

TITLE_BOOST = 3.0
SUBTITLE_BOOST = 1.5


def build_schema(stopwords_path: str | PathLike[str] | None = None) -> Schema:
    analyzer = chinese_analyzer(stopwords_path)
    return Schema(
        id=ID(stored=True, unique=True),
        issue=ID,
        issue_date=DATETIME(stored=True, sortable=True),
        ordinal=NUMERIC(stored=True),
        title=TEXT(analyzer=analyzer, stored=True, chars=True, field_boost=TITLE_BOOST),
        subtitle=TEXT(analyzer=analyzer, stored=True, chars=True, field_boost=SUBTITLE_BOOST),
        kind=ID(stored=True),
        people=TEXT(analyzer=analyzer),
        reporters=STORED,
        correspondents=STORED,
        photographer=STORED,
        event_date=DATETIME(stored=True, sortable=True),
        body=TEXT(analyzer=analyzer, stored=True, chars=True),
    )


def _to_datetime(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day) if day else None


def _to_date(value: datetime | date | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def to_document(article: Article) -> dict[str, Any]:
    people = " ".join([*article.reporters, *article.correspondents, article.photographer or ""]).strip()
    doc = {
        "id": article.id,
        "issue": article.issue_date.isoformat(),
        "issue_date": _to_datetime(article.issue_date),
        "ordinal": article.ordinal,
        "title": article.title,
        "subtitle": article.subtitle,
        "kind": article.kind,
        "people": people,
        "reporters": list(article.reporters),
        "correspondents": list(article.correspondents),
        "photographer": article.photographer,
        "body": article.body,
    }
    if article.event_date:
        doc["event_date"] = _to_datetime(article.event_date)
    return doc


def from_stored(fields: Mapping[str, Any]) -> Article:
    """Rebuild the ``Article`` from a hit's stored fields."""
    return Article(
        issue_date=fields["issue_date"].date(),
        ordinal=fields["ordinal"],
        title=fields["title"],
        subtitle=fields.get("subtitle") or "",
        kind=fields["kind"],
        reporters=tuple(fields.get("reporters") or ()),
        correspondents=tuple(fields.get("correspondents") or ()),
        photographer=fields.get("photographer"),
        event_date=_to_date(fields.get("event_date")),
        body=fields["body"],
        id=fields["id"],
    )


__all__ = ["TITLE_BOOST", "build_schema", "from_stored", "to_document"]
