"""The editors' commands: ingest, show, correct, reparse, reindex, issues, remove, seed, ``ask`` to try a question and
``evaluate`` to measure the answers over a fixed set of questions; on a node of a cluster, ``follow`` (the node's
follower of the record) and ``record status``/``record push``.

Editors run them as ``bulletin COMMAND`` (the console script ``make run`` and ``make test`` install into
``.venv/bin``); ``python -m bot`` is the same group. The group holds only these commands, each run inside an app built
from the environment's settings; ``flask --app bot`` adds them beside Flask's own (``run``, ``shell``).

Each command is a thin shell over ``index.store.Store``, ``index.load`` and ``index.corrections`` (shared with the
admin API); ``ask`` over the webhook's ``Dialogue``, so it answers exactly as WeChat would. Exit status 2 means bad
input, with a one-line message naming the file and, where it applies, the line; 3 a conflict with another editor's
change (nothing written). Messages here stay in English, the
shell's language; the desk says the same in Chinese from each error's code.
"""

import functools
import json
import logging
import re
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from bot import replies
from bot.answers import answer_json, answer_question
from bot.data import answer_model, encoder, get_parser, get_search, get_store, word_lists
from bot.data import close as close_app
from bot.issuejson import issue_json
from bot.wechat import build_dialogue
from bot.wechat.budget import OverBudget
from bot.wechat.dialogue import Command, Dialogue, read_words
from bot.wechat.render import Reply
from config.settings import ROOT_DIR
from index import corrections, evaluation, fitting, parser_evaluation
from index.archive import Issue
from index.article import Article
from index.corrections import (
    CLEARABLE,
    EDITABLE,
    Operation,
    Source,
    decode_operations,
    in_order,
    utc_now,
)
from index.errors import Conflict, IssueError, RecordUnavailable, WriterBusy
from index.load import Upload, issue_date, read_upload, reread
from index.ranking import AnswerModel
from index.search import Search
from index.store import Reparsed

if TYPE_CHECKING:
    from index.replica import ReplicaStore

log = logging.getLogger("bot.cli")
SEED_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
#: Who ``ask`` speaks as without ``--user``: its numbers and "更多" refer to this user's last list.
CLI_USER = "bulletin-cli"

T = TypeVar("T")


class InputError(click.ClickException):
    """Bad input from the editor: exit status 2 and a one-line message."""

    exit_code = 2


class ConflictError(click.ClickException):
    """Another editor changed the issue first (on this node or another): exit status 3, nothing written."""

    exit_code = 3


def parse_date(text: str, what: str = "--date") -> date:
    try:
        return issue_date(text)
    except ValueError:
        raise InputError(f"invalid {what} '{text}': expected a date as YYYY-MM-DD") from None


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read the file ({error.strerror})") from None


def read_issue(
    path: str | Path, issue_date: date, name: str | None = None, corrections: Sequence[Operation] = ()
) -> tuple[bytes, Upload]:
    """Read and parse an issue file, and apply ``corrections`` to it; return its bytes and the upload (the issue and
    its photos)."""
    path = Path(path)
    data = read_bytes(path)
    try:
        upload = read_upload(
            data,
            issue_date,
            source=path,
            name=name,
            max_bytes=current_app.config["MAX_ISSUE_BYTES"],
            parser=get_parser(),
        )
        return data, upload.corrected(corrections, Source.CLI, utc_now())
    except IssueError as error:
        raise InputError(str(error)) from None


