"""Small builders shared by tests."""

import json
from datetime import date
from pathlib import Path

from bot.data import get_store, word_lists
from config.settings import from_env
from index.archive import Issue
from index.article import Article
from index.conventions import Conventions
from index.load import load_issue
from index.parse import PageParser
from index.query import ParsedQuery, QueryAnalyzer

#: The default word lists (``config/``), as a fresh deployment has them.
WORDS = word_lists(from_env({}))
QUESTIONS = QueryAnalyzer(WORDS)
#: The page parser with the default conventions and the shipped models.
PARSER = PageParser(Conventions.load(from_env({})["PAPER_CONVENTIONS"]), WORDS.userdict)
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "issues" / "2026-04-28.txt"
#: The sample issue as the ``issues`` fixture lists it.
SAMPLE_ISSUE = (SAMPLE, "2026-04-28")


def ingest_file(app, path, day):
    """Parse and ingest an issue file into ``app``'s data dir, as ``python -m bot ingest`` would."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    data = Path(path).read_bytes()
    get_store(app).ingest(load_issue(data, day, source=Path(path).name, max_bytes=10**7, parser=PARSER), data)


def ingest_sample(app):
    ingest_file(app, SAMPLE, "2026-04-28")


def make_article(day, ordinal, title, body, **fields):
    return Article(issue_date=day, ordinal=ordinal, title=title, body=body, **fields)


def make_issue(day, titles, name="test"):
    """An issue whose articles are titled ``titles``; each body mentions its title so it can be searched."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    articles = tuple(
        make_article(day, n, title, f"{title}的正文内容。第{n}篇报道的详细情况。", reporters=("测试记者",))
        for n, title in enumerate(titles, 1)
    )
    return Issue(date=day, name=name, articles=articles, source_name=f"{day.isoformat()}.json")


def issue_json(issue):
    """The editors' JSON form of an issue, as bytes."""
    items = [{k: v for k, v in a.to_json().items() if k not in ("id", "issue_date", "ordinal")} for a in issue.articles]
    return json.dumps(items, ensure_ascii=False).encode("utf-8")


def analyze(text: str, today: date) -> ParsedQuery:
    """A resident's message read with the default word lists, as the bot reads it."""
    return QUESTIONS.analyze(text, today)
