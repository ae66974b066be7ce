"""Questions that ask for a fact ("什么时候通车", "多少钱"), and whether a passage holds one.

A resident who asks when or how much reads the passage shown as the answer. When it holds no date or figure the
reply must say so rather than let the passage pass for an answer, and the passage chosen should be one that holds
the fact when a matching sentence does (``index.snippets``).

Which words ask is the editors' list (``config/fact_words.txt``); what counts as a time or a figure in a story is
decided here, by the patterns below, on the passage's text after NFKC (full-width digits are digits). They lean to
what answers a resident: "4月25日", "上午9时", "年底", "下旬" are times, "近日" and "目前" are not; "7支", "3.5亿元",
"两个", "免费" are figures, a date's digits ("2026年", "4月") and an ordinal ("第7次") are not.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from enum import StrEnum
from os import PathLike
from pathlib import Path

from index.hit import MARK_CLOSE, MARK_OPEN


class Fact(StrEnum):
    """What a question may ask for; the value is its section name in the word list."""

    TIME = "time"
    AMOUNT = "amount"


#: Chinese numerals, in dates and counts alike.
_NUMERAL = "零〇一二两三四五六七八九十百千万亿"

#: Around a figure, what makes it part of a date, a time or an ordinal instead (2026-04-28, 9:30, 第7次).
_NOT_A_FIGURE_BEFORE = r"第\d.:：\-/"
_TIME = re.compile(
    r"\d{1,4}\s*(?:[年月日时点]|号(?!线))"  # 2026年, 4月, 25日, 9时, 9点, 5号 (not 5号线)
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[:：]\d{2}"  # 2026-04-28, 9:30
    rf"|[{_NUMERAL}]{{1,3}}(?:月|[日号](?![常子])|点钟|点半)"  # 三月, 二十五日, 十点半 (not 一点 "a little", 日常)
    r"|(?:周|星期|礼拜)[一二三四五六日天]"
    r"|[上下中]午|凌晨|早上|早晨|傍晚|晚上|今晚|明早"
    r"|今天|明天|后天|本周|下周|本月|下月|下个月|今年|明年|年底|年初|年内|年末|月底|月初|月中|上旬|中旬|下旬|季度"
    r"|春节|元旦|清明|五一|端午|中秋|国庆|暑假|寒假|暑期"
)
_AMOUNT = re.compile(
    rf"(?<![{_NOT_A_FIGURE_BEFORE}])\d+(?:\.\d+)?(?![\d.\-/]|\s*[年月日号时点分秒:：])"  # 7支, 3.5亿, 50%
    rf"|(?<![第{_NUMERAL}])[{_NUMERAL}]*[二两三四五六七八九十百千万亿]"  # 十二支, 两个, 一百名 (not 一个 "a", 第三)
    r"[个支家位名人次项所座辆台户条件套批场米亩吨岁倍成元块角万亿余多]"
    r"|[数上近逾][十百千万]"  # 数百名, 上千人
    r"|免费|不收费|零元"
)
PATTERNS: Mapping[Fact, re.Pattern[str]] = {Fact.TIME: _TIME, Fact.AMOUNT: _AMOUNT}


def _plain(text: str) -> str:
    """The passage as the patterns read it: marks removed, full width folded."""
    return unicodedata.normalize("NFKC", text.replace(MARK_OPEN, "").replace(MARK_CLOSE, ""))


def holds(fact: Fact, text: str) -> bool:
    """True when ``text`` (a passage, marked or not) states a ``fact``: a date or time, or a figure."""
    return PATTERNS[fact].search(_plain(text)) is not None


def lacking(asks: Iterable[Fact], text: str) -> tuple[Fact, ...]:
    """The facts of ``asks`` that ``text`` does not hold, in the order asked."""
    return tuple(fact for fact in asks if not holds(fact, text))


def asked(normalized: str, words: Mapping[Fact, Iterable[str]]) -> tuple[Fact, ...]:
    """The facts a normalised question asks for: those with one of their words in it, in ``Fact`` order."""
    return tuple(fact for fact in Fact if any(word in normalized for word in words.get(fact, ())))


def load_fact_words(path: str | PathLike[str]) -> dict[Fact, tuple[str, ...]]:
    """The word list: ``[time]`` and ``[amount]`` sections, one word a line, ``#`` comments.

    A word outside a section or under an unknown one is an error naming the line: a typo there would silently stop
    the bot from noticing a kind of question.
    """
    words: dict[Fact, list[str]] = {fact: [] for fact in Fact}
    section: Fact | None = None
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            name = line[1:-1].strip()
            if name not in {fact.value for fact in Fact}:
                known = ", ".join(f"[{fact}]" for fact in Fact)
                raise ValueError(f"{path}:{number}: unknown section [{name}]; expected one of {known}")
            section = Fact(name)
        elif section is None:
            raise ValueError(f"{path}:{number}: '{line}' comes before any section ([time] or [amount])")
        else:
            words[section].append(unicodedata.normalize("NFKC", line).lower())
    return {fact: tuple(found) for fact, found in words.items()}
