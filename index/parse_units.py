"""The page cut into articles, in page order, with the headline-shaped lines set aside for pairing.

An article starts where the paper's markers say one does: a ``本报讯`` lead opens a story, a credit line closes a
photo caption, each paragraph of a briefs column is a brief. Headline-shaped lines standing between articles are
collected with their position (``parse_headlines`` decides whose they are); inside a story, where body text follows,
they are its subheads and stay in its body. A photo does not end the story around it: text after a caption with no
headline between continues the story, as it does on the page. And a credit below a story paragraph that does not
read like a caption credits the story's own picture (whose caption the page did not carry), not a photo article.
"""

from dataclasses import dataclass, field

from index.layout import Paragraph
from index.parse_byline import photo_credit, split_lead, split_trailing_credit
from index.parse_headlines import Candidate
from index.parse_markers import (
    BULLETS,
    COLUMN,
    CREDIT,
    FURNITURE_KIND,
    HEAD,
    LABEL,
    LEAD,
    PHOTO,
    TEXT,
    classify,
    reads_like_caption,
)


@dataclass
class Unit:
    kind: str
    paragraphs: list[str]
    reporters: tuple[str, ...] = ()
    correspondents: tuple[str, ...] = ()
    photographer: str | None = None
    title: str = ""  # a title the page prints with the article itself (a brief's own heading)
    marked: bool = True  # opened by a marker, not just by text following a headline

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class _Page:
    units: list[Unit] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    story: Unit | None = None  # the story that body text joins
    column: bool = False  # inside a briefs column

    def add(self, unit: Unit) -> Unit:
        self.units.append(unit)
        return unit

    def close(self) -> None:
        self.story, self.column = None, False


def segment(paragraphs: list[Paragraph]) -> tuple[list[Unit], list[Candidate]]:
    """``(units, candidates)`` for the page's paragraphs; furniture is dropped, empty articles too."""
    items = [(p.text, kind) for p in paragraphs if (kind := classify(p.text)) != FURNITURE_KIND]
    page = _Page()
    index = 0
    while index < len(items):
        text, kind = items[index]
        if _captions(items, index):
            photographer = photo_credit(items[index + 1][0])
            if page.story and not page.column and not reads_like_caption(text):
                page.story.paragraphs.append(text)
                page.story.photographer = photographer
            else:
                page.add(Unit("photo", [text], photographer=photographer))
            index += 2
            continue
        if kind == HEAD:
            index = _headlines(page, items, index)
            continue
        _take(page, text, kind)
        index += 1
    return _without_empty(page.units, page.candidates)


def _take(page: _Page, text: str, kind: str) -> None:
    if kind == PHOTO and (credited := split_trailing_credit(text)):
        caption, photographer = credited
        page.add(Unit("photo", [caption], photographer=photographer))
    elif kind == LEAD and (lead := split_lead(text)):
        reporters, correspondents, rest = lead
        unit = Unit("brief" if page.column else "story", [rest] if rest else [], reporters, correspondents)
        page.add(unit)
        if not page.column:
            page.story = unit
    elif kind == COLUMN:
        page.close()
        page.column = True
    elif kind == LABEL:
        page.close()
    elif kind == TEXT:
        if page.column:
            page.add(Unit("brief", [text]))
        elif page.story:
            page.story.paragraphs.append(text)
        else:
            page.story = page.add(Unit("story", [text], marked=False))
    # a credit with no caption above it credits nothing that can be shown


def _headlines(page: _Page, items: list[tuple[str, str]], index: int) -> int:
    """Deal with the run of headline-shaped lines at ``index``; return the index after it."""
    end = index
    while end < len(items) and items[end][1] == HEAD and not _captions(items, end):
        end += 1
    run = [text for text, _ in items[index:end]]
    body_follows = end < len(items) and items[end][1] == TEXT and not _captions(items, end)
    if body_follows and page.story and not page.column:
        page.story.paragraphs.extend(run)
        return end
    if body_follows and page.column:
        *run, title = run
        page.candidates.extend(Candidate(line, len(page.units)) for line in run)
        page.add(Unit("brief", [items[end][0]], title=title.lstrip(BULLETS).strip()))
        return end + 1
    page.close()
    page.candidates.extend(Candidate(line, len(page.units)) for line in run)
    return end


def _without_empty(units: list[Unit], candidates: list[Candidate]) -> tuple[list[Unit], list[Candidate]]:
    """Drop articles left empty (a lead with no text), keeping each headline's place among those that remain."""
    kept = [unit for unit in units if unit.paragraphs]
    return kept, [Candidate(c.text, sum(1 for unit in units[: c.gap] if unit.paragraphs)) for c in candidates]


def _captions(items: list[tuple[str, str]], index: int) -> bool:
    """Whether the paragraph at ``index`` is a caption: text with a credit line right below it."""
    return items[index][1] in (HEAD, TEXT) and index + 1 < len(items) and items[index + 1][1] == CREDIT
