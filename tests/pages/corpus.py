"""The corpus's page source files (``FORMAT.md``): loaded, checked, and turned into gold articles and hand text.

Pages are written by hand, by several people, so every rule of ``FORMAT.md`` that a writer can break is checked here,
with a message naming the file and the place in it: a page that loads is one the build and the scoring can trust.
"""

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

#: The repository's root: a page's ``source_text`` is named from it.
ROOT = Path(__file__).resolve().parents[2]
#: Roles a part may have (``FORMAT.md``, "Blocks").
ROLES = frozenset(
    {
        "furniture",
        "kicker",
        "headline",
        "deck",
        "byline",
        "lead",
        "body",
        "end_credit",
        "caption",
        "credit",
        "column",
        "brief_title",
        "brief",
    }
)
#: Block types that are articles and so carry ``gold``.
ARTICLE_TYPES = frozenset({"story", "photo", "brief"})
BLOCK_TYPES = ARTICLE_TYPES | {"column", "furniture"}
#: Roles whose text goes into an article's body.
BODY_ROLES = frozenset({"lead", "body", "caption", "brief"})
#: Roles printed as running paragraphs: indented on the page and on an e-paper site that indents.
PARAGRAPH_ROLES = frozenset({"lead", "body", "brief"})

PAGE_KEYS = frozenset({"id", "paper", "paper_slug", "issue_date", "split", "columns", "blocks"})
#: ``indent`` is not in FORMAT.md: ``false`` for a paper whose e-paper site sets paragraphs flush (default indented).
#: ``source_text``: a real page's text as it arrived (a path from the repository's root), used as its hand-copied
#: text instead of one made from the parts (the bulletin's own issues, with their real damage).
OPTIONAL_PAGE_KEYS = frozenset({"indent", "source_text"})
GOLD_KEYS = ("kind", "title", "kicker", "subtitle", "reporters", "correspondents", "photographer", "event_date")
SPLITS = frozenset({"tune", "holdout"})
MIN_COLUMNS, MAX_COLUMNS = 3, 6
HAND_INDENT = "\u3000\u3000"

_MANY = 99
#: The roles a block type holds, each with its fewest and most parts. Parts are listed in reading order, which is not
#: always the order of the grammar in FORMAT.md (a headline set beside or below the start of its copy comes after
#: it; a photo's title may follow its caption; a photo may carry one credit line per person), so order is checked
#: only where reading order cannot differ: kicker over headline over deck, the lead first of the paragraphs.
_ROLE_COUNTS: dict[str, dict[str, tuple[int, int]]] = {
    "story": {
        "kicker": (0, 1),
        "headline": (1, 1),
        "deck": (0, 1),
        "byline": (0, _MANY),
        "lead": (0, 1),
        "body": (0, _MANY),
        "end_credit": (0, _MANY),
        "furniture": (0, _MANY),
    },
    "photo": {"headline": (0, 1), "caption": (1, _MANY), "body": (0, _MANY), "credit": (0, _MANY)},
    "brief": {"brief_title": (0, 1), "lead": (0, 1), "brief": (0, _MANY), "body": (0, _MANY), "end_credit": (0, _MANY)},
    "column": {"column": (1, 1)},
    "furniture": {"furniture": (1, _MANY)},
}
#: Roles of which a block needs at least one: the paragraphs its body is made of.
_OPENING = {"story": ("lead", "body"), "brief": ("lead", "brief")}
#: Pairs of roles (first, second) printed in that order when a block has both.
_ORDER = (("kicker", "headline"), ("headline", "deck"), ("kicker", "deck"), ("lead", "body"), ("lead", "brief"))
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECK_DASHES = re.compile(r"^[—–\-─]+\s*")
_SPACE = re.compile(r"\s+")
#: A caption's inline credit, closing the caption: either a bracketed group naming a photographer or source
#: (``(本报记者 马雅宁 摄)``, ``（X/摄）``, ``（资料图片）``, ``（区融媒体中心供图）``), or an unbracketed run ending in
#: ``摄``/``摄影``/``供图`` that follows a space or a sentence's final mark and holds no punctuation
#: (``…停车区。 本报记者 施文韬 摄``, ``…香囊 汀州晚报记者 孙 苒 摄``, ``…公园。南洲日报全媒体记者邝志明摄``).
INLINE_CREDIT = re.compile(
    r"\s*[(（][^()（）]*(?:摄|摄影|供图|资料图片?)[)）]\s*$"
    r"|(?:\s+|(?<=[。！？!?]))[^\s，。！？；：、,.;:!?()（）][^，。！？；：、,.;:!?()（）]*(?:摄|摄影|供图)\s*$"
)


