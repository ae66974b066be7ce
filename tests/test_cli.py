"""The editors' CLI end to end over a temporary data dir, including every kind of bad input."""

import json
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from bench.servers import free_port, stop_process
from bot import replies
from bot.data import get_state, get_store
from tests.conftest import ROOT, SAMPLE, SAMPLE_DATE
from tests.helpers import SAMPLE_ISSUE, issue_json, make_issue


def ingest(runner, path, *args):
    return runner.invoke(args=["ingest", str(path), *args])


def snapshot(app):
    """What an editor could lose: archived dates and every indexed id, plus the generation."""
    store = get_store(app)
    try:
        generation = store.index_dir.generation()
        with store.index_dir.open().searcher() as searcher:
            ids = sorted(f["id"] for f in searcher.all_stored_fields())
    except Exception:
        generation, ids = None, []
    return store.archive.dates(), ids, generation


def test_dry_run_json_prints_the_six_articles_and_writes_nothing(runner, app):
    result = ingest(runner, SAMPLE, "--date", SAMPLE_DATE, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    articles = json.loads(result.output)
    assert [a["title"] for a in articles] == [
        "高新区党工委理论学习中心组举行树立和践行正确政绩观学习教育集体学习研讨",
        "高新区党政联席会议召开",
        "高新区领导调研督导重点项目建设工作",
        "高新区召开领导班子会议",
        "焦作亿腾科技有限公司现代化生产线高效运转",
        "高新区举行太极拳健身交流赛",
    ]
    keys = {"id", "title", "subtitle", "kind", "reporters", "correspondents", "photographer", "event_date", "body"}
    assert all(keys <= set(a) for a in articles)
    assert [a["kind"] for a in articles] == ["story"] * 4 + ["photo", "story"]
    assert snapshot(app) == ([], [], None)


def test_ingest_then_list_reindex_and_remove(runner, app):
    result = ingest(runner, SAMPLE, "--date", SAMPLE_DATE, "--name", "第1期")
    assert result.exit_code == 0, result.output
    assert "Ingested: 6 articles" in result.output

    result = runner.invoke(args=["issues"])
    assert result.output.split() == ["2026-04-28", "6", "articles", "第1期"]

    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0 and "Reindexed 6 articles from 1 issues." in result.output

    result = ingest(runner, SAMPLE, "--date", SAMPLE_DATE)
    assert result.exit_code == 0
    assert len(snapshot(app)[1]) == 6

    result = runner.invoke(args=["remove", SAMPLE_DATE])
    assert result.exit_code == 0 and "Removed the issue of 2026-04-28 (6 articles)." in result.output
    assert snapshot(app)[:2] == ([], [])
    assert runner.invoke(args=["issues"]).output.strip() == "The archive is empty."


def test_ingest_accepts_an_editors_json_file(runner, app, tmp_path):
    path = tmp_path / "clean.json"
    path.write_bytes(issue_json(make_issue("2026-05-01", ["养老服务新政策", "山阳路大桥通车"])))
    result = ingest(runner, path, "--date", "2026-05-01", "--json")
    assert result.exit_code == 0, result.output
    assert [a["id"] for a in json.loads(result.output)] == ["2026-05-01-01", "2026-05-01-02"]
    assert snapshot(app)[0] == [date(2026, 5, 1)]


def test_seed_ingests_the_sample_only_into_an_empty_archive(runner, app, tmp_path):
    result = runner.invoke(args=["seed", str(SAMPLE.parent)])
    assert result.exit_code == 0 and "Seeded 6 articles" in result.output
    result = runner.invoke(args=["seed", str(SAMPLE.parent)])
    assert "nothing seeded" in result.output
    assert len(snapshot(app)[1]) == 6


BAD_FILES = {
    "empty.txt": b"",
    "blank.txt": b"  \r\n\r\n\t\n",
    "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20,
    "undecodable.txt": "高新区新闻\n第二行\n".encode() + b"\xff\xfe\xfd\x80\x81\n",
    "no-articles.txt": "扫一扫\n关注我们\n\n高新区头条\n微信公众号\n".encode(),
    "shape.json": b'{"title": "not a list"}',
    "fields.json": json.dumps([{"title": "", "body": "x"}]).encode(),
    "broken.json": b'[{"title": "a",\n "body": }]',
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_exit_2_with_one_line_naming_the_file_and_change_nothing(runner, app, tmp_path, name):
    assert ingest(runner, SAMPLE, "--date", SAMPLE_DATE).exit_code == 0
    before = snapshot(app)
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    result = ingest(runner, path, "--date", "2026-05-01")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and name in lines[0], result.output
    assert snapshot(app) == before


def test_errors_name_the_line_where_it_applies(runner, tmp_path):
    path = tmp_path / "broken.json"
    path.write_bytes(BAD_FILES["broken.json"])
    assert f"{path}:2:" in ingest(runner, path, "--date", "2026-05-01").output


def test_a_file_over_the_size_limit_is_refused(runner, app, tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(SAMPLE.read_bytes() * (5 * 1024 * 1024 // len(SAMPLE.read_bytes()) + 1))
    result = ingest(runner, path, "--date", "2026-05-01")
    assert result.exit_code == 2 and "limit" in result.output and "huge.txt" in result.output
    assert snapshot(app) == ([], [], None)


@pytest.mark.parametrize("bad_date", ["2026-13-01", "yesterday", "2026/04/28", "20260428", ""])
def test_an_invalid_date_is_refused(runner, app, bad_date):
    result = ingest(runner, SAMPLE, "--date", bad_date)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "YYYY-MM-DD" in result.output
    assert snapshot(app) == ([], [], None)


def test_a_missing_file_and_an_unknown_issue_are_refused(runner, tmp_path):
    result = ingest(runner, tmp_path / "nope.txt", "--date", SAMPLE_DATE)
    assert result.exit_code == 2 and "nope.txt" in result.output
    result = runner.invoke(args=["remove", "2026-01-01"])
    assert result.exit_code == 2 and "no archived issue dated 2026-01-01" in result.output


BIN = Path(sys.executable).parent


def test_the_bulletin_console_script_runs_outside_the_venv_with_only_the_editors_commands(tmp_path):
    """``make run`` and ``make test`` install ``bulletin`` into .venv/bin; it works from anywhere, no venv active."""
    script = BIN / "bulletin"
    env = {"PATH": "/usr/bin:/bin", "BULLETIN_DATA_DIR": str(tmp_path / "var"), "HOME": str(tmp_path)}
    shown = subprocess.run([str(script), "--help"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    commands = shown.stdout.split("Commands:")[1].split()
    for command in ("ingest", "show", "correct", "reparse", "issues", "remove", "reindex", "seed", "ask", "evaluate"):
        assert command in commands
    assert "run" not in commands and "shell" not in commands and "--app" not in shown.stdout
    listed = subprocess.run([str(script), "issues"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0 and "The archive is empty." in listed.stdout, listed.stderr
    # No REDIS_URL, no WECHAT_TOKEN, no index: none of it concerns listing the archive.
    assert listed.stderr == ""


@pytest.mark.slow
def test_make_runs_steps_warn_only_where_it_serves(tmp_path):
    """``make run`` seeds with ``bulletin seed``, then serves with ``flask run``: the seeding says what it seeded and
    nothing of an index it is about to build; the server warns about what its settings leave out."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "BULLETIN_DATA_DIR": str(tmp_path / "var"), "SIMULATOR": "1"}
    seeded = subprocess.run(
        [str(BIN / "bulletin"), "seed", str(SAMPLE.parent)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert seeded.returncode == 0 and "Seeded 6 articles" in seeded.stdout
    assert seeded.stderr == ""

    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "flask"), "--app", "bot", "run", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("flask run did not start")
    finally:
        stop_process(server)
    warnings = server.stderr.read()
    server.stderr.close()
    assert "WECHAT_TOKEN is not set" in warnings and "REDIS_URL is not set" in warnings
    assert "the chat simulator is on" in warnings
    assert "no index yet" not in warnings


# -- ask: the webhook's dialogue at the shell -----------------------------------------------------------------------


def ask(runner, *args, **kwargs):
    result = runner.invoke(args=["ask", *args], **kwargs)
    assert result.exit_code == 0, result.output
    return result.output.removesuffix("\n")


@pytest.mark.parametrize("issues", [[SAMPLE_ISSUE]])
def test_ask_answers_commands_as_wechat_does(runner):
    assert ask(runner, "帮助") == replies.help_reply()
    latest = ask(runner, "最新")
    assert latest.startswith("高新区头条 2026年04月28日 本期要闻：\n1. ") and latest.endswith("回复序号看全文")
    assert "高新区举行太极拳健身交流赛\n2026年04月28日" in ask(runner, "6")


@pytest.mark.parametrize("issues", [[SAMPLE_ISSUE]])
def test_ask_remembers_each_users_list(runner):
    assert ask(runner, "高新区", "--user", "me").startswith("1. ")
    assert ask(runner, "太极拳", "--user", "other").startswith("1. 高新区举行太极拳健身交流赛")
    assert ask(runner, "更多", "--user", "me").startswith("4. ")
    assert "许锦" in ask(runner, "1", "--user", "other")
    assert ask(runner, "1") == replies.no_previous_results_reply()  # the default user asked nothing yet


@pytest.mark.parametrize("issues", [[SAMPLE_ISSUE]])
@pytest.mark.parametrize("settings", [{"PUBLIC_BASE_URL": "https://bot.example.cn"}])
def test_ask_shows_a_card_as_title_description_and_link(runner):
    ask(runner, "太极拳")
    assert ask(runner, "1").split("\n") == [
        "高新区举行太极拳健身交流赛",
        "4月21日,高新区举行“共享太极 共享健康”太极拳健身交流赛…",
        "https://bot.example.cn/articles/2026-04-28-06",
    ]
    shown = json.loads(ask(runner, "1", "--json"))
    assert shown["command"] == "pick" and shown["card"]["url"] == "https://bot.example.cn/articles/2026-04-28-06"


@pytest.mark.parametrize("issues", [[SAMPLE_ISSUE]])
def test_ask_json_shows_a_questions_analysis_and_a_commands_name(runner):
    question = json.loads(ask(runner, "太极拳什么时候比赛", "--json", "--today", "2026-04-30"))
    assert question["terms"] and question["hits"][0]["score"] > 0
    assert question["reply"].startswith("1. 高新区举行太极拳健身交流赛")
    assert json.loads(ask(runner, "最新", "--json")) == {
        "query": "最新",
        "command": "latest",
        "reply": ask(runner, "最新"),
    }


@pytest.mark.parametrize("issues", [[SAMPLE_ISSUE]])
def test_ask_reads_messages_a_line_and_keeps_the_list_between_them(runner):
    lines = ask(runner, "-", "--user", "stdin", input="太极拳\n1\n更多\n").split("\n")
    shown = [json.loads(line) for line in lines]
    assert len(shown) == 3 and shown[0].startswith("1. ") and "许锦" in shown[1]
    assert shown[2] == replies.no_more_results_reply()


@pytest.mark.parametrize("issues", [[SAMPLE_ISSUE]])
def test_an_editors_questions_are_not_counted_as_residents(app, runner):
    ask(runner, "太极拳")
    ask(runner, "春季招聘会")
    report = get_state(app).stats.report()
    assert report["top_queries"] == [] and report["unanswered_queries"] == []


@pytest.mark.slow
def test_separate_ask_commands_share_the_list_without_redis(tmp_path):
    """Each ``bulletin ask`` is its own process: without Redis the list lives in the data dir between them."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "BULLETIN_DATA_DIR": str(tmp_path / "var")}

    def bulletin(*args):
        done = subprocess.run(
            [str(BIN / "bulletin"), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0 and done.stderr == "", done.stderr
        return done.stdout

    bulletin("seed", str(SAMPLE.parent))
    assert bulletin("ask", "1") == replies.no_previous_results_reply() + "\n"
    assert bulletin("ask", "太极拳").startswith("1. 高新区举行太极拳健身交流赛")
    assert "许锦" in bulletin("ask", "1")
    assert bulletin("ask", "1", "--user", "someone-else") == replies.no_previous_results_reply() + "\n"
    assert (tmp_path / "var" / "cli-state.json").is_file()


# -- corrections ---------------------------------------------------------------------------------------------


def show(runner, *args):
    result = runner.invoke(args=["show", SAMPLE_DATE, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_ingest_applies_a_corrections_file_and_logs_it_from_the_cli(runner, app, tmp_path):
    corrections = tmp_path / "fixes.json"
    corrections.write_text(
        json.dumps([{"op": "drop", "article": 6}, {"op": "edit", "article": 1, "title": "理论学习中心组集体学习"}]),
        encoding="utf-8",
    )
    result = ingest(runner, SAMPLE, "--date", SAMPLE_DATE, "--corrections", str(corrections))
    assert result.exit_code == 0, result.output
    assert "Ingested: 5 articles" in result.output and "2 corrections applied" in result.output
    issue = json.loads(show(runner, "--json"))
    assert issue["articles"][0]["title"] == "理论学习中心组集体学习" and issue["count"] == 5
    assert [(entry["source"], entry["change"]["op"]) for entry in issue["log"]] == [("cli", "drop"), ("cli", "edit")]

    corrections.write_text('[{"op": "drop", "article": 60}]', encoding="utf-8")
    result = ingest(runner, SAMPLE, "--date", "2026-05-01", "--corrections", str(corrections))
    assert result.exit_code == 2 and "there is no article 60 (the issue has 6)" in result.output
    corrections.write_text("[{", encoding="utf-8")
    result = ingest(runner, SAMPLE, "--date", "2026-05-01", "--corrections", str(corrections))
    assert result.exit_code == 2 and "fixes.json: not a JSON list of corrections" in result.output
    assert snapshot(app)[0] == [date(2026, 4, 28)]


def test_correct_takes_every_number_as_show_lists_the_issue(runner, app):
    assert ingest(runner, SAMPLE, "--date", SAMPLE_DATE).exit_code == 0
    before = show(runner)
    assert "  1  story  树立和践行正确政绩观 | 高新区党工委" in before and "No corrections." in before
    args = ["correct", SAMPLE_DATE, "--set", "3", "title=领导调研重点项目", "--set", "3", "reporters=付凯明、王晓"]
    args += ["--set", "3", "event_date=", "--split", "2:3", "--merge", "3", "--drop", "6"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Corrected: the issue of 2026-04-28, 4 operations; now 5 articles." in result.output
    issue = json.loads(show(runner, "--json"))
    assert [a["title"] for a in issue["articles"]] == [
        "高新区党工委理论学习中心组举行树立和践行正确政绩观学习教育集体学习研讨",
        "高新区党政联席会议召开",
        "会议研究养老服务工作",
        "领导调研重点项目",
        "焦作亿腾科技有限公司现代化生产线高效运转",
    ]
    fourth = issue["articles"][3]
    assert fourth["reporters"] == ["付凯明", "王晓"] and fourth["event_date"] is None
    assert fourth["body"].count("\n") == 4  # article 3's three paragraphs and article 4's two
    log = show(runner).split("Log:")[1]
    assert "cli   edit article 3: title=领导调研重点项目, reporters=付凯明、王晓, event_date emptied" in log
    assert "split article 2 before paragraph 3" in log and "drop article 6" in log


def test_a_dry_run_correction_writes_nothing_and_bad_options_exit_2(runner, app):
    assert ingest(runner, SAMPLE, "--date", SAMPLE_DATE).exit_code == 0
    before = snapshot(app)
    result = runner.invoke(args=["correct", SAMPLE_DATE, "--drop", "1", "--dry-run"])
    assert result.exit_code == 0 and "Checked (dry run, nothing written)" in result.output
    for args, message in [
        (["--drop", "9"], "there is no article 9"),
        (["--drop", "2", "--merge", "1"], "article 2 is dropped"),
        (["--set", "1", "headline=x"], "FIELD one of title, kicker"),
        (["--set", "1", "title="], "must not be empty"),
        (["--set", "1", "kind=poem"], "must be one of story, photo, brief"),
        (["--split", "2"], "expected ARTICLE:PARAGRAPH"),
        ([], "nothing to correct"),
    ]:
        result = runner.invoke(args=["correct", SAMPLE_DATE, *args])
        assert result.exit_code == 2 and message in result.output, (args, result.output)
    result = runner.invoke(args=["correct", "2026-01-01", "--drop", "1"])
    assert result.exit_code == 2 and "no archived issue dated 2026-01-01" in result.output
    assert snapshot(app) == before


def test_reparse_skips_corrected_issues_unless_corrections_are_discarded(runner, app, tmp_path):
    assert ingest(runner, SAMPLE, "--date", SAMPLE_DATE).exit_code == 0
    path = tmp_path / "clean.json"
    path.write_bytes(issue_json(make_issue("2026-05-01", ["养老服务新政策"])))
    assert ingest(runner, path, "--date", "2026-05-01").exit_code == 0
    assert runner.invoke(args=["correct", SAMPLE_DATE, "--drop", "6"]).exit_code == 0

    result = runner.invoke(args=["reparse"])
    assert result.exit_code == 0, result.output
    assert "2026-04-28  skipped: 1 corrections in effect" in result.output
    assert "2026-05-01  unchanged: 1 articles" in result.output
    assert "Skipped 1 corrected issues (2026-04-28)" in result.output
    assert json.loads(show(runner, "--json"))["count"] == 5

    result = runner.invoke(args=["reparse", SAMPLE_DATE, "--discard-corrections"])
    assert result.exit_code == 0 and "2026-04-28  changed: 6 articles" in result.output
    issue = json.loads(show(runner, "--json"))
    assert issue["count"] == 6 and issue["corrections"] == 0
    assert issue["log"][-1]["change"] == {"op": "reparse", "discarded": 1}
    assert "re-parsed the source (1 corrections discarded)" in show(runner)

    result = runner.invoke(args=["reparse", "2026-01-01"])
    assert result.exit_code == 2 and "no archived issue dated 2026-01-01" in result.output
