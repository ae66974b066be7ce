"""Every text the account sends, in one place, each fitted to WeChat's 2048 bytes.

The wording speaks for the paper (本报), politely and briefly: a resident reads it on a phone. Long parts give way in
a fixed order (snippets and bodies before titles; footers, commands and links never), see ``textfit.squeeze``.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from bot.textfit import LIMIT, cut_at_pause, drop_lines, fit_utf8, squeeze, utf8_len
from index.article import Article
from index.facts import Fact
from index.hit import Hit

#: Hits in one results reply; more would leave each snippet too short to answer anything.
MAX_HITS = 3
#: Bytes a snippet keeps before titles are shortened (about 30 Chinese characters).
SNIPPET_FLOOR = 90
#: Bytes a body keeps before the title and byline are shortened.
BODY_FLOOR = 600
#: Headlines suggested when nothing was found.
SUGGESTED_TITLES = 5
#: A card's description: the start of the article, about as much as WeChat shows under the title.
CARD_DESCRIPTION_CHARS = 60

READ_ONE = "回复 {first} 看全文"
READ_RANGE = "回复 {first}-{last} 的序号看全文"
MORE = "回复“更多”看下一页"
NO_HITS = "抱歉，本报没有关于“{words}”的报道。"
NO_HITS_NO_WORDS = "抱歉，本报没有相关的报道。"
#: When the question is of a kind the bulletin never answers (``config/off_topic.txt``): say so, naming the kind.
NO_HITS_KIND = "抱歉，高新区头条只刊登高新区的新闻，没有{kind}方面的信息。"
TRY_SHORTER = "可以换个说法，或只发关键词，比如“养老服务”“太极拳”；回复“帮助”看更多问法。"
LATEST_IDEAS = "最新一期的报道有："
LATEST_HINT = "回复序号看全文，回复“最新”看本期全部标题。"
#: Before a passage that does not state what the question asks for, so it never passes for an answer.
NOT_STATED = "（报道中相关内容未提到具体{facts}）"
FACT_NAMES = {Fact.TIME: "时间", Fact.AMOUNT: "数字"}
DIGEST_HEADING = "高新区头条 {day} 本期要闻："
DIGEST_FOOTER = "回复序号看全文"
NO_ISSUE = "最新一期还没有上线，请稍后再来看看。"
READ_MORE = "阅读全文：{url}"
HELP = """您好！这里是高新区头条。发送关键词或问题，我们会从本报刊登的报道中为您找答案。

可以这样问：
· 养老服务
· 山阳路大桥什么时候通车
· 太极拳
也可以带上日期，比如“上周 会议”“4月25日”。

