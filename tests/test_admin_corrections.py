"""Corrections over the admin API: in the preview and publishing of an upload, and on a published issue."""

import json

import pytest

from bot.data import get_store
from index.parse import PageParser
from index.reading import ArticleReading, Label, PageReading, ReadLine
from tests.test_admin import AUTH, FLOOD, refused, settings, upload  # noqa: F401  (settings: the module's fixture)
from tests.wechat import Phone

DAY = "2026-05-01"
THREE = """高新区开展防汛应急演练

本报讯(记者王晓 通讯员李明)4月30日,高新区在大沙河沿岸开展防汛应急演练。

演练模拟强降雨导致河道水位上涨,抢险队员迅速集结。

【志愿服务】4月29日,高新区志愿者走进敬老院,为老人理发、打扫卫生。

高新区举办社区书法展

本报讯(记者赵雪)4月29日,高新区文化馆举办社区书法展,展出居民书法作品80余幅。

高新区召开安全生产会议

本报讯(记者付凯明)4月28日,高新区召开安全生产工作会议。
""".encode()
OPERATIONS = [
    {"op": "split", "article": 1, "paragraph": 3},
    {"op": "edit", "article": 2, "title": "志愿者走进敬老院", "kind": "brief", "clear": ["event_date"]},
    {"op": "merge", "article": 3},
    {"op": "edit", "article": 1, "reporters": ["王晓", "孙丽"], "subtitle": "检验快速反应能力"},
]


def titles(body):
    return [article["title"] for article in body["articles"]]


def corrections_field(operations=OPERATIONS):
    return {"corrections": json.dumps(operations, ensure_ascii=False), "source": "desk"}


def correct(client, operations, day=DAY, dry_run=False, **fields):
    url = f"/admin/issues/{day}/corrections" + ("?dry_run=1" if dry_run else "")
    return client.post(url, json={"corrections": operations, **fields}, headers=AUTH)


def test_the_preview_applies_the_corrections_and_publishing_writes_exactly_that(app, client):
    preview = upload(client, THREE, dry_run=True, **corrections_field())
    assert preview.status_code == 200, preview.get_json()
    shown = preview.get_json()
    assert titles(shown) == ["高新区开展防汛应急演练", "志愿者走进敬老院", "高新区举办社区书法展"]
    assert shown["articles"][1]["kind"] == "brief" and shown["articles"][1]["event_date"] is None
    assert shown["articles"][2]["body"].count("\n") == 1 and shown["articles"][2]["reporters"] == ["赵雪", "付凯明"]
    assert shown["articles"][0]["reporters"] == ["王晓", "孙丽"] and shown["articles"][0]["byline"].startswith(
        "记者 王晓、孙丽"
    )
    assert [entry["source"] for entry in shown["log"]] == ["desk"] * 4
    assert get_store(app).archive.dates() == []

    published = upload(client, THREE, **corrections_field())
    assert published.status_code == 201
    assert published.get_json()["articles"] == shown["articles"]

    opened = client.get(f"/admin/issues/{DAY}", headers=AUTH).get_json()
    without_readings = [{k: v for k, v in a.items() if k != "reading"} for a in shown["articles"]]
    assert opened["articles"] == without_readings
    assert opened["log"][0]["change"] == {"op": "split", "article": 1, "paragraph": 3}
    assert opened["corrections"] == 4 and opened["version"]
    assert Phone(client).say("敬老院").startswith("1. 志愿者走进敬老院")


