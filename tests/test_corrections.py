"""Editors' corrections as data: each operation, their order, their JSON, their errors, and the log in the archive."""

import dataclasses
import json
import typing
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index import codec
from index.archive import Issue
from index.article import Article, Kind
from index.corrections import (
    CLEARABLE,
    EDITABLE,
    CorrectionError,
    Drop,
    Edit,
    LogEntry,
    Merge,
    Reparse,
    Source,
    Split,
    apply,
    apply_traced,
    decode_operations,
    describe,
    in_order,
    log_entries,
)
from index.parse_fields import title_from

DAY = date(2026, 5, 12)


def article(ordinal, title, *paragraphs, **fields):
    return Article(issue_date=DAY, ordinal=ordinal, title=title, body="\n".join(paragraphs), **fields)


ARTICLES = (
    article(1, "防汛演练", "5月10日,高新区开展防汛应急演练。", "演练模拟强降雨。", reporters=("王晓",)),
    article(
        2,
        "社区书法展",
        "5月9日,文化馆举办书法展。",
        "【志愿服务】5月11日,志愿者走进敬老院。",
        "活动持续一天。",
        reporters=("赵雪",),
        event_date=date(2026, 5, 9),
    ),
    article(3, "太极拳交流赛", "5月8日,太极拳交流赛举行。", reporters=("付凯明",), correspondents=("许锦",)),
    article(4, "扫一扫 关注我们", "微信公众号"),
)


def titles(articles):
    return [a.title for a in articles]


# -- each operation ------------------------------------------------------------------------------------------


def test_an_edit_sets_every_field_it_names_and_keeps_the_others():
    edit = Edit(
        article=2,
        title=" 社区 书法展开幕\n",
        kicker="文化进社区",
        subtitle="八十余幅作品",
        kind=Kind.PHOTO,
        reporters=("赵雪", " 李明 "),
        correspondents=("许锦",),
        photographer="马雅宁",
        event_date=date(2026, 5, 8),
    )
    edited = apply(ARTICLES, [edit])[1]
    assert edited.title == "社区 书法展开幕" and edited.kicker == "文化进社区" and edited.subtitle == "八十余幅作品"
    assert edited.kind is Kind.PHOTO and edited.reporters == ("赵雪", "李明") and edited.correspondents == ("许锦",)
    assert edited.photographer == "马雅宁" and edited.event_date == date(2026, 5, 8)
    assert edited.body == ARTICLES[1].body and edited.id == "2026-05-12-02"
    assert apply(ARTICLES, [Edit(article=1, title="新标题")])[0] == dataclasses.replace(ARTICLES[0], title="新标题")


def test_clear_empties_a_field_to_the_articles_own_default():
    cleared = apply(ARTICLES, [Edit(article=2, clear=("event_date", "reporters"), subtitle="")])[1]
    assert cleared.event_date is None and cleared.reporters == () and cleared.subtitle == ""
    assert apply(ARTICLES, [Edit(article=1, photographer="  ")])[0].photographer is None


def test_the_edit_fields_are_the_articles_own_by_name_and_type():
    article_types, edit_types = codec.field_types(Article), codec.field_types(Edit)
    for name in EDITABLE:
        assert edit_types[name] == article_types[name] | None
    assert set(CLEARABLE) == set(EDITABLE) - {"title", "kind"}


def test_split_cuts_before_the_paragraph_and_titles_the_new_article_from_its_text():
    result = apply(ARTICLES, [Split(article=2, paragraph=2)])
    assert titles(result) == ["防汛演练", "社区书法展", "志愿服务", "太极拳交流赛", "扫一扫 关注我们"]
    first, second = result[1], result[2]
    assert first.paragraphs == ["5月9日,文化馆举办书法展。"] and first.reporters == ("赵雪",)
    assert second.paragraphs == ["【志愿服务】5月11日,志愿者走进敬老院。", "活动持续一天。"]
    assert second.title == title_from(second.paragraphs[0])
    assert second.kind is first.kind and second.reporters == () and second.event_date == date(2026, 5, 11)
    assert [a.ordinal for a in result] == [1, 2, 3, 4, 5]
    assert [a.id for a in result][2:] == ["2026-05-12-03", "2026-05-12-04", "2026-05-12-05"]


def test_merge_appends_the_next_article_and_takes_credits_the_first_lacks():
    result = apply(ARTICLES, [Merge(article=2)])
    assert titles(result) == ["防汛演练", "社区书法展", "扫一扫 关注我们"]
    merged = result[1]
    assert merged.paragraphs == ARTICLES[1].paragraphs + ARTICLES[2].paragraphs
    assert merged.reporters == ("赵雪", "付凯明") and merged.correspondents == ("许锦",)
    assert merged.event_date == date(2026, 5, 9) and result[2].id == "2026-05-12-03"


