"""A deterministic synthetic archive: ten years of daily issues, as raw page text the way editors paste it.

Each issue depends on its date and the seed alone, so any range of dates reads the same whatever else was generated
(a 10% corpus is the last tenth of the full one) and generated issues can be cached between runs. The page imitates
the sample issue's quirks, which are what the parser exists for: kickers over headlines, ``本报讯(记者X 通讯员Y)``
leads, paragraphs broken mid-sentence across blank lines, headlines placed below their story or at the top of the
page, photo captions followed by their credit line, a briefs column, page furniture and the follow-us footer.

``GeneratedIssue.articles`` says what the page holds, so the parser's reading of it can be checked.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from bench import corpus_bank as bank

#: The day before the sample issue (2026-04-28): the synthetic archive ends where the real one begins.
LAST_DAY = date(2026, 4, 27)
FULL_ISSUES = 3650
SEED = 2026
#: Story bodies run this long, drawn log-uniformly: short stories are the most common, as in the paper.
STORY_CHARS = (300, 3000)
WEEKDAYS = "一二三四五六日"
#: The follow-us box at the foot of the page, as it comes out of the page: spread over lines, or on one.
FOOTERS = (["扫一扫", "关注我们", "", "", "高新区头条", "微信公众号"], ["扫一扫", "关注高新区头条微信公众号"])
#: Slots drawn afresh at every use; every other slot keeps its first value for the whole article.
FRESH = {"n", "n2", "num", "num2", "amount", "amount2", "yi", "yi2", "pct", "people", "price", "age", "km"}
FULL_WIDTH = str.maketrans({",": "，", "(": "（", ")": "）", ":": "："})


@dataclass(frozen=True)
class Expected:
    """One article as generated: its kind and the title the parser should give it ("" when the page prints none)."""

    kind: str
    title: str


@dataclass(frozen=True)
class GeneratedIssue:
    day: date
    text: str
    articles: tuple


def issue_dates(scale=1.0, end=LAST_DAY):
    """The dates of a corpus of ``scale`` × ten years of daily issues, oldest first, ending on ``end``."""
    count = max(1, round(FULL_ISSUES * scale))
    return [end - timedelta(days=back) for back in range(count - 1, -1, -1)]


def person(rng):
    return rng.choice(bank.SURNAMES) + "".join(rng.choice(bank.GIVEN) for _ in range(rng.choice((1, 2, 2))))


def leader(year, rank):
    """The district's leaders change every three years; the same era always has the same names."""
    return person(random.Random(f"leader-{year // 3}-{rank}"))


class Slots(dict):
    """Values for one article's ``{slots}``, drawn on first use: a story names one company, one town, one date."""

    def __init__(self, rng, day, topic):
        super().__init__()
        self.rng, self.day, self.topic = rng, day, topic

    def __missing__(self, key):
        value = self._draw(key)
        if key not in FRESH:
            self[key] = value
        return value

    def fill(self, pattern):
        return pattern.format_map(self)

    def _draw(self, key):
        rng, day = self.rng, self.day
        pools = {
            "town": bank.TOWNS,
            "community": bank.COMMUNITIES,
            "village": bank.VILLAGES,
            "road": bank.ROADS,
            "river": bank.RIVERS,
            "school": bank.SCHOOLS,
            "clinic": bank.CLINICS,
            "dept": bank.DEPARTMENTS,
            "industry": bank.INDUSTRIES,
            "city": bank.CITIES,
            "univ": bank.UNIVERSITIES,
            "project": bank.PROJECTS,
            "theme": bank.THEMES,
            "focus": self.topic["focus"],
        }
        if key in pools:
            return rng.choice(pools[key])
        if key == "company":
            industry = rng.choice(bank.INDUSTRIES)
            form = "有限公司" if industry.endswith("科技") else rng.choice(bank.COMPANY_FORMS)
            return f"{rng.choice(bank.COMPANY_NAMES)}{industry}{form}"
        if key == "leader":
            rank = rng.randrange(len(bank.LEADER_TITLES))
            return bank.LEADER_TITLES[rank] + leader(day.year, rank)
        if key == "resident":
            return person(rng)
        if key == "date":
            when = day - timedelta(days=rng.randint(1, 5))
            return f"{when.month}月{when.day}日"
        if key in ("month", "year"):
            return str(getattr(day, key))
        if key == "day":
            return str(rng.randint(1, 18))
        if key == "day2":
            return str(int(self["day"]) + rng.randint(3, 10))
        numbers = {
            "n": lambda: rng.randint(2, 9),
            "n2": lambda: rng.randint(2, 9),
            "num": lambda: rng.randint(12, 980) * 10,
            "num2": lambda: rng.randint(12, 980) * 10,
            "amount": lambda: rng.randint(5, 900) * 10,
            "amount2": lambda: rng.randint(5, 900) * 10,
            "yi": lambda: f"{rng.randint(10, 600) / 10:g}",
            "yi2": lambda: f"{rng.randint(10, 300) / 10:g}",
            "pct": lambda: rng.choice((rng.randint(60, 99), rng.randint(900, 999) / 10)),
            "people": lambda: rng.randint(10, 900) * 100,
            "price": lambda: rng.randint(2, 60) * 10,
            "age": lambda: rng.randint(68, 96),
            "km": lambda: f"{rng.randint(8, 160) / 10:g}",
        }
        if key in numbers:
            return str(numbers[key]())
        raise KeyError(key)