class PageError(ValueError):
    """A page file that breaks FORMAT.md; the message names the file and the place."""


@dataclass(frozen=True)
class Part:
    role: str
    text: str
    marker: str = ""  # only a lead has one

    @property
    def printed(self) -> str:
        """The paragraph as the page prints it: a lead's marker runs straight into its text."""
        return self.marker + self.text


@dataclass(frozen=True)
class Gold:
    kind: str
    title: str | None
    kicker: str
    subtitle: str
    reporters: tuple[str, ...]
    correspondents: tuple[str, ...]
    photographer: str | None
    event_date: str | None


@dataclass(frozen=True)
class Block:
    type: str
    parts: tuple[Part, ...]
    gold: Gold | None = None
    image: tuple[float, float] | None = None  # a photo's aspect ratio (width, height)

    def texts(self, role: str) -> list[str]:
        """The texts of this block's parts of ``role``, in order."""
        return [part.text for part in self.parts if part.role == role]


@dataclass(frozen=True)
class Page:
    id: str
    paper: str
    paper_slug: str
    issue_date: str
    split: str
    columns: int
    blocks: tuple[Block, ...]
    indent: bool = True
    source_text: str | None = None


@dataclass(frozen=True)
class GoldArticle:
    """What the parser must produce from one article block: the gold fields and the derived body."""

    block: int  # index into ``Page.blocks``
    gold: Gold
    body: tuple[str, ...]


