"""Labelled pieces to articles: a small grammar over the page's elements.

An element is a run of pieces with one label (a paragraph, a headline broken over lines, a credit). The grammar:

- story = heads? byline? (lead | body) body* end_credit? — heads (kicker, headline, deck) go into a head block;
- photo = heads? credit? caption credit? (the credit inline, on the line after, or before);
- briefs = column (brief_title? brief end_credit?)+, and a brief may stand without its column;
- furniture belongs to no article.

A story opens at a lead, a byline, or body text after heads, after a story that was closed (by its end credit) or
where the page parts it from what came before (a PDF's rule); otherwise body text carries on the story before it.
Heads that stand right above an article are its own; heads set
apart from their story (extraction moves them) are paired with articles by content later (``index.headlines``).
Pure functions.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from index.article import Kind
from index.conventions import Conventions
from index.credits import Credit, read_credit, split_inline_credit
from index.line_labels import PieceLabel
from index.pieces import Piece
from index.reading import Label
from index.reading_order import CLOSERS, ReadingOrder, join

HEAD_LABELS = (Label.KICKER, Label.HEADLINE, Label.DECK)
#: Labels of running text: a story's lead and body, a brief.
TEXT_LABELS = (Label.LEAD, Label.BODY, Label.BRIEF)
#: A piece whose link to the piece before is at least this likely carries on its element, whatever the labeller
#: says of its own accord (the labeller weighs the link too, but among many other things).
SURE_LINK = 0.5


@dataclass(frozen=True)
class Element:
    label: Label
    pieces: tuple[Piece, ...]
    #: The least sure of its pieces' labels.
    confidence: float
    #: The page parts it from what was printed before it (a PDF's rule above it): it carries on no article.
    opens: bool = False

    @property
    def text(self) -> str:
        return join(self.pieces)


@dataclass
class HeadBlock:
    """Heads printed together: a kicker, a headline and a deck, each maybe absent."""

    elements: list[Element] = field(default_factory=list)
    #: How many articles precede it on the page: it stands above article ``gap``.
    gap: int = 0

    def text(self, label: Label) -> str:
        return "".join(element.text for element in self.elements if element.label is label)

    def takes(self, label: Label) -> bool:
        """Whether ``label`` can still join this block (kicker, headline, deck come in that order, once each)."""
        present = [element.label for element in self.elements]
        return all(HEAD_LABELS.index(other) < HEAD_LABELS.index(label) for other in present)


@dataclass
class Draft:
    """An article being assembled."""

    kind: Kind
    elements: list[Element] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    #: The lead paragraph as printed, marker included (the event date is read from it).
    lead: str = ""
    credit: Credit = field(default_factory=Credit)
    #: A brief's own title (a brief_title above it).
    title: str = ""
    heads: HeadBlock | None = None
    closed: bool = False

    @property
    def confidence(self) -> float:
        return min((element.confidence for element in self.elements), default=1.0)


@dataclass
class Page:
    drafts: list[Draft] = field(default_factory=list)
    #: Head blocks no article took as its own: paired by content afterwards.
    loose_heads: list[HeadBlock] = field(default_factory=list)
    unused: list[Element] = field(default_factory=list)


def elements(order: ReadingOrder, labels: Sequence[PieceLabel]) -> list[Element]:
    """Runs of pieces with one label: a piece opens a new element unless it carries on one of the same label.

    In a text copied a paragraph a line, a broken paragraph is rare and the labeller decides it: it weighs the
    reading order's link with the shape of both pieces and their neighbours (a line cut inside a sentence between two
    body lines; a deck ending without a full stop above a byline is not cut), and the joined pieces are one element,
    labelled as its longest piece is (a paragraph's first line, cut short before a 《title》, may look like a
    headline on its own).
    """
    found: list[Element] = []
    for piece, label, link in zip(order.pieces, labels, order.links, strict=True):
        if found and not order.wrapped and label.carried:
            last = found[-1]
            longest = max([*last.pieces, piece], key=lambda p: len(p.text))
            kept = last.label if longest is not piece else label.label
            found[-1] = Element(kept, (*last.pieces, piece), min(last.confidence, label.confidence))
            continue
        carried = link >= SURE_LINK or (label.carried and order.wrapped)
        if found and carried and found[-1].label is label.label:
            last = found[-1]
            found[-1] = Element(last.label, (*last.pieces, piece), min(last.confidence, label.confidence))
        else:
            found.append(Element(label.label, (piece,), label.confidence))
    return found


def assemble(items: Sequence[Element], conventions: Conventions, *, credits_by_captions: bool = False) -> Page:
    """Articles from labelled elements. ``credits_by_captions``: the text keeps every photo's credit next to its
    caption (copied a paragraph a line), so a "caption" without one is a story's paragraph (see
    ``_uncredited_captions_as_text``); text wrapped at the column by an extraction tool may not."""
    page = _Assembler(conventions, credits_by_captions).run(items)
    if credits_by_captions:
        _uncredited_captions_as_text(page, conventions)
    return page


class _Assembler:
    """The grammar's state while it walks the page."""

    def __init__(self, conventions: Conventions, credits_by_captions: bool = False) -> None:
        self.conventions = conventions
        self.credits_by_captions = credits_by_captions
        self.page = Page()
        self.heads: HeadBlock | None = None
        self.byline: tuple[Element, Credit] | None = None
        self.photo_credit: tuple[Element, Credit] | None = None
        self.brief_title: Element | None = None
        self.column = False
        self.current: Draft | None = None

    def run(self, items: Sequence[Element]) -> Page:
        for index, element in enumerate(items):
            self.take(element, items[index + 1 : index + 3])
        self._drop_heads()
        return self.page

    def take(self, element: Element, following: Sequence[Element]) -> None:
        """One element; ``following`` are the next two (a credit decides by what comes after it)."""
        label = Label.CAPTION if _credited_caption(element, self.conventions) else element.label
        if label is Label.DECK and self.heads is None and _full_sentence(element):
            element = Element(Label.BODY, element.pieces, element.confidence, element.opens)
            label = Label.BODY
        if label is Label.FURNITURE:
            self.page.unused.append(element)
        elif label is Label.COLUMN:
            self._drop_heads()
            self.column, self.current = True, None
            self.page.unused.append(element)
        elif label in HEAD_LABELS:
            if self.heads is None or not self.heads.takes(label):
                self._drop_heads()
                self.heads = HeadBlock(gap=len(self.page.drafts))
            self.heads.elements.append(element)
            if label is not Label.DECK:
                self.column = False
        elif label is Label.BRIEF_TITLE:
            self.brief_title = element
        elif label is Label.BYLINE:
            self.byline = (element, read_credit(element.text, self.conventions))
        elif label is Label.LEAD:
            self._lead(element)
        elif label in (Label.BODY, Label.BRIEF):
            self._body(element)
        elif label is Label.END_CREDIT:
            self._end_credit(element)
        elif label is Label.CAPTION:
            self._caption(element)
        elif label is Label.CREDIT:
            self._credit(element, following)

    # -- articles ---------------------------------------------------------------------------------------------------

    def _open(self, kind: Kind, element: Element) -> Draft:
        draft = Draft(kind)
        if self.heads is not None and kind is not Kind.BRIEF:
            draft.heads, self.heads = self.heads, None
        if self.byline is not None:
            draft.elements.append(self.byline[0])
            draft.credit = self.byline[1]
            self.byline = None
        if kind is Kind.BRIEF and self.brief_title is not None:
            draft.title = self.brief_title.text
            draft.elements.append(self.brief_title)
            self.brief_title = None
        draft.elements.append(element)
        self.page.drafts.append(draft)
        self.current = draft
        return draft

    def _lead(self, element: Element) -> None:
        text = element.text
        draft = self._open(Kind.BRIEF if self.column else Kind.STORY, element)
        match = self.conventions.lead.match(text)
        if match:
            byline = match["byline"] or match["bare"] or ""
            draft.credit = read_credit(byline, self.conventions).merged(draft.credit)
            text = text[match.end() :]
        draft.lead = element.text
        if text:
            draft.paragraphs.append(text)

    def _body(self, element: Element) -> None:
        current = self.current
        # A brief is one in a column of briefs; a "brief" in a story's running text is more of that story.
        brief = (
            element.label is Label.BRIEF
            and (self.column or current is None or current.kind is not Kind.STORY or current.closed)
        ) or (self.column and self.heads is None)
        starts = (
            current is None
            or current.closed
            or element.opens
            or self.heads is not None
            or self.byline is not None
            or current.kind is Kind.PHOTO
            or (brief and not _carries_on(element))
            or (brief != (current.kind is Kind.BRIEF))
        )
        if not element.text:
            return
        if starts:
            draft = self._open(Kind.BRIEF if brief else Kind.STORY, element)
            draft.lead = element.text
        else:
            assert current is not None  # ``starts`` is true whenever there is none
            draft = current
            draft.elements.append(element)
        draft.paragraphs.append(element.text)

    def _end_credit(self, element: Element) -> None:
        if self.current is None:
            self.page.unused.append(element)
            return
        self.current.credit = self.current.credit.merged(read_credit(element.text, self.conventions))
        self.current.elements.append(element)
        self.current.closed = True

    def _caption(self, element: Element) -> None:
        draft = self._open(Kind.PHOTO, element)
        text = element.text
        inline = split_inline_credit(text, self.conventions)
        if inline is not None:
            text, credit = inline
            draft.credit = credit
        if self.photo_credit is not None:
            draft.elements.insert(0, self.photo_credit[0])
            draft.credit = draft.credit.merged(self.photo_credit[1])
            self.photo_credit = None
        draft.lead = text
        if text:
            draft.paragraphs.append(text)

    def _credit(self, element: Element, following: Sequence[Element]) -> None:
        """A photo's credit: of the photo before it; or of the caption after it, unless that caption has its own
        credit (inline, or on the line after it), in which case it credits the story above (its picture). Where
        every credit stands by its caption (``credits_by_captions``), a credit after a story's running text with no
        caption after it credits that text's last paragraph: a caption, whatever its words looked like."""
        credit = read_credit(element.text, self.conventions, photo=True)
        current = self.current
        if current is not None and current.kind is Kind.PHOTO and not current.credit.photographers:
            current.credit = current.credit.merged(credit)
            current.elements.append(element)
        elif following and following[0].label is Label.CAPTION and not self._credited(following):
            self.photo_credit = (element, credit)
        elif current is not None and self.credits_by_captions and _last_paragraph_apart(current):
            photo = self._photo_of_last_paragraph(current)
            photo.credit = credit
            photo.elements.append(element)
        elif current is not None:
            current.credit = current.credit.merged(Credit(photographers=credit.photographers))
            current.elements.append(element)
        else:
            self.page.unused.append(element)

    def _photo_of_last_paragraph(self, story: Draft) -> Draft:
        """The story's last paragraph taken out of it as a photo's caption, the article after it."""
        last = story.elements.pop()
        story.paragraphs.pop()
        caption = Element(Label.CAPTION, last.pieces, last.confidence)
        photo = Draft(Kind.PHOTO, [caption], [caption.text], lead=caption.text)
        self.page.drafts.append(photo)
        self.current = photo
        return photo

    def _credited(self, following: Sequence[Element]) -> bool:
        """Whether the caption first in ``following`` brings its own credit."""
        caption = following[0]
        after = following[1] if len(following) > 1 else None
        inline = split_inline_credit(caption.text, self.conventions) is not None
        return inline or (after is not None and after.label is Label.CREDIT)

    def _drop_heads(self) -> None:
        """Heads no article opened under: they are paired by content at the end."""
        if self.heads is not None and self.heads.elements:
            self.page.loose_heads.append(self.heads)
        self.heads = None


