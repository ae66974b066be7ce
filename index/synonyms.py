"""The colloquial-word map: what residents say, beside the word the paper's articles use.

Residents ask 找活干 where the paper writes 就业. The map is a text file (the ``SYNONYMS`` setting) editors grow from
the desk's list of questions that found nothing; the search reads it. Its format, defined here once:

- one group a line, words separated by spaces; the **first** word is the paper's, the others residents' (``就业
  找工作 找活干``);
- ``#`` starts a comment line; blank lines are ignored.

A word is 1 to ``WORD_MAX`` Chinese characters, Latin letters or digits. Groups are appended whole, under a lock,
by writing a new file beside the old and renaming it over, so a reader never sees half a line and two editors
adding at once both keep their line.
"""

import re
from collections.abc import Sequence
from pathlib import Path

from index.editable import edit_text
from index.errors import IssueError

WORD_MAX = 12
WORD = re.compile(rf"^[\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9]{{1,{WORD_MAX}}}$")
HEADER = """\
# 口语词表：每行一组，词之间用空格隔开；第一个词是报纸文章里的说法，后面是居民常说的说法。
# Colloquial words: one group a line, words separated by spaces. The first word is the one the paper's articles
# use, the others are what residents say. The editors' desk adds lines (读者在问什么 → 添加口语词); the search reads
# them. A word is 1-12 Chinese characters, Latin letters or digits.
# 例 / example:
#   就业 找工作 找活干
"""


class SynonymError(IssueError):
    """A group that cannot be added: too few words, a malformed word, or a group the file already holds."""


def parse_groups(text: str) -> list[tuple[str, ...]]:
    """The groups of the file's ``text``, in file order."""
    groups = []
    for line in text.splitlines():
        words = tuple(line.split())
        if words and not words[0].startswith("#"):
            groups.append(words)
    return groups


def read_groups(path: Path) -> list[tuple[str, ...]]:
    """The groups of the file at ``path``; none when it does not exist yet."""
    try:
        return parse_groups(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []


def check_group(words: Sequence[str], existing: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """``words`` as a group ready to append, or ``SynonymError``: at least two words, each well formed, none twice,
    and not a group (or part of a group) the file already holds."""
    group = tuple(word.strip() for word in words)
    if len(group) < 2:
        raise SynonymError("a group needs the paper's word and at least one word residents say", code="synonym_too_few")
    for word in group:
        if not WORD.match(word):
            raise SynonymError(
                f"'{word}' is not a word of 1 to {WORD_MAX} Chinese characters, Latin letters or digits",
                code="synonym_bad_word",
                details={"word": word, "max": WORD_MAX},
            )
    repeated = next((word for n, word in enumerate(group) if word in group[:n]), None)
    if repeated:
        raise SynonymError(f"'{repeated}' is given twice", code="synonym_repeated", details={"word": repeated})
    for line in existing:
        if set(group) <= set(line):
            listed = " ".join(line)
            raise SynonymError(f"already listed: {listed}", code="synonym_exists", details={"line": listed})
    return group


def append_group(path: Path, words: Sequence[str], *, lock_timeout: float) -> tuple[str, ...]:
    """Check ``words`` against the file at ``path`` and append them as a line (the file is created with ``HEADER``
    when missing); return the group written."""

    def appended(text: str) -> tuple[str, tuple[str, ...]]:
        group = check_group(words, parse_groups(text))
        return text + ("\n" if text and not text.endswith("\n") else "") + " ".join(group) + "\n", group

    return edit_text(path, HEADER, appended, lock_timeout=lock_timeout)
