"""Residents' words the paper does not use, read from the editors' colloquial-word map (``index.synonyms``).

A resident writes 没水 where the story says 停水. Each group of the map names the paper's word first and what
residents say after it; a question holding a residents' word (anywhere in it: segmentation cuts short questions
unpredictably) is searched for the paper's words too, at a lower weight than the resident's own word
(``index.coverage.EXPANSION_WEIGHT``, ``index.search.EXPANSION_BOOST``). Single characters are never expanded (a
line may hold one, but 水 inside any question would drag in every water story); very common words are not either,
which the search decides, knowing how common a word is. Whether the bulletin answers at all is decided on the
question as written.

The map is read again when its file changes (the editors' desk appends to it), so a word added from the desk is
used by the next question, without a restart.
"""

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from index.editable import WatchedFile
from index.synonyms import read_groups

#: Residents' words and the paper's words shorter than this are never expanded.
MIN_WORD = 2


def expansion_map(groups: Iterable[Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """Residents' word -> the paper's words for it, from the map's groups (paper's word first)."""
    found: dict[str, list[str]] = {}
    for group in groups:
        paper, *residents = group
        if len(paper) < MIN_WORD:
            continue
        for word in residents:
            if len(word) >= MIN_WORD and word != paper and paper not in found.setdefault(word, []):
                found[word].append(paper)
    return {word: tuple(papers) for word, papers in found.items()}


def expansions_in(text: str, mapping: Mapping[str, Sequence[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The residents' words of ``mapping`` found in ``text`` (a normalised question), longest first, each with the
    paper's words for it; a word inside a longer one found (没水 in 楼上没水) is left to the longer one."""
    found = sorted((word for word in mapping if word in text), key=lambda word: (-len(word), word))
    kept: list[str] = []
    for word in found:
        if not any(word in longer for longer in kept):
            kept.append(word)
    return tuple((word, tuple(mapping[word])) for word in kept)


def with_words(words: Sequence[str], expanded: Iterable[str]) -> tuple[str, ...]:
    """The question's ``words`` with each expanded residents' word in place of the pieces segmentation cut it into
    (找活干 cut as 找 + 活干 reads as 找活干)."""
    expanded = [word for word in expanded if word not in words]
    kept = [word for word in words if not any(word in longer for longer in expanded)]
    return (*kept, *expanded)


class ColloquialMap:
    """The colloquial-word map of one file, read again when the file changes (checked at most once a question)."""

    def __init__(self, path: Path) -> None:
        self._file = WatchedFile(path, lambda path: expansion_map(read_groups(path)))

    def refresh(self) -> bool:
        """Read the file again if it changed since last read; True when it did."""
        return self._file.refresh()

    def expansions(self, text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return expansions_in(text, self._file.value)