def paragraph_elements(draft: Draft) -> list[Element]:
    """The elements that hold the draft's running text (its lead and body), in order."""
    return [element for element in draft.elements if element.label in TEXT_LABELS]


def _uncredited_captions_as_text(page: Page, conventions: Conventions) -> None:
    """A "caption" with nothing of a photo about it, right after a story's running text, is more of that text.

    Papers credit every picture (in the page corpus, 31 photos of 31; an uncredited one is a reprint's, marked
    ``资料图片``/``供图``, which are credits too), and a caption that does not open by pointing at its picture
    (``◀``, ``图为``) and has no title of its own is told from a story's last paragraph by its credit alone.
    """
    drafts: list[Draft] = []
    for draft in page.drafts:
        before = drafts[-1] if drafts else None
        if (
            draft.kind is Kind.PHOTO
            and before is not None
            and before.kind is Kind.STORY
            and not before.closed
            and draft.heads is None
            and not draft.credit
            and not _pictured(draft, conventions)
        ):
            before.elements.extend(Element(Label.BODY, e.pieces, e.confidence) for e in draft.elements)
            before.paragraphs.extend(draft.paragraphs)
            continue
        drafts.append(draft)
    page.drafts = drafts


def _pictured(draft: Draft, conventions: Conventions) -> bool:
    """Whether a caption points at its picture or names where the picture came from (``资料图片``, ``供图``)."""
    text = " ".join(element.text for element in draft.elements)
    return bool(conventions.caption_opening.match(draft.lead)) or any(
        source in text for source in conventions.sources if len(source) > 1
    )


