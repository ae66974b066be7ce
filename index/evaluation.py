"""How well the search answers residents' questions, measured on a fixed set of issues and questions.

A change to ranking, analysis or the dictionaries helps one question and may quietly hurt another; trying a query at
the shell shows only the first. A set pairs each question, written as residents write or dictate them, with the
title of the article that answers it, or with nothing when the bulletin does not answer it (the weather, a train
timetable): the bot should then say it has nothing rather than offer an unrelated story. The report gives, over the
answerable questions, the share answered first (hit@1), the mean reciprocal rank and the share wrongly refused, and
over the others the share refused; for the whole set, for each split (``tune``: looked at while tuning,
``holdout``: reported apart, the honest figure) and for each tag (how a question is written: ``keyword``,
``voice``, ``typo``, ...). Two sets live in ``tests/eval/``: ``cases.json`` (the sample set) and ``residents.json``.
"""

import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from os import PathLike
from pathlib import Path
from typing import Any

from config.settings import ROOT_DIR
from index.dense import Encoder
from index.load import load_issue
from index.parse import PageParser
from index.query import QueryAnalyzer
from index.ranking import AnswerModel
from index.search import Search
from index.store import Store
from index.wordlists import WordLists

#: The parts a set may be split into: questions looked at while tuning, and questions reported apart.
SPLITS = ("tune", "holdout")
#: The row of the report that holds the whole set, above those of each split and tag.
ALL = "all"
#: What the report shows where a question expects, or the bot answered, no article.
NOTHING = "nothing"


@dataclass(frozen=True)
class IssueFile:
    path: Path
    date: date


@dataclass(frozen=True)
class Case:
    query: str
    #: The exact title of the article that answers the query; ``None`` when the bulletin does not answer it.
    expect: str | None
    #: ``tune`` or ``holdout``; ``None`` in a set that is not split.
    split: str | None = None
    tags: tuple[str, ...] = ()
    #: The day this question is asked, when it is not the set's (``昨天`` means the day before it).
    today: date | None = None


@dataclass(frozen=True)
class EvalSet:
    issues: tuple[IssueFile, ...]
    #: The day the questions are asked: ``昨天`` and ``5月10日`` are read relative to it.
    today: date
    cases: tuple[Case, ...]
    #: The tags a case may carry, in the order the report lists them (empty: any tag, in the order first used).
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    case: Case
    #: 1-based place of the expected article among the results, ``None`` when it is not among them.
    rank: int | None
    #: The title ranked first, to show what a miss found instead; ``None`` when the bot answered nothing.
    first: str | None
    #: Whether the bot answered "nothing" (see ``refused``).
    refused: bool

    @property
    def answerable(self) -> bool:
        return self.case.expect is not None

    @property
    def hit(self) -> bool:
        """The expected article came first, or, for a question the bulletin does not answer, nothing came."""
        return self.rank == 1 if self.answerable else self.refused


