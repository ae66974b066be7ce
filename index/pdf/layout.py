"""A page's lines into blocks, and the blocks into the order they are read.

A block is a column's run of lines in one style: the lines of a headline, a column of body text, a caption, a
credit. Lines join the block right above them when they are set alike (face and size), stand close under it
(less than ``BLOCK_GAP`` ems of white) and overlap it sideways.

The order is the one a reader follows on a newspaper page (Breuel's rule for text blocks): a block comes before
another that it overlaps sideways and stands above, and before one to its right unless something printed between
them in height spans both (a headline across the columns below it); the blocks are then sorted by that relation,
the highest and leftmost first among those free to go. A story's text runs from the foot of one column to the head
of the next (``flows``): the next column follows at once, so a headline set beside the story's first column is read
after the story, not in its middle, and is given back to it by content (``index.headlines``).

Pure functions.
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from index.pdf.content import Box
from index.pdf.lines import TextLine

#: White between two lines of a block, at most, in ems of their size.
BLOCK_GAP = 0.9
#: Sizes that differ by less than this share are one size.
SAME_SIZE = 0.03
#: A line starting this many ems right of its block's left edge is indented (a paragraph's first line).
INDENT = 1.0
#: A line ending within this many ems of its block's measure fills it.
FILL = 1.0
#: Two blocks overlap sideways when they share this many points (a hairline's worth is not overlapping).
OVERLAP = 2.0
#: The next column of a story stands at most this many ems right of the one before.
COLUMN_GAP = 3.0
#: A column's head may stand this many ems lower than the story's head level and still begin with it.
LEVEL = 0.5
#: Blocks stacked this close (in body ems) are one column's run (a byline over a lead, a head over its text).
STACK_GAP = 1.6
#: A block this many times the body size is a head.
HEAD_SIZE = 1.25


@dataclass(frozen=True)
class Block:
    lines: tuple[TextLine, ...]

    @cached_property
    def bbox(self) -> Box:
        return (
            min(line.x0 for line in self.lines),
            min(line.y0 for line in self.lines),
            max(line.x1 for line in self.lines),
            max(line.y1 for line in self.lines),
        )

    @property
    def size(self) -> float:
        return self.lines[0].size

    @property
    def font(self) -> str:
        return self.lines[0].font

    @cached_property
    def measure(self) -> tuple[float, float]:
        """The left and right edges most of its lines keep (a hanging mark past the right edge aside)."""
        lefts = Counter(round(line.x0) for line in self.lines)
        rights = Counter(round(line.x1) for line in self.lines)
        left = min(lefts, key=lambda x: (-lefts[x], x))
        right = max(rights, key=lambda x: (rights[x], -x)) if len(self.lines) > 2 else round(self.bbox[2])
        return float(min(left, round(self.bbox[0]) + INDENT * self.size)), float(right)

    def alike(self, line: TextLine) -> bool:
        """Whether ``line`` is set as this block's lines are."""
        return line.font == self.font and abs(line.size - self.size) <= SAME_SIZE * self.size

    def indented(self, line: TextLine) -> bool:
        return line.x0 - self.measure[0] >= INDENT * line.size

    def fills(self, line: TextLine) -> bool:
        return line.x1 >= self.measure[1] - FILL * line.size


@dataclass(frozen=True)
class PageLayout:
    """A page's blocks in reading order, and which block carries on which (a story's text from column to column)."""

    blocks: tuple[Block, ...]
    #: ``flows[n]``: the block after block ``n`` carries on its text.
    flows: tuple[bool, ...]
    #: ``parted[n]``: block ``n`` stands right under a rule or a picture (or at the page's top): what it starts
    #: does not carry on anything printed above it.
    parted: tuple[bool, ...]


