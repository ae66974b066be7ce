"""Query understanding: normalisation, question words, dates, and terms cut as the index cuts them."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.dates import DateRange, dates_mentioned, parse_dates
from index.query import NORMALIZED_CAP, normalize
from tests.helpers import analyze

TODAY = date(2026, 4, 28)  # a Tuesday


def day(month, dd, year=2026):
    return DateRange(date(year, month, dd), date(year, month, dd))


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ＡＢＣ１２３　太极拳", "abc123 太极拳"),
        ("養老服務", "养老服务"),
        ("太极拳😀👍🏻比赛", "太极拳 比赛"),
        ("山阳路大桥什么时候通车。", "山阳路大桥什么时候通车"),
        ("“养老服务”（敬老院）、《通知》【公告】…", "养老服务 敬老院 通知 公告"),
        ('AND * "[] OR title:x', "and or title x"),
        ("  太极\t\n拳  ", "太极 拳"),
        ("投资3.5亿元", "投资3.5亿元"),
        ("\ud800太极\x00拳\u200d", "太极 拳"),
        ("", ""),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_normalize_caps_long_input():
    assert len(normalize("太极拳" * 10_000)) == NORMALIZED_CAP


@pytest.mark.parametrize(
    "question, words",
    [
        ("有几支代表队参加太极拳", ("代表队", "参加", "太极拳")),
        ("山阳路跨大沙河桥什么时候通车", ("山阳路", "跨", "大沙河", "桥", "通车")),
        ("付凯明的报道", ("付凯明",)),
        ("太极", ("太极",)),
        ("敬老院工作人员待遇", ("敬老院", "工作人员", "待遇")),
        ("请问养老服务怎么样？", ("养老服务",)),
        ("帮我查一下敬老院", ("敬老院",)),
        ("请告诉我们养老服务的相关情况", ("养老服务",)),
        ("請問太極拳比賽有幾支代表隊", ("太极拳", "比赛", "代表队")),
    ],
)
def test_question_words_are_dropped(question, words):
    assert analyze(question, TODAY).words == words


def test_phrases_are_removed_on_word_boundaries_only():
    assert analyze("思想问题", TODAY).words == ("思想", "问题")


def test_terms_come_from_the_index_analyzer():
    parsed = analyze("有几支代表队参加太极拳", TODAY)
    assert parsed.terms == ("代表", "代表队", "参加", "太极", "太极拳")
    assert parsed.dates is None
    assert parsed.text == "有几支代表队参加太极拳"


def test_a_question_of_question_words_only_is_searched_as_is():
    assert analyze("什么", TODAY).terms == ("什么",)


def test_a_date_alone_leaves_no_terms():
    parsed = analyze("4月25日的新闻", TODAY)
    assert parsed.dates == day(4, 25)
    assert parsed.terms == ()


def test_query_syntax_is_plain_text():
    assert analyze('AND * "[]', TODAY).terms == ("and",)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("4月25日会议", day(4, 25)),
        ("4月25号会议", day(4, 25)),
        ("2025年4月25日会议", day(4, 25, 2025)),
        ("4 月 25 日 会议", day(4, 25)),
        ("4月会议", DateRange(date(2026, 4, 1), date(2026, 4, 30))),
        ("4月份会议", DateRange(date(2026, 4, 1), date(2026, 4, 30))),
        ("2月会议", DateRange(date(2026, 2, 1), date(2026, 2, 28))),
        ("今天会议", day(4, 28)),
        ("昨天会议", day(4, 27)),
        ("前天会议", day(4, 26)),
        ("本周会议", DateRange(date(2026, 4, 27), date(2026, 5, 3))),
        ("这周会议", DateRange(date(2026, 4, 27), date(2026, 5, 3))),
        ("上周会议", DateRange(date(2026, 4, 20), date(2026, 4, 26))),
        ("本月会议", DateRange(date(2026, 4, 1), date(2026, 4, 30))),
        ("这个月会议", DateRange(date(2026, 4, 1), date(2026, 4, 30))),
        ("上个月会议", DateRange(date(2026, 3, 1), date(2026, 3, 31))),
        ("最近会议", DateRange(date(2026, 3, 30), date(2026, 4, 28))),
        ("近期会议", DateRange(date(2026, 3, 30), date(2026, 4, 28))),
        ("5月20日会议", day(5, 20)),  # less than a month ahead: announced for this year
        ("12月会议", DateRange(date(2025, 12, 1), date(2025, 12, 31))),  # far ahead: last December
        ("6月1日会议", day(6, 1, 2025)),
    ],
)
def test_parse_dates(text, expected):
    assert parse_dates(text, TODAY) == (expected, "会议")


def test_parse_dates_in_january_reaches_back_to_last_year():
    assert parse_dates("上个月", date(2026, 1, 15))[0] == DateRange(date(2025, 12, 1), date(2025, 12, 31))
    assert parse_dates("12月5日", date(2026, 1, 15))[0] == day(12, 5, 2025)


@pytest.mark.parametrize("text", ["2月30日会议", "13月会议", "太极拳", "0月会议"])
def test_no_real_date_leaves_the_text(text):
    assert parse_dates(text, TODAY) == (None, text)


def test_a_story_names_days_it_reports_and_days_it_announces_each_in_the_nearest_year():
    text = "自10月1日起,基础养老金上调;2025年5月完成评估,8月起试点,1月份将全面推开,2月30日无此日。"
    assert dates_mentioned(text, date(2026, 9, 22)) == (
        day(10, 1),
        DateRange(date(2025, 5, 1), date(2025, 5, 31)),
        DateRange(date(2026, 8, 1), date(2026, 8, 31)),
        DateRange(date(2027, 1, 1), date(2027, 1, 31)),
    )
    assert dates_mentioned("近日,会议召开。", date(2026, 9, 22)) == ()


def test_only_the_first_date_counts():
    assert parse_dates("上周和4月25日", TODAY) == (DateRange(date(2026, 4, 20), date(2026, 4, 26)), "和4月25日")


def test_dates_are_removed_from_terms():
    parsed = analyze("上周的太极拳比赛", TODAY)
    assert parsed.dates == DateRange(date(2026, 4, 20), date(2026, 4, 26))
    assert parsed.words == ("太极拳", "比赛")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=3000))
def test_analyze_never_raises(text):
    parsed = analyze(text, TODAY)
    assert len(parsed.normalized) <= NORMALIZED_CAP
    assert all(isinstance(term, str) and term for term in parsed.terms)
    assert len(set(parsed.terms)) == len(parsed.terms)


#: Any character, lone surrogates (which st.characters never draws) and controls included.
ANY_CHAR = st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr), st.integers(0, 0x1F).map(chr))


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=ANY_CHAR, max_size=300))
def test_analyze_survives_surrogates_and_controls(text):
    assert all(analyze(text, TODAY).terms)
