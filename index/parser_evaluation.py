"""How well the parser reads real pages, field by field, against the page corpus's gold (``tests/pages``).

Each page of the corpus exists as several extracted texts (the hand-copied one and three tools' outputs); every text is
parsed as an editor's upload would be, its articles are matched to the page's gold articles by the text they share,
and every gold field is checked: the body's start and end (the article was found where it is), its paragraphs (the
page's broken lines were joined right), kind, title (when the page prints one), kicker, subtitle (the deck),
reporters, correspondents, photographer and event date. A parsed article no gold article matches is an error too (a
story split in two, or furniture taken for news). Pages are tuned on or held out (``split``); the held-out figure is
the honest one.

Text is compared without whitespace: the tools space Chinese text as they please.
"""

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
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


@dataclass(frozen=True)
class GoldArticle:
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

    def add(self, other: "Tally") -> None:
        self.right.update(other.right)
        self.total.update(other.total)
        self.articles += other.articles
        self.found += other.found
        self.extra += other.extra

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


def load_corpus(root: Path) -> list[GoldPage]:
    """The pages of the corpus at ``root`` (its ``gold/`` and ``text/`` folders)."""
    pages = []
    for path in sorted((root / "gold").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        texts = {
            text_path.name.removeprefix(f"{data['id']}.").removesuffix(".txt"): text_path.read_text(encoding="utf-8")
            for text_path in sorted((root / "text").glob(f"{data['id']}.*.txt"))
        }
        articles = tuple(_gold_article(item) for item in data["articles"])
        pages.append(GoldPage(data["id"], data["split"], date.fromisoformat(data["issue_date"]), articles, texts))
    return pages


def _gold_article(item: dict[str, Any]) -> GoldArticle:
    return GoldArticle(
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


def evaluate(pages: Iterable[GoldPage], parse: Parser, *, variants: Iterable[str] | None = None) -> Report:
    """Parse every text of every page with ``parse`` and check it against the page's gold."""
    wanted = set(variants) if variants is not None else None
    report = Report()
    for page in pages:
        report.splits[page.id] = page.split
        for variant, text in page.texts.items():
            if wanted is not None and variant not in wanted:
                continue
            tally = report.tallies.setdefault((page.split, variant), Tally())
            try:
                parsed = parse(text, page.issue_date).articles
            except IssueError as error:  # the page refused as a whole
                parsed = ()
                report.misses.append(Miss(page.id, variant, "page", "articles", f"refused: {error}"))
            tally.add(_score_page(page, variant, parsed, report.misses))
    return report


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
    """Per split: the figures of every variant and in all; then every miss of ``misses_of`` (``None``: none)."""
    lines = []
    header = f"{'':22}{'found':>12}{'extra':>7}{'fields':>8}  " + " ".join(f"{name[:8]:>8}" for name in FIELDS)
    for split in sorted({s for s, _ in report.tallies}):
        lines.append(f"== {split} ==")
        lines.append(header)
        for variant in [*report.variants(), None]:
            tally = report.total(split, variant)
            found = f"{tally.found}/{tally.articles}"
            shares = " ".join(f"{tally.share(name):>8.1%}" for name in FIELDS)
            lines.append(f"{variant or 'all':22}{found:>12}{tally.extra:>7}{tally.fields_right:>8.1%}  {shares}")
    if misses_of is not None:
        shown = defaultdict(list)
        for miss in report.misses:
            if report.splits.get(miss.page) == misses_of:
                shown[(miss.page, miss.variant)].append(miss)
        for (page, variant), page_misses in sorted(shown.items()):
            lines.append(f"-- {page} {variant}")
            lines += [f"   {m.field}: expected {m.expected!r}, got {m.got!r}" for m in page_misses]
    return "\n".join(lines)
