"""HTTP errors as ``{"error": "..."}`` for the routes that scripts and the pages' JavaScript call.

The status's own headers are kept, so a 401 still says ``WWW-Authenticate`` and a 405 still says ``Allow``.
"""

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException


def json_error(error: HTTPException) -> Response:
    """An error handler for ``HTTPException``s."""
    response = jsonify(error=error.description)
    response.status_code = error.code or 500  # never None here: Flask hands code-less HTTPExceptions back unhandled
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
