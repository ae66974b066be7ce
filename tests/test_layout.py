"""Paragraphs and the repair of lines the printed page broke."""

from pathlib import Path

import pytest

from index.layout import Paragraph, paragraphs

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "issues" / "2026-04-28.txt"


@pytest.fixture(scope="module")
def sample():
    return paragraphs(SAMPLE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "before, after",
    [
        ("改革成", "果"),
        ("提升养老机构服", "务质量"),
        ("省市重", "点项目"),
        ("充分展现", "了辖区群众"),
        ("要结合高新区发展实际,", "干什么学什么"),
        ("现场调度区直相关部门", "解决问题"),
        ("紧紧围绕", "年度经济发展目标"),
        ("会议传达学习习近平总书记《求是》杂志发表的重要文章", "《推动全民阅读,建设书香社会》,指出"),
    ],
)
def test_sample_broken_lines_are_joined(sample, before, after):
    assert any(before + after in p.text for p in sample)
    assert not any(p.text.endswith(before) for p in sample)


@pytest.mark.parametrize(
    "line",
    [
        "高新区党政联席会议召开",
        "树立和践行正确政绩观",
        "高新区党工委理论学习中心组举行树立和践行正确政绩观学习教育集体学习研讨",
        "高新区领导调研督导重点项目建设工作",
        "高新区召开领导班子会议",
        "本报记者 马雅宁 摄",
        "高新区举行太极拳健身交流赛",
        "扫一扫",
        "关注我们",
        "高新区头条",
        "微信公众号",
    ],
)
def test_sample_headlines_credits_and_footer_stand_alone(sample, line):
    assert line in [p.text for p in sample]


def test_sample_paragraphs_start_on_their_source_lines(sample):
    assert len(sample) == 26
    assert sample[0] == Paragraph("高新区党政联席会议召开", 3)
    assert [p.line for p in sample if p.text.startswith(("会议传达学习", "会议研究养老", "会议强调,要保底线"))] == [
        17,
        23,
        45,
    ]


def test_indentation_and_spaces_are_stripped_and_blank_lines_dropped():
    text = "\u3000\u3000第一段。 \n\n  \n\t\u3000\u3000第二段。\n"
    assert paragraphs(text) == [Paragraph("第一段。", 1), Paragraph("第二段。", 4)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # A line cut before a comma, a closing quote or a bound particle continues whatever the lengths.
        ("大家以拳会友\n\n，切磋交流。", ["大家以拳会友，切磋交流。"]),
        ("他说“要早建成\n\n”。", ["他说“要早建成”。"]),
        ("比赛展现\n\n了精神风貌。", ["比赛展现了精神风貌。"]),
        # ...but 了解 opens sentences, so a short line before it may be a subhead.
        ("一、基本情况\n\n了解到，全年共实施项目56个。", ["一、基本情况", "了解到，全年共实施项目56个。"]),
        # An ASCII word cut in two.
        ("推进Wi\n\nfi全覆盖。", ["推进Wifi全覆盖。"]),
        # Finished paragraphs are never joined, nor are a headline, its kicker and a lead.
        ("第一段。\n\n第二段。", ["第一段。", "第二段。"]),
        (
            "凝心聚力抓项目\n\n高新区观摩重点项目\n\n本报讯(记者付凯明)5月9日,观摩活动举行。",
            ["凝心聚力抓项目", "高新区观摩重点项目", "本报讯(记者付凯明)5月9日,观摩活动举行。"],
        ),
        # A lead cut short continues; a lead is never glued onto the line before it.
        (
            "本报讯(记者付凯明)5月9日,高新区\n(示范区)组织观摩活动。",
            ["本报讯(记者付凯明)5月9日,高新区(示范区)组织观摩活动。"],
        ),
        (
            "这一段没有句号但是很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长\n\n本报讯(记者付凯明)正文。",
            [
                "这一段没有句号但是很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长",
                "本报讯(记者付凯明)正文。",
            ],
        ),
        # A body line cut short before a headline that stands above the next story stays apart from it.
        (
            "会议强调,要保底线、保安全,推动经济高质量发展\n\n高新区召开领导班子会议\n\n本报讯(记者付凯明)4月20日,会议召开。",
            [
                "会议强调,要保底线、保安全,推动经济高质量发展",
                "高新区召开领导班子会议",
                "本报讯(记者付凯明)4月20日,会议召开。",
            ],
        ),
        # A caption broken in two is one caption: the credit below it does not make its first piece a headline.
        (
            "5月6日,工人在生产线上加紧赶制订单。今年以来,该公司\n\n全力抢抓生产进度。\n\n本报记者 马雅宁 摄",
            ["5月6日,工人在生产线上加紧赶制订单。今年以来,该公司全力抢抓生产进度。", "本报记者 马雅宁 摄"],
        ),
        # Nothing is glued onto a credit or the footer.
        (
            "图为比赛现场\n\n本报记者 马雅宁 摄\n\n扫一扫\n关注我们",
            ["图为比赛现场", "本报记者 马雅宁 摄", "扫一扫", "关注我们"],
        ),
    ],
)
def test_repair_rules(text, expected):
    assert [p.text for p in paragraphs(text)] == expected


def test_hard_wrapped_text_is_rejoined_at_the_column_width():
    paragraph = (
        "据悉本次比赛主要交流太极拳集体项目吸引了全区乡镇七支代表队参赛"
        "大家以拳会友切磋交流充分展现辖区群众积极向上的精神风貌。"
    )
    wrapped = "\n".join(paragraph[i : i + 20] for i in range(0, len(paragraph), 20))
    text = f"高新区举行太极拳交流赛\n\n本报讯(记者付凯明)4月21日,交流赛举行。\n\n{wrapped}\n\n{wrapped}"
    assert [p.text for p in paragraphs(text)][2:] == [paragraph, paragraph]
