"""Kinds of question the bulletin never answers: the weather, timetables, prices, stock and lottery results,
national sports, shopping and parcels, what is "near me".

A district paper reports what happened in the district; a resident asking about tomorrow's rain or tonight's train
should hear that the bulletin has no report on it, not read an unrelated story. Such questions often share words
with real stories (a weather question with a power cut's 明天, a parcel question with the drone-delivery story), so
their kind is one signal of the "nothing" decision (``index.ranking``), beside how well the best story matches.

The kinds and the words that mark them are the editors' list (``config/off_topic.txt``, the ``OFF_TOPIC`` setting):
one section a kind, its name in Chinese (said to the resident), one marking word a line, matched anywhere in the
normalised question (traditional characters are simplified first). No list of kinds is ever complete: residents
ask about recipes and phone bills too. Editors see what residents ask on the desk and add a kind or a marking word
there (``add_words``, ``index.editable``); the questions read the file again when it changes, with no restart.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from index.editable import edit_text
from index.errors import IssueError
from index.synonyms import WORD, WORD_MAX

#: A marking word is at least this long: a single character (天, 价) would mark every question that holds it.
WORD_MIN = 2
HEADER = """\
# 不回答的问题：每类一节，[类别] 一行，下面每行一个标志词；问题里出现标志词，就算这一类（天气、车次……）。
# Kinds of question the bulletin never answers, one [kind] section each, one marking word a line (simplified
# characters, matched anywhere in the question). The editors' desk adds kinds and words; questions read the file
# again when it changes. A marked question still gets its story when one matches it well.
"""


class OffTopicError(IssueError):
    """Words that cannot be added: a malformed kind or word, or a word the list already holds."""


@dataclass(frozen=True)
class QuestionKinds:
    #: (kind, its marking words), in file order.
    kinds: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def parse(cls, text: str, source: str = "off_topic") -> "QuestionKinds":
        """The ``[kind]`` sections of words in ``text``; ``ValueError`` names a word outside any section."""
        kinds: list[tuple[str, list[str]]] = []
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if (kind := _section(line)) is not None:
                kinds.append((kind, []))
            elif not kinds:
                raise ValueError(f"{source}:{number}: '{line}' is outside any [kind] section")
            else:
                kinds[-1][1].append(line.lower())
        return cls(tuple((kind, tuple(words)) for kind, words in kinds))

    @classmethod
    def load(cls, path: str | PathLike[str]) -> "QuestionKinds":
        """The kinds of the file at ``path``; none when it does not exist yet."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(())
        return cls.parse(text, str(path))

    def kind_of(self, normalized: str) -> str | None:
        """The first kind one of whose words ``normalized`` (a normalised question) holds, or ``None``."""
        for kind, words in self.kinds:
            if any(word in normalized for word in words):
                return kind
        return None


def check_words(kind: str, words: Sequence[str], existing: QuestionKinds) -> tuple[str, tuple[str, ...]]:
    """``kind`` and ``words`` ready to add, or ``OffTopicError``: a kind's name and at least one word, each of 1 to
    ``WORD_MAX`` Chinese characters, Latin letters or digits (a word at least ``WORD_MIN``), none twice, none the
    list already holds (under any kind: a word marks one kind)."""
    name = kind.strip()
    if not WORD.match(name):
        raise OffTopicError(
            f"'{name}' is not a kind's name of 1 to {WORD_MAX} Chinese characters, Latin letters or digits",
            code="off_topic_bad_kind",
            details={"kind": name, "max": WORD_MAX},
        )
    marks = tuple(word.strip().lower() for word in words)
    if not marks:
        raise OffTopicError("give at least one word that marks the kind", code="off_topic_no_word")
    for word in marks:
        if not WORD.match(word) or len(word) < WORD_MIN:
            raise OffTopicError(
                f"'{word}' is not a word of {WORD_MIN} to {WORD_MAX} Chinese characters, Latin letters or digits",
                code="off_topic_bad_word",
                details={"word": word, "min": WORD_MIN, "max": WORD_MAX},
            )
    repeated = next((word for n, word in enumerate(marks) if word in marks[:n]), None)
    if repeated:
        raise OffTopicError(f"'{repeated}' is given twice", code="off_topic_repeated", details={"word": repeated})
    for listed_kind, listed in existing.kinds:
        taken = next((word for word in marks if word in listed), None)
        if taken:
            raise OffTopicError(
                f"'{taken}' already marks the kind {listed_kind}",
                code="off_topic_exists",
                details={"word": taken, "kind": listed_kind},
            )
    return name, marks


def with_kind_words(text: str, kind: str, words: Sequence[str]) -> str:
    """The file's ``text`` with ``words`` added at the end of ``kind``'s section, or in a new section at the end."""
    lines = text.splitlines()
    header = next((n for n, line in enumerate(lines) if _section(line) == kind), None)
    if header is None:
        if lines and lines[-1].strip():
            lines.append("")
        return "\n".join([*lines, f"[{kind}]", *words]) + "\n"
    end = next((n for n in range(header + 1, len(lines)) if _section(lines[n]) is not None), len(lines))
    # Before the blank and comment lines that end the section: a comment there is about the next one.
    while end > header + 1 and not lines[end - 1].split("#", 1)[0].strip():
        end -= 1
    return "\n".join([*lines[:end], *words, *lines[end:]]) + "\n"


def _section(raw: str) -> str | None:
    """The kind a line opens (``[天气]``, ``[ 天气 ] # comment``), as ``QuestionKinds.parse`` reads it; else None."""
    line = raw.split("#", 1)[0].strip()
    return line[1:-1].strip() if line.startswith("[") and line.endswith("]") else None


def add_words(path: Path, kind: str, words: Sequence[str], *, lock_timeout: float) -> tuple[str, tuple[str, ...]]:
    """Check ``words`` against the file at ``path`` and add them to ``kind`` (a new kind is a new section at the
    end; the file is created with ``HEADER`` when missing); return the kind and the words written."""

    def added(text: str) -> tuple[str, tuple[str, tuple[str, ...]]]:
        checked = check_words(kind, words, QuestionKinds.parse(text, str(path)))
        return with_kind_words(text, *checked), checked

    return edit_text(path, HEADER, added, lock_timeout=lock_timeout)