def _last_paragraph_apart(story: Draft) -> bool:
    """Whether a story's last element is a paragraph of its running text that can leave it, the story keeping text
    of its own."""
    return (
        story.kind is Kind.STORY
        and not story.closed
        and len(story.paragraphs) > 1
        and bool(story.elements)
        and story.elements[-1].label is Label.BODY
    )


def _credited_caption(element: Element, conventions: Conventions) -> bool:
    """Whether running text is a photo's caption by what it says alone: it ends naming who took the picture
    (``…小麦。(孙平英/摄)``), which no story's paragraph does, wherever the photo stands among the stories' text."""
    return element.label in TEXT_LABELS and split_inline_credit(element.text, conventions) is not None


def _full_sentence(element: Element) -> bool:
    """Whether an element is a sentence closed by a full stop: a deck under no headline that is one is running text
    (a deck stands under its headline and, like it, ends without a full stop)."""
    return element.text.rstrip(CLOSERS).endswith("。")


def _carries_on(element: Element) -> bool:
    """Whether a paragraph starts where no paragraph starts (after a comma: the rest of one cut off elsewhere)."""
    return element.text[:1] in "，,、。；;：:）)》」』”’"


def all_elements(page: Page) -> Iterator[Element]:
    for draft in page.drafts:
        yield from draft.elements
        if draft.heads is not None:
            yield from draft.heads.elements
    for block in page.loose_heads:
        yield from block.elements
    yield from page.unused
