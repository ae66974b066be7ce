"""The index generation a worker answers from is looked up at most every ``GENERATION_CHECK_INTERVAL`` seconds: a
new issue reaches residents within that time, and the command line is not affected."""

import pytest

from bot.generation import GenerationWatch
from tests.conftest import ROOT
from tests.helpers import SAMPLE_ISSUE, ingest_file
from tests.wechat import ACCOUNT_SETTINGS, Phone

NEW_ISSUE = ROOT / "tests" / "issues" / "2026-05-11-photos.txt"
NEW_STORY = "高新区举办2026年春季招聘会"


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_generation_is_looked_up_once_per_interval():
    looks, clock = [], Clock()
    watch = GenerationWatch(lambda: looks.append(1) or f"gen{len(looks)}", interval=0.25, clock=clock)
    assert [watch(), watch(), watch()] == ["gen1"] * 3
    clock.now += 0.2
    assert watch() == "gen1"
    clock.now += 0.05
    assert watch() == "gen2" and len(looks) == 2


def test_with_no_interval_every_question_looks():
    looks = []
    watch = GenerationWatch(lambda: looks.append(1) or len(looks), interval=0)
    assert [watch(), watch(), watch()] == [1, 2, 3]


@pytest.fixture
def settings():
    return {**ACCOUNT_SETTINGS, "GENERATION_CHECK_INTERVAL": 30}


@pytest.fixture
def issues():
    return [SAMPLE_ISSUE]


def test_a_new_issue_reaches_residents_within_the_interval(app, client):
    clock = Clock()
    app.extensions["wechat"].dialogue.generation.clock = clock
    phone = Phone(client)
    assert NEW_STORY not in phone.say("春季招聘会")
    ingest_file(app, NEW_ISSUE, "2026-05-12")
    clock.now += 29
    assert NEW_STORY not in phone.say("春季招聘会")  # the generation seen 29 s ago, and its cached answer
    clock.now += 1
    assert NEW_STORY in phone.say("春季招聘会")


def test_the_command_line_sees_an_ingest_at_once(runner):
    assert NEW_STORY not in runner.invoke(args=["ask", "春季招聘会"]).output
    assert runner.invoke(args=["ingest", str(NEW_ISSUE), "--date", "2026-05-12"]).exit_code == 0
    assert NEW_STORY in runner.invoke(args=["ask", "春季招聘会"]).output