def test_drop_removes_the_article_and_numbers_the_rest_again():
    result = apply(ARTICLES, [Drop(article=1)])
    assert titles(result) == ["社区书法展", "太极拳交流赛", "扫一扫 关注我们"]
    assert [(a.ordinal, a.id) for a in result] == [(1, "2026-05-12-01"), (2, "2026-05-12-02"), (3, "2026-05-12-03")]


def test_operations_apply_in_turn_each_numbering_the_articles_as_they_stand():
    operations = [Drop(article=4), Split(article=2, paragraph=2), Edit(article=3, title="志愿者走进敬老院"), Merge(1)]
    result, origins = apply_traced(ARTICLES, operations)
    assert titles(result) == ["防汛演练", "志愿者走进敬老院", "太极拳交流赛"]
    assert result[0].paragraphs == ARTICLES[0].paragraphs + ARTICLES[1].paragraphs[:1]
    assert origins == ((0, 1), (1,), (2,))
    assert apply(ARTICLES, []) == ARTICLES


@given(st.lists(st.tuples(st.sampled_from(["split", "merge", "drop"]), st.integers(1, 8), st.integers(1, 4))))
def test_splits_and_merges_never_lose_or_reorder_a_paragraph(steps):
    articles, kept = ARTICLES, [p for a in ARTICLES for p in a.paragraphs]
    for name, number, paragraph in steps:
        operation = {"split": Split(number, paragraph), "merge": Merge(number), "drop": Drop(number)}[name]
        try:
            after = apply(articles, [operation])
        except CorrectionError:
            continue
        if name == "drop":
            dropped = articles[number - 1].paragraphs
            kept = [p for p in kept if p not in dropped]
        articles = after
    assert [p for a in articles for p in a.paragraphs] == kept
    assert [a.ordinal for a in articles] == list(range(1, len(articles) + 1))


# -- what cannot apply ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "operation,code,details",
    [
        (Drop(article=9), "no_such_article", {"article": 9, "count": 4}),
        (Edit(article=0, title="x"), "no_such_article", {"article": 0}),
        (Merge(article=4), "no_next_article", {"article": 4}),
        (Split(article=2, paragraph=1), "bad_split", {"paragraphs": 3}),
        (Split(article=2, paragraph=4), "bad_split", {"paragraph": 4}),
        (Split(article=3, paragraph=2), "bad_split", {"paragraphs": 1}),
        (Edit(article=1), "empty_edit", {"article": 1}),
        (Edit(article=1, title=" \n "), "empty_title", {"key": "title"}),
        (Edit(article=1, reporters=("王晓", " ")), "empty_name", {"key": "reporters"}),
        (Edit(article=1, clear=("title",)), "not_clearable", {"key": "title"}),
        (Edit(article=1, clear=("kind",)), "not_clearable", {"key": "kind"}),
        (Edit(article=1, clear=("body",)), "not_clearable", {"key": "body"}),
        (Edit(article=1, kicker="x", clear=("kicker",)), "set_and_clear", {"key": "kicker"}),
    ],
)
def test_an_impossible_operation_is_refused_with_its_code_and_number(operation, code, details):
    with pytest.raises(CorrectionError) as raised:
        apply(ARTICLES, [Edit(article=1, title="先改一个"), operation])
    assert raised.value.code == code
    assert raised.value.details["number"] == 2
    assert details.items() <= dict(raised.value.details).items()


def test_the_last_article_cannot_be_dropped():
    with pytest.raises(CorrectionError) as raised:
        apply(ARTICLES[:1], [Drop(article=1)])
    assert raised.value.code == "last_article"


# -- JSON ----------------------------------------------------------------------------------------------------


def test_operations_survive_their_json_round_trip_with_a_tag():
    operations = (
        Edit(article=3, title="新标题", kind=Kind.BRIEF, reporters=("王晓",), event_date=DAY, clear=("photographer",)),
        Split(article=2, paragraph=3),
        Merge(article=4),
        Drop(article=6),
    )
    encoded = [codec.encode(operation) for operation in operations]
    assert [item["op"] for item in encoded] == ["edit", "split", "merge", "drop"]
    assert encoded[1] == {"op": "split", "article": 2, "paragraph": 3}
    assert decode_operations(json.loads(json.dumps(encoded))) == operations
    assert decode_operations([{"op": "edit", "article": 1, "title": "只改标题"}]) == (Edit(1, title="只改标题"),)