def test_a_published_issue_is_corrected_the_same_way_and_a_stale_version_is_409(app, client):
    assert upload(client, THREE).status_code == 201
    opened = client.get(f"/admin/issues/{DAY}", headers=AUTH).get_json()
    assert titles(opened)[1] == "高新区举办社区书法展" and opened["log"] == []

    preview = correct(client, OPERATIONS[:2], dry_run=True, version=opened["version"], source="desk")
    assert preview.status_code == 200 and titles(preview.get_json())[1] == "志愿者走进敬老院"
    assert preview.get_json()["version"] == opened["version"]
    assert client.get(f"/admin/issues/{DAY}", headers=AUTH).get_json() == opened

    saved = correct(client, OPERATIONS[:2], version=opened["version"], source="desk")
    assert saved.status_code == 200
    body = saved.get_json()
    assert titles(body)[1] == "志愿者走进敬老院" and body["version"] != opened["version"]
    assert [(entry["source"], entry["change"]["op"]) for entry in body["log"]] == [("desk", "split"), ("desk", "edit")]
    assert client.get("/admin/issues", headers=AUTH).get_json()["issues"][0]["corrections"] == 2
    assert Phone(client).say("敬老院").startswith("1. 志愿者走进敬老院")

    message = refused(correct(client, [{"op": "drop", "article": 1}], version=opened["version"]), 409, "issue_changed")
    assert DAY in message
    after_api = correct(client, [{"op": "drop", "article": 4}]).get_json()
    assert after_api["log"][-1]["source"] == "api" and len(after_api["articles"]) == 3


@pytest.mark.parametrize(
    "payload,status,code",
    [
        ({"corrections": [{"op": "drop", "article": 9}]}, 400, "no_such_article"),
        ({"corrections": [{"op": "merge", "article": 3}]}, 400, "no_next_article"),
        ({"corrections": [{"op": "split", "article": 2, "paragraph": 2}]}, 400, "bad_split"),
        ({"corrections": [{"op": "edit", "article": 1, "title": ""}]}, 400, "empty_title"),
        ({"corrections": [{"op": "edit", "article": 1, "titel": "x"}]}, 400, "unknown_key"),
        ({"corrections": [{"op": "rename", "article": 1}]}, 400, "bad_correction"),
        ({"corrections": {"op": "drop"}}, 400, "corrections_not_list"),
        ({"corrections": []}, 400, "no_corrections"),
        ({"corrections": [{"op": "drop", "article": 1}], "source": "cli"}, 400, "bad_source"),
        ({"corrections": [{"op": "drop", "article": 1}], "version": 3}, 400, "bad_json"),
    ],
)
def test_a_bad_correction_is_refused_with_its_code_and_nothing_changes(app, client, payload, status, code):
    assert upload(client, THREE).status_code == 201
    before = client.get(f"/admin/issues/{DAY}", headers=AUTH).get_json()
    response = client.post(f"/admin/issues/{DAY}/corrections", json=payload, headers=AUTH)
    refused(response, status, code)
    assert client.get(f"/admin/issues/{DAY}", headers=AUTH).get_json() == before


def test_corrections_of_a_missing_issue_or_a_body_that_is_no_json(client):
    refused(correct(client, [{"op": "drop", "article": 1}], day="2026-01-01"), 404, "no_such_issue")
    response = client.post(f"/admin/issues/{DAY}/corrections", data="drop 1", headers=AUTH)
    assert "“corrections”应是一个列表" in refused(response, 400, "bad_json")
    refused(client.get("/admin/issues/2026-13-01", headers=AUTH), 400, "invalid_date")


def test_the_preview_shows_each_articles_reading_and_flags_low_confidence(client, monkeypatch):
    original = PageParser.read

    def unsure(parser, text, issue_date):
        page = original(parser, text, issue_date)
        lines = (ReadLine(1, Label.HEADLINE, "高新区开展防汛应急演练"), ReadLine(3, Label.LEAD, "本报讯(记者王晓…"))
        readings = (ArticleReading(0.42, lines), *page.readings[1:])
        return PageReading(page.articles, readings)

    monkeypatch.setattr(PageParser, "read", unsure)
    body = upload(client, THREE, dry_run=True).get_json()
    first = body["articles"][0]["reading"]
    assert first["confidence"] == 0.42 and first["low"] is True
    assert first["lines"][1] == {"number": 3, "label": "lead", "text": "本报讯(记者王晓…"}
    assert body["articles"][1]["reading"]["low"] is False

    split = upload(client, THREE, dry_run=True, corrections='[{"op": "split", "article": 1, "paragraph": 2}]')
    readings = [article["reading"] for article in split.get_json()["articles"]]
    assert readings[0] == readings[1] == first
    merged = upload(client, THREE, dry_run=True, corrections='[{"op": "merge", "article": 1}]').get_json()
    assert merged["articles"][0]["reading"]["confidence"] == 0.42
    assert merged["articles"][0]["reading"]["lines"][:2] == first["lines"]
