"""gunicorn settings for the Procfile: ``gunicorn -c config/gunicorn.conf.py "bot:create_app()"``.

The app is loaded once in the master before forking (``preload_app``), so jieba's dictionary, the user dictionary
and the word lists are loaded a single time and shared copy-on-write by every worker; no resident's first message
pays for them. Each worker then opens its own index searcher (``post_fork``): file handles must not be shared
across processes.
"""

import os
from typing import Protocol

from flask import Flask

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads let a worker accept the next message while one answer waits on a slow Redis or a long search.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
preload_app = True
timeout = 30
graceful_timeout = 10
keepalive = 5
accesslog = os.environ.get("ACCESS_LOG") or None
# Message bodies are capped by the webhook; this caps the request line and headers.
limit_request_line = 4094
# gunicorn's control socket is one path per user by default, which two nodes of a cluster on one machine would
# fight over; nothing here uses it.
control_socket_disable = True


class LoadedApp(Protocol):
    """What the hooks use of gunicorn's application object (gunicorn ships no type information)."""

    def wsgi(self) -> Flask: ...


class Worker(Protocol):
    """What the hooks use of a gunicorn worker."""

    app: LoadedApp


def post_fork(server: object, worker: Worker) -> None:
    search = worker.app.wsgi().extensions["search"]
    search.close()
    search.warm_up()


def worker_exit(server: object, worker: Worker) -> None:
    from bot import data

    data.close(worker.app.wsgi())