常用指令：
· 最新：看最新一期的标题
· 序号（如“1”）：看对应报道的全文
· 更多：看下一页结果
· 帮助：再看这条说明"""
WELCOME = (
    "感谢关注高新区头条！发送关键词或问题，我们会从本报刊登的报道中为您找答案，"
    "比如“养老服务”“太极拳”。回复“帮助”查看更多用法。"
)
RATE_LIMITED = "您发得有点快，请稍等片刻再问。"
TIMEOUT = "抱歉，现在查询的人较多，请稍后再发一次。"
VOICE_UNRECOGNISED = "抱歉，没能听清这条语音。请打字发送想了解的内容，比如“养老服务”。"
UNSUPPORTED = "暂时还看不懂{kind}。我们可以根据高新区头条的报道回答问题，请发送文字，比如“太极拳”。回复“帮助”查看用法。"
UNSUPPORTED_KINDS = {
    "image": "图片",
    "video": "视频",
    "shortvideo": "视频",
    "location": "位置",
    "link": "链接",
    "file": "文件",
}
UNSUPPORTED_OTHER = "这类消息"
NO_PREVIOUS_RESULTS = "请先发送想了解的内容，比如“养老服务”。查到结果后，回复序号看全文，回复“更多”看下一页。"
NO_MORE_RESULTS = "没有更多结果了。换个关键词试试，或回复“最新”查看最新一期。"
NUMBER_OUT_OF_RANGE = "没有第 {number} 条。请回复 1-{count} 之间的序号看全文。"
NUMBER_OUT_OF_RANGE_ONE = "没有第 {number} 条。请回复 1 看全文。"


def _month_day(day: date) -> str:
    return f"（{day.month:02d}月{day.day:02d}日）"


def _full_date(day: date) -> str:
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def _fit(
    compose: Callable[[list[str], list[str]], str],
    primary: Sequence[str],
    secondary: Sequence[str] = (),
    floor: int = 0,
) -> str:
    """``compose(primary, secondary)`` within the limit, its parts shortened as ``squeeze`` orders.

    The fixed text is measured by composing one-character placeholders, so every separator a part brings is counted.
    """
    placeholders = len(primary) + len(secondary)
    skeleton = utf8_len(compose(["x"] * len(primary), ["x"] * len(secondary))) - placeholders
    primary, secondary = squeeze(list(primary), list(secondary), LIMIT - skeleton, floor)
    return fit_utf8(compose(primary, secondary))


def not_stated_note(lacks: Iterable[Fact]) -> str:
    """What a passage does not say of what was asked ("" when it says all of it)."""
    names = [FACT_NAMES[fact] for fact in lacks]
    return NOT_STATED.format(facts="和".join(names)) if names else ""


def results_reply(hits: Iterable[Hit], *, first_number: int = 1, has_more: bool) -> str:
    """One page of results: ``1. title（MM月DD日）``, its marked snippet (after a note when it lacks the time or
    figure asked for), then how to read on."""
    hits = list(hits)[:MAX_HITS]
    if not hits:
        raise ValueError("results_reply needs at least one hit; use no_hits_reply")
    last = first_number + len(hits) - 1
    footer = (READ_ONE if last == first_number else READ_RANGE).format(first=first_number, last=last)
    if has_more:
        footer += "\n" + MORE

    def compose(titles: list[str], snippets: list[str]) -> str:
        entries = []
        for number, hit, title, snippet in zip(range(first_number, last + 1), hits, titles, snippets, strict=True):
            head = f"{number}. {title}{_month_day(hit.shown_date)}"
            entries.append(f"{head}\n{snippet}" if snippet else head)
        return "\n\n".join([*entries, footer])

    snippets = [not_stated_note(h.lacks) + h.snippet for h in hits]
    return _fit(compose, [h.article.title for h in hits], snippets, SNIPPET_FLOOR)


def no_hits_reply(query_words: str | Iterable[str], latest_titles: Iterable[str], kind: str | None = None) -> str:
    """Nothing answers: say that the bulletin has no report on it (or on its ``kind`` of question: the weather, ...),
    how to ask, and offer the latest headlines as ideas, numbered as in "最新" so that a number picks one (the caller
    remembers them as the resident's list)."""
    words = query_words if isinstance(query_words, str) else " ".join(query_words)
    titles = list(latest_titles)[:SUGGESTED_TITLES]

    def compose(words: list[str], titles: list[str]) -> str:
        if kind:
            found = NO_HITS_KIND.format(kind=kind)
        else:
            found = NO_HITS.format(words=words[0]) if words[0] else NO_HITS_NO_WORDS
        text = f"{found}\n{TRY_SHORTER}"
        if titles:
            numbered = (f"{number}. {title}" for number, title in enumerate(titles, 1))
            text += "\n\n" + "\n".join([LATEST_IDEAS, *numbered, LATEST_HINT])
        return text

    return _fit(compose, [words], titles, SNIPPET_FLOOR)


def no_issue_reply() -> str:
    return NO_ISSUE


def digest_reply(issue_date: date, articles: Sequence[Article]) -> str:
    """The newest issue's headlines, numbered so that "回复序号看全文" works on them as on results."""
    if not articles:
        return NO_ISSUE

    def compose(titles: list[str], _: list[str]) -> str:
        lines = [f"{number}. {title}" for number, title in enumerate(titles, 1)]
        return "\n".join([DIGEST_HEADING.format(day=_full_date(issue_date)), *lines, DIGEST_FOOTER])

    return _fit(compose, [a.title for a in articles])


def article_reply(article: Article, url: str | None = None) -> str:
    """A story to read on the phone: title, date and byline, as much body as fits, and the link to the rest."""
    link = READ_MORE.format(url=url) if url else ""
    meta = " ".join(filter(None, [_full_date(article.issue_date), article.byline]))

    def compose(heads: list[str], bodies: list[str]) -> str:
        title, subtitle, meta = heads
        blocks = ["\n".join(filter(None, [title, subtitle, meta])), bodies[0], link]
        return "\n\n".join(filter(None, blocks))

    body = "\n\n".join(p.strip() for p in article.paragraphs if p.strip())
    return _fit(compose, [article.title, article.subtitle, meta], [body], BODY_FLOOR)


def card_description(article: Article) -> str:
    """The text under a picked story's title on its card: the story's start, cut where a reader pauses."""
    return cut_at_pause(" ".join(p.strip() for p in article.paragraphs if p.strip()), CARD_DESCRIPTION_CHARS)


def help_reply() -> str:
    return HELP


def welcome_reply(digest: str) -> str:
    """On subscribe: who we are and how to ask, then the latest headlines (the last ones dropped if too long)."""
    if not digest:
        return WELCOME
    return f"{WELCOME}\n\n{drop_lines(digest, LIMIT - utf8_len(WELCOME) - 2)}"


def rate_limited_reply() -> str:
    return RATE_LIMITED


def timeout_reply() -> str:
    return TIMEOUT


def voice_unrecognised_reply() -> str:
    return VOICE_UNRECOGNISED


def unsupported_reply(kind: str) -> str:
    return UNSUPPORTED.format(kind=UNSUPPORTED_KINDS.get(kind, UNSUPPORTED_OTHER))


def no_previous_results_reply() -> str:
    return NO_PREVIOUS_RESULTS


def no_more_results_reply() -> str:
    return NO_MORE_RESULTS


def number_out_of_range_reply(number: int, count: int) -> str:
    """A number that is not on the resident's last list of ``count`` items."""
    text = NUMBER_OUT_OF_RANGE_ONE if count == 1 else NUMBER_OUT_OF_RANGE
    return fit_utf8(text.format(number=number, count=count))
