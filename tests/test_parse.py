"""The issue parser: the real sample field by field, issues of our own making, and the rules one at a time."""

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.assemble import Element
from index.credits import read_credit
from index.errors import IssueError
from index.numerals import with_arabic_dates
from index.parse import parse_issue
from index.parse_fields import event_date, title_from
from index.pieces import Piece
from index.reading import Label
from tests.helpers import PARSER

CONVENTIONS = PARSER.conventions

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "issues" / "2026-04-28.txt"
ISSUES = Path(__file__).resolve().parent / "issues"
SAMPLE_DATE = date(2026, 4, 28)


@pytest.fixture(scope="module")
def sample():
    return parse_issue(SAMPLE.read_bytes(), SAMPLE_DATE, PARSER)


def test_sample_has_six_articles_numbered_in_page_order(sample):
    assert [a.ordinal for a in sample] == [1, 2, 3, 4, 5, 6]
    assert [a.id for a in sample] == [f"2026-04-28-0{n}" for n in range(1, 7)]
    assert [a.kind for a in sample] == ["story"] * 4 + ["photo", "story"]
    assert all(a.issue_date == SAMPLE_DATE for a in sample)


SAMPLE_FIELDS = [
    dict(
        title="高新区党工委理论学习中心组举行树立和践行正确政绩观学习教育集体学习研讨",
        kicker="树立和践行正确政绩观",
        reporters=("付凯明",),
        correspondents=(),
        photographer=None,
        event_date=date(2026, 4, 25),
    ),
    dict(
        title="高新区党政联席会议召开",
        kicker="",
        reporters=("付凯明",),
        correspondents=(),
        photographer=None,
        event_date=date(2026, 4, 25),
    ),
    dict(
        title="高新区领导调研督导重点项目建设工作",
        kicker="",
        reporters=("付凯明",),
        correspondents=(),
        photographer=None,
        event_date=date(2026, 4, 20),
    ),
    dict(
        title="高新区召开领导班子会议",
        kicker="",
        reporters=("付凯明",),
        correspondents=(),
        photographer=None,
        event_date=date(2026, 4, 20),
    ),
    dict(
        title="焦作亿腾科技有限公司现代化生产线高效运转",
        kicker="",
        reporters=(),
        correspondents=(),
        photographer="马雅宁",
        event_date=date(2026, 4, 26),
    ),
    dict(
        title="高新区举行太极拳健身交流赛",
        kicker="",
        reporters=("付凯明",),
        correspondents=("许锦",),
        photographer=None,
        event_date=date(2026, 4, 21),
    ),
]


@pytest.mark.parametrize("ordinal, fields", list(enumerate(SAMPLE_FIELDS, 1)))
def test_sample_article_fields(sample, ordinal, fields):
    article = sample[ordinal - 1]
    assert {name: getattr(article, name) for name in fields} == fields


SAMPLE_BODIES = [
    ("根据高新区党工委关于开展树立和践行正确政绩观学习教育工作安排", "努力实现“十五五”开好局、起好步。", []),
    (
        "4月25日上午,高新区(示范区)党工委副书记",
        "以资本链带动产业链发展。",
        [
            "《推动全民阅读,建设书香社会》",
            "巩固“乡院区管”改革成果",
            "提升养老机构服务质量",
            "要结合高新区发展实际,干什么学什么",
        ],
    ),
    ("4月20日下午,高新区(示范区)", "让群众早日享受优质教育资源。", ["现场调度区直相关部门解决问题"]),
    ("4月20日上午,高新区(示范区)", "营造良好社会氛围。", ["省市重点项目", "紧紧围绕年度经济发展目标"]),
    ("4月26日,焦作亿腾科技有限公司现代化生产线高效运转。", "稳步推动高质量发展。", []),
    (
        "4月21日,高新区举行“共享太极 共享健康”太极拳健身交流赛。",
        "为群众体育事业高质量发展注入了新活力。",
        ["充分展现了辖区群众"],
    ),
]


@pytest.mark.parametrize("ordinal, start, end, inside", [(n, *body) for n, body in enumerate(SAMPLE_BODIES, 1)])
def test_sample_article_bodies(sample, ordinal, start, end, inside):
    body = sample[ordinal - 1].body
    assert body.startswith(start) and body.endswith(end)
    assert all(piece in body for piece in inside)
    assert "本报讯" not in body and "扫一扫" not in body and "\n\n" not in body


