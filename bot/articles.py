"""``/articles/<id>``: one article as a page a phone reads comfortably; the link in news cards points here."""

import re

from flask import Blueprint, abort, render_template

from bot.data import get_search

bp = Blueprint("articles", __name__)

#: Only well-formed ids reach the index (``2026-04-28-03``): nothing in a URL can name a file.
ARTICLE_ID = re.compile(r"^\d{4}-\d{2}-\d{2}-\d{2,4}$")


@bp.get("/articles/<article_id>")
def show(article_id: str) -> str:
    if not ARTICLE_ID.match(article_id):
        abort(404)
    article = get_search().article(article_id)
    if article is None:
        abort(404)
    return render_template("article.html", article=article)