def lay_out(lines: Sequence[TextLine], separators: Sequence[Box] = ()) -> PageLayout:
    """The page's lines (one page) as blocks in reading order; ``separators`` are the page's rules and pictures,
    which part stories as printed text does."""
    found = blocks(lines)
    boxes = [block.bbox for block in found] + list(separators)
    order = [index for index in reading_order(boxes) if index < len(found)]
    flows = _Flows(found, separators, body_style(lines))
    chained = flows.chain(order)
    place = {id(block): index for index, block in enumerate(found)}
    indexes = [place[id(block)] for block in chained]
    carried = tuple(
        number + 1 < len(indexes) and flows.flows_into(indexes[number], indexes[number + 1])
        for number in range(len(indexes))
    )
    parted = tuple(flows.parted(index) for index in indexes)
    return PageLayout(tuple(chained), carried, parted)


def blocks(lines: Sequence[TextLine]) -> list[Block]:
    """The page's lines grouped into blocks, top to bottom."""
    ordered = sorted(lines, key=lambda line: (-line.y1, line.x0))
    members: list[list[TextLine]] = []
    owner: dict[int, int] = {}  # id of a line -> its block
    for line in ordered:
        above = _right_above(line, ordered)
        if above is not None:
            block = members[owner[id(above)]]
            if block[-1] is above and _joins(Block(tuple(block)), above, line):
                block.append(line)
                owner[id(line)] = owner[id(above)]
                continue
        owner[id(line)] = len(members)
        members.append([line])
    return [Block(tuple(lines_)) for lines_ in members]


def _right_above(line: TextLine, lines: Sequence[TextLine]) -> TextLine | None:
    """The lowest line standing above ``line`` and overlapping it sideways."""
    tolerance = 0.2 * line.size
    candidates = [
        other
        for other in lines
        if other is not line and other.y0 >= line.y1 - tolerance and _overlap(other.bbox, line.bbox) > OVERLAP
    ]
    return min(candidates, key=lambda other: other.y0, default=None)


def _joins(block: Block, above: TextLine, line: TextLine) -> bool:
    gap = above.y0 - line.y1
    return block.alike(line) and gap <= BLOCK_GAP * line.size


def _overlap(a: Box, b: Box) -> float:
    """How many points two boxes share sideways (negative: the white between them)."""
    return min(a[2], b[2]) - max(a[0], b[0])


def _vertical_overlap(a: Box, b: Box) -> float:
    return min(a[3], b[3]) - max(a[1], b[1])


def reading_order(boxes: Sequence[Box]) -> list[int]:
    """The indexes of ``boxes`` (blocks, rules, pictures) in reading order."""
    count = len(boxes)
    sideways = [{b for b in range(count) if b != a and _overlap(boxes[a], boxes[b]) > OVERLAP} for a in range(count)]
    after: list[set[int]] = [set() for _ in range(count)]
    for a in range(count):
        for b in range(count):
            if a != b and _before(a, b, boxes, sideways):
                after[a].add(b)
    waiting = [0] * count
    for a in range(count):
        for b in after[a]:
            waiting[b] += 1
    order: list[int] = []
    free = {a for a in range(count) if not waiting[a]}
    while len(order) < count:
        if not free:  # a cycle (overlapping boxes): take the highest block still waiting
            free = {min((a for a in range(count) if a not in order), key=lambda a: (-boxes[a][3], boxes[a][0]))}
        chosen = min(free, key=lambda a: (-boxes[a][3], boxes[a][0]))
        free.discard(chosen)
        order.append(chosen)
        for b in after[chosen]:
            waiting[b] -= 1
            if waiting[b] == 0 and b not in order:
                free.add(b)
    return order


def _before(a: int, b: int, boxes: Sequence[Box], sideways: Sequence[set[int]]) -> bool:
    """Breuel's rule: ``a`` overlaps ``b`` sideways and stands above it; or ``a`` stands left of ``b`` and nothing
    between them in height overlaps both sideways."""
    box_a, box_b = boxes[a], boxes[b]
    if b in sideways[a]:
        return (box_a[1] + box_a[3]) / 2 > (box_b[1] + box_b[3]) / 2
    if box_a[2] > box_b[0] + OVERLAP:
        return False
    top, bottom = max(box_a[3], box_b[3]), min(box_a[1], box_b[1])
    for c in sideways[a] & sideways[b]:
        box_c = boxes[c]
        middle = (box_c[1] + box_c[3]) / 2
        if bottom < middle < top and _between(box_c, box_a, box_b):
            return False
    return True


