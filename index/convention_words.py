"""Words editors teach the parser from the desk: a paper's lead marker, role word, column name, caption opener, ...

A paper the corpus never saw prints its own words (``楚阳日报讯``, ``全媒记者``, a brief column called ``数字``), and
until the parser knows them it misreads credits and leads: the corpus's four newest papers, read before they were
taught, came out at 85.7 % of their fields, and 90.4 % once their words were in ``config/conventions.toml``, with no
retraining (the models read "a known role word", not the words). So an editor who sees such a word on the preview
adds it here (``add_word``) and previews again.

The file (the ``PAPER_CONVENTIONS`` setting) is TOML that people also edit by hand; a word is added to its list with
tomlkit, which keeps the file's comments and layout, under ``index.editable``'s lock, and only when the file still
reads as conventions afterwards. The parser reads the file again when it changes (``bot.data``).
"""

from pathlib import Path

import tomlkit
from tomlkit.items import Array

from index.conventions import WORD_LISTS, Conventions
from index.editable import edit_text
from index.errors import IssueError

#: A word of a list is at most this long (the longest shipped: 一句话新闻, 中共…委机关报 is a line, not a word).
WORD_MAX = 12


class ConventionError(IssueError):
    """A word that cannot be added: an unknown list, a malformed word, or one the list already holds."""


def check_word(name: str, word: str, conventions: Conventions) -> str:
    """``word`` ready to add to the list ``name``, or ``ConventionError``: 1 to ``WORD_MAX`` characters with no
    space in them, not in the list yet."""
    if name not in WORD_LISTS:
        raise ConventionError(
            f"no list of conventions is called '{name}'", code="convention_no_list", details={"name": name}
        )
    clean = word.strip()
    if not clean or len(clean) > WORD_MAX or any(ch.isspace() or not ch.isprintable() for ch in clean):
        raise ConventionError(
            f"'{clean}' is not a word of 1 to {WORD_MAX} characters without spaces",
            code="convention_bad_word",
            details={"word": clean, "max": WORD_MAX},
        )
    if clean in getattr(conventions, name):
        raise ConventionError(
            f"'{clean}' is already in the list {name}", code="convention_exists", details={"word": clean, "name": name}
        )
    return clean


def with_word(text: str, name: str, word: str) -> str:
    """The conventions file's ``text`` with ``word`` appended to the list ``name``, its comments and layout kept."""
    document = tomlkit.parse(text)
    table, key = WORD_LISTS[name]
    words = document[table][key]
    assert isinstance(words, Array)
    words.append(word)
    return tomlkit.dumps(document)


def add_word(path: Path, name: str, word: str, *, lock_timeout: float) -> str:
    """Check ``word`` against the file at ``path`` and append it to the list ``name``; return the word written."""

    def added(text: str) -> tuple[str, str]:
        checked = check_word(name, word, Conventions.parse(text))
        changed = with_word(text, name, checked)
        Conventions.parse(changed)  # still conventions: a file that no longer reads is never written
        return changed, checked

    return edit_text(path, "", added, lock_timeout=lock_timeout)
