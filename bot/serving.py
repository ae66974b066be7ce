"""What only an app that serves requests does: open its index at start, and tell the operator what its settings
leave out.

An app is also built for each editor's command (``bulletin issues``, ``flask --app bot ingest``); such a command
prints what it did and nothing about a webhook token or a Redis it never uses, and it does not open the index before
it needs it (``bulletin seed`` builds the index the server then opens). The app serves when it is built outside any
command line (gunicorn, a test) or by Flask's own ``flask run``.
"""

import logging

import click
from flask import Flask

log = logging.getLogger("bot")

#: The Flask command that serves the app it builds.
FLASK_RUN = "run"


def is_serving() -> bool:
    """True unless the app is being built for a command-line command other than ``flask run``."""
    command = click.get_current_context(silent=True)
    return command is None or command.command.name == FLASK_RUN


def serving_warnings(app: Flask) -> list[str]:
    """What a server's operator should know about its settings, as one line each."""
    config = app.config
    warnings = []
    if not config["WECHAT_TOKEN"]:
        warnings.append("WECHAT_TOKEN is not set: /wechat refuses every request")
    if not config["REDIS_URL"]:
        warnings.append("REDIS_URL is not set: in-process state, one process only")
    simulator = app.extensions.get("simulator")
    if simulator is not None:
        warnings.append(
            f"the chat simulator is on at /simulator ({simulator.mode} mode): it can speak as any user, "
            "development only"
        )
    return warnings


def announce(app: Flask) -> None:
    for warning in serving_warnings(app):
        log.warning(warning)
