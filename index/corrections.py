"""Editors' corrections of an issue, as data: edit an article's fields, split it, merge it with the next, drop it.

The parser is never perfect, so editors fix what it made, before publishing (the desk's preview) and after. A
correction is a small frozen dataclass whose JSON form goes through ``index.codec`` (``{"op": "split", "article": 2,
"paragraph": 3}``), and ``apply`` is the one pure function that carries them out, for the preview, for publishing
and for published issues alike, so what an editor saw is what gets published.

Numbers are 1-based. Operations apply in order, each to the result of those before it: an article number names the
article as it stands when its operation comes (the desk records operations as the editor works, so each names what
the editor saw at that moment). After every operation the articles are numbered again from 1, ids with them.

The archive keeps every applied operation in the issue's log (``LogEntry``: the operation, when, where from);
``Reparse`` marks a re-parse of the source, which starts the articles afresh.
"""

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from index import codec
from index.article import Article, Kind
from index.errors import Detail, IssueError
from index.parse_fields import event_date, title_from


class Source(StrEnum):
    """Where a correction came from."""

    DESK = "desk"
    API = "api"
    CLI = "cli"


@dataclass(frozen=True)
class Edit:
    """Set fields of article ``article``; a field left ``None`` keeps its value, one named in ``clear`` is emptied.

    The fields are the ``Article``'s own, by name and type (a test holds them alike). ``clear`` exists for fields
    whose empty value is not a string (``photographer``, ``event_date``, the name lists); an empty string empties
    a text field as well. A title and a kind can be changed, never emptied.
    """

    TAG: ClassVar[str] = "edit"
    article: int
    title: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    kind: Kind | None = None
    reporters: tuple[str, ...] | None = None
    correspondents: tuple[str, ...] | None = None
    photographer: str | None = None
    event_date: date | None = None
    clear: tuple[str, ...] = ()


@dataclass(frozen=True)
class Split:
    """Cut article ``article`` before its paragraph ``paragraph``: what follows becomes a new article after it.

    The new article gets a title made from its first paragraph (``parse_fields.title_from``, as the parser titles a
    brief), the same kind, the event date its first paragraph names, and no credits; the editor edits it from there.
    """

    TAG: ClassVar[str] = "split"
    article: int
    paragraph: int


@dataclass(frozen=True)
class Merge:
    """Append the article after ``article`` to it: its body follows, its headline and its date go; its credits are
    added to the first's (names not already there, the photographer if the first has none), and its photo too if
    the first has none."""

    TAG: ClassVar[str] = "merge"
    article: int


@dataclass(frozen=True)
class Drop:
    """Remove article ``article`` (page furniture the parser took for news, a duplicate)."""

    TAG: ClassVar[str] = "drop"
    article: int


Operation = Edit | Split | Merge | Drop
OPERATIONS: Mapping[str, type[Operation]] = {cls.TAG: cls for cls in (Edit, Split, Merge, Drop)}
#: The fields an ``Edit`` may set, in the order the desk shows them.
EDITABLE = tuple(field.name for field in dataclasses.fields(Edit) if field.name not in ("article", "clear"))
#: Fields that may be changed but never emptied.
REQUIRED = ("title", "kind")
CLEARABLE = tuple(name for name in EDITABLE if name not in REQUIRED)


@dataclass(frozen=True)
class Reparse:
    """The source was parsed again by ``bulletin reparse``; ``discarded`` corrections in effect before were let go."""

    TAG: ClassVar[str] = "reparse"
    discarded: int = 0


@dataclass(frozen=True)
class LogEntry:
    """One line of an issue's correction log: what was done, when (UTC, ISO 8601), and from where."""

    at: str
    source: Source
    change: Operation | Reparse


class CorrectionError(IssueError):
    """An operation that cannot apply (no such article, a split outside the article) or is malformed.

    ``details["number"]`` is the operation's place in its list, from 1.
    """


