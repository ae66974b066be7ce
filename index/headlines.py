"""Heads given to the stories they belong to, by what they say.

Extraction moves headlines: a headline set in a side column comes out after its story's first paragraph, or right
above another story's lead, and a page may print a story's headline after its body. The grammar gives an article
the heads that stand right above it; here every head is checked against what the articles say, measured by the
character bigrams they share, each bigram weighted by its rarity across the page (the district's name, in every
story, says nothing about which one a headline belongs to):

1. a head that says little of its own article and much of another's is taken off (unless the page's geometry put
   it there: a PDF's);
2. heads no article has are given to the article they fit best (ties go to a story printed without any head, then
   to the article right below);
3. an article with two headlines keeps as its title the one that tells more of its story (kickers are slogans,
   headlines name the news); the other becomes its kicker when printed before the story, else its deck; an article
   whose heads have no headline takes its kicker (or deck) as the headline.

Before any of that, ``run_together`` finds two stories the grammar read as one: nothing marks where a story with
no lead marker starts after another's last paragraph (a story continued from another page, ``(上接A1版)``, then the
next one, its headline printed after it). A loose head then fits the run's later paragraphs and not its first ones,
while the run's own head fits the first ones: the run is two stories, parted where the heads' fits change.
"""

import math
from collections import Counter
from collections.abc import Callable

from index.article import Kind
from index.assemble import Draft, Element, HeadBlock, Page, paragraph_elements
from index.reading import Label

#: The share of a headline's information an article's text must hold for the headline to go to it from afar.
MIN_MATCH = 0.3
#: How much better another article must fit a head for it to leave the article it stands above.
MOVE_MARGIN = 0.3
#: The bonus of the article right below a head block, to break ties.
BELOW = 0.05
#: The bonus of a story printed without a head of its own, to break ties: a page rarely prints a story without a
#: headline, so a head set apart from its story more likely belongs to one than adds a second head to another.
HEADLESS = 0.05
_ORDER = (Label.KICKER, Label.HEADLINE, Label.DECK)
#: What a second headline becomes: printed before the story, a kicker; after, a deck.
_KICKER_OR_DECK = {True: Label.KICKER, False: Label.DECK}

Rarity = Callable[[str], float]


def pair_heads(page: Page, *, placed: bool = False) -> None:
    """Give heads to the articles they fit, in place; a head no article fits stays loose. ``placed``: the heads that
    stand right above an article were put there by the page's geometry (a PDF), not by an extraction tool, so they
    stay with it whatever another article says."""
    grams = [bigrams(" ".join(draft.paragraphs)) for draft in page.drafts]
    rarity = _rarity(grams)
    if not placed:
        _take_off_misfits(page, grams, rarity)
    options = []
    for b, block in enumerate(page.loose_heads):
        line = _line(block)
        for a, draft in enumerate(page.drafts):
            if draft.kind is Kind.BRIEF:
                continue
            share, _ = match(line, grams[a], rarity)
            below = block.gap == a
            headless = draft.kind is Kind.STORY and draft.heads is None
            if share >= MIN_MATCH or (below and headless):
                options.append((share + (BELOW if below else 0.0) + (HEADLESS if headless else 0.0), b, a))
    taken: set[int] = set()
    given: set[int] = set()  # articles that took a loose head already: one each
    for _, b, a in sorted(options, reverse=True):
        taker: Draft = page.drafts[a]
        if b in taken or a in given:
            continue
        block = page.loose_heads[b]
        taker.heads = block if taker.heads is None else _joined(taker, block, grams[a], rarity)
        taken.add(b)
        given.add(a)
    page.loose_heads = [block for b, block in enumerate(page.loose_heads) if b not in taken]
    for draft in page.drafts:
        if draft.heads is not None:
            draft.heads = _with_headline(draft.heads)


def run_together(page: Page) -> set[int]:
    """The paragraphs where a second story starts inside a story the grammar assembled, as the ids of their first
    pieces (the grammar may have made a new element of a piece's; the piece stays the same).

    A story with heads of its own is parted before its paragraph ``k`` when a loose head that fits this story best
    fits its paragraphs from ``k`` on (at least ``MIN_MATCH``, and ``MOVE_MARGIN`` more than those before ``k``),
    while the story's own headline fits those before ``k`` better than those after; of several such ``k``, the one
    where both heads' fits differ most. Each story is parted once, by the loose head that fits its part best.
    """
    if not page.loose_heads:  # the common page: every head stands over its story
        return set()
    grams = [bigrams(" ".join(draft.paragraphs)) for draft in page.drafts]
    rarity = _rarity(grams)
    opens: dict[int, tuple[float, int]] = {}  # story -> (how well parted, the second's first piece)
    for block in page.loose_heads:
        line = _line(block)
        fits = [
            match(line, grams[a], rarity)[0] if draft.kind is Kind.STORY else 0.0 for a, draft in enumerate(page.drafts)
        ]
        if not fits or max(fits) < MIN_MATCH:
            continue
        a = fits.index(max(fits))
        story = page.drafts[a]
        if story.heads is None or not _has(story.heads, Label.HEADLINE):
            continue
        own = story.heads.text(Label.HEADLINE)
        paragraphs = paragraph_elements(story)
        for k in range(1, len(paragraphs)):
            before = bigrams(" ".join(element.text for element in paragraphs[:k]))
            after = bigrams(" ".join(element.text for element in paragraphs[k:]))
            loose_after, loose_before = match(line, after, rarity)[0], match(line, before, rarity)[0]
            own_before, own_after = match(own, before, rarity)[0], match(own, after, rarity)[0]
            if loose_after < MIN_MATCH or loose_after - loose_before < MOVE_MARGIN or own_before <= own_after:
                continue
            parted = (loose_after - loose_before) + (own_before - own_after)
            if parted > opens.get(a, (0.0, 0))[0]:
                opens[a] = (parted, id(paragraphs[k].pieces[0]))
    return {piece for _, piece in opens.values()}