def test_sample_study_story_keeps_its_three_paragraphs_and_the_meeting_its_four(sample):
    assert len(sample[0].paragraphs) == 3
    assert len(sample[1].paragraphs) == 4
    assert sample[1].paragraphs[1].startswith("会议传达学习习近平总书记《求是》杂志发表的重要文章《推动全民阅读")


def _summary(article):
    return (
        article.kind,
        article.title,
        article.kicker,
        article.reporters,
        article.correspondents,
        article.photographer,
        article.event_date,
    )


OWN_ISSUES = {
    # A briefs column, full-width indentation, brackets and commas, two reporters and two correspondents, no footer.
    "2026-05-12-briefs.txt": [
        ("story", "高新区召开安全生产工作会议", "", ("付凯明", "马雅宁"), ("许锦", "王磊"), None, date(2026, 5, 8)),
        ("brief", "高新区开展消防安全应急演练", "", (), (), None, date(2026, 5, 9)),
        ("brief", "垃圾分类进社区", "", (), (), None, None),
        ("brief", "高新区今年将新增公共充电桩120个", "", (), (), None, None),
    ],
    # Two photos (credit on its own line and inside the caption), a story with no date, a headline after its body,
    # a kicker above its title, a footer worded differently.
    "2026-05-11-photos.txt": [
        ("story", "高新区举办2026年春季招聘会", "", ("马雅宁",), (), None, None),
        ("photo", "工人在生产线上加紧赶制订单", "", (), (), "马雅宁", date(2026, 5, 6)),
        ("photo", "高新区第一实验幼儿园的孩子们在老师带领下体验插秧", "", (), (), "许锦", date(2026, 5, 7)),
        ("story", "高新区召开优化营商环境工作推进会", "", ("付凯明",), (), None, date(2026, 5, 7)),
        ("story", "高新区重点项目建设现场观摩活动举行", "凝心聚力抓项目", ("付凯明",), (), None, date(2026, 5, 9)),
    ],
    # Running heads, subheads inside a story, a jump line, a story whose headline stands below it above a column,
    # briefs with their own headings, and a December date in a January issue.
    "2026-01-06-jump.txt": [
        ("story", "高新区召开2025年度工作总结会议", "", ("付凯明",), (), None, date(2025, 12, 30)),
        ("story", "高新区开展节后安全生产大检查", "", ("付凯明",), (), None, date(2026, 1, 4)),
        ("brief", "高新区新增3家省级专精特新企业", "", (), (), None, None),
        ("brief", "科技馆寒假开放", "", (), (), None, date(2026, 1, 10)),
    ],
}


@pytest.mark.parametrize("name", OWN_ISSUES)
def test_own_issue_articles(name):
    articles = parse_issue((ISSUES / name).read_bytes(), date.fromisoformat(name[:10]), PARSER)
    assert [_summary(a) for a in articles] == OWN_ISSUES[name]
    assert [a.ordinal for a in articles] == list(range(1, len(articles) + 1))


@pytest.mark.parametrize(
    "name, ordinal, start, end",
    [
        (
            "2026-05-12-briefs.txt",
            1,
            "5月8日下午，高新区召开安全生产工作会议",
            "坚决遏制各类事故发生。要加强应急值守，确保信息报送及时准确。",
        ),
        ("2026-05-12-briefs.txt", 3, "垃圾分类进社区：近日", "引导居民养成分类投放习惯。"),
        ("2026-05-11-photos.txt", 1, "近日,高新区在人才市场", "为求职者解答社保、档案等方面的问题。"),
        ("2026-05-11-photos.txt", 3, "5月7日,高新区第一实验幼儿园", "感受劳动的乐趣。"),
        ("2026-05-11-photos.txt", 4, "5月7日,高新区召开优化营商环境工作推进会", "营造更加优良的营商环境。"),
        (
            "2026-01-06-jump.txt",
            1,
            "12月30日，高新区召开2025年度工作总结会议",
            "认真学习习近平总书记《关于做好当前民生工作的重要指示》，切实解决群众急难愁盼问题。",
        ),
        ("2026-01-06-jump.txt", 3, "日前，经省工业和信息化厅认定", "中小企业名单。"),
    ],
)
def test_own_issue_bodies(name, ordinal, start, end):
    body = parse_issue((ISSUES / name).read_bytes(), date.fromisoformat(name[:10]), PARSER)[ordinal - 1].body
    assert body.startswith(start) and body.endswith(end)


