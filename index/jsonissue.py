"""Issues that editors already have as clean data: a JSON list of articles with the keys of ``ingest --json``.

The shape is checked field by field (by ``index.codec``, from the ``Article`` dataclass itself) so an editor learns
exactly which article and key to fix. ``id``, ``issue_date`` and ``ordinal`` are accepted and ignored: ids are the
issue date plus the article's place in the list, like those of parsed issues; so is ``photo`` (photos come only
with a page PDF).
"""

import json
from dataclasses import replace
from datetime import date

from index import codec
from index.article import Article
from index.errors import Detail, IssueError

#: Keys the issue decides, whatever the file says (a JSON issue brings no photo files to name).
PLACED_KEYS = ("id", "issue_date", "ordinal", "photo")
#: Keys that must hold text: an article without a title or a body cannot be shown.
REQUIRED_TEXT = ("title", "body")


def parse_json_issue(text: str, issue_date: date) -> list[Article]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise IssueError(f"invalid JSON: {error.msg}", code="invalid_json", line=error.lineno) from None
    if not isinstance(items, list):
        raise IssueError("a JSON issue must be a list of article objects", code="json_not_list")
    if not items:
        raise IssueError("no article found: the JSON list is empty", code="json_empty")
    return [_article(item, number, issue_date) for number, item in enumerate(items, 1)]


def _article(item: object, number: int, issue_date: date) -> Article:
    where = f"article {number}"
    if not isinstance(item, dict):
        raise IssueError(
            f"{where}: expected an object, got {type(item).__name__}",
            code="json_not_object",
            details={"article": number},
        )
    for key in REQUIRED_TEXT:
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise IssueError(
                f"{where}: '{key}' must be a non-empty string",
                code="json_missing_text",
                details={"article": number, "key": key},
            )
    fields = {key: _tidy(value) for key, value in item.items() if key not in PLACED_KEYS}
    try:
        article = codec.decode(Article, {**fields, "issue_date": issue_date.isoformat(), "ordinal": number})
    except codec.CodecError as error:
        raise IssueError(
            f"{where}: {error}", code="json_bad_value", details={"article": number, **codec_details(error)}
        ) from None
    if any(not name for name in (*article.reporters, *article.correspondents)):
        raise IssueError(f"{where}: names must not be empty", code="json_empty_name", details={"article": number})
    return replace(article, photographer=article.photographer or None)


def codec_details(error: codec.CodecError) -> dict[str, Detail]:
    """What a ``CodecError`` says, as an ``IssueError``'s details: the key, what it expected, the allowed values."""
    return {"key": error.key, "expected": error.expected, "options": ", ".join(error.options)}


def _tidy(value: object) -> object:
    """Strings stripped (a body's lines one by one, blank lines dropped); an empty optional text is no text."""
    if isinstance(value, str):
        lines = [line.strip() for line in value.splitlines() if line.strip()]
        return "\n".join(lines)
    if isinstance(value, list):
        return [_tidy(item) for item in value]
    return value
