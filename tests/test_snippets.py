"""The passage shown under each result: pure functions, and the spans of the index's stored offsets found again in
the body (``term_spans``), held equal to those read from the postings over the residents' set."""

from datetime import date

import pytest

from bot.answers import PAGE_SIZE
from index.evaluation import EvalSet, ingest_set, load_cases
from index.schema import from_stored
from index.snippets import SHORT_SENTENCE, best_passage, mark, merge_spans, sentences, term_spans
from index.store import Store
from tests.helpers import PARSER, WORDS, analyze, make_issue, open_search
from tests.test_eval_residents import RESIDENTS


def spans_of(body, *terms):
    """Every occurrence of each term, as the index's stored offsets give them."""
    found = {}
    for term in terms:
        start = body.find(term)
        while start != -1:
            found.setdefault(term, []).append((start, start + len(term)))
            start = body.find(term, start + 1)
    return found


def test_sentences_end_at_chinese_and_ascii_stops_and_at_line_breaks():
    text = "会议召开。比赛精彩！何时通车？一是保安全；二是抓统筹\n新段落!  "
    assert [text[s:e].strip() for s, e in sentences(text)] == [
        "会议召开。",
        "比赛精彩！",
        "何时通车？",
        "一是保安全；",
        "二是抓统筹",
        "新段落!",
    ]


def test_closing_quotes_stay_with_their_sentence():
    text = "他说：“要早建成。”随后离开。"
    assert [text[s:e] for s, e in sentences(text)] == ["他说：“要早建成。”", "随后离开。"]


def test_overlapping_spans_merge_and_are_marked_once():
    assert merge_spans([(5, 7), (4, 7), (10, 12), (11, 14)]) == [(4, 7), (10, 14)]
    body = "山阳路跨大沙河桥项目是重点工程。"
    assert best_passage(body, spans_of(body, "大沙河", "沙河")) == "山阳路跨【大沙河】桥项目是重点工程。"


def test_mark_skips_spans_outside_the_text():
    assert mark("养老服务工作", [(0, 2), (1, 3), (4, 9)]) == "【养老】服务工作"


def test_the_passage_is_the_sentence_holding_the_most_and_longest_terms():
    body = (
        "会议传达学习了近期重要讲话精神,安排部署了当前各项重点工作任务,要求各部门认真抓好落实。"
        "会议研究养老服务工作,要求健全养老服务人才激励机制,确定敬老院工作人员薪酬待遇和考核办法。"
        "会议还研究了设立基金工作,强调要做好科技金融文章,撬动更多资本投向重点领域。"
    )
    passage = best_passage(body, spans_of(body, "养老服务", "敬老院", "基金"))
    assert passage == (
        "会议研究【养老服务】工作,要求健全【养老服务】人才激励机制,确定【敬老院】工作人员薪酬待遇和考核办法。"
    )


def test_ties_go_to_the_earlier_sentence():
    body = (
        "第一句提到太极拳比赛的安排和组织情况,全区各乡镇街道积极报名参加。"
        "第二句也提到太极拳比赛的结果和获奖名单,并公布了排名。"
    )
    assert best_passage(body, spans_of(body, "太极拳")).startswith("第一句提到【太极拳】")


def test_a_short_best_sentence_brings_the_next_one():
    body = (
        "会议首先听取了各部门近期工作情况汇报,分析研判当前经济运行形势。"
        "亿腾科技扩产。新生产线投产后年产值预计增加两亿元以上。"
    )
    passage = best_passage(body, spans_of(body, "亿腾科技"))
    assert passage == "【亿腾科技】扩产。新生产线投产后年产值预计增加两亿元以上。"
    assert len("亿腾科技扩产。") < SHORT_SENTENCE