def load_page(path: Path) -> Page:
    """The page in ``path``, checked against FORMAT.md (``PageError`` names the file on any breach)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PageError(f"{path}: {error}") from error
    return parse_page(data, str(path))


def parse_page(data: Any, source: str) -> Page:
    """The page held by the decoded JSON ``data``; ``source`` names it in error messages."""
    where = _Where(source)
    page = _object(data, where, PAGE_KEYS, OPTIONAL_PAGE_KEYS)
    for key in ("id", "paper", "paper_slug", "issue_date", "split"):
        _text(page[key], where.at(key))
    _check(_SLUG.fullmatch(page["paper_slug"]) is not None, where.at("paper_slug"), "lower-case letters, digits, '-'")
    _check(
        re.fullmatch(rf"p\d\d-{re.escape(page['paper_slug'])}-\d+", page["id"]) is not None,
        where.at("id"),
        "must be p<NN>-<paper_slug>-<n>",
    )
    _iso_date(page["issue_date"], where.at("issue_date"))
    _check(page["split"] in SPLITS, where.at("split"), f"must be one of {sorted(SPLITS)}")
    columns = page["columns"]
    _check(
        type(columns) is int and MIN_COLUMNS <= columns <= MAX_COLUMNS,
        where.at("columns"),
        f"must be an integer from {MIN_COLUMNS} to {MAX_COLUMNS}",
    )
    indent = page.get("indent", True)
    _check(isinstance(indent, bool), where.at("indent"), "must be true or false")
    source_text = page.get("source_text")
    _check(
        source_text is None or (isinstance(source_text, str) and (ROOT / source_text).is_file()),
        where.at("source_text"),
        "must name a file of the repository",
    )
    blocks = page["blocks"]
    _check(isinstance(blocks, list) and bool(blocks), where.at("blocks"), "must be a non-empty list")
    return Page(
        page["id"],
        page["paper"],
        page["paper_slug"],
        page["issue_date"],
        page["split"],
        columns,
        tuple(_block(block, where.at(f"blocks[{index}]")) for index, block in enumerate(blocks)),
        indent,
        source_text,
    )


def gold_articles(page: Page) -> list[GoldArticle]:
    """The gold article of every story, photo and brief block, with its body derived as FORMAT.md says."""
    return [
        GoldArticle(index, block.gold, article_body(block))
        for index, block in enumerate(page.blocks)
        if block.gold is not None
    ]


def article_body(block: Block) -> tuple[str, ...]:
    """The body paragraphs of an article block: its lead (without marker), body, caption and brief texts.

    A caption's inline credit (``INLINE_CREDIT``) is printed in the caption but is not body text.
    """
    return tuple(
        strip_inline_credit(part.text) if part.role == "caption" else part.text
        for part in block.parts
        if part.role in BODY_ROLES
    )


def gold_json(page: Page) -> dict[str, Any]:
    """The page's gold as the parser's scorer reads it (``gold/<id>.json``): each article's fields in the form of
    ``index.article.Article``'s JSON, its body as paragraphs joined by newlines, and ``title`` null where the page
    prints none (a made-up title is not scored)."""
    return {
        "id": page.id,
        "paper": page.paper,
        "split": page.split,
        "issue_date": page.issue_date,
        "articles": [
            {
                "block": article.block,
                **{key: _plain(getattr(article.gold, key)) for key in GOLD_KEYS},
                "body": "\n".join(article.body),
            }
            for article in gold_articles(page)
        ],
    }


def _plain(value: object) -> object:
    """A gold value as JSON holds it: names as a list."""
    return list(value) if isinstance(value, tuple) else value


def strip_inline_credit(caption: str) -> str:
    """``caption`` without a trailing bracketed credit such as ``(本报记者 马雅宁 摄)``."""
    return INLINE_CREDIT.sub("", caption)


def hand_text(page: Page) -> str:
    """The page as an editor copies it off an e-paper web page: one part a paragraph, a blank line between parts.

    Running paragraphs (lead, body, brief) start with two full-width spaces when the paper indents. A page with a
    ``source_text`` is the text that really arrived.
    """
    if page.source_text is not None:
        return (ROOT / page.source_text).read_text(encoding="utf-8")
    indent = HAND_INDENT if page.indent else ""
    paragraphs = [
        (indent if part.role in PARAGRAPH_ROLES else "") + part.printed for block in page.blocks for part in block.parts
    ]
    return "\n\n".join(paragraphs) + "\n"


class _Where:
    """A place in a page file, for error messages: ``file: blocks[3].parts[1].role``."""

    def __init__(self, source: str, path: str = "") -> None:
        self.source = source
        self.path = path

    def at(self, key: str) -> "_Where":
        """The place one key or index further in."""
        joiner = "" if not self.path or key.startswith("[") else "."
        return _Where(self.source, f"{self.path}{joiner}{key}")

    def __str__(self) -> str:
        return f"{self.source}: {self.path or 'page'}"


def _check(ok: bool, where: _Where, problem: str) -> None:
    """Raise ``PageError`` at ``where`` unless ``ok``."""
    if not ok:
        raise PageError(f"{where}: {problem}")


def _object(
    value: Any, where: _Where, required: frozenset[str] | tuple[str, ...], optional: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """``value`` as a JSON object holding every ``required`` key and no key outside ``required | optional``."""
    _check(isinstance(value, dict), where, "must be a JSON object")
    missing = [key for key in required if key not in value]
    _check(not missing, where, f"missing key(s) {missing}")
    unknown = sorted(set(value) - set(required) - optional)
    _check(not unknown, where, f"unknown key(s) {unknown}")
    return cast(dict[str, Any], value)


def _text(value: Any, where: _Where) -> str:
    """``value`` as a non-empty one-line string without padding (padding would be printed and extracted)."""
    _check(isinstance(value, str) and value != "", where, "must be a non-empty string")
    _check("\n" not in value and "\r" not in value, where, "must be one line (one part a paragraph)")
    _check(value == value.strip(), where, "must not start or end with whitespace")
    return cast(str, value)


def _iso_date(value: Any, where: _Where) -> None:
    """Check ``value`` is a real date written YYYY-MM-DD."""
    _check(isinstance(value, str) and _ISO_DATE.fullmatch(value) is not None, where, "must be a date YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError as error:
        raise PageError(f"{where}: {error}") from error


def _block(value: Any, where: _Where) -> Block:
    """One block, its parts in an order its type allows and, for an article, its gold."""
    _check(
        isinstance(value, dict) and value.get("type") in BLOCK_TYPES,
        where.at("type"),
        f"must be one of {sorted(BLOCK_TYPES)}",
    )
    block_type: str = value["type"]
    article = block_type in ARTICLE_TYPES
    required = ("type", "parts", "gold") if article else ("type", "parts")
    optional = frozenset({"image"}) if block_type == "photo" else frozenset()
    _object(value, where, required, optional)
    raw_parts = value["parts"]
    _check(isinstance(raw_parts, list) and bool(raw_parts), where.at("parts"), "must be a non-empty list")
    parts = tuple(_part(part, where.at(f"parts[{index}]")) for index, part in enumerate(raw_parts))
    _roles(block_type, [part.role for part in parts], where.at("parts"))
    image = _image(value["image"], where.at("image")) if "image" in value else None
    block = Block(block_type, parts, None, image)
    return Block(block_type, parts, _gold(value["gold"], block, where.at("gold")), image) if article else block


def _part(value: Any, where: _Where) -> Part:
    """One part: a known role and its text; a lead also has its marker, and only a lead has one."""
    _check(isinstance(value, dict) and value.get("role") in ROLES, where.at("role"), f"must be one of {sorted(ROLES)}")
    role: str = value["role"]
    lead = role == "lead"
    _object(value, where, ("role", "text", "marker") if lead else ("role", "text"))
    text = _text(value["text"], where.at("text"))
    if not lead:
        return Part(role, text)
    marker = value["marker"]
    _check(
        isinstance(marker, str) and marker.strip() != "" and "\n" not in marker,
        where.at("marker"),
        "must be the lead's non-empty marker (本报讯…, a dateline)",
    )
    return Part(role, text, marker)


def _roles(block_type: str, roles: list[str], where: _Where) -> None:
    """Check the block holds the roles its type takes, as many of each as it may, in the order print sets them."""
    counts = _ROLE_COUNTS[block_type]
    listed = ", ".join(roles)
    for role in roles:
        _check(role in counts, where, f"a {block_type} takes no {role} part (it takes {', '.join(counts)})")
    for role, (fewest, most) in counts.items():
        _check(
            fewest <= roles.count(role) <= most,
            where,
            f"a {block_type} takes {fewest} to {most} {role} part(s); got {listed}",
        )
    opening = _OPENING.get(block_type)
    if opening:
        _check(any(role in opening for role in roles), where, f"a {block_type} needs a {' or '.join(opening)} part")
    for first, second in _ORDER:
        if first in roles and second in roles:
            _check(roles.index(first) < roles.index(second), where, f"{first} must come before {second}: {listed}")


def _image(value: Any, where: _Where) -> tuple[float, float]:
    """A photo's aspect ratio ``{"width": w, "height": h}`` as ``(w, h)``."""
    _object(value, where, ("width", "height"))
    sides = (value["width"], value["height"])
    _check(
        all(isinstance(side, int | float) and not isinstance(side, bool) and side > 0 for side in sides),
        where,
        "width and height must be positive numbers",
    )
    return float(sides[0]), float(sides[1])


