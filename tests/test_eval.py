"""The sample evaluation set, the evaluation itself (figures, refusals, the report), the commands an editor tries
answers with (``evaluate``, ``ask``), and answers to any text. The residents' set: ``tests/test_eval_residents.py``."""

import json
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers import answer_question
from config.settings import ROOT_DIR
from index.evaluation import (
    Case,
    Figures,
    Outcome,
    Report,
    evaluate,
    format_report,
    ingest_set,
    load_cases,
    open_search,
    ranking,
    refused,
)
from tests.conftest import SAMPLE, SAMPLE_DATE
from tests.helpers import PARSER, WORDS, ingest_sample

CASES = ROOT_DIR / "tests" / "eval" / "cases.json"
MIN_HIT_AT_1 = 0.9
#: WeChat cuts a text message after this many bytes of UTF-8.
WECHAT_TEXT_BYTES = 2048
TOTALS = re.compile(r"hit@1 = [01]\.\d\d  MRR = [01]\.\d\d  \(\d+ queries\)")


@pytest.fixture(scope="module")
def eval_set():
    return load_cases(CASES)


@pytest.fixture(scope="module")
def indexed(eval_set, tmp_path_factory):
    """The set's issues indexed once for the module: ``(search, every title ingested)``."""
    data_dir = tmp_path_factory.mktemp("eval")
    titles = ingest_set(eval_set, data_dir, WORDS, max_bytes=10**7, parser=PARSER)
    search = open_search(data_dir, WORDS)
    yield search, titles
    search.close()


def test_the_set_covers_the_sample_and_two_more_issues_and_names_real_titles(eval_set, indexed):
    assert len(eval_set.issues) >= 3 and len(eval_set.cases) >= 40
    assert {case.expect for case in eval_set.cases} <= indexed[1]


def test_the_search_answers_at_least_nine_questions_in_ten_first(eval_set, indexed):
    report = evaluate(indexed[0], eval_set.cases, eval_set.today)
    assert report.hit_at_1 >= MIN_HIT_AT_1, format_report(report)


def test_the_report_shows_each_miss_and_the_figures_of_the_set_its_splits_and_tags_in_the_order_given():
    cases = [
        Case("养老服务", "高新区党政联席会议召开", "tune", ("keyword",)),
        Case("消防", "消防安全大检查", "tune", ("keyword",)),
        Case("量子计算机在哪", "量子计算", "holdout", ("sentence",)),
        Case("明天天气", None, "holdout", ("offtopic", "keyword")),
        Case("双色球", None, "holdout", ("offtopic", "keyword")),
    ]
    report = Report(
        (
            Outcome(cases[0], 1, cases[0].expect, refused=False),
            Outcome(cases[1], 2, "走进消防救援站", refused=False),
            Outcome(cases[2], None, None, refused=True),
            Outcome(cases[3], None, None, refused=True),
            Outcome(cases[4], None, "高新区召开领导班子会议", refused=False),
        ),
        tag_order=("sentence",),
    )
    assert (report.hit_at_1, report.mrr) == (pytest.approx(1 / 3), pytest.approx(0.5))
    assert report.figures == Figures(3, pytest.approx(1 / 3), pytest.approx(0.5), pytest.approx(1 / 3), 2, 0.5)
    assert [o.case.query for o in report.misses] == ["消防", "量子计算机在哪", "双色球"]
    assert list(report.splits()) == ["tune", "holdout"] and list(report.tags()) == ["sentence", "keyword", "offtopic"]
    assert report.splits()["holdout"] == Figures(1, 0.0, 0.0, 1.0, 2, 0.5)
    assert report.tags()["offtopic"] == Figures(0, None, None, None, 2, 0.5)
    assert format_report(report).splitlines() == [  # a Chinese character takes two columns
        "rank  split    query           expected",
        "   2  tune     消防            消防安全大检查  (first: 走进消防救援站)",
        "   -  holdout  量子计算机在哪  量子计算  (first: nothing)",
        "   -  holdout  双色球          nothing  (first: 高新区召开领导班子会议)",
        "",
        "          answerable  hit@1   MRR  wrongly refused  nothing  refused",
        "all                3   0.33  0.50             0.33        2     0.50",
        "tune               2   0.50  0.75             0.00        0        -",
        "holdout            1   0.00  0.00             1.00        2     0.50",
        "sentence           1   0.00  0.00             1.00        0        -",
        "keyword            2   0.50  0.75             0.00        2     0.50",
        "offtopic           0      -     -                -        2     0.50",
        "hit@1 = 0.33  MRR = 0.50  (3 queries)  refused = 0.50 of 2 unanswerable, 0.33 of the answerable",
    ]
    figures = report.to_json()
    assert (figures["answerable"], figures["nothing"], figures["refused"]) == (3, 2, 0.5)
    assert figures["splits"]["tune"]["hit_at_1"] == 0.5 and figures["tags"]["offtopic"]["hit_at_1"] is None
    assert figures["splits"]["holdout"]["tags"]["offtopic"]["refused"] == 0.5
    assert list(figures["splits"]["tune"]["tags"]) == ["keyword"]
    assert figures["cases"][4] == {
        "query": "双色球",
        "expect": None,
        "split": "holdout",
        "tags": ["offtopic", "keyword"],
        "rank": None,
        "first": "高新区召开领导班子会议",
        "refused": False,
    }


