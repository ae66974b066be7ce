"""Questions asking when or how much: which words ask (config/fact_words.txt), what in a passage answers, and the
passage chosen for them."""

import re
from datetime import date

import pytest

from index.facts import Fact, asked, holds, lacking, load_fact_words
from index.snippets import best_passage
from tests.helpers import WORDS, analyze
from tests.test_snippets import spans_of

TODAY = date(2026, 4, 28)


@pytest.mark.parametrize(
    "question, asks",
    [
        ("山阳路大桥什么时候通车", (Fact.TIME,)),
        ("图书馆几点开门", (Fact.TIME,)),
        ("招聘会哪天举行？", (Fact.TIME,)),
        ("体检多少钱", (Fact.AMOUNT,)),
        ("有几个代表队参赛", (Fact.AMOUNT,)),
        ("游泳馆收费吗", (Fact.AMOUNT,)),
        ("门票价格和开放时间", (Fact.TIME, Fact.AMOUNT)),
        ("太极拳", ()),
        ("4月25日的会议", ()),
        ("养老服务有什么新政策", ()),
    ],
)
def test_questions_asking_when_or_how_much_are_recognised(question, asks):
    assert analyze(question, TODAY).asks == asks


def test_the_asking_words_are_the_editors_list():
    words = load_fact_words(WORDS.fact_words)
    assert "什么时候" in words[Fact.TIME] and "多少钱" in words[Fact.AMOUNT]
    assert asked("开馆要等多久", words) == (Fact.TIME,)
    assert asked("开馆要等多久", {Fact.AMOUNT: ("多久",)}) == (Fact.AMOUNT,)


@pytest.mark.parametrize(
    "content, error",
    [
        ("什么时候\n", "1: '什么时候' comes before any section"),
        ("[time]\n几点\n[when]\n哪天\n", "3: unknown section [when]"),
    ],
)
def test_a_malformed_word_list_names_the_line(tmp_path, content, error):
    path = tmp_path / "fact_words.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(error)):
        load_fact_words(path)


def test_sections_comments_and_full_width_are_read(tmp_path):
    path = tmp_path / "fact_words.txt"
    path.write_text("# 注释\n[amount]\n多少钱  # 价格\nＡＡ\n\n[time]\n几点\n", encoding="utf-8")
    assert load_fact_words(path) == {Fact.TIME: ("几点",), Fact.AMOUNT: ("多少钱", "aa")}


@pytest.mark.parametrize(
    "text",
    [
        "4月20日下午，宫卫红调研",
        "预计年底建成通车",
        "每周六上午开放",
        "９：３０开始报名",
        "活动定于2026-05-01举行",
        "本月下旬开工",
        "五月十二日举行",
    ],
)
def test_times_a_passage_can_state(text):
    assert holds(Fact.TIME, text)


@pytest.mark.parametrize(
    "text",
    ["近日，记者从区住建局获悉", "确保项目早建成、早通车、早惠民。", "请大家快一点", "丰富了日常生活", "5号线沿线"],
)
def test_vague_or_no_times(text):
    assert not holds(Fact.TIME, text)


@pytest.mark.parametrize(
    "text",
    ["吸引了7支【代表队】参赛", "总投资3.5亿元", "十二支代表队", "数百名群众", "全程免费", "增长50%", "两个社区"],
)
def test_figures_a_passage_can_state(text):
    assert holds(Fact.AMOUNT, text)


@pytest.mark.parametrize(
    "text",
    ["4月21日，高新区举行交流赛", "2026年第7次联席会议", "这是一个重要活动", "第十二次会议", "9:30开始", "2026-05-01"],
)
def test_dates_ordinals_and_no_figures(text):
    assert not holds(Fact.AMOUNT, text)


def test_lacking_keeps_the_order_asked():
    assert lacking((Fact.TIME, Fact.AMOUNT), "投资3.5亿元") == (Fact.TIME,)
    assert lacking((Fact.TIME, Fact.AMOUNT), "重点工程") == (Fact.TIME, Fact.AMOUNT)
    assert lacking((), "重点工程") == ()


BRIDGE = (
    "山阳路跨大沙河桥项目是“三十工程”十大民生项目的重点工程，对进一步完善交通网络、提升城市品质具有重大意义。"
    "宫卫红要求倒排工期，确保大沙河桥在年底前建成通车。"
    "4月20日，区领导还察看了文博路工程。"
)


def test_a_when_question_gets_the_matching_sentence_that_states_a_time():
    spans = spans_of(BRIDGE, "山阳路", "大沙河", "通车")
    assert best_passage(BRIDGE, spans).startswith("【山阳路】跨【大沙河】桥")  # most terms
    assert best_passage(BRIDGE, spans, (Fact.TIME,)).startswith("宫卫红要求倒排工期")  # the one with the date


def test_a_time_in_a_sentence_without_the_terms_is_not_taken_for_the_answer():
    spans = spans_of(BRIDGE, "山阳路", "重点工程")
    passage = best_passage(BRIDGE, spans, (Fact.TIME,))
    assert passage.startswith("【山阳路】") and lacking((Fact.TIME,), passage) == (Fact.TIME,)


def test_a_weak_match_with_a_figure_does_not_beat_a_strong_one():
    body = "养老服务中心提供助餐、助浴和上门护理服务，老人可就近申请。另有3家企业参与。"
    spans = spans_of(body, "养老服务中心", "护理", "企业")
    assert best_passage(body, spans, (Fact.AMOUNT,)).startswith("【养老服务中心】")