@dataclass(frozen=True)
class Figures:
    """The figures of a group of outcomes; a share over no question is ``None``."""

    answerable: int
    hit_at_1: float | None
    mrr: float | None
    #: Share of the answerable questions the bot answered with nothing.
    wrongly_refused: float | None
    #: Questions the bulletin does not answer.
    nothing: int
    #: Share of those the bot answered with nothing.
    refused: float | None

    @classmethod
    def of(cls, outcomes: Iterable[Outcome]) -> "Figures":
        outcomes = list(outcomes)
        answerable = [o for o in outcomes if o.answerable]
        nothing = [o for o in outcomes if not o.answerable]
        return cls(
            answerable=len(answerable),
            hit_at_1=_mean(1.0 if o.rank == 1 else 0.0 for o in answerable),
            mrr=_mean(1.0 / o.rank if o.rank else 0.0 for o in answerable),
            wrongly_refused=_mean(1.0 if o.refused else 0.0 for o in answerable),
            nothing=len(nothing),
            refused=_mean(1.0 if o.refused else 0.0 for o in nothing),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "answerable": self.answerable,
            "hit_at_1": _round(self.hit_at_1),
            "mrr": _round(self.mrr),
            "wrongly_refused": _round(self.wrongly_refused),
            "nothing": self.nothing,
            "refused": _round(self.refused),
        }


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]
    #: The order the tags are reported in; tags not named here follow in the order first used.
    tag_order: tuple[str, ...] = ()

    @property
    def figures(self) -> Figures:
        return Figures.of(self.outcomes)

    @property
    def hit_at_1(self) -> float:
        return self.figures.hit_at_1 or 0.0

    @property
    def mrr(self) -> float:
        return self.figures.mrr or 0.0

    @property
    def misses(self) -> list[Outcome]:
        """The answerable outcomes whose article was not ranked first, and the others the bot did not refuse."""
        return [o for o in self.outcomes if not o.hit]

    def splits(self) -> dict[str, Figures]:
        """Figures of each split the set uses, in ``SPLITS`` order."""
        return {split: report.figures for split, report in self.by_split().items()}

    def by_split(self) -> dict[str, "Report"]:
        """The report of each split the set uses, in ``SPLITS`` order."""
        used = {o.case.split for o in self.outcomes}
        return {
            split: Report(tuple(o for o in self.outcomes if o.case.split == split), self.tag_order)
            for split in SPLITS
            if split in used
        }

    def tags(self) -> dict[str, Figures]:
        """Figures of each tag used, in ``tag_order``, then in the order first used."""
        used = dict.fromkeys(tag for o in self.outcomes for tag in o.case.tags)
        tags = [*(tag for tag in self.tag_order if tag in used), *(tag for tag in used if tag not in self.tag_order)]
        return {tag: Figures.of(o for o in self.outcomes if tag in o.case.tags) for tag in tags}

    def _tags_json(self) -> dict[str, Any]:
        return {tag: figures.to_json() for tag, figures in self.tags().items()}

    def to_json(self) -> dict[str, Any]:
        """The figures of the whole set and of each tag, each split with its own per tag, and every case."""
        return {
            **self.figures.to_json(),
            "tags": self._tags_json(),
            "splits": {
                split: {**report.figures.to_json(), "tags": report._tags_json()}
                for split, report in self.by_split().items()
            },
            "cases": [
                {
                    "query": o.case.query,
                    "expect": o.case.expect,
                    "split": o.case.split,
                    "tags": list(o.case.tags),
                    "rank": o.rank,
                    "first": o.first,
                    "refused": o.refused,
                }
                for o in self.outcomes
            ],
        }


def load_cases(path: str | PathLike[str]) -> EvalSet:
    """The set in ``path``; issue paths in it are relative to the repository root.

    ``ValueError`` (or ``KeyError``/``TypeError`` for a missing or mistyped key) names what is wrong.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    issues = tuple(IssueFile(ROOT_DIR / item["path"], date.fromisoformat(item["date"])) for item in data["issues"])
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ValueError("'tags' must be a list of strings")
    cases = tuple(_case(item, number, tuple(tags)) for number, item in enumerate(data["cases"], 1))
    return EvalSet(issues=issues, today=date.fromisoformat(data["today"]), cases=cases, tags=tuple(tags))


def _case(item: dict[str, Any], number: int, known_tags: tuple[str, ...]) -> Case:
    where = f"case {number} ({item.get('query')!r})"
    query, expect, split, tags = item["query"], item["expect"], item.get("split"), item.get("tags", [])
    if not isinstance(query, str) or not (expect is None or isinstance(expect, str)):
        raise ValueError(f"{where}: 'query' must be a string and 'expect' a title or null")
    if split is not None and split not in SPLITS:
        raise ValueError(f"{where}: 'split' must be one of {', '.join(SPLITS)}")
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ValueError(f"{where}: 'tags' must be a list of strings")
    unknown = [tag for tag in tags if known_tags and tag not in known_tags]
    if unknown:
        raise ValueError(f"{where}: tag {', '.join(unknown)} is not among the set's tags")
    today = date.fromisoformat(item["today"]) if "today" in item else None
    return Case(query, expect, split, tuple(tags), today)


def ingest_set(
    eval_set: EvalSet,
    data_dir: str | PathLike[str],
    words: WordLists,
    max_bytes: int,
    parser: PageParser,
    encoder: Encoder | None = None,
) -> set[str]:
    """Build the set's archive and index in ``data_dir``; return every title ingested (``IssueError`` on a bad file).

    An expected title that is not among the returned ones is a typo in the set, not a miss of the search.
    """
    store = Store(data_dir, words, encoder=encoder)
    titles: set[str] = set()
    for issue_file in eval_set.issues:
        data = issue_file.path.read_bytes()
        issue = load_issue(data, issue_file.date, source=issue_file.path, max_bytes=max_bytes, parser=parser)
        store.ingest(issue, data)
        titles.update(article.title for article in issue.articles)
    return titles


def open_search(
    data_dir: str | PathLike[str], words: WordLists, model: AnswerModel, encoder: Encoder | None = None
) -> Search:
    store = Store(data_dir, words, encoder=encoder)
    return Search(store.index_dir, QueryAnalyzer(words), encoder=store.encoder, model=model)


def ranking(search: Search, question: str, today: date) -> list[str]:
    """The titles of the articles the bot answers ``question`` with, best first, as a resident would get them."""
    ranked = search.find(search.questions.analyze(question, today))
    return [title for title in (_title(search, item.id) for item in ranked) if title is not None]


def refused(titles: Sequence[str]) -> bool:
    """Whether the bot answered "nothing" given its ranking: today, when nothing was ranked at all.

    The one place refusal is decided: when the bot learns to say "nothing" to a question the bulletin does not
    answer, it does so in the ranking (which then comes back empty) or this test changes with it.
    """
    return not titles


def evaluate(search: Search, cases: Iterable[Case], today: date, tag_order: Sequence[str] = ()) -> Report:
    """Rank each case's question as the bot would and find its expected article among the results."""
    outcomes = []
    for case in cases:
        titles = ranking(search, case.query, case.today or today)
        rank = titles.index(case.expect) + 1 if case.expect in titles else None
        outcomes.append(Outcome(case=case, rank=rank, first=titles[0] if titles else None, refused=refused(titles)))
    return Report(outcomes=tuple(outcomes), tag_order=tuple(tag_order))


