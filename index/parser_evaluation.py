"""How well the parser reads real pages, field by field, against the page corpus's gold (``tests/pages``).

Each page of the corpus exists as several extracted texts (the hand-copied one and three tools' outputs) and, when
the corpus's PDFs were made (``make pdf-pages``, ``pdf/<id>.pdf``), as the page PDF itself (variant ``pdf``); every
text or PDF is parsed as an editor's upload would be, its articles are matched to the page's gold articles by the
text they share, and every gold field is checked: the body's start and end (the article was found where it is), its
paragraphs (the page's broken lines were joined right), kind, title (when the page prints one), kicker, subtitle (the
deck), reporters, correspondents, photographer and event date. A parsed article no gold article matches is an error
too (a story split in two, or furniture taken for news). For a PDF, every picture the page prints must become the
photo of its caption's article (the picture that stood there, on that page). Pages are tuned on or held out
(``split``); the held-out figure is the honest one.

Text is compared without whitespace: the tools space Chinese text as they please.
"""

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from index.article import Article
from index.errors import IssueError
from index.reading import PageReading

#: The fields checked for every gold article, in report order.
FIELDS = (
    "start",
    "end",
    "paragraphs",
    "kind",
    "title",
    "kicker",
    "subtitle",
    "reporters",
    "correspondents",
    "photographer",
    "event_date",
)
#: How much of a body's start and end must agree for the article to count as found where it is.
EDGE = 10
#: A parsed article matches a gold one when they share at least this share of the gold body's character bigrams.
MIN_OVERLAP = 0.3
_SPACE = re.compile(r"\s+")

Parser = Callable[[str, date], PageReading]
PdfParser = Callable[[bytes, date], PageReading]
#: The variant name of a page read from its PDF.
PDF = "pdf"
#: A picture's place counts as the gold one within this many points.
PLACE_TOLERANCE = 1.0


@dataclass(frozen=True)
class GoldPicture:
    """A picture the page prints: the block of the article it belongs to, its page in the PDF, its place."""

    block: int
    page: int
    bbox: tuple[float, float, float, float]


@dataclass(frozen=True)
class GoldArticle:
    block: int
    kind: str
    title: str | None
    kicker: str
    subtitle: str
    reporters: tuple[str, ...]
    correspondents: tuple[str, ...]
    photographer: str | None
    event_date: date | None
    body: str


@dataclass(frozen=True)
class GoldPage:
    id: str
    split: str
    issue_date: date
    articles: tuple[GoldArticle, ...]
    #: Variant name (``hand``, ``pdftotext``, ...) -> the extracted text.
    texts: dict[str, str]
    #: The page typeset as a PDF, and the pictures it prints (when the corpus's PDFs were made).
    pdf: bytes | None = None
    pictures: tuple[GoldPicture, ...] = ()


@dataclass(frozen=True)
class Miss:
    page: str
    variant: str
    field: str
    expected: str
    got: str


@dataclass
class Tally:
    """Right and wrong checks per field, found articles and extra ones."""

    right: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    articles: int = 0
    found: int = 0
    extra: int = 0
    #: Pictures printed, and those that became the photo of their caption's article.
    pictures: int = 0
    attached: int = 0

    def add(self, other: "Tally") -> None:
        self.right.update(other.right)
        self.total.update(other.total)
        self.articles += other.articles
        self.found += other.found
        self.extra += other.extra
        self.pictures += other.pictures
        self.attached += other.attached

    def share(self, name: str) -> float:
        return self.right[name] / self.total[name] if self.total[name] else 1.0

    @property
    def fields_right(self) -> float:
        """All checks right over all checks, each extra article counting as one wrong check."""
        total = sum(self.total.values()) + self.extra
        return sum(self.right.values()) / total if total else 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "found": self.found,
            "extra": self.extra,
            "fields_right": round(self.fields_right, 4),
            "fields": {name: round(self.share(name), 4) for name in FIELDS if self.total[name]},
            **({"pictures": self.pictures, "photos_attached": self.attached} if self.pictures else {}),
        }


@dataclass
class Report:
    #: ``(split, variant)`` -> tally; a split's and a variant's totals are summed when shown.
    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)
    #: Page id -> split, for filtering misses.
    splits: dict[str, str] = field(default_factory=dict)

    def total(self, split: str | None = None, variant: str | None = None) -> Tally:
        tally = Tally()
        for (s, v), part in self.tallies.items():
            if (split is None or s == split) and (variant is None or v == variant):
                tally.add(part)
        return tally

    def variants(self) -> list[str]:
        return sorted({v for _, v in self.tallies})

    def to_json(self) -> dict[str, Any]:
        splits = sorted({s for s, _ in self.tallies})
        return {
            "splits": {
                split: {
                    "all": self.total(split).to_json(),
                    **{variant: self.total(split, variant).to_json() for variant in self.variants()},
                }
                for split in splits
            },
            "misses": [miss.__dict__ for miss in self.misses],
        }