def _take_off_misfits(page: Page, grams: list[set[str]], rarity: Rarity) -> None:
    """Heads that say little of the article they stand above and much of another's leave it, as loose heads.

    A head also leaves when it fits another article better than its own and that article's heads say nothing of it
    (a slogan kicker set alone over it), as long as its own article keeps a head that fits it. Either way extraction
    put the head in the wrong place, so the label its place gave it (kicker over a headline, say) means nothing: it
    leaves as a headline, to compete for the title where it goes.
    """
    needy = [not _fits_any(draft, grams[a], rarity) for a, draft in enumerate(page.drafts)]
    for a, draft in enumerate(page.drafts):
        if draft.heads is None:
            continue
        kept = []
        for element in draft.heads.elements:
            own, _ = match(element.text, grams[a], rarity)
            others = [(match(element.text, g, rarity)[0], n) for n, g in enumerate(grams) if n != a]
            other = max((share for share, _ in others), default=0.0)
            best_needy = max((share for share, n in others if needy[n]), default=0.0)
            stays_fitted = any(
                match(head.text, grams[a], rarity)[0] >= max(MIN_MATCH, own)
                for head in draft.heads.elements
                if head is not element
            )
            if (own < MIN_MATCH and other >= max(MIN_MATCH, own + MOVE_MARGIN)) or (
                stays_fitted and best_needy >= MIN_MATCH and best_needy > own
            ):
                headline = Element(Label.HEADLINE, element.pieces, element.confidence)
                page.loose_heads.append(HeadBlock([headline], draft.heads.gap))
            else:
                kept.append(element)
        draft.heads = HeadBlock(kept, draft.heads.gap) if kept else None


def _fits_any(draft: Draft, grams: set[str], rarity: Rarity) -> bool:
    """Whether one of the article's heads says something of it."""
    return draft.heads is not None and any(
        match(head.text, grams, rarity)[0] >= MIN_MATCH for head in draft.heads.elements
    )


def _line(block: HeadBlock) -> str:
    return block.text(Label.HEADLINE) or block.text(Label.KICKER) or block.text(Label.DECK)


def _has(block: HeadBlock, label: Label) -> bool:
    return any(element.label is label for element in block.elements)


def _joined(draft: Draft, block: HeadBlock, grams: set[str], rarity: Rarity) -> HeadBlock:
    """The article's heads with ``block``'s added: of two headlines the one that tells more is the headline, the
    other its kicker when printed before the story's first paragraph, else its deck."""
    assert draft.heads is not None
    elements = [*draft.heads.elements, *block.elements]
    headlines = [element for element in elements if element.label is Label.HEADLINE]
    if len(headlines) > 1:
        title = max(headlines, key=lambda element: match(element.text, grams, rarity)[1])
        start = min((piece.order for element in draft.elements for piece in element.pieces), default=0)
        elements = [
            element
            if element is title or element.label is not Label.HEADLINE
            else Element(_KICKER_OR_DECK[element.pieces[0].order < start], element.pieces, element.confidence)
            for element in elements
        ]
    return HeadBlock(sorted(elements, key=lambda element: _ORDER.index(element.label)), draft.heads.gap)


def _with_headline(block: HeadBlock) -> HeadBlock:
    """Heads with no headline take their kicker (or deck) as one: a lone head is the headline."""
    if _has(block, Label.HEADLINE) or not block.elements:
        return block
    first = block.elements[0]
    promoted = Element(Label.HEADLINE, first.pieces, first.confidence)
    return HeadBlock([promoted, *block.elements[1:]], block.gap)


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1) if text[i].isalnum() and text[i + 1].isalnum()}


def _rarity(grams: list[set[str]]) -> Rarity:
    """Inverse document frequency over the page's articles; a bigram no article holds weighs most."""
    counts = Counter(gram for found in grams for gram in found)
    return lambda gram: math.log((len(grams) + 1) / (counts[gram] + 0.5))


def match(line: str, grams: set[str], rarity: Rarity) -> tuple[float, float]:
    """``(share, amount)``: how much of the line's information the article's text holds, as a share and in total."""
    own = bigrams(line)
    total = sum(rarity(gram) for gram in own)
    found = sum(rarity(gram) for gram in own & grams)
    return (found / total if total else 0.0), found
