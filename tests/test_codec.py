"""The one codec between the dataclasses and JSON: round trips, and errors that name the field."""

from datetime import date

import pytest

from index import codec
from index.archive import Issue
from index.article import Article, Kind


def full_article():
    return Article(
        issue_date=date(2026, 10, 14),
        ordinal=3,
        title="高新区新增三处社区食堂",
        body="第一段。\n第二段。",
        kind=Kind.PHOTO,
        kicker="办好民生实事",
        subtitle="记社区网格员张丽",
        reporters=("王磊",),
        correspondents=("李华", "赵刚"),
        photographer="马雅宁",
        event_date=date(2026, 10, 12),
    )


def test_an_article_and_an_issue_survive_the_round_trip():
    article = full_article()
    assert Article.from_json(article.to_json()) == article
    assert article.to_json()["kind"] == "photo" and article.to_json()["event_date"] == "2026-10-12"
    issue = Issue(date=date(2026, 10, 14), name="第19期", articles=(article,), source_name="p.txt")
    assert Issue.from_json(issue.to_json()) == issue


def test_a_kind_compares_and_serialises_as_its_name():
    assert Kind.BRIEF == "brief" and f"{Kind.BRIEF}" == "brief"


@pytest.mark.parametrize(
    "change, key",
    [
        ({"kind": "poem"}, "kind"),
        ({"event_date": "2026/10/12"}, "event_date"),
        ({"reporters": "王磊"}, "reporters"),
        ({"reporters": ["王磊", 7]}, "reporters.1"),
        ({"ordinal": True}, "ordinal"),
        ({"title": None}, "title"),
    ],
)
def test_a_wrong_value_is_refused_naming_its_field(change, key):
    with pytest.raises(codec.CodecError) as refused:
        Article.from_json({**full_article().to_json(), **change})
    assert refused.value.key == key


def test_a_missing_required_field_is_named_and_a_missing_optional_one_takes_its_default():
    data = full_article().to_json()
    del data["body"]
    with pytest.raises(codec.CodecError, match="'body' is missing"):
        Article.from_json(data)
    data = full_article().to_json()
    del data["kicker"], data["id"]
    assert Article.from_json(data).kicker == ""
