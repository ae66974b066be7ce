"""The JSON shapes of an issue that the admin API answers and ``bulletin show --json`` prints: one place for both."""

from typing import Any

from index import codec
from index.archive import Issue
from index.article import Article


def summary(issue: Issue) -> dict[str, str | int]:
    return {
        "date": issue.date.isoformat(),
        "name": issue.name,
        "source_name": issue.source_name,
        "count": len(issue.articles),
        "corrections": len(issue.corrections),
    }


def article_json(article: Article) -> dict[str, Any]:
    """An article as the desk edits it: every field, and the byline as printed."""
    return {**article.to_json(), "byline": article.byline}


def issue_json(issue: Issue, version: str) -> dict[str, Any]:
    """A published issue as the desk opens it: its articles, its log, and the version corrections refer to."""
    return {
        **summary(issue),
        "version": version,
        "articles": [article_json(article) for article in issue.articles],
        "log": codec.encode(issue.log),
    }