def load_corpus(root: Path, pdfs: Path | None = None) -> list[GoldPage]:
    """The pages of the corpus at ``root`` (its ``gold/`` and ``text/`` folders), each with its PDF and pictures when
    ``pdfs`` (default ``root/pdf``) holds them (``<id>.pdf``, ``<id>.pictures.json``)."""
    pdfs = root / "pdf" if pdfs is None else pdfs
    pages = []
    for path in sorted((root / "gold").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        texts = {
            text_path.name.removeprefix(f"{data['id']}.").removesuffix(".txt"): text_path.read_text(encoding="utf-8")
            for text_path in sorted((root / "text").glob(f"{data['id']}.*.txt"))
        }
        articles = tuple(_gold_article(item) for item in data["articles"])
        pdf_path, pictures_path = pdfs / f"{data['id']}.pdf", pdfs / f"{data['id']}.pictures.json"
        pdf = pdf_path.read_bytes() if pdf_path.is_file() and pictures_path.is_file() else None
        pictures = tuple(
            GoldPicture(int(item["block"]), int(item["page"]), _box(item["bbox"]))
            for item in (json.loads(pictures_path.read_text(encoding="utf-8")) if pdf is not None else [])
        )
        issue_date = date.fromisoformat(data["issue_date"])
        pages.append(GoldPage(data["id"], data["split"], issue_date, articles, texts, pdf, pictures))
    return pages


def _box(values: list[float]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(value) for value in values)
    return x0, y0, x1, y1


def _gold_article(item: dict[str, Any]) -> GoldArticle:
    return GoldArticle(
        block=item["block"],
        kind=item["kind"],
        title=item["title"],
        kicker=item["kicker"],
        subtitle=item["subtitle"],
        reporters=tuple(item["reporters"]),
        correspondents=tuple(item["correspondents"]),
        photographer=item["photographer"],
        event_date=date.fromisoformat(item["event_date"]) if item["event_date"] else None,
        body=item["body"],
    )


def evaluate(
    pages: Iterable[GoldPage],
    parse: Parser,
    *,
    variants: Iterable[str] | None = None,
    parse_pdf: PdfParser | None = None,
) -> Report:
    """Parse every text of every page with ``parse``, and every page's PDF with ``parse_pdf`` (when given), and
    check them against the page's gold; ``variants`` (``hand``, ..., ``pdf``) keeps only those."""
    wanted = set(variants) if variants is not None else None
    report = Report()
    for page in pages:
        report.splits[page.id] = page.split
        readers: list[tuple[str, Callable[[], PageReading]]] = [
            (variant, partial(parse, text, page.issue_date)) for variant, text in page.texts.items()
        ]
        if page.pdf is not None and parse_pdf is not None:
            readers.append((PDF, partial(parse_pdf, page.pdf, page.issue_date)))
        for variant, read in readers:
            if wanted is not None and variant not in wanted:
                continue
            tally = report.tallies.setdefault((page.split, variant), Tally())
            try:
                reading = read()
            except IssueError as error:  # the page refused as a whole
                reading = PageReading((), ())
                report.misses.append(Miss(page.id, variant, "page", "articles", f"refused: {error}"))
            tally.add(_score_page(page, variant, reading.articles, report.misses))
            if variant == PDF:
                tally.add(_score_pictures(page, reading, report.misses))
    return report


def _score_pictures(page: GoldPage, reading: PageReading, misses: list[Miss]) -> Tally:
    """Every picture of the page checked: the article matched to its block's gold article names a photo that stood
    in the picture's place."""
    tally = Tally(pictures=len(page.pictures))
    pairs = match(page.articles, reading.articles)
    photos = {photo.name: photo for photo in reading.photos}
    for picture in page.pictures:
        gold = next((n for n, article in enumerate(page.articles) if article.block == picture.block), None)
        found = pairs.get(gold) if gold is not None else None
        photo = photos.get(reading.articles[found].photo) if found is not None else None
        right = (
            photo is not None
            and photo.page == picture.page
            and photo.bbox is not None
            and all(abs(a - b) <= PLACE_TOLERANCE for a, b in zip(photo.bbox, picture.bbox, strict=True))
        )
        tally.attached += right
        if not right:
            got = f"{photo.name} on page {photo.page} at {photo.bbox}" if photo is not None else "(no photo)"
            misses.append(Miss(page.id, PDF, "photo", f"block {picture.block}'s picture", got))
    return tally


def _score_page(page: GoldPage, variant: str, parsed: tuple[Article, ...], misses: list[Miss]) -> Tally:
    tally = Tally(articles=len(page.articles))
    pairs = match(page.articles, parsed)
    for index, gold in enumerate(page.articles):
        found = pairs.get(index)
        checks = _checks(gold, parsed[found] if found is not None else None)
        for name, (ok, expected, got) in checks.items():
            tally.total[name] += 1
            tally.right[name] += ok
            if not ok:
                misses.append(Miss(page.id, variant, name, expected, got))
        tally.found += checks["start"][0] and checks["end"][0]
    matched = set(pairs.values())
    for number, article in enumerate(parsed):
        if number not in matched:
            tally.extra += 1
            misses.append(Miss(page.id, variant, "extra", "-", f"{article.title} | {squeeze(article.body)[:30]}"))
    return tally


def match(gold: tuple[GoldArticle, ...], parsed: tuple[Article, ...]) -> dict[int, int]:
    """Gold article index -> parsed article index, pairing those that share most text, each at most once."""
    gold_grams = [_bigrams(squeeze(article.body)) for article in gold]
    parsed_grams = [_bigrams(squeeze(article.body)) for article in parsed]
    scores = []
    for g, grams in enumerate(gold_grams):
        for p, other in enumerate(parsed_grams):
            if grams:
                shared = len(grams & other) / len(grams)
                if shared >= MIN_OVERLAP:
                    scores.append((shared, g, p))
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for _, g, p in sorted(scores, reverse=True):
        if g not in pairs and p not in taken:
            pairs[g] = p
            taken.add(p)
    return pairs


def _checks(gold: GoldArticle, article: Article | None) -> dict[str, tuple[bool, str, str]]:
    """Each field of ``gold`` checked against ``article``: (right, expected, got)."""
    body = squeeze(gold.body)
    got_body = squeeze(article.body) if article else ""
    expected: dict[str, object] = {
        "start": body[:EDGE],
        "end": body[-EDGE:],
        "paragraphs": [squeeze(p) for p in gold.body.split("\n") if p.strip()],
        "kind": gold.kind,
        "title": squeeze(gold.title) if gold.title is not None else None,
        "kicker": squeeze(gold.kicker),
        "subtitle": squeeze(gold.subtitle),
        "reporters": gold.reporters,
        "correspondents": gold.correspondents,
        "photographer": gold.photographer,
        "event_date": gold.event_date,
    }
    got: dict[str, object] = {
        "start": got_body[:EDGE],
        "end": got_body[-EDGE:],
        "paragraphs": [squeeze(p) for p in article.paragraphs] if article else [],
        "kind": str(article.kind) if article else None,
        "title": squeeze(article.title) if article else None,
        "kicker": squeeze(article.kicker) if article else None,
        "subtitle": squeeze(article.subtitle) if article else None,
        "reporters": article.reporters if article else None,
        "correspondents": article.correspondents if article else None,
        "photographer": article.photographer if article else None,
        "event_date": article.event_date if article else None,
    }
    checks = {}
    for name in FIELDS:
        if name == "title" and gold.title is None:
            continue
        if article is None:
            checks[name] = (False, _show(expected[name]), "(not found)")
        else:
            checks[name] = (expected[name] == got[name], _show(expected[name]), _show(got[name]))
    return checks


def squeeze(text: str) -> str:
    """``text`` without whitespace (full-width spaces included)."""
    return _SPACE.sub("", text)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _show(value: object) -> str:
    if isinstance(value, list | tuple):
        return " / ".join(str(item) for item in value)
    return "" if value is None else str(value)


def format_report(report: Report, *, misses_of: str | None = "tune") -> str:
    """Per split: the figures of every variant and in all (with the photos attached, for a PDF); then every miss of
    ``misses_of`` (``None``: none)."""
    lines = []
    header = (
        f"{'':22}{'found':>12}{'extra':>7}{'fields':>8}  "
        + " ".join(f"{name[:8]:>8}" for name in FIELDS)
        + f"{'photos':>10}"
    )
    for split in sorted({s for s, _ in report.tallies}):
        lines.append(f"== {split} ==")
        lines.append(header)
        for variant in [*report.variants(), None]:
            tally = report.total(split, variant)
            found = f"{tally.found}/{tally.articles}"
            shares = " ".join(f"{tally.share(name):>8.1%}" for name in FIELDS)
            photos = f"{tally.attached}/{tally.pictures}" if tally.pictures else "-"
            lines.append(
                f"{variant or 'all':22}{found:>12}{tally.extra:>7}{tally.fields_right:>8.1%}  {shares}{photos:>10}"
            )
    if misses_of is not None:
        shown = defaultdict(list)
        for miss in report.misses:
            if report.splits.get(miss.page) == misses_of:
                shown[(miss.page, miss.variant)].append(miss)
        for (page, variant), page_misses in sorted(shown.items()):
            lines.append(f"-- {page} {variant}")
            lines += [f"   {m.field}: expected {m.expected!r}, got {m.got!r}" for m in page_misses]
    return "\n".join(lines)
