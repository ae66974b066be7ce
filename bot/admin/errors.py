"""How the admin API fails: always JSON, ``{"code": <stable, for scripts>, "error": <Chinese, for editors>}``.

Every error an admin route can meet comes through the handlers ``protect`` registers on a blueprint: the API's own
(``DeskError``), a rejected file or correction (``IssueError``, coded in ``index/``), a busy writer, a cluster's record
out of reach, a failing disk,
and whatever HTTP error Flask or werkzeug raise (the token check, the body size limit). An address or method no
route knows never reaches a blueprint: ``routing_error`` answers those, app-wide, for ``/admin/`` paths.
"""

import logging

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from bot.admin.auth import require_token
from bot.admin.messages import STATUS_CODES, issue_message, message
from index.errors import Detail, IssueError, RecordMismatch, RecordUnavailable, WriterBusy

log = logging.getLogger("bot.admin")

#: Statuses of ``IssueError`` codes that are not the editor's input to fix (400).
ISSUE_STATUS = {"no_such_issue": 404, "issue_changed": 409, "changed_meanwhile": 409, "record_not_empty": 409}


class DeskError(Exception):
    """An API error with its HTTP status, its code (``bot/admin/messages.py``) and the values its message needs."""

    def __init__(self, status: int, code: str, **details: Detail) -> None:
        super().__init__(code)
        self.status, self.code, self.details = status, code, details


def answer(status: int, code: str, text: str) -> tuple[Response, int]:
    return jsonify(code=code, error=text), status


def desk_error(error: DeskError) -> tuple[Response, int]:
    return answer(error.status, error.code, message(error.code, error.details))


def issue_error(error: IssueError) -> tuple[Response, int]:
    return answer(ISSUE_STATUS.get(error.code, 400), error.code, issue_message(error))


def writer_busy(error: WriterBusy) -> tuple[Response, int]:
    return answer(409, "busy", message("busy", {}))


def record_unavailable(error: RecordUnavailable) -> tuple[Response, int]:
    """The cluster's record cannot be reached, or this node must not follow it: nothing was published."""
    log.warning("an admin request could not publish: %s", error)
    code = "record_mismatch" if isinstance(error, RecordMismatch) else "record_unavailable"
    return answer(503, code, message(code, {}))


def disk_failed(error: OSError) -> tuple[Response, int]:
    log.exception("an admin request could not use the data dir")
    return answer(500, "disk_failed", message("disk_failed", {}))


def http_error(error: HTTPException) -> Response:
    """Routing, the token, the size limit: the status's own code, and its headers (``WWW-Authenticate``, ``Allow``)."""
    status = error.code or 500  # never None here: Flask hands code-less HTTPExceptions back unhandled
    code = STATUS_CODES.get(status, "server_error" if status >= 500 else "bad_request")
    response, _ = answer(status, code, message(code, {"limit": current_app.config["MAX_ISSUE_BYTES"]}))
    response.status_code = status
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def routing_error(error: HTTPException) -> Response | HTTPException:
    """An unknown ``/admin/...`` address or method, which no blueprint's handlers see: JSON too, unless it is the
    page's own address. Any other path keeps Flask's answer."""
    path = request.path
    if path.startswith("/admin/") and path != "/admin/":
        return http_error(error)
    return error


def protect(bp: Blueprint) -> None:
    """Put ``bp`` behind the admin token and give it the API's JSON errors."""
    bp.before_request(require_token)
    bp.register_error_handler(DeskError, desk_error)
    bp.register_error_handler(IssueError, issue_error)
    bp.register_error_handler(WriterBusy, writer_busy)
    bp.register_error_handler(RecordUnavailable, record_unavailable)
    bp.register_error_handler(OSError, disk_failed)
    bp.register_error_handler(HTTPException, http_error)
