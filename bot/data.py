"""The data dir as an app resource: the write-side ``Store`` configured from the app's settings."""
from flask import current_app

from index import segment
from index.store import Store


def get_store(app=None):
    app = app or current_app
    return app.extensions["store"]


def init_app(app):
    segment.initialize(app.config["USER_DICT"])
    app.extensions["store"] = Store(app.config["BULLETIN_DATA_DIR"], lock_timeout=app.config["INGEST_LOCK_TIMEOUT"])
