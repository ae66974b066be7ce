"""``/admin/...``: publish, list, remove and reindex issues, and read what residents ask, as JSON.

Thin on purpose: parsing is ``index.load``'s (shared with the CLI), writing is the ``Store``'s, counting is
``state.stats``'s. Every answer is JSON, errors too, and an upload that announces more than the limit is refused
before its body is read.
"""

import logging
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from bot.admin.auth import require_token
from bot.data import get_state, get_store
from bot.jsonerror import json_error
from bot.state.stats import hit_rate
from index.archive import Issue
from index.article import Article
from index.errors import IssueError, WriterBusy
from index.load import issue_date, load_issue

bp = Blueprint("admin_api", __name__, url_prefix="/admin")
bp.before_request(require_token)
bp.register_error_handler(HTTPException, json_error)
log = logging.getLogger("bot.admin")

#: Room for the multipart framing and the small fields around the file itself.
FORM_OVERHEAD = 64 * 1024
#: A preview shows the start of each body, enough to see where the parser split the page.
PREVIEW_PARAGRAPHS = 2
PREVIEW_CHARS = 120
YES = frozenset({"1", "true", "yes"})


@bp.errorhandler(IssueError)
def rejected(error: IssueError) -> tuple[Response, int]:
    return jsonify(error=str(error)), 400


@bp.errorhandler(WriterBusy)
def busy(error: WriterBusy) -> tuple[Response, int]:
    return jsonify(error=str(error)), 409


@bp.errorhandler(OSError)
def disk_failed(error: OSError) -> tuple[Response, int]:
    log.exception("an admin request could not use the data dir")
    return jsonify(error=f"cannot write to the data dir, nothing was changed: {error.strerror or error}"), 500


def date_or_400(text: str | None) -> date:
    """The issue date ``text`` names, or 400."""
    try:
        return issue_date(text)
    except ValueError:
        abort(400, f"invalid date {text!r}: expected YYYY-MM-DD")


def summary(issue: Issue) -> dict[str, str | int]:
    return {
        "date": issue.date.isoformat(),
        "name": issue.name,
        "source_name": issue.source_name,
        "count": len(issue.articles),
    }


def preview(article: Article) -> dict[str, Any]:
    """An article as the editor checks it: every field but the body, the byline, and the body's first lines."""
    item = article.to_json()
    del item["body"]
    item["byline"] = article.byline
    item["opening"] = [paragraph[:PREVIEW_CHARS] for paragraph in article.paragraphs[:PREVIEW_PARAGRAPHS]]
    return item


def too_large(limit: int) -> str:
    return f"the file is larger than the limit of {limit / 1e6:.1f} MB"


@bp.post("/issues")
def upload() -> tuple[Response, int]:
    """Multipart ``file``, ``date`` and optional ``name``; ``?dry_run=1`` parses and writes nothing."""
    limit = current_app.config["MAX_ISSUE_BYTES"]
    request.max_content_length = limit + FORM_OVERHEAD  # also stops a body without Content-Length at the limit
    if (request.content_length or 0) > request.max_content_length:
        abort(413, too_large(limit))
    day = date_or_400(request.form.get("date"))
    uploaded = request.files.get("file")
    if uploaded is None:
        abort(400, "no file: send the issue as the multipart field 'file'")
    data = uploaded.stream.read(limit + 1)
    if len(data) > limit:
        abort(413, too_large(limit))
    issue = load_issue(
        data,
        day,
        source=uploaded.filename or "upload.txt",
        name=request.form.get("name", "").strip() or None,
        max_bytes=limit,
    )
    dry_run = request.args.get("dry_run", "").lower() in YES
    if not dry_run:
        get_store().ingest(issue, data)
        log.info("published the issue of %s (%d articles)", day.isoformat(), len(issue.articles))
    body = {**summary(issue), "dry_run": dry_run, "articles": [preview(a) for a in issue.articles]}
    return jsonify(body), 200 if dry_run else 201


@bp.get("/issues")
def issues() -> Response:
    """Archived issues, newest first."""
    return jsonify(issues=[summary(issue) for issue in reversed(get_store().issues())])


@bp.delete("/issues/<day>")
def remove(day: str) -> Response:
    issue_day = date_or_400(day)
    try:
        issue = get_store().remove(issue_day)
    except IssueError:
        abort(404, f"no archived issue dated {issue_day.isoformat()}")
    log.info("removed the issue of %s (%d articles)", issue_day.isoformat(), len(issue.articles))
    return jsonify(removed=summary(issue))


@bp.post("/reindex")
def reindex() -> Response:
    count = get_store().reindex()
    log.info("reindexed %d articles", count)
    return jsonify(articles=count)


@bp.get("/stats")
def stats() -> Response:
    state = get_state()
    cache = state.cache.stats()
    return jsonify(cache={**cache, "hit_rate": hit_rate(cache)}, **state.stats.report())