class Writer:
    """Sentences for one article: the topic's own, the district's general ones, then composed meeting-speak."""

    def __init__(self, rng, slots, topic):
        self.rng, self.slots = rng, slots
        self.own = rng.sample(topic["body"], len(topic["body"]))
        self.general = rng.sample(bank.GENERAL, len(bank.GENERAL))

    def sentence(self):
        roll = self.rng.random()
        if roll < 0.4 and self.own:
            return self.slots.fill(self.own.pop())
        if roll < 0.6 and self.general:
            return self.slots.fill(self.general.pop())
        return self.composed()

    def composed(self):
        rng = self.rng
        speaker = self.slots.fill(rng.choice(bank.SPEAKERS))
        joint = "" if speaker.endswith(("要", "将")) else ",要"
        first, second, third = rng.sample(bank.ACTIONS, 3)
        return f"{speaker}{joint}{first}、{second},{third},{rng.choice(bank.RESULTS)}。"

    def paragraph(self, first=""):
        sentences = [first] if first else []
        sentences += [self.sentence() for _ in range(self.rng.randint(1 if first else 2, 4))]
        return "".join(sentences)


def broken(rng, paragraph):
    """The paragraph as the page breaks it: sometimes cut mid-sentence into two pieces set apart by a blank line.

    The first piece is always longer than a headline and never ends a sentence, which is what tells the parser to
    join the pieces again.
    """
    if len(paragraph) < 90 or rng.random() > 0.3:
        return [paragraph]
    cut = rng.randint(50, len(paragraph) - 20)
    while cut < len(paragraph) - 1 and (paragraph[cut - 1] in "。！？；“”" or paragraph[cut] in "“”"):
        cut += 1
    return [paragraph[:cut], paragraph[cut:]]


def byline(rng):
    reporters = rng.sample(bank.REPORTERS, rng.choice((1, 1, 1, 2)))
    helpers = [person(rng) for _ in range(rng.choice((0, 0, 1, 1, 2)))]
    if rng.random() < 0.6:
        text = "记者" + "、".join(reporters) + (" 通讯员" + "、".join(helpers) if helpers else "")
    else:
        text = "记者 " + " ".join(reporters) + (" 通讯员 " + " ".join(helpers) if helpers else "")
    return f"本报讯({text})"


def credit(rng):
    """A photo credit: its own line below the caption, or (None, trailing text) glued to the caption."""
    name = rng.choice(bank.REPORTERS) if rng.random() < 0.7 else person(rng)
    shapes = [
        (f"本报记者 {name} 摄", ""),
        (f"记者{name}摄", ""),
        (f"通讯员 {name} 摄", ""),
        (None, f"({name}/摄)"),
        (None, f"({name} 摄)"),
    ]
    return rng.choice(shapes)


@dataclass
class Story:
    head: list  # the lines set above the lead (kicker, title)
    title: str
    paragraphs: list


