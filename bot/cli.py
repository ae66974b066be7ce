"""The editors' commands: ingest, reindex, issues, remove, seed, ``ask`` to try a question and ``evaluate`` to measure
the answers over a fixed set of questions.

Editors run them as ``bulletin COMMAND`` (the console script ``make run`` and ``make test`` install into
``.venv/bin``); ``python -m bot`` is the same group. The group holds only these commands, each run inside an app built
from the environment's settings; ``flask --app bot`` adds them beside Flask's own (``run``, ``shell``).

Each command is a thin shell over ``index.store.Store`` and ``index.load`` (shared with the admin API); exit
status 2 means bad input, with a one-line message naming the file and, where it applies, the line.
"""

import functools
import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TypeVar

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from bot.answers import Answer, answer_question
from bot.data import close as close_app
from bot.data import get_search, get_store, word_lists
from config.settings import ROOT_DIR
from index import evaluation
from index.archive import Issue
from index.article import Article
from index.errors import IssueError, WriterBusy
from index.load import issue_date, load_issue

SEED_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})")

T = TypeVar("T")


class InputError(click.ClickException):
    """Bad input from the editor: exit status 2 and a one-line message."""

    exit_code = 2


def parse_date(text: str, what: str = "--date") -> date:
    try:
        return issue_date(text)
    except ValueError:
        raise InputError(f"invalid {what} '{text}': expected a date as YYYY-MM-DD") from None


def read_issue(path: str | Path, issue_date: date, name: str | None = None) -> tuple[bytes, Issue]:
    """Read and parse an issue file; return its bytes and the issue."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read the file ({error.strerror})") from None
    try:
        issue = load_issue(data, issue_date, source=path, name=name, max_bytes=current_app.config["MAX_ISSUE_BYTES"])
    except IssueError as error:
        raise InputError(str(error)) from None
    return data, issue


def describe(article: Article) -> str:
    credit = article.byline or "-"
    when = article.event_date.isoformat() if article.event_date else "no date"
    title = f"{article.subtitle} | {article.title}" if article.subtitle else article.title
    return f"{article.ordinal:>3}  {article.kind:<5}  {title}  ({credit}; {when})"


def print_articles(articles: Iterable[Article], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([a.to_json() for a in articles], ensure_ascii=False, indent=2))
    else:
        for article in articles:
            click.echo(describe(article))


def writing(action: Callable[[], T]) -> T:
    """Run a store write: a busy lock or bad input is exit status 2; a failing disk a one-line error, status 1."""
    try:
        return action()
    except (IssueError, WriterBusy) as error:
        raise InputError(str(error)) from None
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
@with_appcontext
def ingest_command(path: str, date_text: str, name: str | None, dry_run: bool, as_json: bool) -> None:
    """Parse, archive and index one issue (raw page text, or a JSON list of articles)."""
    issue_date = parse_date(date_text)
    data, issue = read_issue(path, issue_date, name)
    if not dry_run:
        writing(lambda: get_store().ingest(issue, data))
    print_articles(issue.articles, as_json)
    if not as_json:
        verb = "Parsed (dry run, nothing written)" if dry_run else "Ingested"
        click.echo(f"{verb}: {len(issue.articles)} articles from {path} as the issue of {issue_date.isoformat()}.")


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
    if store.archive.dates():
        click.echo("The archive already holds issues; nothing seeded.")
        return
    for path in sorted(Path(directory).iterdir()):
        match = SEED_FILE.match(path.name)
        if not match or path.suffix.lower() not in (".txt", ".json"):
            continue
        issue_date = parse_date(match.group(1), f"date in {path.name}")
        data, issue = read_issue(path, issue_date)
        writing(functools.partial(store.ingest, issue, data))
        click.echo(f"Seeded {len(issue.articles)} articles from {path}.")


def answer_json(answer: Answer) -> dict[str, object]:
    return {
        "query": answer.parsed.text,
        "normalized": answer.parsed.normalized,
        "terms": list(answer.parsed.terms),
        "hits": [
            {
                "id": hit.article.id,
                "title": hit.article.title,
                "issue_date": hit.article.issue_date.isoformat(),
                "score": round(hit.score, 4),
                "snippet": hit.snippet,
            }
            for hit in answer.hits
        ],
        "reply": answer.reply,
    }


@click.command("ask")
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the analysis, hits and reply as JSON.")
@click.option("--today", "today_text", default=None, help="Answer as if today were YYYY-MM-DD (for dates).")
@with_appcontext
def ask_command(question: str, as_json: bool, today_text: str | None) -> None:
    """Answer QUESTION as the bot would; with "-", one question per line of standard input."""
    today = parse_date(today_text, "--today") if today_text else None
    search = get_search()
    questions = (line.rstrip("\n") for line in sys.stdin) if question == "-" else [question]
    for text in questions:
        answer = answer_question(search, text, today)
        if as_json:
            click.echo(json.dumps(answer_json(answer), ensure_ascii=False))
        elif question == "-":
            click.echo(json.dumps(answer.reply, ensure_ascii=False))
        else:
            click.echo(answer.reply)


@click.command("evaluate")
@click.argument("cases", default=str(ROOT_DIR / "tests" / "eval" / "cases.json"))
@click.option("--json", "as_json", is_flag=True, help="Print the figures and every case's outcome as JSON.")
@with_appcontext
def evaluate_command(cases: str, as_json: bool) -> None:
    """Rank the questions of CASES (default: the sample set; the residents' set is tests/eval/residents.json) over
    its issues, indexed in a throwaway data dir; print every miss, then hit@1, MRR and the refusals for the whole
    set, each split and each tag."""
    try:
        eval_set = evaluation.load_cases(cases)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"{cases}: not a readable evaluation set ({error})") from None
    words = word_lists(current_app.config)
    with tempfile.TemporaryDirectory(prefix="bulletin-eval-") as data_dir:
        try:
            titles = evaluation.ingest_set(eval_set, data_dir, words, current_app.config["MAX_ISSUE_BYTES"])
        except OSError as error:
            raise InputError(f"{error.filename}: cannot read the file ({error.strerror})") from None
        except IssueError as error:
            raise InputError(str(error)) from None
        unknown = sorted({case.expect for case in eval_set.cases if case.expect is not None} - titles)
        if unknown:
            raise InputError(f"{cases}: no article of its issues is titled {'、'.join(unknown)}")
        with evaluation.open_search(data_dir, words) as search:
            report = evaluation.evaluate(search, eval_set.cases, eval_set.today, eval_set.tags)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(evaluation.format_report(report))


EDITOR_COMMANDS = (
    ingest_command,
    issues_command,
    remove_command,
    reindex_command,
    seed_command,
    ask_command,
    evaluate_command,
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
