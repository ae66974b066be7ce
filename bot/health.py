"""``/healthz``: is the index there and readable, and which generation is being served."""
from flask import Blueprint, jsonify

from bot.data import get_store

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    store = get_store()
    try:
        generation = store.index_dir.generation()
        with store.index_dir.open().searcher() as searcher:
            articles = searcher.doc_count()
    except Exception as error:  # any failure to open the index means "not ready"
        return jsonify(status="unavailable", error=type(error).__name__), 503
    return jsonify(status="ok", generation=generation, articles=articles)