def test_without_a_match_the_passage_opens_the_story_on_one_line():
    first = (
        "4月21日,高新区举行“共享太极 共享健康”太极拳健身交流赛,"
        "全区乡镇街道共7支代表队参赛,展现了群众健康向上的精神风貌。"
    )
    body = f"{first}\n据悉,本次比赛主要交流太极拳集体项目。"
    assert best_passage(body, {}) == first
    assert best_passage("短句。\n第二段。", {}) == "短句。 第二段。"
    assert best_passage("   \n", {}) == ""


def test_hits_mark_the_question_s_terms_in_the_best_passage(data_dir):
    store = Store(data_dir, WORDS)
    store.ingest(make_issue("2026-04-28", ["太极拳交流赛", "养老服务会议"]), b"")
    with open_search(store) as search:
        parsed = analyze("太极拳交流赛", date(2026, 4, 30))
        hits = search.hits(search.find(parsed), parsed.terms)
    assert hits[0].snippet == "【太极拳交流赛】的正文内容。第1篇报道的详细情况。"  # adjacent terms: one mark


def test_a_term_is_found_as_the_index_cuts_it_not_as_characters():
    body = "Ｗｉ－Ｆｉ覆盖山阳路跨大沙河桥。河沙路不是沙河!沙河"  # full width folded, each character in its place
    assert term_spans(body, {"wi", "沙河", "山阳路", "路跨"}) == {
        "wi": [(0, 2)],
        "山阳路": [(7, 10)],
        "沙河": [(12, 14), (21, 23), (24, 26)],  # 大沙河's sub-word too; 路跨 is characters, not a word
    }


@pytest.fixture(scope="module")
def residents(tmp_path_factory) -> tuple[EvalSet, Store]:
    eval_set = load_cases(RESIDENTS)
    data_dir = tmp_path_factory.mktemp("residents")
    ingest_set(eval_set, data_dir, WORDS, max_bytes=10**7, parser=PARSER)
    return eval_set, Store(data_dir, WORDS)


def stored_spans(reader, docnum, terms):
    """Each of ``terms``' character spans in the body of ``docnum``, read from the index's postings."""
    spans = {}
    for term in terms:
        if reader.doc_frequency("body", term):
            postings = reader.postings("body", term)
            postings.skip_to(docnum)
            if postings.is_active() and postings.id() == docnum:
                spans[term] = [(start, end) for _, start, end in postings.value_as("characters")]
    return spans


@pytest.mark.slow
def test_every_word_of_every_story_is_found_where_the_index_stored_it(residents):
    """Each story's own words, and its neighbour's, which it may hold as characters but not as a word."""
    _, store = residents
    with store.index_dir.open().searcher() as searcher:
        reader = searcher.reader()
        words: dict[int, set[str]] = {}
        for raw in reader.lexicon("body"):
            for docnum in reader.postings("body", raw.decode("utf-8")).all_ids():
                words.setdefault(docnum, set()).add(raw.decode("utf-8"))
        docnums = sorted(words)
        for docnum, neighbour in zip(docnums, [*docnums[1:], docnums[0]], strict=True):
            body = from_stored(reader.stored_fields(docnum)).body
            terms = words[docnum] | words[neighbour]
            assert term_spans(body, terms) == stored_spans(reader, docnum, terms), body
        assert len(docnums) == searcher.doc_count()


@pytest.mark.slow
def test_the_evaluation_questions_get_the_snippets_of_the_stored_offsets(residents):
    eval_set, store = residents
    shown = 0
    with open_search(store) as search, store.index_dir.open().searcher() as searcher:
        for case in eval_set.cases:
            parsed = analyze(case.query, case.today or eval_set.today)
            ranked = search.find(parsed)[:PAGE_SIZE]
            for hit, item in zip(search.hits(ranked, parsed.marked, parsed.asks), ranked, strict=True):
                docnum = searcher.document_number(id=item.id)
                spans = stored_spans(searcher.reader(), docnum, parsed.marked)
                assert hit.snippet == best_passage(hit.article.body, spans, parsed.asks), case.query
                shown += 1
    assert shown > 1000