def _title(search: Search, article_id: str) -> str | None:
    article = search.article(article_id)
    return article.title if article else None


def format_report(report: Report) -> str:
    """Every miss (rank, split, question, expected title, what came first), then the figures of the whole set, of
    each split and of each tag, then the totals line.

    A question the bulletin does not answer expects ``nothing``; a question the bot refused shows ``first: nothing``.
    """
    misses = _misses_table(report.misses)
    return "\n".join([*misses, *([""] if misses else []), *_figures_table(report), totals(report.figures)])


def _misses_table(misses: Sequence[Outcome]) -> list[str]:
    if not misses:
        return []
    rows = [("rank", "split", "query", "expected")]
    for o in misses:
        expected = f"{o.case.expect or NOTHING}  (first: {o.first or NOTHING})"
        rows.append((str(o.rank or "-"), o.case.split or "", o.case.query, expected))
    return _table(rows, right=(0,))


def _figures_table(report: Report) -> list[str]:
    rows: list[tuple[str, ...]] = [("", "answerable", "hit@1", "MRR", "wrongly refused", "nothing", "refused")]
    for name, group in [(ALL, report.figures), *report.splits().items(), *report.tags().items()]:
        shares = (group.hit_at_1, group.mrr, group.wrongly_refused)
        rows.append((name, str(group.answerable), *map(_share, shares), str(group.nothing), _share(group.refused)))
    return _table(rows, right=(1, 2, 3, 4, 5, 6))


def totals(figures: Figures) -> str:
    """The figures of the whole set on one line, the line the README quotes."""
    line = f"hit@1 = {_share(figures.hit_at_1)}  MRR = {_share(figures.mrr)}  ({figures.answerable} queries)"
    if figures.nothing:
        line += f"  refused = {_share(figures.refused)} of {figures.nothing} unanswerable"
        line += f", {_share(figures.wrongly_refused)} of the answerable"
    return line


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _table(rows: Sequence[tuple[str, ...]], right: tuple[int, ...]) -> list[str]:
    """``rows`` as aligned columns, two spaces apart; the columns in ``right`` are right-aligned."""
    widths = [max(_width(row[column]) for row in rows) for column in range(len(rows[0]))]
    return ["  ".join(_pad(cell, widths[i], right=i in right) for i, cell in enumerate(row)).rstrip() for row in rows]


def _width(text: str) -> int:
    """Terminal columns of ``text``: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    padding = " " * (width - _width(text))
    return padding + text if right else text + padding