def _between(c: Box, a: Box, b: Box) -> bool:
    """Whether ``c`` stands below one of ``a`` and ``b`` and above the other."""
    below_a, above_b = c[3] <= a[1] + 1.0, c[1] >= b[3] - 1.0
    below_b, above_a = c[3] <= b[1] + 1.0, c[1] >= a[3] - 1.0
    return (below_a and above_b) or (below_b and above_a)


def body_style(lines: Sequence[TextLine]) -> tuple[str, float]:
    """The face and size most of the page's text is set in: its running text."""
    counts: Counter[tuple[str, float]] = Counter()
    for line in lines:
        counts[line.font, round(line.size, 1)] += len(line.text)
    return counts.most_common(1)[0][0] if counts else ("", 0.0)


class _Flows:
    """Which block carries on which across columns, on one page."""

    def __init__(self, found: Sequence[Block], separators: Sequence[Box], body: tuple[str, float]) -> None:
        self.found = found
        self.body = body
        self.head_size = body[1] * HEAD_SIZE
        #: Every box that may stand above a block: the blocks (by index) and the separators (``None``).
        self._items: list[tuple[Box, int | None]] = [(block.bbox, n) for n, block in enumerate(found)]
        self._items += [(box, None) for box in separators]
        self._stacks: dict[int, list[int]] = {}

    def chain(self, order: Sequence[int]) -> list[Block]:
        """The blocks in ``order``, each followed at once by the columns that carry on its text, and the head of a
        story set beside its first column (``_heads_beside``) moved before that column."""
        rank = {index: place for place, index in enumerate(order)}
        moves = self._heads_beside(rank)
        done: set[int] = set()
        chained: list[Block] = []

        def emit(index: int) -> None:
            for head in sorted(moves.get(index, ()), key=lambda n: rank[n]):
                if head not in done:
                    done.add(head)
                    chained.append(self.found[head])
            done.add(index)
            chained.append(self.found[index])

        for start in order:
            if start in done:
                continue
            emit(start)
            following = self._next_column(start, done)
            while following is not None:
                emit(following)
                following = self._next_column(following, done)
        return chained

    def _heads_beside(self, rank: dict[int, int]) -> dict[int, set[int]]:
        """Heads set beside the first column of their story (right of it, level with its top, over the story's
        next columns), by the block they go before: the top of that first column. A column with a head of its own
        (over it, or in a side column left of it) is another story's."""
        moves: dict[int, set[int]] = {}
        for a, block in enumerate(self.found):
            if not self._running(block):
                continue
            column = self.stack(a)
            top = max(self.found[n].bbox[3] for n in column)
            if any(self.found[n].size >= self.head_size for n in column) or self._head_left(block, top):
                continue
            right = block.measure[1]
            for b, other in enumerate(self.found):
                if (
                    b == a
                    or not self._running(other)
                    or not -OVERLAP <= other.bbox[0] - right <= COLUMN_GAP * block.size
                ):
                    continue
                heads = self.stack(b)[1:]
                if not any(self.found[n].size >= self.head_size for n in heads):
                    continue
                head_top = max(self.found[n].bbox[3] for n in heads)
                if abs(head_top - top) <= LEVEL * block.size and all(
                    _overlap(self.found[n].bbox, block.bbox) <= OVERLAP for n in heads
                ):
                    moves.setdefault(column[-1], set()).update(heads)
        return moves

    def _head_left(self, block: Block, top: float) -> bool:
        """Whether a head stands just left of ``block``'s column, its stack (kicker, headline, deck) level with the
        column's top, and no running text under it: a head set in a side column."""
        return any(
            other.size >= self.head_size
            and -OVERLAP <= block.bbox[0] - other.bbox[2] <= COLUMN_GAP * block.size
            and abs(max(self.found[n].bbox[3] for n in self.stack(index)) - top) <= LEVEL * block.size
            and not self._over_text(index)
            for index, other in enumerate(self.found)
        )

    def _over_text(self, index: int) -> bool:
        """Whether running text stands right under block ``index`` (stacked under it in its column)."""
        return any(self._running(other) and index in self.stack(n)[1:] for n, other in enumerate(self.found))

    def _running(self, block: Block) -> bool:
        return (block.font, round(block.size, 1)) == self.body

    def _next_column(self, index: int, done: set[int]) -> int | None:
        candidates = [n for n in range(len(self.found)) if n not in done and self.flows_into(index, n)]
        return min(candidates, key=lambda n: self.found[n].bbox[0], default=None)

    def flows_into(self, index_a: int, index_b: int) -> bool:
        """Whether block ``b`` carries on block ``a``'s running text (the page's body style) in the next column:
        set alike and as wide, just right of it, starting no higher than ``a``'s column does; ``a``'s last line
        runs to the end of the measure and ``b``'s first is no paragraph's first (not indented); and no head of
        ``b``'s own stands beside ``a``'s column unless ``a``'s column has none (then the head, set beside the
        story's first column, is the story's own)."""
        a, b = self.found[index_a], self.found[index_b]
        first, last = b.lines[0], a.lines[-1]
        em = a.size
        if (a.font, round(a.size, 1)) != self.body or not a.alike(first):
            return False
        (left_a, right_a), (left_b, right_b) = a.measure, b.measure
        if (
            not (-OVERLAP <= left_b - right_a <= COLUMN_GAP * em)
            or abs((right_b - left_b) - (right_a - left_a)) > 2 * em
        ):
            return False
        stack = [self.found[n] for n in self.stack(index_a)]
        top = max(block.bbox[3] for block in stack)
        if not a.fills(last) or b.indented(first) or b.bbox[3] > top + LEVEL * em:
            return False
        headed = any(block.size >= self.head_size for block in stack)
        return not any(
            _overlap(c.bbox, b.bbox) > OVERLAP
            and _overlap(c.bbox, a.bbox) <= OVERLAP
            and c.bbox[1] >= b.bbox[3] - 1.0
            and c.bbox[1] < top
            and (headed or c.bbox[3] > top + LEVEL * em)
            for c in self.found
        )

    def parted(self, index: int) -> bool:
        """Whether block ``index`` stands right under a rule or a picture (or at the page's top) and is no story's
        next column: the running text of the column left of it does not start as high (a story whose paragraph
        ended at the foot of its first column goes on at the head of the next, under the same rule)."""
        if self.nearest_above(index)[1] is not None:
            return False
        block = self.found[index]
        return not any(
            self._running(left)
            and left.alike(block.lines[0])
            and -OVERLAP <= block.bbox[0] - left.measure[1] <= COLUMN_GAP * block.size
            and left.bbox[1] < block.bbox[3]
            and max(self.found[n].bbox[3] for n in self.stack(number)) >= block.bbox[3] - LEVEL * block.size
            for number, left in enumerate(self.found)
        )

    def nearest_above(self, index: int) -> tuple[float, int | None]:
        """The white above block ``index`` and the block standing there, ``None`` when a rule or a picture stands
        there or nothing does (white: infinite)."""
        box = self.found[index].bbox
        above = [item for item in self._items if item[0][1] >= box[3] - 1.0 and _overlap(item[0], box) > OVERLAP]
        if not above:
            return math.inf, None
        nearest_box, nearest = min(above, key=lambda item: item[0][1])
        return nearest_box[1] - box[3], nearest

    def stack(self, index: int) -> list[int]:
        """Block ``index`` and the blocks stacked right above it in its column (a byline, a head), up to a rule, a
        picture or wider white."""
        if index not in self._stacks:
            stack = [index]
            while True:
                white, nearest = self.nearest_above(stack[-1])
                if nearest is None or nearest in stack or white > STACK_GAP * self.body[1]:
                    break
                stack.append(nearest)
            self._stacks[index] = stack
        return self._stacks[index]
