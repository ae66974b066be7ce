"""The editors' desk: a JSON API (``api``) and the page that drives it (``page``), both behind ``ADMIN_TOKEN``.

The API does over HTTP what the CLI does in a shell (publish, list, remove, reindex) through the same functions, and
adds what only the running bot knows: what residents ask.
"""

from flask import Flask

from bot.admin import api, page


def init_app(app: Flask) -> None:
    app.register_blueprint(api.bp)
    app.register_blueprint(page.bp)