def test_subheads_stay_in_the_story_and_furniture_goes():
    articles = parse_issue((ISSUES / "2026-01-06-jump.txt").read_bytes(), date(2026, 1, 6), PARSER)
    assert articles[0].paragraphs[1:4:2] == ["一、聚焦项目建设", "二、聚焦民生保障"]
    text = "\n".join(a.body + a.title for a in articles)
    assert all(piece not in text for piece in ("下转", "星期二", "扫一扫", "关注我们", "第1版"))


@pytest.mark.parametrize(
    "lead, reporters, correspondents, rest",
    [
        ("本报讯(记者付凯明)4月25日,", ("付凯明",), (), "4月25日,"),
        ("本报讯（记者 付凯明 马雅宁 通讯员 许锦、王磊）近日，", ("付凯明", "马雅宁"), ("许锦", "王磊"), "近日，"),
        ("本报讯(记者付凯明、马雅宁，通讯员许锦)会议", ("付凯明", "马雅宁"), ("许锦",), "会议"),
        ("本报讯（通讯员　许锦）", (), ("许锦",), ""),
        ("本报讯 4月1日,", (), (), "4月1日,"),
        ("澜江日报讯（记者罗静 通讯员贺子轩、邓帆）11月23日，", ("罗静",), ("贺子轩", "邓帆"), "11月23日，"),
        ("本报11月17日讯（记者 孔令仪）家里", ("孔令仪",), (), "家里"),
        ("淮泽晚报网11月18日讯(通讯员 关若岚 记者 蒋弋)11月18日", ("蒋弋",), ("关若岚",), "11月18日"),
    ],
)
def test_lead_bylines(lead, reporters, correspondents, rest):
    match = CONVENTIONS.lead.match(lead)
    credit = read_credit(match["byline"] or match["bare"] or "", CONVENTIONS)
    assert (credit.reporters, credit.correspondents, lead[match.end() :]) == (reporters, correspondents, rest)


@pytest.mark.parametrize(
    "line, photographer",
    [
        ("本报记者 马雅宁 摄", "马雅宁"),
        ("记者马雅宁摄", "马雅宁"),
        ("马雅宁/摄", "马雅宁"),
        ("(马雅宁 摄)", "马雅宁"),
        ("（许锦　摄）", "许锦"),
        ("摄影：许锦", "许锦"),
        ("记者 马雅宁 许锦 摄", "马雅宁、许锦"),
        ("(澜江日报全媒记者 孟航 通讯员 龚蕾 摄)", "孟航、龚蕾"),
        ("高新区举行太极拳健身交流赛", None),
        ("本报记者", None),
    ],
)
def test_photo_credits(line, photographer):
    is_credit = CONVENTIONS.credit.match(line) is not None and CONVENTIONS.photo_credit.search(line) is not None
    found = read_credit(line, CONVENTIONS, photo=True).photographer if is_credit else None
    assert found == photographer


@pytest.mark.parametrize(
    "line, credit",
    [
        ("鹊川晚报·鹊点记者 韩思远 董一凡", (("韩思远", "董一凡"), (), ())),
        ("澄州日报/观澜新闻记者 唐语溪 通讯员 葛小芸", (("唐语溪",), ("葛小芸",), ())),
        ("川岭日报全媒体记者 付雨晴 摄影报道", (("付雨晴",), (), ("付雨晴",))),
        ("□苟德芬 口述 川岭日报全媒体记者 冉冬阳 整理", (("冉冬阳",), (), ())),
        ("文/棠江晚报记者 冼嘉朗 通讯员 何婉晴 图/棠江晚报记者 梁颂恩", (("冼嘉朗",), ("何婉晴",), ("梁颂恩",))),
        ("□图/ 陆伯坚  文/陆嘉禾", (("陆嘉禾",), (), ("陆伯坚",))),
        ("记者 许嘉宁 摄影 陶知远", (("许嘉宁",), (), ("陶知远",))),
        ("摄影 记者 费 扬", ((), (), ("费扬",))),
    ],
)
def test_credits_after_the_papers_and_apps_names_and_told_to_bylines(line, credit):
    """The paper's and its app's names before the role word are no one's name; a narrator wrote nothing; a
    ``摄影报道`` credit names who wrote the story and took its picture; after 图/ or a photo word come who took the
    picture, whatever their title, and after 文/ the writers."""
    found = read_credit(line, CONVENTIONS)
    assert (found.reporters, found.correspondents, found.photographers) == credit