@pytest.mark.parametrize(
    "data,code,details",
    [
        ({"op": "drop"}, "corrections_not_list", {}),
        (["drop 3"], "bad_correction", {"number": 1, "expected": "object"}),
        ([{"article": 3}], "bad_correction", {"key": "op", "expected": "one_of"}),
        ([{"op": "delete", "article": 3}], "bad_correction", {"key": "op", "options": "edit, split, merge, drop"}),
        ([{"op": ["drop"], "article": 3}], "bad_correction", {"key": "op"}),
        ([{"op": "drop"}], "bad_correction", {"key": "article", "expected": "present"}),
        ([{"op": "drop", "article": "3"}], "bad_correction", {"key": "article", "expected": "int"}),
        ([{"op": "drop", "article": True}], "bad_correction", {"key": "article", "expected": "int"}),
        ([{"op": "edit", "article": 1, "kind": "poem"}], "bad_correction", {"key": "kind", "expected": "one_of"}),
        ([{"op": "edit", "article": 1, "event_date": "5月1日"}], "bad_correction", {"expected": "date"}),
        ([{"op": "edit", "article": 1, "reporters": "王晓"}], "bad_correction", {"expected": "list"}),
        ([{"op": "drop", "article": 1}, {"op": "edit", "article": 1, "titel": "x"}], "unknown_key", {"number": 2}),
    ],
)
def test_malformed_json_is_refused_naming_the_operation_and_the_key(data, code, details):
    with pytest.raises(CorrectionError) as raised:
        decode_operations(data)
    assert raised.value.code == code
    assert details.items() <= dict(raised.value.details).items()


# -- the command line's numbering ----------------------------------------------------------------------------


def test_in_order_keeps_every_number_as_the_issue_was_listed():
    given_order = [Drop(article=4), Split(article=2, paragraph=2), Merge(article=1), Edit(article=3, title="新")]
    ordered = in_order(given_order)
    assert ordered[0] == Edit(article=3, title="新")
    result = apply(ARTICLES, ordered)
    assert titles(result) == ["防汛演练", "志愿服务", "新"]
    assert result[0].paragraphs == ARTICLES[0].paragraphs + ARTICLES[1].paragraphs[:1]
    two_splits = apply(ARTICLES, in_order([Split(2, 2), Split(2, 3)]))
    assert [a.paragraphs for a in two_splits[1:4]] == [[p] for p in ARTICLES[1].paragraphs]


@pytest.mark.parametrize(
    "operations",
    [
        [Drop(2), Edit(2, title="x")],
        [Drop(3), Merge(2)],
        [Drop(2), Split(2, 2)],
        [Merge(1), Edit(2, title="x")],
        [Drop(2), Drop(2)],
        [Merge(1), Merge(1)],
    ],
)
def test_in_order_refuses_operations_that_contradict_each_other(operations):
    with pytest.raises(CorrectionError) as raised:
        in_order(operations)
    assert raised.value.code == "conflicting_corrections"


# -- the log -------------------------------------------------------------------------------------------------


def test_the_log_says_what_when_and_from_where_and_survives_the_archive_round_trip():
    operations = (Edit(article=1, title="新标题"), Drop(article=4))
    entries = log_entries(operations, Source.DESK, "2026-05-12T08:30:00Z")
    assert entries[1] == LogEntry(at="2026-05-12T08:30:00Z", source=Source.DESK, change=Drop(article=4))
    issue = Issue(DAY, "第19期", apply(ARTICLES, operations), "2026-05-12.txt", log=entries)
    stored = json.loads(json.dumps(issue.to_json(), ensure_ascii=False))
    assert stored["log"][1] == {"at": "2026-05-12T08:30:00Z", "source": "desk", "change": {"op": "drop", "article": 4}}
    assert Issue.from_json(stored) == issue
    assert issue.corrections == operations


def test_corrections_in_effect_start_again_after_a_reparse():
    entries = (
        *log_entries([Drop(article=2)], Source.CLI, "2026-05-12T08:00:00Z"),
        LogEntry(at="2026-05-12T09:00:00Z", source=Source.CLI, change=Reparse(discarded=1)),
        *log_entries([Merge(article=1)], Source.API, "2026-05-12T10:00:00Z"),
    )
    assert Issue(DAY, "x", ARTICLES, log=entries).corrections == (Merge(article=1),)
    assert Issue(DAY, "x", ARTICLES, log=entries[:2]).corrections == ()


def test_an_issue_json_written_before_the_log_existed_reads_with_an_empty_log():
    old = Issue(DAY, "x", ARTICLES, "a.txt").to_json()
    del old["log"]
    assert Issue.from_json(old).log == ()


def test_a_log_entry_of_an_unknown_kind_is_refused_naming_the_key():
    data = Issue(DAY, "x", ARTICLES, log=log_entries([Drop(1)], Source.API, "t")).to_json()
    data["log"][0]["change"]["op"] = "rewrite"
    with pytest.raises(codec.CodecError) as raised:
        Issue.from_json(data)
    assert raised.value.key == "log.0.change.op" and raised.value.expected == "one_of"


def test_every_change_is_described_for_the_cli():
    assert describe(Edit(3, title="新", reporters=("王晓", "李明"), clear=("event_date",))) == (
        "edit article 3: title=新, reporters=王晓、李明, event_date emptied"
    )
    assert describe(Split(2, 3)) == "split article 2 before paragraph 3"
    assert describe(Merge(4)) == "merge article 4 with the next"
    assert describe(Drop(6)) == "drop article 6"
    assert describe(Reparse(2)) == "re-parsed the source (2 corrections discarded)"
    assert typing.get_type_hints(LogEntry)["change"]  # every kind of change can be logged
