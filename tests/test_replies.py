"""Reply texts: their formats, and that every one fits WeChat's 2048 bytes whatever the stories contain."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import replies
from bot.textfit import ELLIPSIS, LIMIT, cut_at_pause, fit_utf8, shorten
from index.article import Article
from index.facts import Fact
from index.hit import Hit

ISSUE = date(2026, 4, 28)
#: Any text, lone surrogates and 4-byte characters included.
ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.integers(0xD800, 0xDFFF).map(chr),
        st.integers(0x1F600, 0x1F64F).map(chr),
        st.just("【"),
        st.just("】"),
    )
)


def article(title="高新区举行太极拳健身交流赛", body="本报讯 4月21日，高新区举行太极拳健身交流赛。", **fields):
    fields = {"issue_date": ISSUE, "ordinal": 1, "reporters": ("付凯明",), "correspondents": ("许锦",), **fields}
    return Article(title=title, body=body, **fields)


def hit(title="高新区举行太极拳健身交流赛", snippet="吸引了全区7支【代表队】参赛。", lacks=(), **fields):
    return Hit(article(title, event_date=date(2026, 4, 21), **fields), 1.0, snippet, lacks)


def fits(reply):
    return len(reply.encode("utf-8")) <= LIMIT


def marks_balanced(text):
    depth = 0
    for ch in text:
        depth += {"【": 1, "】": -1}.get(ch, 0)
        if depth not in (0, 1):
            return False
    return depth == 0


def test_results_format():
    reply = replies.results_reply(
        [hit(), hit(title="高新区党政联席会议召开", snippet="研究【养老服务】工作。")], has_more=False
    )
    assert reply == (
        "1. 高新区举行太极拳健身交流赛（04月21日）\n吸引了全区7支【代表队】参赛。\n\n"
        "2. 高新区党政联席会议召开（04月21日）\n研究【养老服务】工作。\n\n"
        "回复 1-2 的序号看全文"
    )


def test_a_passage_without_the_time_or_figure_asked_for_says_so_first():
    reply = replies.results_reply(
        [
            hit(title="大桥项目", snippet="【大桥】是重点工程。", lacks=(Fact.TIME,)),
            hit(title="体检", snippet="【体检】在社区进行。", lacks=(Fact.TIME, Fact.AMOUNT)),
            hit(snippet="预计年底【通车】。"),
        ],
        has_more=False,
    )
    assert "1. 大桥项目（04月21日）\n（报道中相关内容未提到具体时间）【大桥】是重点工程。" in reply
    assert "2. 体检（04月21日）\n（报道中相关内容未提到具体时间和数字）【体检】在社区进行。" in reply
    assert "\n预计年底【通车】。" in reply
    assert reply.count("未提到") == 2


def test_the_note_stays_when_snippets_are_squeezed():
    many = [hit(title="标题" * 20, snippet="长句" * 400, lacks=(Fact.AMOUNT,)) for _ in range(3)]
    reply = replies.results_reply(many, has_more=True)
    assert fits(reply) and reply.count("（报道中相关内容未提到具体数字）") == 3


def test_results_numbering_continues_across_pages_and_offers_more():
    reply = replies.results_reply([hit()] * 3, first_number=4, has_more=True)
    assert [line[:3] for line in reply.split("\n\n")[:3]] == ["4. ", "5. ", "6. "]
    assert reply.endswith("回复 4-6 的序号看全文\n回复“更多”看下一页")


def test_results_single_hit_footer():
    assert replies.results_reply([hit()], first_number=7, has_more=False).endswith("回复 7 看全文")


def test_results_show_at_most_three():
    assert "4. " not in replies.results_reply([hit()] * 5, has_more=True)


def test_results_need_a_hit():
    with pytest.raises(ValueError):
        replies.results_reply([], has_more=False)


def test_huge_snippets_are_shortened_evenly_and_titles_kept():
    long, short = "【养老】服务" * 400, "研究【养老服务】工作。"
    reply = replies.results_reply([hit(snippet=long), hit(snippet=short), hit(snippet=long)], has_more=True)
    assert fits(reply)
    entries = reply.split("\n\n")
    assert all(
        entry.startswith(f"{n}. 高新区举行太极拳健身交流赛（04月21日）\n")
        for n, entry in zip((1, 2, 3), entries[:3], strict=True)
    )
    assert entries[1].endswith(short)
    assert entries[0][1:] == entries[2][1:] and entries[0].endswith("…")
    assert len(reply.encode("utf-8")) > LIMIT - 20  # the room is used, not wasted
    assert all(marks_balanced(entry) for entry in entries)
    assert reply.endswith("回复“更多”看下一页")


def test_huge_titles_are_shortened_after_snippets_footer_kept():
    reply = replies.results_reply([hit(title="标题" * 2000, snippet="【代表队】" * 500)] * 3, has_more=True)
    assert fits(reply)
    assert reply.count("（04月21日）") == 3
    assert reply.endswith("回复 1-3 的序号看全文\n回复“更多”看下一页")


@pytest.mark.parametrize("budget", range(0, 40))
def test_shorten_never_splits_a_mark(budget):
    text = "研究【养老服务】和【敬老院】工作"
    cut = shorten(text, budget)
    assert len(cut.encode()) <= budget
    assert marks_balanced(cut)
    assert cut == text or cut.endswith("…") or cut == ""


def test_fit_utf8_cuts_on_a_character_boundary():
    text = "😀" * 1000  # 4 bytes each
    cut = fit_utf8(text)
    assert cut.endswith("…") and fits(cut)
    assert cut.encode("utf-8").decode("utf-8") == cut
    assert fit_utf8("短") == "短"


def test_no_hits_names_the_words_and_numbers_the_headlines_it_suggests():
    reply = replies.no_hits_reply(("代表队", "太极拳"), ["高新区党政联席会议召开", "高新区召开领导班子会议"])
    assert "“代表队 太极拳”" in reply
    assert "换个说法" in reply and "帮助" in reply
    assert reply.endswith(
        "最新一期的报道有：\n1. 高新区党政联席会议召开\n2. 高新区召开领导班子会议\n"
        "回复序号看全文，回复“最新”看本期全部标题。"
    )
    assert "6. " not in replies.no_hits_reply("x", [f"标题{n}" for n in range(1, 8)])  # five at most
    assert fits(replies.no_hits_reply(["字" * 5000], ["标题" * 3000] * 20))


def test_digest_numbers_the_headlines():
    reply = replies.digest_reply(ISSUE, [article("甲"), article("乙", ordinal=2)])
    assert reply == "高新区头条 2026年04月28日 本期要闻：\n1. 甲\n2. 乙\n回复序号看全文"
    assert fits(replies.digest_reply(ISSUE, [article("标题" * 500)] * 30))
    assert replies.digest_reply(ISSUE, []) == replies.NO_ISSUE


def test_article_reply():
    reply = replies.article_reply(article(subtitle="共享太极 共享健康", body="第一段。\n第二段。"), "https://x.cn/a/1")
    assert reply == (
        "高新区举行太极拳健身交流赛\n共享太极 共享健康\n2026年04月28日 记者 付凯明 通讯员 许锦\n\n"
        "第一段。\n\n第二段。\n\n阅读全文：https://x.cn/a/1"
    )


def test_article_reply_keeps_the_url_when_the_body_is_huge():
    url = "https://example.com/bulletin/2026-04-28/" + "a" * 300
    reply = replies.article_reply(article(title="题" * 1000, body="正文。\n" * 5000), url)
    assert fits(reply)
    assert reply.endswith("\n\n阅读全文：" + url)
    assert "…" in reply


BODY = "4月21日，高新区举行“共享太极 共享健康”太极拳健身交流赛。据悉，本次比赛吸引了全区7支代表队参赛，大家以拳会友。"


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        (BODY, 200, BODY),
        (BODY, 50, "4月21日，高新区举行“共享太极 共享健康”太极拳健身交流赛…"),  # at the sentence's end
        (BODY, 40, "4月21日，高新区举行“共享太极 共享健康”太极拳健身交流赛…"),
        ("第一句很短。" + "没有停顿的长句子" * 4 + "，然后逗号后面还有很多很多字" * 3, 55, None),  # at the comma
        ("他说：“要早建成。”随后离开现场，" + "察看" * 30, 14, "他说：“要早建成。”…"),  # the quotes stay closed
        ("没有任何停顿的文字" * 10, 20, "没有任何停顿的文字没有任何停顿的文字没…"),  # no pause: at the limit
    ],
)
def test_cut_at_pause_ends_at_a_sentence_or_a_comma_and_marks_the_cut(text, limit, expected):
    cut = cut_at_pause(text, limit)
    assert len(cut) <= limit
    if expected is None:
        assert cut == text[: text.rindex("，", 0, limit)] + ELLIPSIS  # the last comma that fits
    else:
        assert cut == expected


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("养老。，！”a "), max_size=300), st.integers(0, 120))
def test_cut_at_pause_property(text, limit):
    cut = cut_at_pause(text, limit)
    assert len(cut) <= limit
    if cut != text:
        assert cut.endswith(ELLIPSIS) or not limit
        kept = cut.removesuffix(ELLIPSIS)
        assert text.startswith(kept)


def test_a_card_describes_the_story_from_its_start_cut_where_a_reader_pauses():
    story = article(body=BODY + "\n" + "第二段。" * 20)
    description = replies.card_description(story)
    assert description == (
        "4月21日，高新区举行“共享太极 共享健康”太极拳健身交流赛。据悉，本次比赛吸引了全区7支代表队参赛，大家以拳会友…"
    )
    assert len(description) <= replies.CARD_DESCRIPTION_CHARS
    assert replies.card_description(article(body="短短一段。")) == "短短一段。"


def test_welcome_keeps_the_digest_footer():
    digest = replies.digest_reply(ISSUE, [article("很长的标题" * 10, ordinal=n) for n in range(1, 30)])
    reply = replies.welcome_reply(digest)
    assert fits(reply)
    assert reply.startswith(replies.WELCOME) and reply.endswith("回复序号看全文")
    assert replies.welcome_reply("") == replies.WELCOME


def test_short_replies_fit():
    for reply in [
        replies.help_reply(),
        replies.rate_limited_reply(),
        replies.timeout_reply(),
        replies.voice_unrecognised_reply(),
        replies.no_previous_results_reply(),
        replies.no_more_results_reply(),
        replies.unsupported_reply("image"),
        replies.unsupported_reply("something-new"),
        replies.number_out_of_range_reply(10**600, 3),
    ]:
        assert reply and fits(reply)
    assert "图片" in replies.unsupported_reply("image")
    assert "1-12" in replies.number_out_of_range_reply(15, 12)
    assert "回复 1 看全文" in replies.number_out_of_range_reply(3, 1)
    assert all(word in replies.help_reply() for word in ("养老服务", "太极拳", "最新", "更多", "帮助"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(ANY_TEXT, ANY_TEXT), min_size=1, max_size=4), st.integers(1, 10**6), st.booleans())
def test_results_always_fit(pairs, first, has_more):
    reply = replies.results_reply(
        [hit(title, snippet) for title, snippet in pairs], first_number=first, has_more=has_more
    )
    assert fits(reply)


@settings(max_examples=60, deadline=None)
@given(ANY_TEXT, ANY_TEXT, ANY_TEXT, st.lists(ANY_TEXT, max_size=5), st.one_of(st.none(), ANY_TEXT))
def test_article_digest_and_no_hits_always_fit(title, body, subtitle, reporters, url):
    story = article(title, body, subtitle=subtitle, reporters=tuple(reporters))
    assert fits(replies.article_reply(story, url))
    assert fits(replies.digest_reply(ISSUE, [story] * 3))
    assert fits(replies.no_hits_reply([title, body], [title, subtitle]))
    assert fits(replies.welcome_reply(replies.digest_reply(ISSUE, [story] * 40)))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("养老【】😀a"), max_size=3000), st.integers(0, LIMIT))
def test_shorten_property(text, budget):
    cut = shorten(text, budget)
    assert len(cut.encode("utf-8", "surrogatepass")) <= budget
    if marks_balanced(text):
        assert marks_balanced(cut.removesuffix("…"))


def test_a_question_of_a_kind_never_answered_is_told_so_with_the_kind_and_the_headlines():
    reply = replies.no_hits_reply(("明天", "天气"), ["高新区党政联席会议召开"], kind="天气")
    assert reply.startswith("抱歉，高新区头条只刊登高新区的新闻，没有天气方面的信息。")
    assert "帮助" in reply and "1. 高新区党政联席会议召开" in reply and fits(reply)
