"""Fitting reply text into WeChat's 2048 bytes of UTF-8 (the client cuts anything longer, mid-character), and
short texts into the few characters a card shows.

Lengths are counted as encoded bytes; cuts fall on character boundaries and end with "…". A cut never leaves half
of a 【mark】: it falls before the mark instead. Lone surrogates (which cannot be encoded) count as the three bytes
of the U+FFFD that ``fit_utf8`` finally puts in their place. ``cut_at_pause`` cuts where a reader pauses.
"""

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from index.hit import MARK_CLOSE, MARK_OPEN

LIMIT = 2048
ELLIPSIS = "…"
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Where ``cut_at_pause`` prefers to end a text: after a sentence, else after a clause; closing quotes stay with it.
SENTENCE_ENDS = "。！？；!?;"
CLAUSE_ENDS = "，、：,:"
CLOSERS = "”’」』）)"


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _char_bytes(ch: str) -> int:
    code = ord(ch)
    return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4


def shorten(text: str, max_bytes: int) -> str:
    """``text`` if it fits ``max_bytes``, else its longest prefix that fits with "…" ("" when not even "…" fits)."""
    if utf8_len(text) <= max_bytes:
        return text
    room = max_bytes - utf8_len(ELLIPSIS)
    if room < 0:
        return ""
    cut = bisect_right(list(accumulate(map(_char_bytes, text[:room]))), room)
    opened = text.rfind(MARK_OPEN, 0, cut)
    if opened > text.rfind(MARK_CLOSE, 0, cut):
        cut = opened
    return text[:cut].rstrip() + ELLIPSIS


def fit_utf8(text: str, limit: int = LIMIT) -> str:
    """The last guard of every reply: encodable, and at most ``limit`` bytes."""
    return shorten(_SURROGATE.sub("\ufffd", text), limit)


def share(sizes: Sequence[int], budget: int) -> list[int]:
    """Split ``budget`` bytes over items of ``sizes``: small items keep all they need, large ones get equal shares."""
    caps = [0] * len(sizes)
    left = max(budget, 0)
    order = sorted(range(len(sizes)), key=sizes.__getitem__)
    for rank, i in enumerate(order):
        caps[i] = min(sizes[i], left // (len(sizes) - rank))
        left -= caps[i]
    return caps


def squeeze(primary: Sequence[str], secondary: Sequence[str], budget: int, floor: int) -> tuple[list[str], list[str]]:
    """Shorten two groups of texts to ``budget`` bytes together.

    ``secondary`` (snippets, a body) gives way first, evenly, down to ``floor`` bytes each; only then is ``primary``
    (titles) shortened, so a reply never loses its titles to make room for one long passage.
    """
    primary_sizes = [utf8_len(t) for t in primary]
    secondary_sizes = [utf8_len(t) for t in secondary]
    if sum(primary_sizes) + sum(secondary_sizes) <= budget:
        return list(primary), list(secondary)
    floors = [min(size, floor) for size in secondary_sizes]
    if sum(primary_sizes) + sum(floors) <= budget:
        primary_caps, secondary_caps = primary_sizes, share(secondary_sizes, budget - sum(primary_sizes))
    else:
        primary_caps, secondary_caps = share(primary_sizes, budget - sum(floors)), floors
    return (
        [shorten(t, cap) for t, cap in zip(primary, primary_caps, strict=True)],
        [shorten(t, cap) for t, cap in zip(secondary, secondary_caps, strict=True)],
    )


def drop_lines(text: str, max_bytes: int) -> str:
    """Fit a list-like ``text`` (heading, items, closing line) by dropping its last items whole, then ``fit_utf8``."""
    lines = text.split("\n")
    while utf8_len("\n".join(lines)) > max_bytes and len(lines) > 2:
        del lines[-2]
    return fit_utf8("\n".join(lines), max_bytes)


def _cut_after(text: str, limit: int, marks: str) -> str | None:
    """The longest start of ``text`` ending at one of ``marks`` in its second half, with "…", within ``limit``
    characters; the mark itself gives way to the "…" unless closing quotes follow it."""
    for end in range(limit - 1, limit // 2 - 1, -1):
        if text[end] not in marks:
            continue
        closed = end + 1
        while closed < len(text) and text[closed] in CLOSERS:
            closed += 1
        kept = text[:end] if closed == end + 1 else text[:closed]
        if len(kept) < limit:
            return kept.rstrip() + ELLIPSIS
    return None


def cut_at_pause(text: str, max_chars: int) -> str:
    """``text`` in at most ``max_chars`` characters, a cut marked "…" and made at the end of a sentence, else of a
    clause (a comma), in the second half of the room; only a text with no pause there is cut at the limit."""
    if len(text) <= max_chars:
        return text
    if max_chars < 2:
        return ELLIPSIS[:max_chars]
    cut = _cut_after(text, max_chars, SENTENCE_ENDS) or _cut_after(text, max_chars, CLAUSE_ENDS)
    return cut or text[: max_chars - 1].rstrip() + ELLIPSIS
