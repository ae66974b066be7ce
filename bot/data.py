"""The app's resources: the write-side ``Store``, the read-side ``Search`` and the shared ``State`` (Redis or
in-process).

Both are built once per app (so once per gunicorn worker), and the search index is opened at start-up, with
jieba's dictionary and the user dictionary, so no resident's message pays for loading them.
"""
from flask import current_app

from bot.state import open_state
from index import segment
from index.search import Search
from index.store import Store


def get_store(app=None):
    return (app or current_app).extensions["store"]


def get_search(app=None):
    return (app or current_app).extensions["search"]


def get_state(app=None):
    return (app or current_app).extensions["state"]


def init_app(app):
    segment.initialize(app.config["USER_DICT"])
    store = Store(app.config["BULLETIN_DATA_DIR"], lock_timeout=app.config["INGEST_LOCK_TIMEOUT"])
    search = Search(store.index_dir)
    search.warm_up()
    app.extensions["store"] = store
    app.extensions["search"] = search
    app.extensions["state"] = open_state(app.config)


def close(app):
    """Release what the app holds open (the index searcher, Redis connections): a worker's exit, a test's end."""
    app.extensions["search"].close()
    app.extensions["state"].close()
