"""The Whoosh schema, and the mapping between an ``Article`` and its index document.

The article itself is stored once, as its JSON (``index.codec``) in the ``article`` field; the other fields are what
the search needs: text to rank (title boosted, kicker and deck as ``subtitle``, body, and who wrote or photographed a
story as ``people``: "付凯明的报道"), dates to filter and sort on, and the id. Text fields keep character offsets
(``chars=True``): where the snippets' marks must fall (``index.snippets.term_spans`` finds them again in the text).
"""

import json
from collections.abc import Mapping
from datetime import date, datetime
from os import PathLike
from typing import Any

from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema

from index.analysis import chinese_analyzer
from index.article import Article

TITLE_BOOST = 3.0
SUBTITLE_BOOST = 1.5


def build_schema(stopwords_path: str | PathLike[str]) -> Schema:
    analyzer = chinese_analyzer(stopwords_path)
    return Schema(
        id=ID(stored=True, unique=True),
        issue=ID,
        issue_date=DATETIME(stored=True, sortable=True),
        ordinal=NUMERIC(stored=True),
        title=TEXT(analyzer=analyzer, chars=True, field_boost=TITLE_BOOST),
        subtitle=TEXT(analyzer=analyzer, chars=True, field_boost=SUBTITLE_BOOST),
        kind=ID,
        people=TEXT(analyzer=analyzer),
        event_date=DATETIME(sortable=True),
        body=TEXT(analyzer=analyzer, chars=True),
        article=STORED,
    )


#: Fields an index must have for this version to read it; an index without them was built by an older one.
REQUIRED_FIELDS = frozenset({"id", "article", "body"})


def _to_datetime(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def to_document(article: Article) -> dict[str, Any]:
    people = " ".join([*article.reporters, *article.correspondents, article.photographer or ""]).strip()
    doc = {
        "id": article.id,
        "issue": article.issue_date.isoformat(),
        "issue_date": _to_datetime(article.issue_date),
        "ordinal": article.ordinal,
        "title": article.title,
        "subtitle": " ".join(part for part in (article.kicker, article.subtitle) if part),
        "kind": article.kind.value,
        "people": people,
        "body": article.body,
        "article": json.dumps(article.to_json(), ensure_ascii=False),
    }
    if article.event_date:
        doc["event_date"] = _to_datetime(article.event_date)
    return doc


def from_stored(fields: Mapping[str, Any]) -> Article:
    """Rebuild the ``Article`` from a hit's stored fields."""
    return Article.from_json(json.loads(fields["article"]))


__all__ = ["REQUIRED_FIELDS", "TITLE_BOOST", "build_schema", "from_stored", "to_document"]