def _gold(value: Any, block: Block, where: _Where) -> Gold:
    """The block's gold: every key of FORMAT.md with its type, and the printed fields agreeing with the parts."""
    _object(value, where, GOLD_KEYS)
    _check(value["kind"] == block.type, where.at("kind"), f"must be {block.type!r}, the block's type")
    for key in ("title", "photographer", "event_date"):
        _check(
            value[key] is None or (isinstance(value[key], str) and value[key] != ""),
            where.at(key),
            "must be a non-empty string or null",
        )
    for key in ("kicker", "subtitle"):
        _check(isinstance(value[key], str), where.at(key), 'must be a string ("" when none)')
    for key in ("reporters", "correspondents"):
        names = value[key]
        _check(
            isinstance(names, list) and all(isinstance(name, str) and name for name in names),
            where.at(key),
            "must be a list of names",
        )
        _check(not any(_SPACE.search(name) for name in names), where.at(key), "names are written without spaces")
    if value["event_date"] is not None:
        _iso_date(value["event_date"], where.at("event_date"))
    gold = Gold(
        value["kind"],
        value["title"],
        value["kicker"],
        value["subtitle"],
        tuple(value["reporters"]),
        tuple(value["correspondents"]),
        value["photographer"],
        value["event_date"],
    )
    _printed_fields_agree(gold, block, where)
    return gold


def _printed_fields_agree(gold: Gold, block: Block, where: _Where) -> None:
    """Check title, kicker and subtitle are what the block prints (spacing aside; a deck loses its ``——``)."""
    title_role = "brief_title" if block.type == "brief" else "headline"
    expected = {
        "title": _only(block.texts(title_role)),
        "kicker": _only(block.texts("kicker")) or "",
        "subtitle": _DECK_DASHES.sub("", _only(block.texts("deck")) or ""),
    }
    for key, printed in expected.items():
        given = getattr(gold, key)
        same = _squeeze(given) == _squeeze(printed) if given is not None and printed is not None else given == printed
        _check(same, where.at(key), f"is {given!r} but the block prints {printed!r}")


def _only(texts: list[str]) -> str | None:
    """The one text of a role that appears at most once in a block (its grammar has made sure)."""
    return texts[0] if texts else None


def _squeeze(text: str) -> str:
    """``text`` without whitespace, so that a headline's printed spacing does not count."""
    return _SPACE.sub("", text)
