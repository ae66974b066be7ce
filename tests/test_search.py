"""Ranking and the life of a ``Search``, over small issues indexed in a temporary data dir."""

from datetime import date

import pytest

from index import live
from index import search as search_module
from index.archive import Issue
from index.article import Article
from index.store import Store
from tests.helpers import WORDS, analyze, make_article, make_issue, open_search

TODAY = date(2026, 4, 30)


@pytest.fixture
def store(data_dir):
    return Store(data_dir, WORDS)


@pytest.fixture
def search(store):
    search = open_search(store)
    yield search
    search.close()


def titles(search, text, today=TODAY):
    return [search.article(ranked.id).title for ranked in search.find(analyze(text, today))]


def ingest(store, day, *articles):
    """Index ``articles`` (``(title, body)`` pairs or ``Article``s) as the issue of ``day`` (YYYY-MM-DD)."""
    day = date.fromisoformat(day)
    built = [a if isinstance(a, Article) else make_article(day, n, *a) for n, a in enumerate(articles, 1)]
    store.ingest(Issue(day, "test", tuple(built), f"{day.isoformat()}.json"), b"")


# -- ranking -----------------------------------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_body_only_match(store, search):
    ingest(store, "2026-04-14", ("养老服务中心开业", "中心正式投入使用,可提供床位120张。"))
    ingest(store, "2026-04-28", ("社区工作会议召开", "会议研究了养老服务和社区治理工作。"))
    assert titles(search, "养老服务") == ["养老服务中心开业", "社区工作会议召开"]


def test_articles_holding_every_term_rank_above_those_holding_some(store, search):
    ingest(
        store,
        "2026-04-28",
        ("太极拳进社区", "太极拳爱好者在社区广场练习太极拳,太极拳教练现场指导。"),
        ("全民健身活动举行", "活动中举行了一场太极拳比赛。"),
    )
    assert titles(search, "太极拳比赛") == ["全民健身活动举行", "太极拳进社区"]


def test_equal_scores_go_to_the_newer_issue(store, search):
    article = ("高新区召开安全生产会议", "会议部署安全生产工作。")
    ingest(store, "2026-03-31", article)  # indexed first, so Whoosh alone would rank it first
    ingest(store, "2026-04-28", article)
    ranked = search.find(analyze("安全生产", TODAY))
    assert [r.id for r in ranked] == ["2026-04-28-01", "2026-03-31-01"]
    assert ranked[0].score == ranked[1].score


def test_the_people_who_wrote_or_photographed_a_story_are_searchable(store, search):
    ingest(
        store,
        "2026-04-28",
        make_article(date(2026, 4, 28), 1, "医保政策进社区", "工作人员讲解医保政策。", reporters=("王晓东",)),
        make_article(date(2026, 4, 28), 2, "生产线高效运转", "企业生产线高效运转。", photographer="马雅宁"),
        ("太极拳交流赛举行", "比赛在体育馆举行。"),
    )
    assert titles(search, "王晓东的报道") == ["医保政策进社区"]
    assert titles(search, "马雅宁拍的照片") == ["生产线高效运转"]


def test_a_single_character_inside_a_longer_word_finds_its_article(store, search):
    ingest(
        store, "2026-04-28", ("太极拳交流赛举行", "全区7支代表队参加太极拳比赛。"), ("养老服务会议", "研究养老服务。")
    )
    assert titles(search, "拳") == ["太极拳交流赛举行"]


def test_words_the_index_never_saw_find_nothing_rather_than_everything(store, search):
    ingest(store, "2026-04-28", ("太极拳交流赛举行", "全区7支代表队参加太极拳比赛。"))
    assert titles(search, "量子计算机") == []


# -- dates -------------------------------------------------------------------------------------------------------


@pytest.fixture
def dated(store):
    day = date(2026, 4, 28)
    ingest(
        store,
        "2026-04-28",
        make_article(day, 1, "党政联席会议召开", "4月25日上午,会议研究养老服务工作。", event_date=date(2026, 4, 25)),
        make_article(day, 2, "领导班子会议召开", "4月20日上午,会议听取工作汇报。", event_date=date(2026, 4, 20)),
        make_article(day, 3, "太极拳交流赛举行", "4月21日,全区举行太极拳比赛。", event_date=date(2026, 4, 21)),
    )


