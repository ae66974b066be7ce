"""Turn an issue file as an editor hands it over into an ``Issue``, or one clear error.

The CLI, the admin API, the evaluation set, the benchmarks and the tests all come through here, so size limits,
format detection, names and error messages are the same wherever an issue arrives.
"""

import re
from dataclasses import dataclass
from datetime import date
from os import PathLike
from pathlib import PureWindowsPath

from index.archive import Issue
from index.decode import decode_issue
from index.errors import IssueError
from index.jsonissue import parse_json_issue
from index.parse import parse_text
from index.reading import ArticleReading, PageReading

ISSUE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def issue_date(text: object) -> date:
    """The date ``YYYY-MM-DD`` names; ``ValueError`` for anything else (``fromisoformat`` alone takes ``20260428``)."""
    if not isinstance(text, str) or not ISSUE_DATE.match(text):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    return date.fromisoformat(text)


def looks_like_json(name: str, text: str) -> bool:
    return str(name).lower().endswith(".json") or text.lstrip().startswith("[")


def parse_upload(data: bytes, issue_date: date, *, name: str, max_bytes: int) -> PageReading:
    """Parse the bytes of an issue file called ``name``; raise ``IssueError`` naming it on any problem.

    Editors' JSON is read as they wrote it: every article with full confidence and no lines to show.
    """
    try:
        if len(data) > max_bytes:
            raise IssueError(f"the file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB")
        text = decode_issue(data)
        if looks_like_json(name, text):
            articles = tuple(parse_json_issue(text, issue_date))
            return PageReading(articles, tuple(ArticleReading(confidence=1.0) for _ in articles))
        return parse_text(text, issue_date)
    except IssueError as error:
        raise error.with_path(name) from None


@dataclass(frozen=True)
class Upload:
    """An issue file as read: the issue to publish, and the parser's reading of each of its articles."""

    issue: Issue
    readings: tuple[ArticleReading, ...]


def read_upload(
    data: bytes, issue_date: date, *, source: str | PathLike[str], name: str | None = None, max_bytes: int
) -> Upload:
    """The issue in ``data``, the bytes of the file ``source`` (a path or an uploaded file's name), with readings.

    Errors name ``source`` as given; the archive records only its last part, and the issue's name defaults to that
    part's stem. ``PureWindowsPath`` splits on both separators, as a browser on either system may send them.
    """
    page = parse_upload(data, issue_date, name=str(source), max_bytes=max_bytes)
    file_name = PureWindowsPath(str(source)).name
    issue = Issue(
        date=issue_date, name=name or PureWindowsPath(file_name).stem, articles=page.articles, source_name=file_name
    )
    return Upload(issue, page.readings)


def load_issue(
    data: bytes, issue_date: date, *, source: str | PathLike[str], name: str | None = None, max_bytes: int
) -> Issue:
    """The issue in ``data`` (see ``read_upload``), for callers that need no readings."""
    return read_upload(data, issue_date, source=source, name=name, max_bytes=max_bytes).issue
