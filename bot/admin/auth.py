"""Who may use the editors' desk: whoever holds ``ADMIN_TOKEN``, checked in constant time.

Without a token configured the desk does not exist (404 everywhere), so a deployment that never set one shows
nothing, not even a login.
"""

import hmac
import logging

from flask import abort, current_app, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

log = logging.getLogger("bot.admin")


def require_desk() -> None:
    """404 unless the desk is configured."""
    if not current_app.config["ADMIN_TOKEN"]:
        abort(404)


def require_token() -> None:
    """401 unless the request carries ``Authorization: Bearer <ADMIN_TOKEN>``."""
    require_desk()
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    expected = current_app.config["ADMIN_TOKEN"].encode("utf-8")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode("utf-8"), expected):
        log.warning("refused an admin request without a valid token: %s %s", request.method, request.path)
        raise Unauthorized(
            "a valid admin token is required (Authorization: Bearer ...)",
            www_authenticate=WWWAuthenticate("bearer", {"realm": "admin"}),
        )