@pytest.mark.parametrize(
    "text, expected",
    [
        ("4月25日上午,会议召开。", date(2026, 4, 25)),
        ("根据安排,4月25日,高新区...", date(2026, 4, 25)),
        ("12月30日,总结会议召开。", date(2025, 12, 30)),
        ("2024年3月1日,项目开工。", date(2024, 3, 1)),
        ("2月30日无效,3月2日有效。", date(2026, 3, 2)),
        ("近日,高新区举办招聘会。", None),
        ("18日中午,居民们来到食堂。", date(2026, 4, 18)),
        ("“阿伯,扫一下。”25日傍晚,记者来到社区。", date(2026, 4, 25)),
        ("本报讯25日晚,夜校开课。", date(2026, 4, 25)),
        ("记者27日从区教育局获悉,新校区完工。", date(2026, 4, 27)),
        ("记者昨日从区教育局获悉,新校区完工。", date(2026, 4, 27)),
        ("今天上午,服务站开诊。", date(2026, 4, 28)),
        ("30日起,新规施行。", date(2026, 4, 30)),
        ("30日,高新区举行运动会。", date(2026, 3, 30)),
        ("近5日内,气温走低。", None),
        ("据今日头条报道,项目开工。", None),
        ("四月二十一日,市民在公园赏花。", date(2026, 4, 21)),
        ("十二月六日,改造完工。", date(2025, 12, 6)),
        ("三月份起,新规施行;3月5日,首批申请受理。", date(2026, 3, 5)),
    ],
)
def test_event_dates(text, expected):
    assert event_date(text, SAMPLE_DATE) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("十二月六日,", "12月6日,"),
        ("三月二十一日", "3月21日"),
        ("十一月十九号晚上", "11月19号晚上"),
        ("十月份", "10月份"),
        ("十三月一日", "十三月一日"),
        ("五月四十日", "五月四十日"),
        ("一月一次的例会", "一月一次的例会"),
        ("三十多个社区", "三十多个社区"),
    ],
)
def test_dates_in_chinese_numerals_read_as_digits(text, expected):
    assert with_arabic_dates(text) == expected


@pytest.mark.parametrize(
    "text, title",
    [
        (
            "4月26日,焦作亿腾科技有限公司现代化生产线高效运转。今年以来,该公司...",
            "焦作亿腾科技有限公司现代化生产线高效运转",
        ),
        ("图为比赛现场。", "比赛现场"),
        ("●5月9日上午，高新区开展消防演练，200人参加。", "高新区开展消防演练"),
        ("【垃圾分类】近日，高新区开展宣传。", "垃圾分类"),
        ("据悉,高新区将新增充电桩。", "高新区将新增充电桩"),
        ("5月6日,在一家企业,工人加紧赶制订单。", "工人加紧赶制订单"),
        ("高新区" + "很长的句子" * 10 + "。", "高新区" + ("很长的句子" * 10)[:36] + "…"),
    ],
)
def test_titles_made_from_text(text, title):
    assert title_from(text) == title


def test_headline_pairing_follows_content_not_position():
    text = (
        "高新区召开防汛工作会议\n\n"
        "本报讯(记者付凯明)5月3日,高新区举行植树活动,机关干部200余人参加义务植树。\n\n"
        "高新区开展义务植树活动\n\n"
        "本报讯(记者马雅宁)5月4日,高新区召开防汛工作会议,安排部署今年防汛工作。\n"
    )
    articles = PARSER.read(text, date(2026, 5, 5)).articles
    assert [(a.title, a.reporters) for a in articles] == [
        ("高新区开展义务植树活动", ("付凯明",)),
        ("高新区召开防汛工作会议", ("马雅宁",)),
    ]


def test_a_story_without_a_headline_is_titled_from_its_first_clause():
    articles = PARSER.read("本报讯(记者付凯明)5月3日,高新区举行植树活动,200余人参加。", date(2026, 5, 5)).articles
    assert articles[0].title == "高新区举行植树活动"


def labelled(*lines):
    """Elements as a labeller would give them: ``(label, text)`` each, one piece a line."""
    return [
        Element(Label(label), (Piece(text, number, 0, True, number - 1),), 1.0)
        for number, (label, text) in enumerate(lines, 1)
    ]


