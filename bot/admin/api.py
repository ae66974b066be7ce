"""``/admin/issues`` and ``/admin/reindex``: preview, publish, correct, list, remove and reindex issues, as JSON.

Thin on purpose: parsing is ``index.load``'s (shared with the CLI), corrections are ``index.corrections``', writing
is the ``Store``'s. The preview and the publishing of an upload are one route (``?dry_run=1`` writes nothing) taking
the same corrections, so what an editor saw in the preview is what is published; a published issue is corrected
the same way. An upload that announces more than the limit is refused before its body is read.
"""

import json
import logging
from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from bot.admin.errors import DeskError, protect
from bot.data import get_parser, get_store
from bot.issuejson import article_json, issue_json, summary, thumbnails
from index import codec
from index.corrections import Operation, Source, decode_operations, utc_now
from index.load import issue_date, read_upload
from index.reading import LOW_CONFIDENCE, ArticleReading

bp = Blueprint("admin_api", __name__, url_prefix="/admin")
protect(bp)
log = logging.getLogger("bot.admin")

#: Room for the multipart framing and the small fields around the file itself (the corrections among them).
FORM_OVERHEAD = 256 * 1024
YES = frozenset({"1", "true", "yes"})
#: Where a correction may say it came from over HTTP (``cli`` is the shell's own).
HTTP_SOURCES = {Source.DESK.value: Source.DESK, Source.API.value: Source.API}


def date_or_400(text: str | None) -> date:
    """The issue date ``text`` names, or 400."""
    try:
        return issue_date(text)
    except ValueError:
        raise DeskError(400, "invalid_date", date=str(text or "")) from None


def source_of(text: object) -> Source:
    """Where the request says its corrections come from: ``desk`` (the page) or ``api`` (the default)."""
    if text in (None, ""):
        return Source.API
    if not isinstance(text, str) or text not in HTTP_SOURCES:
        raise DeskError(400, "bad_source")
    return HTTP_SOURCES[text]


def dry_run() -> bool:
    return request.args.get("dry_run", "").lower() in YES


def reading_json(reading: ArticleReading) -> dict[str, Any]:
    """The parser's reading of an article: its confidence, whether that is low enough to flag, its labelled lines."""
    return {
        "confidence": reading.confidence,
        "low": reading.confidence < LOW_CONFIDENCE,
        "lines": codec.encode(reading.lines),
    }


def form_operations(text: str | None) -> tuple[Operation, ...]:
    """The ``corrections`` form field: a JSON list of operations, or nothing."""
    if not text or not text.strip():
        return ()
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise DeskError(400, "corrections_not_json") from None
    return decode_operations(data)


@bp.post("/issues")
def upload() -> tuple[Response, int]:
    """Multipart ``file``, ``date``, optional ``name``, ``corrections`` (JSON), ``source`` and ``replaces`` (the
    ``replaces`` a preview answered); ``?dry_run=1`` parses, corrects and answers, and writes nothing."""
    limit = current_app.config["MAX_ISSUE_BYTES"]
    request.max_content_length = limit + FORM_OVERHEAD  # also stops a body without Content-Length at the limit
    if (request.content_length or 0) > request.max_content_length:
        raise DeskError(413, "file_too_large", limit=limit)
    day = date_or_400(request.form.get("date"))
    uploaded = request.files.get("file")
    if uploaded is None:
        raise DeskError(400, "no_file")
    data = uploaded.stream.read(limit + 1)
    if len(data) > limit:
        raise DeskError(413, "file_too_large", limit=limit)
    operations = form_operations(request.form.get("corrections"))
    source = source_of(request.form.get("source"))
    store = get_store()
    # The issue this upload replaces, as the editor's preview showed it (else as it is now): if another editor
    # publishes, corrects or removes that date meanwhile, this upload is refused rather than undoing their work.
    replaces = request.form.get("replaces")
    if replaces is None:
        replaces = store.version_of(day)
    read = read_upload(
        data,
        day,
        source=uploaded.filename or "upload.txt",
        name=request.form.get("name", "").strip() or None,
        max_bytes=limit,
        parser=get_parser(),
    ).corrected(operations, source, utc_now())
    issue, previewing = read.issue, dry_run()
    if not previewing:
        store.ingest(issue, data, read.photos, expected=replaces)
        log.info(
            "published the issue of %s (%d articles, %d corrections)",
            day.isoformat(),
            len(issue.articles),
            len(operations),
        )
    small = thumbnails(read.photos)
    body = {
        **summary(issue),
        "dry_run": previewing,
        "replaces": replaces if previewing else store.version_of(day),
        "low_confidence": LOW_CONFIDENCE,
        "articles": [
            {**article_json(article, small), "reading": reading_json(reading)}
            for article, reading in zip(issue.articles, read.readings, strict=True)
        ],
        "log": codec.encode(issue.log),
    }
    return jsonify(body), 200 if previewing else 201


@bp.get("/issues")
def issues() -> Response:
    """Archived issues, newest first."""
    return jsonify(issues=[summary(issue) for issue in reversed(get_store().issues())])


@bp.get("/issues/<day>")
def issue(day: str) -> Response:
    """A published issue: its articles (with their photos' thumbnails), its correction log, its version."""
    store = get_store()
    issue_day = date_or_400(day)
    published, version = store.issue_version(issue_day)
    return jsonify(issue_json(published, version, store.archive.photos(issue_day)))


@bp.post("/issues/<day>/corrections")
def correct(day: str) -> Response:
    """JSON ``{"corrections": [...], "source": "desk"|"api", "version": "..."}``: apply, log and re-index, or with
    ``?dry_run=1`` answer the issue as it would become. ``version`` (from ``GET``) refuses the corrections with 409
    when the issue was changed since."""
    issue_day = date_or_400(day)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise DeskError(400, "bad_json", key="corrections", expected="list")
    operations = decode_operations(payload.get("corrections"))
    if not operations:
        raise DeskError(400, "no_corrections")
    version = payload.get("version")
    if version is not None and not isinstance(version, str):
        raise DeskError(400, "bad_json", key="version", expected="str")
    previewing = dry_run()
    store = get_store()
    corrected, new_version = store.correct(
        issue_day, operations, source_of(payload.get("source")), version=version, dry_run=previewing
    )
    if not previewing:
        log.info("corrected the issue of %s (%d operations)", issue_day.isoformat(), len(operations))
    return jsonify(issue_json(corrected, new_version, store.archive.photos(issue_day)))


@bp.delete("/issues/<day>")
def remove(day: str) -> Response:
    """``?version=`` (from ``GET``), when given, refuses the removal with 409 if the issue changed since."""
    issue = get_store().remove(date_or_400(day), expected=request.args.get("version"))
    log.info("removed the issue of %s (%d articles)", issue.date.isoformat(), len(issue.articles))
    return jsonify(removed=summary(issue))


@bp.post("/reindex")
def reindex() -> Response:
    count = get_store().reindex()
    log.info("reindexed %d articles", count)
    return jsonify(articles=count)
