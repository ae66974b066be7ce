"""Issues that editors already have as clean data: a JSON list of articles with the keys of ``ingest --json``.

The shape is checked field by field so an editor learns exactly which article and key to fix. ``id`` is accepted
and ignored: ids are the issue date plus the article's place in the list, like those of parsed issues.
"""

import json
from datetime import date

from index.article import KINDS, Article
from index.errors import IssueError

TEXT_KEYS = ("title", "body")
OPTIONAL_TEXT_KEYS = ("subtitle", "photographer")
LIST_KEYS = ("reporters", "correspondents")


def parse_json_issue(text: str, issue_date: date) -> list[Article]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise IssueError(f"invalid JSON: {error.msg}", line=error.lineno) from None
    if not isinstance(items, list):
        raise IssueError("a JSON issue must be a list of article objects")
    if not items:
        raise IssueError("no article found: the JSON list is empty")
    return [_article(item, number, issue_date) for number, item in enumerate(items, 1)]


def _article(item: object, number: int, issue_date: date) -> Article:
    where = f"article {number}"
    if not isinstance(item, dict):
        raise IssueError(f"{where}: expected an object, got {type(item).__name__}")
    for key in TEXT_KEYS:
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise IssueError(f"{where}: '{key}' must be a non-empty string")
    for key in OPTIONAL_TEXT_KEYS:
        if item.get(key) is not None and not isinstance(item[key], str):
            raise IssueError(f"{where}: '{key}' must be a string or null")
    for key in LIST_KEYS:
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(name, str) and name.strip() for name in value):
            raise IssueError(f"{where}: '{key}' must be a list of names")
    kind = item.get("kind", "story")
    if kind not in KINDS:
        raise IssueError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    return Article(
        issue_date=issue_date,
        ordinal=number,
        title=item["title"].strip(),
        subtitle=(item.get("subtitle") or "").strip(),
        kind=kind,
        reporters=tuple(name.strip() for name in item.get("reporters", [])),
        correspondents=tuple(name.strip() for name in item.get("correspondents", [])),
        photographer=(item.get("photographer") or "").strip() or None,
        event_date=_event_date(item.get("event_date"), where),
        body="\n".join(line.strip() for line in item["body"].splitlines() if line.strip()),
    )


def _event_date(value: object, where: str) -> date | None:
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise TypeError(value)
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise IssueError(f"{where}: 'event_date' must be YYYY-MM-DD or null") from None
