"""HTTP errors as ``{"error": "..."}`` for the routes that scripts and the pages' JavaScript call.

The status's own headers are kept, so a 401 still says ``WWW-Authenticate`` and a 405 still says ``Allow``.
"""
from flask import jsonify


def json_error(error):
    """An error handler for ``HTTPException``s."""
    response = jsonify(error=error.description)
    response.status_code = error.code
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
