"""The editors' desk: a JSON API (``api`` for issues, ``questions`` for what residents ask, ``conventions`` for the
papers' words the parser knows) and the page that drives it (``page``), all behind ``ADMIN_TOKEN``.

The API does over HTTP what the CLI does in a shell (preview, publish, correct, list, remove, reindex) through the
same functions, and adds what only the running bot knows: what residents ask. Its errors are JSON with a stable
``code`` and a Chinese message (``errors``, ``messages``).
"""

from flask import Flask

from bot.admin import api, conventions, errors, page, questions


def init_app(app: Flask) -> None:
    app.register_error_handler(404, errors.routing_error)
    app.register_error_handler(405, errors.routing_error)
    app.register_blueprint(api.bp)
    app.register_blueprint(questions.bp)
    app.register_blueprint(conventions.bp)
    app.register_blueprint(page.bp)