def read_corrections(path: str) -> tuple[Operation, ...]:
    """The operations of a JSON file (a list, as the admin API takes them)."""
    try:
        data = json.loads(read_bytes(Path(path)).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: not a JSON list of corrections ({error})") from None
    try:
        return decode_operations(data)
    except IssueError as error:
        raise InputError(f"{path}: {error}") from None


def describe(article: Article) -> str:
    credit = article.byline or "-"
    when = article.event_date.isoformat() if article.event_date else "no date"
    title = " | ".join(part for part in (article.kicker, article.title, article.subtitle) if part)
    photo = f"; {article.photo}" if article.photo else ""
    return f"{article.ordinal:>3}  {article.kind:<5}  {title}  ({credit}; {when}{photo})"


def print_articles(articles: Iterable[Article], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([a.to_json() for a in articles], ensure_ascii=False, indent=2))
    else:
        for article in articles:
            click.echo(describe(article))


def writing(action: Callable[[], T]) -> T:
    """Run a store write: a busy lock or bad input is exit status 2, a conflict with another editor 3; a failing disk
    or a cluster's record out of reach a one-line error, status 1."""
    try:
        return action()
    except Conflict as error:
        raise ConflictError(f"conflict: {error}") from None
    except (IssueError, WriterBusy) as error:
        raise InputError(str(error)) from None
    except RecordUnavailable as error:
        raise click.ClickException(
            f"{error}; nothing was published (unless the connection broke as it was saved: look again in a minute)"
        ) from None
    except OSError as error:
        raise click.ClickException(
            f"cannot write to the data dir, nothing was changed: {error.strerror or error}"
        ) from None


@click.command("ingest")
@click.argument("path")
@click.option("--date", "date_text", required=True, help="Issue date, YYYY-MM-DD.")
@click.option("--name", default=None, help="Issue name (default: the file name).")
@click.option("--dry-run", is_flag=True, help="Parse and print; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the parsed articles as JSON.")
@click.option(
    "--corrections",
    "corrections_path",
    metavar="FILE.json",
    default=None,
    help="Apply these corrections (a JSON list of operations, as the admin API takes them) before publishing.",
)
@with_appcontext
def ingest_command(
    path: str, date_text: str, name: str | None, dry_run: bool, as_json: bool, corrections_path: str | None
) -> None:
    """Parse, archive and index one issue (a page PDF, raw page text, or a JSON list of articles)."""
    issue_date = parse_date(date_text)
    corrections = read_corrections(corrections_path) if corrections_path else ()
    store = get_store()
    replaces = store.version_of(issue_date)  # a change of that date by someone else while this parses: a conflict
    data, upload = read_issue(path, issue_date, name, corrections)
    issue = upload.issue
    if not dry_run:
        writing(lambda: store.ingest(issue, data, upload.photos, expected=replaces))
    print_articles(issue.articles, as_json)
    if not as_json:
        verb = "Parsed (dry run, nothing written)" if dry_run else "Ingested"
        corrected = f", {len(corrections)} corrections applied" if corrections else ""
        click.echo(
            f"{verb}: {len(issue.articles)} articles from {path} as the issue of {issue_date.isoformat()}{corrected}."
        )


def print_log(issue: Issue) -> None:
    """The issue's correction log, oldest first; entries before the last re-parse are history, not in effect."""
    if not issue.log:
        click.echo("No corrections.")
        return
    click.echo("Log:")
    for entry in issue.log:
        click.echo(f"  {entry.at}  {entry.source:<4}  {corrections.describe(entry.change)}")


@click.command("show")
@click.argument("date_text", metavar="YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True, help="Print the issue, its articles and its log as JSON.")
@with_appcontext
def show_command(date_text: str, as_json: bool) -> None:
    """Show a published issue: its articles (numbered as `correct` takes them) and its correction log."""
    issue, version = writing(lambda: get_store().issue_version(parse_date(date_text, "date")))
    if as_json:
        click.echo(json.dumps(issue_json(issue, version), ensure_ascii=False, indent=2))
        return
    click.echo(f"{issue.date.isoformat()}  {issue.name}  ({issue.source_name or 'no file name'})")
    print_articles(issue.articles, as_json=False)
    print_log(issue)


def edit_of(article: int, assignment: str) -> tuple[str, object]:
    """``--set N FIELD=VALUE`` as a field and its JSON value: names split at 、 , ， or spaces; ``None`` for an
    empty value of a field that may be emptied."""
    name, equals, value = assignment.partition("=")
    name = name.strip()
    if not equals or name not in EDITABLE:
        raise InputError(f"--set {article} {assignment}: expected FIELD=VALUE with FIELD one of {', '.join(EDITABLE)}")
    if not value.strip() and name in CLEARABLE:
        return name, None
    if name in ("reporters", "correspondents"):
        return name, [part for part in NAME_SEPARATORS.split(value) if part]
    return name, value


NAME_SEPARATORS = re.compile(r"[、,，\s]+")


def correction_options(
    sets: Sequence[tuple[int, str]], splits: Sequence[str], merges: Sequence[int], drops: Sequence[int]
) -> tuple[Operation, ...]:
    """The command line's operations, every number as `show` lists the issue, in the order that keeps them true."""
    fields: dict[int, dict[str, object]] = {}
    for article, assignment in sets:
        name, value = edit_of(article, assignment)
        fields.setdefault(article, {})[name] = value
    items: list[dict[str, object]] = [
        {
            "op": "edit",
            "article": article,
            **{name: value for name, value in values.items() if value is not None},
            "clear": [name for name, value in values.items() if value is None],
        }
        for article, values in fields.items()
    ]
    for split in splits:
        number, colon, paragraph = split.partition(":")
        if not (colon and number.isdigit() and paragraph.isdigit()):
            raise InputError(f"--split {split}: expected ARTICLE:PARAGRAPH, as 2:3")
        items.append({"op": "split", "article": int(number), "paragraph": int(paragraph)})
    items += [{"op": "merge", "article": article} for article in merges]
    items += [{"op": "drop", "article": article} for article in drops]
    if not items:
        raise InputError("nothing to correct: give --set, --split, --merge or --drop")
    try:
        return in_order(decode_operations(items))
    except IssueError as error:
        raise InputError(str(error)) from None


@click.command("correct")
@click.argument("date_text", metavar="YYYY-MM-DD")
@click.option(
    "--set",
    "sets",
    type=(int, str),
    multiple=True,
    metavar="N FIELD=VALUE",
    help=f"Set a field of article N: {', '.join(EDITABLE)}. Names are separated by 、 or commas; dates are "
    "YYYY-MM-DD; kind is story, photo or brief; an empty value empties the field (not title or kind).",
)
@click.option("--split", "splits", multiple=True, metavar="N:K", help="Split article N before its paragraph K.")
@click.option("--merge", "merges", type=int, multiple=True, metavar="N", help="Merge article N with the next.")
@click.option("--drop", "drops", type=int, multiple=True, metavar="N", help="Drop article N.")
@click.option("--dry-run", is_flag=True, help="Print the corrected articles; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the corrected articles as JSON.")
@with_appcontext
def correct_command(
    date_text: str,
    sets: tuple[tuple[int, str], ...],
    splits: tuple[str, ...],
    merges: tuple[int, ...],
    drops: tuple[int, ...],
    dry_run: bool,
    as_json: bool,
) -> None:
    """Correct a published issue: every number is the article's as `bulletin show` lists it, whatever else the
    same command does (edits apply first, then splits, merges and drops from the last article up). Applied, logged
    and re-indexed together, or not at all.

    Example: bulletin correct 2026-05-12 --set 3 "title=新标题" --set 3 event_date= --split 2:3 --merge 4 --drop 6
    """
    day = parse_date(date_text, "date")
    operations = correction_options(sets, splits, merges, drops)
    issue, _ = writing(lambda: get_store().correct(day, operations, Source.CLI, dry_run=dry_run))
    print_articles(issue.articles, as_json)
    if not as_json:
        verb = "Checked (dry run, nothing written)" if dry_run else "Corrected"
        click.echo(
            f"{verb}: the issue of {day.isoformat()}, {len(operations)} operations; now {len(issue.articles)} articles."
        )


@click.command("reparse")
@click.argument("dates", nargs=-1, metavar="[YYYY-MM-DD ...]")
@click.option(
    "--discard-corrections",
    is_flag=True,
    help="Re-parse issues with corrections too, dropping the corrections (the log keeps them and says so).",
)
@with_appcontext
def reparse_command(dates: tuple[str, ...], discard_corrections: bool) -> None:
    """Parse archived sources again with the current parser (all issues, or those of DATES) and publish the result.

    Issues an editor corrected are skipped and listed, unless --discard-corrections. JSON sources are read as JSON.
    """
    store = get_store()
    days = [parse_date(text, "date") for text in dates] or store.archive.dates()
    max_bytes = current_app.config["MAX_ISSUE_BYTES"]
    parser = get_parser()
    skipped, failed = [], []
    for day in days:
        try:
            outcome, issue = writing(
                functools.partial(
                    store.reparse,
                    day,
                    lambda data, archived: reread(data, archived, max_bytes=max_bytes, parser=parser),
                    discard_corrections=discard_corrections,
                    source=Source.CLI,
                )
            )
        except InputError as error:
            failed.append(day)
            click.echo(f"{day.isoformat()}  failed: {error.message}")
            continue
        if outcome is Reparsed.SKIPPED:
            skipped.append(day)
            click.echo(f"{day.isoformat()}  skipped: {len(issue.corrections)} corrections in effect")
        else:
            click.echo(f"{day.isoformat()}  {outcome}: {len(issue.articles)} articles")
    if skipped:
        listed = " ".join(day.isoformat() for day in skipped)
        click.echo(f"Skipped {len(skipped)} corrected issues ({listed}); --discard-corrections re-parses them too.")
    if failed:
        raise InputError(f"{len(failed)} of {len(days)} issues could not be re-parsed; they are as they were.")


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the whole index from the archive and switch to it atomically."""
    store = get_store()
    total = len(store.archive.dates())
    with click.progressbar(length=total, label="Reindexing", file=sys.stderr) as bar:
        count = writing(lambda: store.reindex(progress=bar.update, procs=current_app.config["INDEX_PROCS"]))
    click.echo(f"Reindexed {count} articles from {total} issues.")


@click.command("issues")
@with_appcontext
def issues_command() -> None:
    """List archived issues: date, name, article count."""
    issues = get_store().issues()
    for issue in issues:
        click.echo(f"{issue.date.isoformat()}  {len(issue.articles):>3} articles  {issue.name}")
    if not issues:
        click.echo("The archive is empty.")


@click.command("remove")
@click.argument("date_text", metavar="YYYY-MM-DD")
@with_appcontext
def remove_command(date_text: str) -> None:
    """Drop an issue from the archive and the index."""
    issue = writing(lambda: get_store().remove(parse_date(date_text, "date")))
    click.echo(f"Removed the issue of {issue.date.isoformat()} ({len(issue.articles)} articles).")


@click.command("seed")
@click.argument("directory", default="data/issues")
@with_appcontext
def seed_command(directory: str) -> None:
    """Ingest every YYYY-MM-DD*.txt/.json file of DIRECTORY when the archive is empty (used by `make run`)."""
    store = get_store()
    writing(store.sync)
    if store.archive.dates():
        click.echo("The archive already holds issues; nothing seeded.")
        return
    for path in sorted(Path(directory).iterdir()):
        match = SEED_FILE.match(path.name)
        if not match or path.suffix.lower() not in (".txt", ".json"):
            continue
        issue_date = parse_date(match.group(1), f"date in {path.name}")
        data, upload = read_issue(path, issue_date)
        writing(functools.partial(store.ingest, upload.issue, data, upload.photos))
        click.echo(f"Seeded {len(upload.issue.articles)} articles from {path}.")


def shown(reply: Reply) -> str:
    """A reply as the shell shows it: its text, or a card's title, description and link, a line each."""
    if reply.kind == "news":
        return "\n".join([reply.title, reply.description, reply.url])
    return reply.text


def respond(dialogue: Dialogue, user: str, text: str) -> Reply:
    """What ``user`` gets for ``text``, the webhook's apology included when the search runs past its budget."""
    try:
        return dialogue.on_words(user, text)
    except OverBudget:
        return Reply.say(replies.timeout_reply())


def message_json(text: str, reply: Reply, today: date) -> dict[str, object]:
    """``--json``: a question's analysis, hits, scores and reply; a command's name and reply; a card as its parts."""
    words = read_words(text)
    if words.command is Command.QUESTION:
        shown_json = answer_json(answer_question(get_search(), text, today))
        shown_json["reply"] = shown(reply)
    else:
        shown_json = {"query": text, "command": words.command.value, "reply": shown(reply)}
    if reply.kind == "news":
        shown_json["card"] = {"title": reply.title, "description": reply.description, "url": reply.url}
    return shown_json


@click.command("ask")
@click.argument("message")
@click.option(
    "--user",
    default=CLI_USER,
    show_default=True,
    help="Who asks: a number or 更多 refers to this user's last list, also in a later command.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a question's terms, hits, scores and reply as JSON.")
@click.option("--today", "today_text", default=None, help="Answer as if today were YYYY-MM-DD (for dates).")
@with_appcontext
def ask_command(message: str, user: str, as_json: bool, today_text: str | None) -> None:
    """Send MESSAGE as a resident would in WeChat and print the reply: a question, 最新, 帮助, a number of the last
    list, 更多. With "-", one message per line of standard input, one line out each."""
    today = parse_date(today_text, "--today") if today_text else date.today()
    dialogue = build_dialogue(current_app, today=lambda: today, record_questions=False)
    messages = (line.rstrip("\n") for line in sys.stdin) if message == "-" else [message]
    try:
        for text in messages:
            reply = respond(dialogue, user, text)
            if as_json:
                click.echo(json.dumps(message_json(text, reply, today), ensure_ascii=False))
            elif message == "-":
                click.echo(json.dumps(shown(reply), ensure_ascii=False))
            else:
                click.echo(shown(reply))
    finally:
        dialogue.budget.close()


@click.command("evaluate")
@click.argument("cases", default=str(ROOT_DIR / "tests" / "eval" / "cases.json"))
@click.option("--json", "as_json", is_flag=True, help="Print the figures and every case's outcome as JSON.")
@with_appcontext
def evaluate_command(cases: str, as_json: bool) -> None:
    """Rank the questions of CASES (default: the sample set; the residents' set is tests/eval/residents.json) over
    its issues, indexed in a throwaway data dir; print every miss, then hit@1, MRR and the refusals for the whole
    set, each split and each tag."""
    eval_set = load_set(cases)
    model = answer_model(current_app.config)
    with (
        tempfile.TemporaryDirectory(prefix="bulletin-eval-") as data_dir,
        indexed_set(eval_set, cases, data_dir, model) as search,
    ):
        report = evaluation.evaluate(search, eval_set.cases, eval_set.today, eval_set.tags)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(evaluation.format_report(report))


def load_set(cases: str) -> evaluation.EvalSet:
    try:
        return evaluation.load_cases(cases)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"{cases}: not a readable evaluation set ({error})") from None


def indexed_set(eval_set: evaluation.EvalSet, cases: str, data_dir: str, model: AnswerModel) -> Search:
    """The set's issues indexed in ``data_dir`` (refused when an expected title names no article), and a search
    over them answering with ``model``."""
    config = current_app.config
    words = word_lists(config)
    try:
        titles = evaluation.ingest_set(
            eval_set, data_dir, words, config["MAX_ISSUE_BYTES"], get_parser(), encoder(config)
        )
    except OSError as error:
        raise InputError(f"{error.filename}: cannot read the file ({error.strerror})") from None
    except IssueError as error:
        raise InputError(str(error)) from None
    unknown = sorted({case.expect for case in eval_set.cases if case.expect is not None} - titles)
    if unknown:
        raise InputError(f"{cases}: no article of its issues is titled {'、'.join(unknown)}")
    return evaluation.open_search(data_dir, words, model, encoder(config))


@click.command("fit-answers")
@click.argument("cases", default=str(ROOT_DIR / "tests" / "eval" / "residents.json"))
@click.option("--output", default=None, help="Where to write the model (default: the ANSWER_MODEL setting's file).")
@with_appcontext
def fit_answers_command(cases: str, output: str | None) -> None:
    """Refit the answer model (how BM25F, the dense signal and coverage combine, and when to answer "nothing") on the
    tune split of CASES (default: the residents' set), write it, and print the tune figures it reaches."""
    eval_set = load_set(cases)
    tune = [case for case in eval_set.cases if case.split == "tune"]
    if not tune:
        raise InputError(f"{cases}: no question of the set is in the tune split")
    target = Path(output or current_app.config["ANSWER_MODEL"])
    with (
        tempfile.TemporaryDirectory(prefix="bulletin-fit-") as data_dir,
        indexed_set(eval_set, cases, data_dir, fitting.untrained()) as search,
    ):
        model = fitting.fit_on(search, tune, eval_set.today, source=Path(cases).name)
        search.model = model
        report = evaluation.evaluate(search, tune, eval_set.today, eval_set.tags)
        answers = fitting.answered(search, tune, eval_set.today)
    model.save(target)
    click.echo(f"Wrote {target}.")
    click.echo(f"tune: {evaluation.totals(report.figures)}")
    cut = fitting.doubtful_below(answers)
    wrong = [confidence for confidence, right in answers if not right]
    right = [confidence for confidence, right in answers if right]
    click.echo(
        f"DOUBTFUL_BELOW: {cut:.2f} would list {sum(c < cut for c in wrong)} of the {len(wrong)} wrong first stories "
        f"and {sum(c < cut for c in right)} of the {len(right)} right ones (now {current_app.config['DOUBTFUL_BELOW']})"
    )


@click.command("evaluate-parser")
@click.argument("corpus", default=str(ROOT_DIR / "tests" / "pages"))
@click.option("--variant", "variants", multiple=True, help="Only these texts (hand, viewer, pdftotext, ..., pdf).")
@click.option(
    "--misses",
    "misses_of",
    type=click.Choice(["tune", "holdout", "none"]),
    default="none",
    help="List every wrong field of the pages of this split (holdout: only when reporting, never to tune).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures and every miss as JSON.")
@with_appcontext
def evaluate_parser_command(corpus: str, variants: tuple[str, ...], misses_of: str, as_json: bool) -> None:
    """Parse every text of the page corpus at CORPUS and score it field by field against its gold, per split
    (tune, holdout) and per text (hand, viewer, pdftotext, pdftotext-layout, pdfminer); and each page's PDF (pdf:
    with the photos attached to their captions' articles) when CORPUS/pdf holds them (`make pdf-pages`)."""
    try:
        pages = parser_evaluation.load_corpus(Path(corpus))
    except (OSError, ValueError, KeyError) as error:
        raise InputError(f"{corpus}: not a readable page corpus ({error})") from None
    if not pages:
        raise InputError(f"{corpus}: no gold pages (gold/*.json) found")
    if parser_evaluation.PDF in variants and not any(page.pdf for page in pages):
        raise InputError(f"{corpus}: no page PDFs in {Path(corpus) / 'pdf'}; make them with `make pdf-pages`")
    parser = get_parser()
    report = parser_evaluation.evaluate(pages, parser.read, variants=variants or None, parse_pdf=parser.read_pdf)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(parser_evaluation.format_report(report, misses_of=None if misses_of == "none" else misses_of))


def record_store() -> "ReplicaStore":
    """The node's store, when ``RECORD_URL`` makes this data dir a node of a cluster; else exit status 2."""
    from index.replica import ReplicaStore

    store = get_store()
    if not isinstance(store, ReplicaStore):
        raise InputError("RECORD_URL is not set: this data dir is not a node of a cluster")
    return store


@click.command("follow")
@with_appcontext
def follow_command() -> None:
    """Apply every change published to the cluster's record to this node (its archive and index), as they come,
    until stopped (SIGTERM or Ctrl-C). One per node, beside the web server (deploy/Procfile.node)."""
    from index.follow import Follower

    store = record_store()
    stop = threading.Event()

    def stopping(signum: int, frame: object) -> None:
        if stop.is_set():  # asked twice: stop now; a write cut short leaves archive and index as they were
            raise SystemExit(1)
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stopping)
    log.info("following the record as node %s", current_app.config["NODE_NAME"])
    Follower(store, current_app.config["NODE_NAME"]).run(stop)


