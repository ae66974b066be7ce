"""``/articles/<id>``: one article as a page a phone reads comfortably; the link in news cards points here.
``/articles/<id>/photo.jpg``: its photo (a page PDF's picture beside its caption), the card's picture too."""

import re

from flask import Blueprint, Response, abort, render_template, request

from bot.data import get_search, get_store
from index.article import Article

bp = Blueprint("articles", __name__)

#: Only well-formed ids reach the index (``2026-04-28-03``): nothing in a URL can name a file.
ARTICLE_ID = re.compile(r"^\d{4}-\d{2}-\d{2}-\d{2,4}$")
#: A photo changes only when its issue is published again, under the same address: browsers and WeChat check back.
PHOTO_MAX_AGE = 3600


def found(article_id: str) -> Article:
    """The published article ``article_id``, or 404."""
    if not ARTICLE_ID.match(article_id):
        abort(404)
    article = get_search().article(article_id)
    if article is None:
        abort(404)
    return article


@bp.get("/articles/<article_id>")
def show(article_id: str) -> str:
    return render_template("article.html", article=found(article_id))


@bp.get("/articles/<article_id>/photo.jpg")
def photo(article_id: str) -> Response:
    """The article's photo from its issue's archive folder (the name is checked there), or 404. Photos are small
    (``index.pdf.extract.PHOTO_SIDE``): read whole, no file stays open."""
    article = found(article_id)
    path = get_store().archive.photo_path(article.issue_date, article.photo) if article.photo else None
    if path is None:
        abort(404)
    try:
        photo_bytes = path.read_bytes()
    except OSError:  # the issue was published again meanwhile, and this version removed
        abort(404)
    response = Response(photo_bytes, mimetype="image/jpeg")
    response.cache_control.max_age = PHOTO_MAX_AGE
    response.add_etag()
    response.make_conditional(request)
    return response