def test_a_question_is_refused_when_the_ranking_is_empty_and_a_nothing_case_counts_only_then(tmp_path):
    """A tiny set over the sample: one question answered, one refused as it should be, one answered wrongly."""
    path = tmp_path / "cases.json"
    path.write_text(
        json.dumps(
            {
                "issues": [{"path": str(SAMPLE), "date": SAMPLE_DATE}],
                "today": "2026-04-30",
                "cases": [
                    {"query": "太极拳", "expect": "高新区举行太极拳健身交流赛", "split": "tune", "tags": ["keyword"]},
                    {"query": "量子计算机", "expect": None, "split": "holdout", "tags": ["offtopic"]},
                    {"query": "太极拳比赛直播", "expect": None, "split": "holdout", "tags": ["offtopic"]},
                    {"query": "昨天的比赛", "expect": "高新区举行太极拳健身交流赛", "today": "2026-04-22"},
                ],
            }
        ),
        encoding="utf-8",
    )
    eval_set = load_cases(path)
    assert eval_set.cases[1] == Case("量子计算机", None, "holdout", ("offtopic",))
    assert eval_set.cases[3].today == date(2026, 4, 22) and eval_set.cases[3].split is None
    ingest_set(eval_set, tmp_path / "data", WORDS, max_bytes=10**7, parser=PARSER)
    with open_search(tmp_path / "data", WORDS) as search:
        assert refused(ranking(search, "量子计算机", eval_set.today))
        report = evaluate(search, eval_set.cases, eval_set.today)
    assert [(o.rank, o.refused, o.hit) for o in report.outcomes] == [
        (1, False, True),
        (None, True, True),
        (None, False, False),
        (1, False, True),
    ]
    assert report.figures == Figures(2, 1.0, 1.0, 0.0, 2, 0.5)


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ({"query": "太极拳", "expect": "x", "split": "train"}, "'split' must be one of tune, holdout"),
        ({"query": "太极拳", "expect": 3}, "'expect' a title or null"),
        ({"query": "太极拳", "expect": None, "tags": "offtopic"}, "'tags' must be a list of strings"),
        ({"query": "太极拳", "expect": None, "tags": ["off-topic"]}, "tag off-topic is not among the set's tags"),
    ],
)
def test_a_malformed_case_is_refused_naming_it(tmp_path, case, error):
    path = tmp_path / "cases.json"
    data = {"issues": [], "today": "2026-04-30", "tags": ["keyword", "offtopic"], "cases": [case]}
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        load_cases(path)


def test_the_evaluate_command_prints_the_misses_the_figures_and_the_totals(runner):
    result = runner.invoke(args=["evaluate"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert TOTALS.fullmatch(lines[-1]), lines[-1]
    assert lines[-2].split()[:2] == ["all", str(len(load_cases(CASES).cases))]
    report = json.loads(runner.invoke(args=["evaluate", str(CASES), "--json"]).output)
    assert report["hit_at_1"] >= MIN_HIT_AT_1 and report["answerable"] == len(report["cases"])
    assert report["nothing"] == 0 and report["refused"] is None


def test_the_evaluate_command_refuses_a_set_naming_no_real_article(runner, tmp_path):
    path = tmp_path / "cases.json"
    path.write_text(
        json.dumps(
            {
                "issues": [{"path": str(SAMPLE), "date": SAMPLE_DATE}],
                "today": "2026-04-30",
                "cases": [{"query": "太极拳", "expect": "不存在的标题"}],
            }
        ),
        encoding="utf-8",
    )
    result = runner.invoke(args=["evaluate", str(path)])
    assert result.exit_code == 2 and "不存在的标题" in result.output
    result = runner.invoke(args=["evaluate", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "missing.json" in result.output


def test_ask_reads_one_question_a_line_and_prints_one_line_each(app, runner):
    ingest_sample(app)
    result = runner.invoke(args=["ask", "-"], input="养老服务\n太极\n")
    assert result.exit_code == 0, result.output
    replies = [json.loads(line) for line in result.output.splitlines()]
    assert len(replies) == 2 and "高新区党政联席会议召开" in replies[0] and "太极拳" in replies[1]

    result = runner.invoke(args=["ask", "-", "--json", "--today", "2026-04-30"], input="养老服务\n太极\n")
    answers = [json.loads(line) for line in result.output.splitlines()]
    assert [a["query"] for a in answers] == ["养老服务", "太极"]
    for answer in answers:
        assert set(answer) == {"query", "normalized", "terms", "hits", "reply"}
        assert answer["hits"] and all(
            set(hit) == {"id", "title", "issue_date", "score", "snippet"} for hit in answer["hits"]
        )
    assert answers[0]["hits"][0]["title"] == "高新区党政联席会议召开"
    assert "【太极】" in answers[1]["hits"][0]["snippet"] or "【太极拳】" in answers[1]["hits"][0]["snippet"]


#: Pieces of real questions, so that generated text also finds articles and gets full result pages.
QUESTION_PIECES = [
    "养老服务",
    "太极拳",
    "消防",
    "招聘会",
    "垃圾分類",
    "ＨＰＶ",
    "4月25日",
    "6月",
    "昨天",
    "最近",
    "的报道",
    "什么时候",
    "拳",
    "。",
    "？",
    " ",
    "\n",
    "🙂",
    "\u200b",
    "\ud800",
    "Ａ",
    "3.5亿",
]


@settings(max_examples=200, deadline=None)
@given(text=st.text() | st.lists(st.sampled_from(QUESTION_PIECES), max_size=12).map("".join))
def test_any_text_gets_a_reply_that_fits_a_wechat_message(indexed, text):
    answer = answer_question(indexed[0], text, today=date(2026, 6, 5))
    assert answer.reply and len(answer.reply.encode("utf-8")) <= WECHAT_TEXT_BYTES
