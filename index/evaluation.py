"""How well the search answers residents' questions, measured on a fixed set of issues and questions.

A change to ranking, analysis or the dictionaries helps one question and may quietly hurt another; trying a query at
the shell shows only the first. The set (``tests/eval/cases.json``) pairs each question, written as residents write
or dictate them, with the title of the article that answers it, and the report gives the share answered first
(hit@1) and the mean reciprocal rank over the whole set, so a change is judged by both figures.
"""

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from os import PathLike
from pathlib import Path
from typing import Any

from config.settings import ROOT_DIR
from index.load import load_issue
from index.parse import PageParser
from index.query import QueryAnalyzer
from index.search import Search
from index.store import Store
from index.wordlists import WordLists


@dataclass(frozen=True)
class IssueFile:
    path: Path
    date: date


@dataclass(frozen=True)
class Case:
    query: str
    #: The exact title of the article that answers the query.
    expect: str


@dataclass(frozen=True)
class EvalSet:
    issues: tuple[IssueFile, ...]
    #: The day the questions are asked: ``昨天`` and ``5月10日`` are read relative to it.
    today: date
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class Outcome:
    case: Case
    #: 1-based place of the expected article among the results, ``None`` when it is not among them.
    rank: int | None
    #: The title ranked first, to show what a miss found instead.
    first: str | None


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]

    @property
    def hit_at_1(self) -> float:
        return self._mean(1.0 if o.rank == 1 else 0.0 for o in self.outcomes)

    @property
    def mrr(self) -> float:
        return self._mean(1.0 / o.rank if o.rank else 0.0 for o in self.outcomes)

    @property
    def misses(self) -> list[Outcome]:
        """The outcomes whose expected article was not ranked first."""
        return [o for o in self.outcomes if o.rank != 1]

    def _mean(self, values: Iterable[float]) -> float:
        values = list(values)
        return sum(values) / len(values) if values else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "hit_at_1": round(self.hit_at_1, 4),
            "mrr": round(self.mrr, 4),
            "queries": len(self.outcomes),
            "cases": [
                {"query": o.case.query, "expect": o.case.expect, "rank": o.rank, "first": o.first}
                for o in self.outcomes
            ],
        }


def load_cases(path: str | PathLike[str]) -> EvalSet:
    """The set in ``path``; issue paths in it are relative to the repository root."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    issues = tuple(IssueFile(ROOT_DIR / item["path"], date.fromisoformat(item["date"])) for item in data["issues"])
    cases = tuple(Case(item["query"], item["expect"]) for item in data["cases"])
    return EvalSet(issues=issues, today=date.fromisoformat(data["today"]), cases=cases)


def ingest_set(
    eval_set: EvalSet, data_dir: str | PathLike[str], words: WordLists, max_bytes: int, parser: PageParser
) -> set[str]:
    """Build the set's archive and index in ``data_dir``; return every title ingested (``IssueError`` on a bad file).

    An expected title that is not among the returned ones is a typo in the set, not a miss of the search.
    """
    store = Store(data_dir, words)
    titles: set[str] = set()
    for issue_file in eval_set.issues:
        data = issue_file.path.read_bytes()
        issue = load_issue(data, issue_file.date, source=issue_file.path, max_bytes=max_bytes, parser=parser)
        store.ingest(issue, data)
        titles.update(article.title for article in issue.articles)
    return titles


def open_search(data_dir: str | PathLike[str], words: WordLists) -> Search:
    return Search(Store(data_dir, words).index_dir, QueryAnalyzer(words))


def evaluate(search: Search, cases: Iterable[Case], today: date) -> Report:
    """Rank each case's question as the bot would and find its expected article among the results."""
    outcomes = []
    for case in cases:
        titles = [_title(search, ranked.id) for ranked in search.find(search.questions.analyze(case.query, today))]
        rank = titles.index(case.expect) + 1 if case.expect in titles else None
        outcomes.append(Outcome(case=case, rank=rank, first=titles[0] if titles else None))
    return Report(outcomes=tuple(outcomes))


def _title(search: Search, article_id: str) -> str | None:
    article = search.article(article_id)
    return article.title if article else None


def format_report(report: Report) -> str:
    """One line per question (rank, question, expected title, and what came first when it was not that), then totals."""
    rows = [("rank", "query", "expected")]
    for outcome in report.outcomes:
        expected = outcome.case.expect
        if outcome.rank != 1:
            expected += f"  (first: {outcome.first or '-'})"
        rows.append((str(outcome.rank or "-"), outcome.case.query, expected))
    widths = [max(_width(row[column]) for row in rows) for column in range(2)]
    lines = [
        f"{_pad(rank, widths[0], right=True)}  {_pad(query, widths[1])}  {expected}".rstrip()
        for rank, query, expected in rows
    ]
    lines.append(f"hit@1 = {report.hit_at_1:.2f}  MRR = {report.mrr:.2f}  ({len(report.outcomes)} queries)")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Terminal columns of ``text``: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    padding = " " * (width - _width(text))
    return padding + text if right else text + padding
