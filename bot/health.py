"""``/healthz``: can this worker answer? Index generation and size, and whether Redis answers.

503 when the index cannot be opened (none built yet, or damaged): a load balancer then keeps traffic away while an
editor runs ``bulletin reindex``. Redis being down is reported but is not a 503: the bot answers without it.
"""

from flask import Blueprint, Response, jsonify

from bot.data import get_search, get_state

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response | tuple[Response, int]:
    state = get_state()
    redis = {"backend": state.backend, "ok": state.ping()}
    try:
        search = get_search()
        generation, articles = search.generation(), search.doc_count()
    except Exception as error:  # a missing or damaged index, whatever Whoosh raises for it
        return jsonify(status="unavailable", error=type(error).__name__, redis=redis), 503
    return jsonify(status="ok", generation=generation, articles=articles, redis=redis)
