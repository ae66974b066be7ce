"""The papers' conventions over the admin API: the words the parser knows, and a word an editor teaches it."""

from pathlib import Path

import pytest

from index.convention_words import with_word
from index.conventions import WORD_LISTS, Conventions
from tests.test_admin import AUTH, refused, settings, upload  # noqa: F401  (settings: the module's fixture)

#: A story whose lead credits its reporter with a role word the shipped conventions do not know.
ISSUE = (
    "社区食堂开到家门口\n\n"
    "本报讯（融媒记者 王晓明）11月2日，高新区云溪社区长者食堂开门迎客，老人每餐只需10元。\n\n"
    "食堂每天供应午餐和晚餐，行动不便的老人可以电话预约送餐上门。\n"
).encode()


def test_a_role_word_an_editor_teaches_is_read_at_the_next_preview(app, client):
    """融媒记者 is not a role word the parser knows, so the byline's 融媒 reads as a name; the editor adds the word on
    the desk and previews again: the reporter alone, with no restart."""
    preview = upload(client, ISSUE, day="2026-11-03", filename="2026-11-03.txt", dry_run=True).get_json()
    assert preview["articles"][0]["reporters"] == ["融媒", "王晓明"]

    response = client.post("/admin/conventions", json={"list": "reporters", "word": " 融媒记者 "}, headers=AUTH)
    assert response.status_code == 201 and response.get_json() == {"list": "reporters", "word": "融媒记者"}
    preview = upload(client, ISSUE, day="2026-11-03", filename="2026-11-03.txt", dry_run=True).get_json()
    assert preview["articles"][0]["reporters"] == ["王晓明"]
    lists = {row["name"]: row for row in client.get("/admin/conventions", headers=AUTH).get_json()["lists"]}
    assert list(lists) == list(WORD_LISTS) and lists["reporters"]["words"][-1] == "融媒记者"
    assert lists["reporters"]["label"].startswith("记者的称呼")


def test_the_file_keeps_its_comments_and_layout():
    tables: dict[str, list[str]] = {}
    for table, key in list(WORD_LISTS.values())[1:]:
        tables.setdefault(table, []).append(f"{key} = []\n")
    text = '[lead]\n# the paper\'s marker\nmarkers = ["本报讯"]  # and more\n' + "".join(tables.pop("lead"))
    text += "".join(f"\n[{table}]\n" + "".join(keys) for table, keys in tables.items())
    changed = with_word(text, "lead_markers", "本台讯")
    assert changed.startswith('[lead]\n# the paper\'s marker\nmarkers = ["本报讯", "本台讯"]  # and more\n')
    assert Conventions.parse(changed).lead_markers == ("本报讯", "本台讯")


@pytest.mark.parametrize(
    "payload,code,message",
    [
        ({"list": "reporters", "word": "融媒 记者"}, "convention_bad_word", "“融媒 记者”不是 1 到 12 个字符"),
        ({"list": "reporters", "word": ""}, "convention_bad_word", "“”"),
        ({"list": "reporters", "word": "一二三四五六七八九十一二三"}, "convention_bad_word", "不是 1 到 12 个字符"),
        ({"list": "reporters", "word": "全媒体记者"}, "convention_exists", "“全媒体记者”已经在这一类里了"),
        ({"list": "bylines", "word": "记者"}, "convention_no_list", "没有“bylines”这一类写法"),
        ({"list": "reporters", "word": ["记者"]}, "bad_json", None),
        ({"word": "融媒记者"}, "bad_json", None),
    ],
)
def test_bad_words_are_refused_and_the_file_is_untouched(app, client, payload, code, message):
    before = Path(app.config["PAPER_CONVENTIONS"]).read_bytes()
    text = refused(client.post("/admin/conventions", json=payload, headers=AUTH), 400, code)
    assert message is None or message in text
    assert Path(app.config["PAPER_CONVENTIONS"]).read_bytes() == before


def test_the_conventions_need_the_token(client):
    refused(client.get("/admin/conventions"), 401, "unauthorized")
    refused(client.post("/admin/conventions", json={"list": "reporters", "word": "融媒记者"}), 401, "unauthorized")
