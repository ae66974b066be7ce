"""A bulletin issue as text copied off the printed page, turned into its articles.

The pipeline is small steps, each in its own module: ``decode`` (bytes to text), ``layout`` (paragraphs, with the
page's line breaks repaired), ``parse_units`` (articles in page order, headlines set aside), ``parse_headlines``
(headlines paired with articles by content) and ``parse_fields`` (dates and made-up titles).
"""

from datetime import date

from index.article import Article, Kind
from index.decode import decode_issue
from index.errors import IssueError
from index.layout import paragraphs
from index.parse_fields import event_date, title_from
from index.parse_headlines import assign
from index.parse_units import segment
from index.reading import ArticleReading, PageReading


def parse_issue(data: bytes, issue_date: date) -> list[Article]:
    """The articles of an uploaded issue file (``bytes``); IssueError when it is not a readable issue."""
    return list(parse_text(decode_issue(data), issue_date).articles)


def parse_text(text: str, issue_date: date) -> PageReading:
    """The page's articles with the parser's reading of each (see ``read_articles``)."""
    articles = read_articles(text, issue_date)
    return PageReading(tuple(articles), tuple(ArticleReading(confidence=1.0) for _ in articles))


def read_articles(text: str, issue_date: date) -> list[Article]:
    """The articles of an issue's text in page order, numbered from 1.

    A page with no lead, photo credit or briefs column is not an issue of the paper (most likely the wrong file), so
    it is refused even when it holds text that could pass for a story.
    """
    units, candidates = segment(paragraphs(text))
    if not any(unit.marked for unit in units):
        raise IssueError("no article found: the text has no 本报讯 lead, photo credit or 简讯 column")
    heads = assign(candidates, [unit.text for unit in units], [unit.kind for unit in units])
    return [
        Article(
            issue_date=issue_date,
            ordinal=ordinal,
            title=title or unit.title or title_from(unit.paragraphs[0]),
            subtitle=subtitle,
            kind=Kind(unit.kind),
            body=unit.text,
            reporters=unit.reporters,
            correspondents=unit.correspondents,
            photographer=unit.photographer,
            event_date=event_date(unit.paragraphs[0], issue_date),
        )
        for ordinal, (unit, (title, subtitle)) in enumerate(zip(units, heads, strict=True), 1)
    ]
