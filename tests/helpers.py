"""Small builders shared by tests."""
import json
from datetime import date

from index.archive import Issue
from index.article import Article


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
