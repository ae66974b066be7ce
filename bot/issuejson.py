"""The JSON shapes of an issue that the admin API answers and ``bulletin show --json`` prints: one place for both.

An article with a photo carries, for the desk, a ``thumbnail``: a small JPEG as a ``data:`` address, so a preview
shows photos that are not published anywhere yet, and the page needs no authenticated image requests.
"""

import base64
from collections.abc import Mapping, Sequence
from typing import Any

from index import codec
from index.archive import Issue
from index.article import Article
from index.photos import Photo, thumbnail


def summary(issue: Issue) -> dict[str, str | int]:
    return {
        "date": issue.date.isoformat(),
        "name": issue.name,
        "source_name": issue.source_name,
        "count": len(issue.articles),
        "corrections": len(issue.corrections),
    }


def thumbnails(photos: Sequence[Photo]) -> dict[str, str]:
    """Each photo's thumbnail as a ``data:`` address, by the photo's name."""
    return {
        photo.name: "data:image/jpeg;base64," + base64.b64encode(thumbnail(photo.jpeg)).decode("ascii")
        for photo in photos
    }


def article_json(article: Article, thumbnails: Mapping[str, str] | None = None) -> dict[str, Any]:
    """An article as the desk edits it: every field, the byline as printed, and its photo's thumbnail if any."""
    found = {**article.to_json(), "byline": article.byline}
    if thumbnails and article.photo in thumbnails:
        found["thumbnail"] = thumbnails[article.photo]
    return found


def issue_json(issue: Issue, version: str, photos: Sequence[Photo] = ()) -> dict[str, Any]:
    """A published issue as the desk opens it: its articles (with their photos' thumbnails), its log, and the
    version corrections refer to."""
    small = thumbnails(photos)
    return {
        **summary(issue),
        "version": version,
        "articles": [article_json(article, small) for article in issue.articles],
        "log": codec.encode(issue.log),
    }
