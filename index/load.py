"""Turn an issue file as an editor hands it over into an ``Issue``, or one clear error.

The CLI, the admin API, the evaluation set, the benchmarks and the tests all come through here, so size limits,
format detection, names and error messages are the same wherever an issue arrives. A file is a page PDF when it
starts as PDFs do (``%PDF-``, whatever its name), an editors' JSON issue when it is named ``.json`` or opens with
``[``, and page text otherwise; a file named ``.pdf`` that is no PDF is refused as such.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from os import PathLike
from pathlib import PureWindowsPath

from index.archive import Issue
from index.codec import ISO_DATE
from index.corrections import Operation, Source, apply_traced, log_entries
from index.decode import decode_issue
from index.errors import IssueError, mib
from index.jsonissue import parse_json_issue
from index.parse import PageParser
from index.photos import Photo
from index.reading import ArticleReading, PageReading

#: What a PDF starts with; readers accept it within the first kilobyte (after junk some programs write first).
PDF_MAGIC = b"%PDF-"
PDF_MAGIC_WITHIN = 1024


def issue_date(text: object) -> date:
    """The date ``YYYY-MM-DD`` names; ``ValueError`` for anything else (``fromisoformat`` alone takes ``20260428``)."""
    if not isinstance(text, str) or not ISO_DATE.match(text):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    return date.fromisoformat(text)


def looks_like_json(name: str, text: str) -> bool:
    return str(name).lower().endswith(".json") or text.lstrip().startswith("[")


def is_pdf(data: bytes) -> bool:
    return PDF_MAGIC in data[:PDF_MAGIC_WITHIN]


def parse_upload(data: bytes, issue_date: date, *, name: str, max_bytes: int, parser: PageParser) -> PageReading:
    """Parse the bytes of an issue file called ``name``; raise ``IssueError`` naming it on any problem.

    Editors' JSON is read as they wrote it: every article with full confidence and no lines to show. A page PDF is
    read from its geometry (``PageParser.read_pdf``), photos included.
    """
    try:
        if len(data) > max_bytes:
            raise IssueError(
                f"the file is {mib(len(data))}; the limit is {mib(max_bytes)}",
                code="file_too_large",
                details={"size": len(data), "limit": max_bytes},
            )
        if is_pdf(data):
            return parser.read_pdf(data, issue_date)
        if str(name).lower().endswith(".pdf"):
            raise IssueError("the file is named .pdf but is not a PDF", code="not_pdf")
        text = decode_issue(data)
        if looks_like_json(name, text):
            articles = tuple(parse_json_issue(text, issue_date))
            return PageReading(articles, tuple(ArticleReading(confidence=1.0) for _ in articles))
        return parser.read(text, issue_date)
    except IssueError as error:
        raise error.with_path(name) from None


@dataclass(frozen=True)
class Upload:
    """An issue file as read: the issue to publish, the parser's reading of each of its articles, and the photos
    its articles name (a page PDF's)."""

    issue: Issue
    readings: tuple[ArticleReading, ...]
    photos: tuple[Photo, ...] = ()

    def corrected(self, operations: Sequence[Operation], source: Source, at: str) -> "Upload":
        """The upload as the editor corrected it before publishing: the operations applied and logged, and each
        reading beside the article it became (both halves of a split keep it; a merge joins two)."""
        if not operations:
            return self
        articles, origins = apply_traced(self.issue.articles, operations)
        issue = replace(self.issue, articles=articles, log=self.issue.log + log_entries(operations, source, at))
        return Upload(issue, tuple(_joined([self.readings[n] for n in origin]) for origin in origins), self.photos)


def _joined(readings: Sequence[ArticleReading]) -> ArticleReading:
    """One reading for an article made of several: the least confidence, every line."""
    if len(readings) == 1:
        return readings[0]
    return ArticleReading(
        confidence=min(reading.confidence for reading in readings),
        lines=tuple(line for reading in readings for line in reading.lines),
    )


def read_upload(
    data: bytes,
    issue_date: date,
    *,
    source: str | PathLike[str],
    name: str | None = None,
    max_bytes: int,
    parser: PageParser,
) -> Upload:
    """The issue in ``data``, the bytes of the file ``source`` (a path or an uploaded file's name), with readings.

    Errors name ``source`` as given; the archive records only its last part, and the issue's name defaults to that
    part's stem. ``PureWindowsPath`` splits on both separators, as a browser on either system may send them.
    """
    page = parse_upload(data, issue_date, name=str(source), max_bytes=max_bytes, parser=parser)
    file_name = PureWindowsPath(str(source)).name
    issue = Issue(
        date=issue_date, name=name or PureWindowsPath(file_name).stem, articles=page.articles, source_name=file_name
    )
    return Upload(issue, page.readings, page.photos)


def reread(data: bytes, issue: Issue, *, max_bytes: int, parser: PageParser) -> PageReading:
    """What the current parser makes of an archived issue's source (``bulletin reparse``): its articles and photos;
    a JSON source is read as JSON again, as on the day it was received."""
    return parse_upload(data, issue.date, name=issue.source_name or "source", max_bytes=max_bytes, parser=parser)


def load_issue(
    data: bytes,
    issue_date: date,
    *,
    source: str | PathLike[str],
    name: str | None = None,
    max_bytes: int,
    parser: PageParser,
) -> Issue:
    """The issue in ``data`` (see ``read_upload``), for callers that need no readings."""
    return read_upload(data, issue_date, source=source, name=name, max_bytes=max_bytes, parser=parser).issue