@click.group("record")
def record_group() -> None:
    """The cluster's record (RECORD_URL): where this node stands, or upload a single machine's archive."""


@record_group.command("status")
@with_appcontext
def record_status_command() -> None:
    """The record's head, this node's position, and the lag between them."""
    progress = writing(record_store().catch_up)
    click.echo(
        f"record {progress.record_id}: {progress.head} changes; this node holds {progress.position}"
        f" (lag {progress.lag})"
    )


@record_group.command("push")
@with_appcontext
def record_push_command() -> None:
    """Upload this data dir's archive into an empty record: a single machine becoming a cluster's first node."""
    count = writing(record_store().push)
    click.echo(f"Pushed {count} issues into the record; this node now follows it.")


EDITOR_COMMANDS = (
    ingest_command,
    show_command,
    correct_command,
    reparse_command,
    issues_command,
    remove_command,
    reindex_command,
    seed_command,
    ask_command,
    evaluate_command,
    fit_answers_command,
    evaluate_parser_command,
    follow_command,
    record_group,
)


@click.group(name="bulletin", help="高新区头条: the editors' commands (ingest issues, fix the index, try questions).")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Build the app from the environment's settings for the one command that follows, and close it after."""
    from bot import create_app

    app = create_app()
    ctx.with_resource(app.app_context())
    ctx.call_on_close(lambda: close_app(app))


for _command in EDITOR_COMMANDS:
    main.add_command(_command)


def init_app(app: Flask) -> None:
    for command in EDITOR_COMMANDS:
        app.cli.add_command(command)