def test_a_credit_below_a_story_paragraph_credits_the_story_when_the_caption_after_it_has_its_own():
    items = labelled(
        ("headline", "高新区举行植树活动"),
        ("lead", "本报讯(记者付凯明)5月3日,高新区举行植树活动。"),
        ("body", "机关干部200余人参加义务植树。"),
        ("credit", "本报记者 马雅宁 摄"),
        ("caption", "图为植树现场。"),
        ("credit", "(许锦 摄)"),
    )
    story, photo = PARSER.read_elements(items, date(2026, 5, 5)).articles
    assert (story.kind, story.photographer, len(story.paragraphs)) == ("story", "马雅宁", 2)
    assert (photo.kind, photo.title, photo.photographer, photo.body) == ("photo", "植树现场", "许锦", "图为植树现场。")


def test_a_credit_before_a_caption_without_one_credits_that_photo():
    items = labelled(
        ("headline", "高新区举行植树活动"),
        ("lead", "本报讯(记者付凯明)5月3日,高新区举行植树活动。"),
        ("credit", "本报记者 马雅宁 摄"),
        ("caption", "图为植树现场。"),
    )
    story, photo = PARSER.read_elements(items, date(2026, 5, 5)).articles
    assert (story.photographer, photo.photographer) == (None, "马雅宁")


def test_a_lead_with_no_text_makes_no_article_and_moves_no_headline():
    items = labelled(
        ("headline", "高新区召开防汛工作会议"),
        ("lead", "本报讯(记者付凯明)"),
        ("headline", "高新区开展义务植树活动"),
        ("lead", "本报讯(记者马雅宁)5月4日,高新区开展义务植树活动,200余人参加。"),
    )
    [article] = PARSER.read_elements(items, date(2026, 5, 5)).articles
    assert (article.title, article.kicker, article.subtitle, article.reporters) == (
        "高新区开展义务植树活动",
        "",
        "",
        ("马雅宁",),
    )


def test_heads_go_to_the_story_they_tell_of_and_a_second_headline_becomes_a_kicker_or_a_deck():
    items = labelled(
        ("headline", "树立和践行正确政绩观"),
        ("lead", "本报讯(记者付凯明)4月25日,高新区党工委理论学习中心组举行集体学习研讨,树立和践行正确政绩观。"),
        ("headline", "高新区党工委理论学习中心组举行集体学习研讨"),
        ("headline", "高新区召开防汛工作会议"),
        ("body", "5月4日,高新区召开防汛工作会议,安排部署今年防汛工作。"),
    )
    study, flood = PARSER.read_elements(items, date(2026, 5, 5)).articles
    assert (study.title, study.kicker) == ("高新区党工委理论学习中心组举行集体学习研讨", "树立和践行正确政绩观")
    assert (flood.title, flood.kicker) == ("高新区召开防汛工作会议", "")


def test_a_head_set_over_the_wrong_story_moves_to_the_one_whose_only_head_is_a_slogan():
    items = labelled(
        ("kicker", "和平社区邻里中心开门迎客"),
        ("headline", "锦绣社区老年助餐点正式运营"),
        ("lead", "本报讯(记者邵文博)近日,锦绣社区老年助餐点正式运营,辖区老人每餐只需10元。"),
        ("headline", "学习贯彻全会精神"),
        ("body", "近日,和平社区邻里中心正式开放,设有便民服务站、儿童之家和共享书屋。"),
    )
    meals, centre = PARSER.read_elements(items, date(2026, 5, 5)).articles
    assert (meals.title, meals.kicker) == ("锦绣社区老年助餐点正式运营", "")
    assert (centre.title, centre.kicker) == ("和平社区邻里中心开门迎客", "学习贯彻全会精神")


def test_two_stories_run_together_are_parted_where_their_heads_fit():
    """A story continued from another page runs straight into the next story, whose headline the page prints after
    it: nothing marks where the second starts, but each head fits its own paragraphs."""
    items = labelled(
        ("headline", "滨江路口袋公园年底建成"),
        ("furniture", "(上接第1版)"),
        ("body", "口袋公园设置健身步道和儿童游乐区,园内新种香樟、桂花等乔木40余株。"),
        ("body", "建成后的口袋公园将全天开放,由街道委托物业公司日常养护。"),
        ("body", "11月3日,高新区云溪社区老年大学秋季班开课,书法、合唱、智能手机等8个班级招收学员260人。"),
        ("body", "老年大学学员每学期只需交纳50元教材费,授课老师多为辖区退休教师。"),
        ("end_credit", "(记者 韩松)"),
        ("headline", "云溪社区老年大学秋季班开课"),
        ("headline", "高新区启动冬季供暖管网检修"),
        ("body", "11月5日起,高新区对12个小区的供暖管网进行检修。"),
    )
    park, college, heating = PARSER.read_elements(items, date(2026, 11, 6)).articles
    assert (park.title, park.paragraphs[-1][:5]) == ("滨江路口袋公园年底建成", "建成后的口")
    assert (college.title, college.paragraphs[0][:5], college.reporters) == (
        "云溪社区老年大学秋季班开课",
        "11月3日",
        ("韩松",),
    )
    assert (park.kicker, park.reporters, college.event_date) == ("", (), date(2026, 11, 3))
    assert heating.title == "高新区启动冬季供暖管网检修"