def story(rng, day):
    topic = bank.TOPICS[rng.choice(list(bank.TOPICS))]
    slots = Slots(rng, day, topic)
    writer = Writer(rng, slots, topic)
    which = rng.randrange(len(topic["leads"]))
    title = slots.fill(topic["heads"][which])
    head = [rng.choice(bank.KICKERS), title] if rng.random() < 0.25 else [title]
    target = math.exp(rng.uniform(*map(math.log, STORY_CHARS)))
    opening = rng.choice(("{date},", "{date}上午,", "{date}下午,", "近日,", "日前,"))
    lead = slots.fill(opening) + slots.fill(topic["leads"][which])
    paragraphs = [writer.paragraph(lead)]
    length = len(paragraphs[0])
    numbered = target > 1500 and rng.random() < 0.3
    # Numbered subheads (一、...), popped from the end: reversed so they come out in order.
    subheads = (
        [f"{o}、{s}" for o, s in zip(bank.ORDINALS, rng.sample(bank.SUBHEADS, 4), strict=False)][::-1]
        if numbered
        else []
    )
    while length < target:
        if subheads and rng.random() < 0.25:
            paragraphs.append(subheads.pop())
        paragraph = writer.paragraph()
        paragraphs.append(paragraph)
        length += len(paragraph)
    paragraphs[0] = byline(rng) + paragraphs[0]
    return Story(head, title, paragraphs)


def photo(rng, day):
    """A caption and its credit; sometimes a short title set right above it."""
    topic = bank.TOPICS[rng.choice(list(bank.TOPICS))]
    slots = Slots(rng, day, topic)
    caption = slots.fill(rng.choice(bank.CAPTION_OPENINGS)) + slots.fill(rng.choice(topic["captions"]))
    if rng.random() < 0.5:
        caption += Writer(rng, slots, topic).sentence()
    line, trailing = credit(rng)
    lines = [caption + trailing] + ([line] if line else [])
    title = ""
    if rng.random() < 0.15:
        title = slots.fill(rng.choice(topic["heads"]))
        lines.insert(0, title)
    return lines, Expected("photo", title)


def briefs(rng, day):
    lines = [rng.choice(("■ 简讯", "■ 快讯", "【简讯】", "简讯"))]
    expected = []
    for _ in range(rng.randint(2, 4)):
        topic = bank.TOPICS[rng.choice(list(bank.TOPICS))]
        slots = Slots(rng, day, topic)
        text = slots.fill(rng.choice(bank.BRIEF_OPENINGS)) + slots.fill(rng.choice(topic["briefs"]))
        if rng.random() < 0.5:
            text += Writer(rng, slots, topic).sentence()
        title = ""
        if rng.random() < 0.3:
            title = slots.fill(rng.choice(topic["heads"]))
            lines.append(title)
        lines.append(text)
        expected.append(Expected("brief", title))
    return lines, expected


def furniture(rng, day):
    """The running head some pages carry: page number, date, editors."""
    editors = f"责任编辑:{person(rng)}\u3000版式:{person(rng)}"
    return [f"第{rng.randint(1, 4)}版", f"{day.year}年{day.month}月{day.day}日 星期{WEEKDAYS[day.weekday()]}", editors]


def generate_issue(day, seed=SEED):
    """The page of ``day``: its text and what it holds, page order."""
    rng = random.Random(f"{seed}-{day.isoformat()}")
    stories = [story(rng, day) for _ in range(rng.randint(3, 6))]
    photos = [photo(rng, day) for _ in range(rng.choice((0, 1, 1, 2)))]
    column = briefs(rng, day) if rng.random() < 0.2 else None
    # Headlines out of place: below their own story, or above the page's first story.
    top, below = [], {}
    for number, item in enumerate(stories):
        roll = rng.random()
        if number and roll < 0.1:
            top.append(item.title)
            item.head.remove(item.title)
        elif roll < 0.2:
            below[number] = item.title
            item.head.remove(item.title)
    photo_after = set(rng.sample(range(len(stories)), len(photos)))  # the stories a picture follows

    blocks = [furniture(rng, day)] if rng.random() < 0.3 else []
    blocks.append(top)
    expected = []
    for number, item in enumerate(stories):
        blocks += [item.head, [piece for paragraph in item.paragraphs for piece in broken(rng, paragraph)]]
        expected.append(Expected("story", item.title))
        if number in below:
            blocks.append([below[number]])
        if number in photo_after:
            lines, what = photos.pop()
            blocks.append(lines)
            expected.append(what)
    if column:
        blocks.append(column[0])
        expected += column[1]
    if rng.random() < 0.85:
        blocks.append(rng.choice(FOOTERS))

    separator = "\n\n" if rng.random() < 0.8 else "\n"
    indent = "\u3000\u3000" if rng.random() < 0.3 else ""
    lines = [indent + line if len(line) > 48 else line for block in blocks for line in block]
    text = separator.join(lines) + "\n"
    if rng.random() < 0.5:
        text = text.translate(FULL_WIDTH)
        expected = [Expected(e.kind, e.title.translate(FULL_WIDTH)) for e in expected]
    return GeneratedIssue(day, text, tuple(expected))