@pytest.mark.usefixtures("dated")
@pytest.mark.parametrize(
    "text, today, expected",
    [
        ("4月25日的会议", TODAY, ["党政联席会议召开"]),
        ("昨天的会议", date(2026, 4, 26), ["党政联席会议召开"]),
        ("前天开的会议", date(2026, 4, 22), ["领导班子会议召开"]),
    ],
)
def test_a_date_restricts_the_results_when_something_matches_then(search, text, today, expected):
    assert titles(search, text, today) == expected


@pytest.mark.usefixtures("dated")
def test_a_date_with_no_match_only_ranks(search):
    assert titles(search, "4月25日的太极拳") == ["太极拳交流赛举行"]
    assert sorted(titles(search, "昨天的会议", date(2026, 3, 1))) == ["党政联席会议召开", "领导班子会议召开"]


def test_a_story_naming_a_day_of_the_period_is_in_it(store, search):
    """A September story announcing what changes from 10月1日 answers a question about October, though another
    story printed in October also matches."""
    for printed, happened, title, body in [
        (date(2026, 9, 22), date(2026, 9, 20), "基础养老金上调", "自10月1日起,城乡居民基础养老金每月提高25元。"),
        (date(2026, 10, 13), date(2026, 10, 11), "重阳敬老活动举行", "10月11日,社区为老人讲解养老金资格认证。"),
    ]:
        ingest(store, printed.isoformat(), make_article(printed, 1, title, body, event_date=happened))
    assert titles(search, "10月养老金上调多少", date(2026, 10, 20))[0] == "基础养老金上调"


def test_a_date_alone_lists_that_period_newest_issue_first_in_page_order(store, search):
    store.ingest(make_issue("2026-04-14", ["旧一", "旧二"]), b"")
    store.ingest(make_issue("2026-03-31", ["三月"]), b"")
    store.ingest(make_issue("2026-04-28", [f"新{n}" for n in range(1, 12)]), b"")
    assert titles(search, "4月") == [*(f"新{n}" for n in range(1, 12)), "旧一", "旧二"]
    assert titles(search, "3月的新闻") == ["三月"]
    assert titles(search, "2025年4月") == []


@pytest.mark.parametrize("text", ["？？？", "。，、！", "请问什么时候", "的", "", " ", "吗？", "🙂🙂", "\x00\ud800"])
def test_punctuation_and_question_words_alone_do_not_raise(store, search, text):
    store.ingest(make_issue("2026-04-28", ["养老服务会议", "太极拳交流赛"]), b"")
    assert isinstance(search.find(analyze(text, TODAY)), list)


# -- following the index -----------------------------------------------------------------------------------------


def test_a_search_follows_ingests_and_reindexes(store, search):
    store.ingest(make_issue("2026-04-14", ["养老服务会议"]), b"")
    assert titles(search, "太极拳") == []
    store.ingest(make_issue("2026-04-28", ["太极拳交流赛"]), b"")
    assert titles(search, "太极拳") == ["太极拳交流赛"]
    for _ in range(3):  # the third drops the directory the first searcher read
        before = search.generation()
        store.reindex()
        assert search.generation() != before
        assert titles(search, "太极拳") == ["太极拳交流赛"]
        assert titles(search, "养老服务") == ["养老服务会议"]


def test_hits_skip_articles_removed_since_the_search(store, search):
    store.ingest(make_issue("2026-04-14", ["养老服务会议"]), b"")
    store.ingest(make_issue("2026-04-28", ["养老服务中心开业"]), b"")
    parsed = analyze("养老服务", TODAY)
    ranked = search.find(parsed)
    assert len(ranked) == 2
    store.remove(date(2026, 4, 28))
    assert [hit.article.title for hit in search.hits(ranked, parsed.terms)] == ["养老服务会议"]


def test_ranking_reads_a_replaced_storys_new_text_not_the_one_it_kept(store, search):
    """Stories are read once per index generation for ranking: a re-ingested issue is read again."""
    ingest(store, "2026-04-28", ("社区活动", "居民参加了活动。"))
    first = search.rank(analyze("社区活动太极拳", TODAY)).candidates[0]
    ingest(store, "2026-04-28", ("社区活动", "居民参加了太极拳活动。"))
    again = search.rank(analyze("社区活动太极拳", TODAY)).candidates[0]
    assert first.id == again.id and first.written_coverage < 1 and again.written_coverage == pytest.approx(1.0)