def canteen_page(caption):
    """A story whose last piece was labelled a caption, then the next story."""
    return labelled(
        ("headline", "社区食堂办出家常味"),
        ("lead", "本报讯(记者付凯明)9月10日中午,青龙街道幸福里社区食堂开门迎客。"),
        ("body", "食堂每天供应早餐和午餐,老人用餐可享受优惠。"),
        ("caption", caption),
        ("headline", "高新区启动秋季征兵体检"),
        ("body", "9月14日,高新区秋季征兵体检开始。"),
    )


SCENE = "中午时分,食堂里坐满了前来就餐的老人和附近的上班族。"


def test_an_uncredited_caption_after_a_story_is_its_last_paragraph_when_credits_stand_by_captions():
    canteen, recruits = PARSER.read_elements(canteen_page(SCENE), date(2026, 9, 15), credits_by_captions=True).articles
    assert (canteen.kind, canteen.paragraphs[-1], recruits.title) == ("story", SCENE, "高新区启动秋季征兵体检")


@pytest.mark.parametrize(
    ("caption", "credits_by_captions"),
    [(SCENE, False), ("图为" + SCENE, True), (SCENE + "(许锦/摄)", True), (SCENE + "(资料图片)", True)],
)
def test_a_caption_stays_a_photo_when_credits_may_stand_apart_or_it_shows_a_picture(caption, credits_by_captions):
    reading = PARSER.read_elements(canteen_page(caption), date(2026, 9, 15), credits_by_captions=credits_by_captions)
    assert [article.kind for article in reading.articles] == ["story", "photo", "story"]


@pytest.mark.parametrize(
    "text",
    [
        "扫一扫\n关注我们\n\n高新区头条\n微信公众号\n",
        "第2版\n2026年4月28日 星期二\n责任编辑：王芳 版式：李强\n",
        "Just some notes.\n\nNothing from the paper here.\n",
    ],
)
def test_no_article_found(text):
    with pytest.raises(IssueError, match="no article found"):
        PARSER.read(text, SAMPLE_DATE)


_PIECES = [
    "高新区召开防汛工作会议",
    "凝心聚力抓项目",
    "本报讯(记者付凯明)5月4日,高新区召开防汛工作会议,安排部署防汛工作。",
    "本报讯（记者 马雅宁 通讯员 许锦）",
    "会议要求,各单位要压实责任",
    "，确保安全度汛。",
    "了辖区群众。",
    "《防汛条例》",
    "5月6日,工人在生产线上加紧赶制订单。",
    "本报记者 马雅宁 摄",
    "(许锦 摄)",
    "■ 简讯",
    "简讯",
    "■ 要闻",
    "扫一扫",
    "关注我们",
    "第2版",
    "一、基本情况",
    "据悉,高新区将新增充电桩120个。",
    "",
    "",
    "　　",
    "12月30日",
    "Wi",
    "fi全覆盖。",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_any_arrangement_parses_or_is_refused_cleanly(pieces):
    try:
        articles = PARSER.read("\n".join(pieces), date(2026, 5, 5)).articles
    except IssueError as error:
        assert "no article found" in str(error)
        return
    assert [a.ordinal for a in articles] == list(range(1, len(articles) + 1))
    assert all(a.title and a.body and a.kind in ("story", "photo", "brief") for a in articles)


def test_a_caption_ending_in_a_quotation_keeps_its_own_credit():
    text = (
        "高新区召开会议\n\n本报讯(记者付凯明)5月6日,高新区召开会议。\n\n"
        "5月7日,居民在新建的便民服务站办理业务。居民说:“现在办事方便多了。”（周思源 摄）\n"
    )
    articles = PARSER.read(text, date(2026, 5, 8)).articles
    assert [(a.kind, a.photographer) for a in articles] == [("story", None), ("photo", "周思源")]
    assert articles[1].body.endswith("方便多了。”")
