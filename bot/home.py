"""``/``: what this server is, for whoever opens its address (a newcomer after ``make run``, an operator checking a
deployment), with links to the chat simulator when it is on and to the editors' desk when it exists; and the
favicon browsers ask every site for."""

from flask import Blueprint, Response, current_app, render_template

from bot.data import get_search
from index.article import Article

bp = Blueprint("home", __name__)


def newest_issue() -> list[Article]:
    """The newest issue's articles, or none when there is no index yet (the page still says what this is)."""
    try:
        return get_search().latest_issue()
    except Exception:  # a damaged index: /healthz says what is wrong, this page only what the server is
        return []


@bp.get("/")
def landing() -> str:
    return render_template(
        "home.html",
        newest=newest_issue(),
        simulator="simulator" in current_app.extensions,
        desk=bool(current_app.config["ADMIN_TOKEN"]),
    )


@bp.get("/favicon.ico")
def favicon() -> Response:
    return current_app.send_static_file("favicon.ico")
