"""The 高新区头条 bulletin bot: a Flask application factory.

Importing the package builds nothing; ``create_app`` wires each resource through its own ``init_app``. An app built
to serve (gunicorn, ``flask run``, a test) opens its index at once and warns about missing settings; one built for an
editor's command does neither (``bot.serving``).
"""

from collections.abc import Mapping
from typing import Any

from flask import Flask

from bot import logs
from config.settings import from_env


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings from the environment, then ``config`` (a test's mapping) on top."""
    app = Flask(__name__)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # the default provider has it; answer real UTF-8
    app.config.from_mapping(from_env())
    if config:
        app.config.from_mapping(config)
    logs.configure()

    from bot import admin, articles, cli, data, health, home, serving, simulator, wechat

    serves = serving.is_serving()
    data.init_app(app, serving=serves)
    cli.init_app(app)
    wechat.init_app(app)
    admin.init_app(app)
    simulator.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(articles.bp)
    app.register_blueprint(home.bp)
    if serves:
        serving.announce(app)
    return app