def test_a_story_kept_is_not_read_again_in_a_new_generation_that_still_holds_it(store, search):
    """Stories are kept by segment: another issue's ingest leaves the story's segment, and its reading, as they were."""
    ingest(store, "2026-04-28", ("社区活动", "居民参加了太极拳活动。"))
    first = search_module._stories(search._current())("2026-04-28-01")
    ingest(store, "2026-04-21", ("太极拳比赛", "太极拳队参赛。"))
    again = search_module._stories(search._current())("2026-04-28-01")
    assert first is not None and again is not None
    assert again.text is first.text and again.docnum == search._current().document_number(id="2026-04-28-01")


def test_a_word_s_frequency_is_counted_anew_in_a_new_generation(store, search):
    """Frequencies are kept per index generation: an issue ingested since is counted."""
    ingest(store, "2026-04-28", ("社区活动", "居民参加了太极拳活动。"))
    search.rank(analyze("太极拳", TODAY))
    assert live.doc_frequency(search._current(), "body", "太极拳") == 1
    ingest(store, "2026-04-21", ("太极拳比赛", "太极拳队参赛。"))
    search.rank(analyze("太极拳", TODAY))
    assert live.doc_frequency(search._current(), "body", "太极拳") == 2


def test_latest_issue_is_the_newest_in_page_order_even_after_removing_the_newest(store, search):
    store.ingest(make_issue("2026-04-28", [f"新{n}" for n in range(1, 12)]), b"")
    store.ingest(make_issue("2026-04-14", ["旧一", "旧二"]), b"")  # ingested last, still older
    latest = search.latest_issue()
    assert [a.title for a in latest] == [f"新{n}" for n in range(1, 12)]
    assert {a.issue_date for a in latest} == {date(2026, 4, 28)}
    store.remove(date(2026, 4, 28))
    assert [a.title for a in search.latest_issue()] == ["旧一", "旧二"]


def test_an_empty_data_dir_finds_nothing_and_raises_nothing(search):
    parsed = analyze("太极拳", TODAY)
    assert search.find(parsed) == []
    assert search.latest_issue() == []
    assert search.hits([], parsed.terms) == []
    assert search.article("2026-04-28-01") is None


@pytest.fixture
def common_words(monkeypatch):
    """A small index where every word in two articles or more counts as common, as 高新区 does in a big one."""
    monkeypatch.setattr(search_module, "LONG_POSTINGS", 1)


def test_common_terms_rank_but_do_not_decide(common_words, data_dir):
    store = Store(data_dir, WORDS)
    store.ingest(make_issue("2026-05-01", ["高新区社区服务中心开放", "高新区养老服务新规", "高新区道路施工"]), b"x")
    with open_search(store) as search:
        found = {text: titles(search, text) for text in ("高新区养老服务", "社区服务中心", "高新区")}
    assert found["高新区养老服务"][0] == "高新区养老服务新规"
    assert found["社区服务中心"][0] == "高新区社区服务中心开放"
    assert set(found["高新区"]) == {"高新区社区服务中心开放", "高新区养老服务新规", "高新区道路施工"}


def test_a_plan_keeps_rare_terms_to_find_and_common_ones_to_rank(common_words, data_dir):
    store = Store(data_dir, WORDS)
    store.ingest(make_issue("2026-05-01", ["社区服务中心开放", "社区服务站", "服务窗口"]), b"x")
    with store.index_dir.open().searcher() as searcher:
        plan = search_module._plan(searcher, ["服务", "中心", "服务中心", "开放"])
        assert [t for t, _ in plan.rare] == ["中心", "服务中心", "开放"]
        assert [t for t, _ in plan.common] == []
        plan = search_module._plan(searcher, ["社区", "服务"])
        assert [t for t, _ in plan.rare] == [] and [t for t, _ in plan.common] == ["社区", "服务"]
        assert search_module._plan(searcher, ["不存在的词"]) is None