def utc_now() -> str:
    """The time a log entry records: now, UTC, to the second (``2026-05-12T08:30:00Z``)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def log_entries(operations: Sequence[Operation], source: Source, at: str) -> tuple[LogEntry, ...]:
    return tuple(LogEntry(at=at, source=source, change=operation) for operation in operations)


# -- JSON --------------------------------------------------------------------------------------------------------


def decode_operations(data: object) -> tuple[Operation, ...]:
    """Operations from their JSON list; ``CorrectionError`` names the operation and the key that is wrong.

    Unknown keys are refused, not ignored: ``{"op": "edit", "titel": ...}`` would otherwise change nothing quietly.
    """
    if not isinstance(data, list):
        raise CorrectionError("corrections must be a JSON list of operations", code="corrections_not_list")
    return tuple(_decode_operation(item, number) for number, item in enumerate(data, 1))


def _decode_operation(item: object, number: int) -> Operation:
    where = f"correction {number}"
    if not isinstance(item, dict):
        raise CorrectionError(
            f"{where}: expected an object", code="bad_correction", details=_shape(number, "", "object")
        )
    tag = item.get(codec.TAG_KEY)
    cls = OPERATIONS.get(tag) if isinstance(tag, str) else None
    if cls is None:
        options = tuple(OPERATIONS)
        raise CorrectionError(
            f"{where}: '{codec.TAG_KEY}' must be one of {', '.join(options)}",
            code="bad_correction",
            details=_shape(number, codec.TAG_KEY, "one_of", options),
        )
    known = {codec.TAG_KEY, *(field.name for field in dataclasses.fields(cls))}
    for key in item:
        if key not in known:
            raise CorrectionError(
                f"{where}: unknown key '{key}'", code="unknown_key", details={"number": number, "key": str(key)}
            )
    try:
        return codec.decode(cls, item)
    except codec.CodecError as error:
        raise CorrectionError(
            f"{where}: {error}",
            code="bad_correction",
            details=_shape(number, error.key, error.expected, error.options),
        ) from None


def _shape(number: int, key: str, expected: str, options: tuple[str, ...] = ()) -> dict[str, Detail]:
    return {"number": number, "key": key, "expected": expected, "options": ", ".join(options)}


# -- applying ----------------------------------------------------------------------------------------------------

#: What ``Edit.clear`` empties a field to: the article's own default for it.
_ARTICLE_DEFAULTS = {field.name: field.default for field in dataclasses.fields(Article)}
#: An article and the indexes of the articles it was made from (a split's halves share one, a merge joins two).
_Traced = tuple[Article, tuple[int, ...]]


def apply(articles: Sequence[Article], operations: Sequence[Operation]) -> tuple[Article, ...]:
    """The articles after ``operations``, numbered from 1; ``CorrectionError`` for an operation that cannot apply."""
    return apply_traced(articles, operations)[0]


def apply_traced(
    articles: Sequence[Article], operations: Sequence[Operation]
) -> tuple[tuple[Article, ...], tuple[tuple[int, ...], ...]]:
    """``apply``, and for each resulting article the indexes (from 0) of the given articles it was made from, so
    whatever stands beside the articles (the parser's readings) can follow them."""
    items: list[_Traced] = [(article, (n,)) for n, article in enumerate(articles)]
    for number, operation in enumerate(operations, 1):
        _check_article(operation.article, number, len(items))
        position = operation.article - 1
        if isinstance(operation, Edit):
            article, origin = items[position]
            items[position] = (replace(article, **_changes(operation, number)), origin)
        elif isinstance(operation, Split):
            items[position : position + 1] = _split(items[position], operation, number)
        elif isinstance(operation, Merge):
            if operation.article == len(items):
                raise CorrectionError(
                    f"correction {number}: article {operation.article} is the last; there is no next one to merge",
                    code="no_next_article",
                    details={"number": number, "article": operation.article},
                )
            items[position : position + 2] = [_merge(items[position], items[position + 1])]
        else:
            if len(items) == 1:
                raise CorrectionError(
                    f"correction {number}: an issue keeps at least one article",
                    code="last_article",
                    details={"number": number, "article": operation.article},
                )
            del items[position]
        items = [(article.renumbered(article.issue_date, n), origin) for n, (article, origin) in enumerate(items, 1)]
    return tuple(article for article, _ in items), tuple(origin for _, origin in items)


def _check_article(article: int, number: int, count: int) -> None:
    if not 1 <= article <= count:
        raise CorrectionError(
            f"correction {number}: there is no article {article} (the issue has {count})",
            code="no_such_article",
            details={"number": number, "article": article, "count": count},
        )


def _changes(edit: Edit, number: int) -> dict[str, Any]:
    """The fields ``edit`` sets, tidied and checked: text on one line, names non-empty, a title never empty."""
    changes: dict[str, Any] = {}
    for name in edit.clear:
        if name not in CLEARABLE:
            raise _edit_error(number, edit, name, "cannot be emptied", "not_clearable")
        if getattr(edit, name) is not None:
            raise _edit_error(number, edit, name, "is both set and emptied", "set_and_clear")
        changes[name] = _ARTICLE_DEFAULTS[name]
    for name in EDITABLE:
        value = getattr(edit, name)
        if value is None:
            continue
        if isinstance(value, str) and not isinstance(value, Kind):
            value = " ".join(value.split())
            if name == "title" and not value:
                raise _edit_error(number, edit, name, "must not be empty", "empty_title")
            if name == "photographer":
                value = value or None
        elif isinstance(value, tuple):
            value = tuple(" ".join(item.split()) for item in value)
            if not all(value):
                raise _edit_error(number, edit, name, "holds an empty name", "empty_name")
        changes[name] = value
    if not changes:
        raise CorrectionError(
            f"correction {number}: the edit of article {edit.article} changes nothing",
            code="empty_edit",
            details={"number": number, "article": edit.article},
        )
    return changes


def _edit_error(number: int, edit: Edit, name: str, problem: str, code: str) -> CorrectionError:
    return CorrectionError(
        f"correction {number}: '{name}' of article {edit.article} {problem}",
        code=code,
        details={"number": number, "article": edit.article, "key": name},
    )


def _split(item: _Traced, split: Split, number: int) -> list[_Traced]:
    article, origin = item
    paragraphs = article.paragraphs
    if not 2 <= split.paragraph <= len(paragraphs):
        raise CorrectionError(
            f"correction {number}: article {split.article} has {len(paragraphs)} paragraphs;"
            f" it can be split before paragraph 2 to {len(paragraphs)}",
            code="bad_split",
            details={
                "number": number,
                "article": split.article,
                "paragraph": split.paragraph,
                "paragraphs": len(paragraphs),
            },
        )
    head, tail = paragraphs[: split.paragraph - 1], paragraphs[split.paragraph - 1 :]
    second = Article(
        issue_date=article.issue_date,
        ordinal=article.ordinal + 1,
        title=title_from(tail[0]),
        body="\n".join(tail),
        kind=article.kind,
        event_date=event_date(tail[0], article.issue_date),
    )
    return [(replace(article, body="\n".join(head)), origin), (second, origin)]


def _merge(first: _Traced, second: _Traced) -> _Traced:
    a, b = first[0], second[0]
    merged = replace(
        a,
        body="\n".join(a.paragraphs + b.paragraphs),
        reporters=_union(a.reporters, b.reporters),
        correspondents=_union(a.correspondents, b.correspondents),
        photographer=a.photographer or b.photographer,
        photo=a.photo or b.photo,
    )
    return merged, first[1] + second[1]


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return first + tuple(name for name in second if name not in first)


def in_order(operations: Sequence[Operation]) -> tuple[Operation, ...]:
    """Operations whose numbers all name the articles as they were before any of them (as ``bulletin show`` lists
    them), put in the order that keeps those numbers true: edits first, then splits, merges and drops from the last
    article up (a merge before a split of the same article, so the split's paragraph number still counts from its
    start; later paragraphs first). ``CorrectionError`` when two of them contradict each other: a dropped article
    that is also edited, split or merged, an edited one merged into the one before it, an operation given twice.
    """
    dropped = {op.article for op in operations if isinstance(op, Drop)}
    absorbed = {op.article + 1 for op in operations if isinstance(op, Merge)}
    for number, op in enumerate(operations, 1):
        touched = {op.article, op.article + 1} if isinstance(op, Merge) else {op.article}
        clash = (touched & dropped) - ({op.article} if isinstance(op, Drop) else set())
        if isinstance(op, Edit):
            clash |= touched & absorbed
        elif op in operations[: number - 1]:  # the same split, merge or drop twice would hit the next article
            clash.add(op.article)
        if clash:
            raise CorrectionError(
                f"correction {number}: article {min(clash)} is dropped, merged away or"
                " corrected the same way by another",
                code="conflicting_corrections",
                details={"number": number, "article": min(clash)},
            )
    rank = {Merge: 0, Split: 1, Drop: 2}
    edits = sorted((op for op in operations if isinstance(op, Edit)), key=lambda op: op.article)
    structural = sorted(
        (op for op in operations if not isinstance(op, Edit)),
        key=lambda op: (-op.article, rank[type(op)], -op.paragraph if isinstance(op, Split) else 0),
    )
    return (*edits, *structural)


# -- saying what was done ----------------------------------------------------------------------------------------


def describe(change: Operation | Reparse) -> str:
    """One line of English for the CLI's log (the desk says the same in Chinese from the JSON)."""
    if isinstance(change, Edit):
        values = [f"{name}={_plain(getattr(change, name))}" for name in EDITABLE if getattr(change, name) is not None]
        values += [f"{name} emptied" for name in change.clear]
        return f"edit article {change.article}: {', '.join(values)}"
    if isinstance(change, Split):
        return f"split article {change.article} before paragraph {change.paragraph}"
    if isinstance(change, Merge):
        return f"merge article {change.article} with the next"
    if isinstance(change, Drop):
        return f"drop article {change.article}"
    return f"re-parsed the source ({change.discarded} corrections discarded)"


def _plain(value: object) -> str:
    return "、".join(value) if isinstance(value, tuple) else str(codec.encode(value))
