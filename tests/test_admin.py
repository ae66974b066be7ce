"""The editors' desk over HTTP: the token, publishing an issue end to end, the limits, bad files, the statistics.

Corrections over HTTP are in ``tests/test_admin_corrections.py``; what residents ask in ``test_admin_questions.py``.
"""

import io
import json
import re
import shutil
from datetime import date

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from bot import replies
from bot.admin import auth
from bot.data import get_store
from config.settings import CONFIG_DIR
from index.lock import write_lock
from index.reading import LOW_CONFIDENCE
from tests.helpers import SAMPLE, ingest_sample
from tests.wechat import ACCOUNT_SETTINGS, Phone

TOKEN = "editor-secret-2026"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FLOOD = """高新区开展防汛应急演练

本报讯(记者王晓 通讯员李明)4月30日,高新区在大沙河沿岸开展防汛应急演练,检验抢险队伍的快速反应能力。

演练模拟强降雨导致河道水位上涨,抢险队员迅速集结,完成了转移群众、加固堤坝等科目。

高新区举办社区书法展

本报讯(记者赵雪)4月29日,高新区文化馆举办社区书法展,展出居民书法作品80余幅。
""".encode()


@pytest.fixture
def settings(tmp_path):
    return {
        **ACCOUNT_SETTINGS,
        "ADMIN_TOKEN": TOKEN,
        "INGEST_LOCK_TIMEOUT": 0.1,
        "SYNONYMS": str(tmp_path / "synonyms.txt"),
        "OFF_TOPIC": str(shutil.copy(CONFIG_DIR / "off_topic.txt", tmp_path / "off_topic.txt")),
        "PAPER_CONVENTIONS": str(shutil.copy(CONFIG_DIR / "conventions.toml", tmp_path / "conventions.toml")),
    }


