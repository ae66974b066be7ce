"""Which headline belongs to which article.

Text taken off a printed page loses the page's geometry: a headline set beside its story can land after the story's
body, or above a neighbour's lead. So a headline goes to the article whose text it sums up, measured by the character
bigrams they share, and its position only breaks ties. Bigrams found in every article of the page (the district's
name) say nothing about which one a line belongs to, so each bigram counts by its rarity across the page.

Every story gets the line that matches it best as its title; a line left over is a kicker (引题) or subtitle of the
adjacent story it matches, or, matching neither, of the story right below it if it is shorter than that story's
title, as kickers are. Of a story's two lines the one that tells more of the story is the title: kickers are
slogans, titles name the news.
"""

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

#: The share of a line's information a story's text must hold for the line to go to it from afar.
MIN_MATCH = 0.3
#: Tie-breakers for position: the line right above an article, then the one right below its end.
ABOVE, BELOW = 0.1, 0.05


@dataclass(frozen=True)
class Candidate:
    text: str
    gap: int  # how many articles precede it on the page: it stands above article ``gap``, below article ``gap - 1``


#: ``(candidate, article)`` -> ``_match``'s ``(share, amount)``.
Scores = dict[tuple[int, int], tuple[float, float]]


def assign(candidates: list[Candidate], texts: list[str], kinds: list[str]) -> list[tuple[str, str]]:
    """``(title, subtitle)`` for each article (``""`` where none); ``texts`` and ``kinds`` are the articles'.

    Photos take a line only from right above their caption and only if it matches; briefs never take one.
    """
    grams = [_bigrams(text) for text in texts]
    rarity = _rarity(grams)
    scores = {
        (c, a): _match(candidates[c].text, grams[a], rarity)
        for c in range(len(candidates))
        for a in range(len(texts))
        if kinds[a] != "brief"
    }
    titles = _titles(candidates, kinds, scores)
    subtitles = _subtitles(candidates, kinds, scores, titles)
    for a, c in subtitles.items():
        if scores[c, a][1] > scores[titles[a], a][1]:
            titles[a], subtitles[a] = c, titles[a]
    return [
        (candidates[titles[a]].text if a in titles else "", candidates[subtitles[a]].text if a in subtitles else "")
        for a in range(len(texts))
    ]


def _titles(candidates: list[Candidate], kinds: list[str], scores: Scores) -> dict[int, int]:
    """``{article: candidate}``, the surest pairs first."""
    titles: dict[int, int] = {}
    taken: set[int] = set()
    for c, a in sorted(
        scores, key=lambda pair: scores[pair][0] + _nearness(candidates[pair[0]], pair[1]), reverse=True
    ):
        above = candidates[c].gap == a
        fits = scores[c, a][0] >= MIN_MATCH
        allowed = above and fits if kinds[a] == "photo" else above or fits
        if allowed and c not in taken and a not in titles:
            titles[a] = c
            taken.add(c)
    return titles


def _subtitles(candidates: list[Candidate], kinds: list[str], scores: Scores, titles: dict[int, int]) -> dict[int, int]:
    """``{article: candidate}`` for the lines left over, each given to a titled story next to it."""
    subtitles: dict[int, int] = {}
    taken = set(titles.values())
    for c, candidate in enumerate(candidates):
        if c in taken:
            continue
        adjacent = [
            a for a in (candidate.gap, candidate.gap - 1) if a in titles and kinds[a] == "story" and a not in subtitles
        ]
        fitting = [a for a in adjacent if scores[c, a][0] >= MIN_MATCH]
        home = max(fitting, key=lambda a: scores[c, a][0], default=None)
        below = candidate.gap
        if home is None and below in adjacent and len(candidate.text) < len(candidates[titles[below]].text):
            home = below
        if home is not None:
            subtitles[home] = c
    return subtitles


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1) if text[i].isalnum() and text[i + 1].isalnum()}


def _rarity(grams: list[set[str]]) -> Callable[[str], float]:
    """Inverse document frequency over the page's articles; a bigram no article holds weighs most."""
    counts = Counter(gram for found in grams for gram in found)
    return lambda gram: math.log((len(grams) + 1) / (counts[gram] + 0.5))


def _match(line: str, grams: set[str], rarity: Callable[[str], float]) -> tuple[float, float]:
    """``(share, amount)``: how much of the line's information the article's text holds, as a share and in total."""
    own = _bigrams(line)
    total = sum(rarity(gram) for gram in own)
    found = sum(rarity(gram) for gram in own & grams)
    return (found / total if total else 0.0), found


def _nearness(candidate: Candidate, article: int) -> float:
    return ABOVE if candidate.gap == article else BELOW if candidate.gap == article + 1 else 0.0