def upload(client, data, day="2026-05-01", filename="2026-05-01.txt", dry_run=False, headers=AUTH, **fields):
    """POST an issue as a browser would. The body is encoded in memory: the test client's own encoder spools a large
    one to a temporary file it never closes."""
    form = MultiDict({"date": day, **fields})
    if data is not None:
        form["file"] = FileStorage(io.BytesIO(data), filename)
    boundary, body = encode_multipart(form)
    return client.post(
        "/admin/issues" + ("?dry_run=1" if dry_run else ""),
        data=body,
        headers=headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def written(app):
    return get_store(app).archive.dates()


CJK = re.compile(r"[\u4e00-\u9fff]")


def refused(response, status, code):
    """The API's error: the status, the stable code, and a message in Chinese."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == code, body
    assert CJK.search(body["error"]), body
    return body["error"]


# -- the token ---------------------------------------------------------------------------------------------------

ROUTES = [
    ("GET", "/admin/issues"),
    ("POST", "/admin/issues"),
    ("GET", "/admin/issues/2026-04-28"),
    ("POST", "/admin/issues/2026-04-28/corrections"),
    ("DELETE", "/admin/issues/2026-04-28"),
    ("POST", "/admin/reindex"),
    ("GET", "/admin/stats"),
    ("GET", "/admin/stats/messages.svg"),
    ("POST", "/admin/ask"),
    ("GET", "/admin/synonyms"),
    ("POST", "/admin/synonyms"),
    ("GET", "/admin/off-topic"),
    ("POST", "/admin/off-topic"),
]


@pytest.mark.parametrize("method,path", ROUTES)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
        {"Authorization": f"Bearer {TOKEN}x"},
    ],
)
def test_a_missing_or_wrong_token_is_401_json(client, method, path, headers):
    response = client.open(path, method=method, headers=headers)
    assert refused(response, 401, "unauthorized") == "需要有效的管理口令"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_token_is_compared_in_constant_time(client, monkeypatch):
    calls = []
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or a == b)
    assert client.get("/admin/issues", headers=AUTH).status_code == 200
    assert calls == [(TOKEN.encode(), TOKEN.encode())]


@pytest.mark.parametrize("settings", [dict(ACCOUNT_SETTINGS)])
@pytest.mark.parametrize("method,path", [*ROUTES, ("GET", "/admin/")])
def test_without_admin_token_every_admin_route_is_404(client, method, path):
    for headers in ({}, {"Authorization": "Bearer "}, AUTH):
        assert client.open(path, method=method, headers=headers).status_code == 404


def test_the_page_is_served_without_the_token_and_holds_no_data(app, client):
    ingest_sample(app)
    response = client.get("/admin/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "编辑台" in page and "admin.js" in page and "最大 5 MiB" in page
    assert "太极拳" not in page and TOKEN not in page


# -- publishing ------------------------------------------------------------------------------------------------


def test_preview_publish_list_search_remove_reindex(app, client):
    phone = Phone(client)

    response = upload(client, FLOOD, dry_run=True, name="第18期")
    assert response.status_code == 200, response.get_json()
    preview = response.get_json()
    assert preview["dry_run"] is True and preview["count"] == 2 and preview["name"] == "第18期"
    first = preview["articles"][0]
    assert first["id"] == "2026-05-01-01" and first["title"] == "高新区开展防汛应急演练"
    assert first["kind"] == "story" and first["reporters"] == ["王晓"] and first["correspondents"] == ["李明"]
    assert first["event_date"] == "2026-04-30" and first["photographer"] is None and first["subtitle"] == ""
    assert first["byline"] == "记者 王晓 通讯员 李明"
    assert first["body"].split("\n")[0].startswith("4月30日,高新区在大沙河沿岸")
    reading = first["reading"]
    assert 0.0 < reading["confidence"] <= 1.0 and reading["low"] == (reading["confidence"] < 0.8)
    assert [line["label"] for line in reading["lines"]][:2] == ["headline", "lead"]
    assert reading["lines"][0] == {"number": 1, "label": "headline", "text": "高新区开展防汛应急演练"}
    assert preview["low_confidence"] == LOW_CONFIDENCE and preview["log"] == []
    assert written(app) == [] and client.get("/admin/issues", headers=AUTH).get_json() == {"issues": []}

    response = upload(client, FLOOD, name="第18期")
    assert response.status_code == 201 and response.get_json()["dry_run"] is False
    issues = client.get("/admin/issues", headers=AUTH).get_json()["issues"]
    assert issues == [
        {"date": "2026-05-01", "name": "第18期", "source_name": "2026-05-01.txt", "count": 2, "corrections": 0}
    ]
    assert phone.say("防汛演练").startswith("1. 高新区开展防汛应急演练")

    assert upload(client, SAMPLE.read_bytes(), day="2026-04-28", filename=SAMPLE.name).status_code == 201
    listed = client.get("/admin/issues", headers=AUTH).get_json()["issues"]
    assert [(i["date"], i["name"], i["count"]) for i in listed] == [
        ("2026-05-01", "第18期", 2),
        ("2026-04-28", "2026-04-28", 6),
    ]

    response = client.delete("/admin/issues/2026-05-01", headers=AUTH)
    assert response.status_code == 200 and response.get_json()["removed"]["count"] == 2
    assert written(app) == [date(2026, 4, 28)]
    assert "高新区开展防汛应急演练" not in phone.say("防汛演练")

    response = client.post("/admin/reindex", headers=AUTH)
    assert response.status_code == 200 and response.get_json() == {"articles": 6}
    assert "高新区举行太极拳健身交流赛" in phone.say("太极拳")


def test_publishing_the_same_date_again_replaces_the_issue(app, client):
    assert upload(client, SAMPLE.read_bytes(), day="2026-05-01").status_code == 201
    assert upload(client, FLOOD, day="2026-05-01").status_code == 201
    assert [i["count"] for i in client.get("/admin/issues", headers=AUTH).get_json()["issues"]] == [2]


def test_a_json_issue_is_accepted_by_its_extension(client):
    items = [{"title": "高新区举办社区书法展", "body": "4月29日,高新区文化馆举办社区书法展。", "reporters": ["赵雪"]}]
    data = json.dumps(items, ensure_ascii=False).encode("utf-8")
    response = upload(client, data, filename="issue.json", dry_run=True)
    assert response.status_code == 200 and response.get_json()["articles"][0]["reporters"] == ["赵雪"]


def test_removing_an_unknown_or_malformed_date(client):
    response = client.delete("/admin/issues/2026-01-01", headers=AUTH)
    assert refused(response, 404, "no_such_issue") == "没有 2026-01-01 这一期"
    for bad in ("20260101", "2026-13-01", "yesterday"):
        response = client.delete(f"/admin/issues/{bad}", headers=AUTH)
        assert bad in refused(response, 400, "invalid_date")


def test_json_answers_are_real_utf8_not_escapes(app, client):
    ingest_sample(app)
    response = client.get("/admin/issues/2026-04-28", headers=AUTH)
    raw = response.get_data()
    assert "高新区举行太极拳健身交流赛".encode() in raw and b"\\u" not in raw
    assert response.content_type == "application/json"
    assert "没有".encode() in client.delete("/admin/issues/2026-01-01", headers=AUTH).get_data()


# -- limits and bad input ----------------------------------------------------------------------------------------


def test_a_file_over_the_limit_is_413_and_nothing_is_written(app, client):
    limit = app.config["MAX_ISSUE_BYTES"]
    assert limit == 5 * 1024 * 1024
    response = upload(client, b"x" * (limit + 1))
    assert refused(response, 413, "file_too_large") == "文件超过了 5 MiB 的上限"
    assert written(app) == []


class Unreadable(io.RawIOBase):
    """A 50 MB request body that fails the test if anyone reads it."""

    size = 50 * 1024 * 1024

    def __init__(self):
        super().__init__()
        self.position = 0

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = self.size + offset if whence == io.SEEK_END else offset
        return self.position

    def tell(self):
        return self.position

    def readable(self):
        return True

    def readinto(self, buffer):
        raise AssertionError("the body was read")


def test_an_announced_oversize_body_is_refused_before_it_is_read(app, client):
    response = client.post(
        "/admin/issues", input_stream=Unreadable(), headers=AUTH, content_type="multipart/form-data; boundary=x"
    )
    assert "5 MiB" in refused(response, 413, "file_too_large")
    assert written(app) == []


@pytest.mark.parametrize(
    "data,filename,code,message",
    [
        (b"", "empty.txt", "empty_file", "empty.txt：文件是空的"),
        (b"\x00\x01\x02\xff\xfe" * 50, "garbage.txt", "binary_file", "garbage.txt：这不是文本文件"),
        ("标题\n".encode("utf-16"), "wide.txt", "utf16_file", "wide.txt：文件是 UTF-16 编码"),
        (b"\xe9\xab\x98\n\x81\x20", "broken.txt", "undecodable_file", "broken.txt 第 2 行：文件既不是 UTF-8"),
        (b'{"title": "not a list"}', "bad.json", "json_not_list", "bad.json：JSON 文件应是文章对象的列表"),
        (b"[1, 2", "cut.json", "invalid_json", "cut.json 第 1 行：文件不是有效的 JSON"),
        (b"[]", "empty.json", "json_empty", "empty.json：JSON 列表是空的"),
        (b'[{"title": "x"}]', "nobody.json", "json_missing_text", "nobody.json：第 1 篇缺少“body”"),
        (b'[{"title": "x", "body": "y", "kind": "poem"}]', "kind.json", "json_bad_value", "第 1 篇的“kind”应是"),
        ("只有一行字".encode(), "short.txt", "unreadable", "short.txt：没有在文件中找到文章"),
    ],
)
def test_bad_files_are_400_with_a_code_and_a_chinese_message_and_nothing_is_written(
    app, client, data, filename, code, message
):
    response = upload(client, data, filename=filename)
    assert message in refused(response, 400, code)
    assert written(app) == []


@pytest.mark.parametrize(
    "fields,code",
    [
        ({"day": ""}, "invalid_date"),
        ({"day": "2026/05/01"}, "invalid_date"),
        ({"day": "2026-02-30"}, "invalid_date"),
        ({"data": None}, "no_file"),
        ({"source": "cli"}, "bad_source"),
        ({"corrections": "[{"}, "corrections_not_json"),
        ({"corrections": '[{"op": "drop", "article": 7}]'}, "no_such_article"),
    ],
)
def test_a_missing_file_bad_date_or_bad_field_is_400_with_a_code(app, client, fields, code):
    args = {"data": FLOOD, **fields}
    refused(upload(client, args.pop("data"), **args), 400, code)
    assert written(app) == []


def test_unknown_routes_and_methods_answer_json_with_a_code(client):
    refused(client.get("/admin/nowhere", headers=AUTH), 404, "not_found")
    refused(client.put("/admin/issues", headers=AUTH), 405, "method_not_allowed")
    refused(client.get("/admin/issues/2026-01-01", headers=AUTH), 404, "no_such_issue")


def test_a_busy_writer_is_409(app, client):
    store = get_store(app)
    store.data_dir.mkdir(parents=True, exist_ok=True)
    with write_lock(store.lock_path, 1):
        assert refused(upload(client, FLOOD), 409, "busy").startswith("另一项发布")
        refused(client.post("/admin/reindex", headers=AUTH), 409, "busy")
    assert written(app) == []


# -- statistics --------------------------------------------------------------------------------------------------


def test_stats_after_a_few_messages(app, client):
    ingest_sample(app)
    phone, other = Phone(client), Phone(client, user="oAnotherResident")
    phone.say("太极拳")
    other.say("太极拳")
    phone.say("火星移民")
    phone.say("1")
    phone.send("event", Event="subscribe")
    assert phone.say("帮助") == replies.help_reply()

    response = client.get("/admin/stats", headers=AUTH)
    assert response.status_code == 200
    stats = response.get_json()
    assert stats["top_queries"][:2] == [{"query": "太极拳", "count": 2}, {"query": "火星移民", "count": 1}]
    assert stats["unanswered_queries"] == [{"query": "火星移民", "count": 1}]
    assert stats["cache"] == {"hits": 1, "misses": 2, "hit_rate": 0.333}
    days = stats["messages_per_day"]
    assert len(days) == 7 and days[-1] == {"date": date.today().isoformat(), "messages": 6}
    assert phone.user not in response.get_data(as_text=True) and other.user not in response.get_data(as_text=True)
