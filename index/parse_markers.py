"""What one paragraph of a printed page is: furniture, a lead, a credit, a column label, a headline or text.

Both the layout repair and the segmenter ask this: the repair must never glue a line onto a credit, a footer or a
lead, and the segmenter builds articles out of the answers. Only the paper's conventions live here (markers such as
本报讯, 摄 or 简讯, punctuation, the footer), never the content of any issue.
"""

import re

from index.parse_byline import photo_credit, split_lead, split_trailing_credit

FURNITURE_KIND, LEAD, CREDIT, PHOTO, COLUMN, LABEL, HEAD, TEXT = (
    "furniture",
    "lead",
    "credit",
    "photo",
    "column",
    "label",
    "head",
    "text",
)

#: Pieces of the page that belong to no article: the follow-us box, running heads, production credits, jump lines.
#: A paragraph made of nothing but these (in any combination, with separators) is furniture.
FURNITURE = (
    r"扫一扫",
    r"扫码",
    r"长按(?:识别)?(?:二维码)?",
    r"(?:识别)?二维码",
    r"关注(?:我们)?",
    r"高新区头条",
    r"(?:微信)?公众号",
    r"第\s*[0-9一二三四五六七八九十]+\s*版(?:\s*[\u4e00-\u9fff]{2,6}(?=\s|$))?",
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日",
    r"(?:星期|周)[一二三四五六日天]",
    r"农历\S{2,8}",
    r"(?:责任编辑|责编|编辑|版式|美编|校对|审核|审校|签发)\s*[:：]\s*[\u4e00-\u9fff·]{2,4}",
    r"[(（](?:上接|下转|转|接)第?\s*[0-9一二三四五六七八九十]+\s*版[)）]",
    r"[(（]完[)）]",
)
_FURNITURE = re.compile("|".join(f"(?:{piece})" for piece in FURNITURE))
_SEPARATORS = re.compile(r"[\s|｜·•/／\-—_,，、]*")

#: Column labels whose paragraphs are one-paragraph briefs.
BRIEF_COLUMNS = ("简讯", "快讯", "短讯", "简报")
#: Section labels are set off by a block or a bracket; round bullets and triangles mark list items, not sections.
_LABEL = re.compile(r"[■□◆◇]\s*(?P<name>[\u4e00-\u9fff\s]{2,10})|【(?P<bracketed>[\u4e00-\u9fff\s]{2,10})】")
BULLETS = "■□◆◇●○▲△★☆▶►·•"

#: A headline longer than this is very rare; a longer line without a full stop is body text cut short.
HEADLINE_MAX = 48
SENTENCE_END = "。！？!?…；;：:."
_CLOSERS = "”’」』）)》〉〕】\"'"
#: A line ending with these stops mid-sentence: a headline or a finished paragraph never does.
OPEN_ENDED = "，,、“‘《〈（(「『【〔—-"
#: Marks no sentence opens with: a line starting with one was cut from the line before.
NO_START = "，,、。.；;：:！!？?）)》〉」』】〕”’…%％·"
_INSIDE_SENTENCE_END = re.compile(r"[。；;]")
# ``▲`` points up at the picture; ``图为`` says what it shows; a date says when it was taken.
_CAPTION_OPENING = re.compile(r"[▲△]|图为|图片|图中|(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日|近日|日前")


def is_furniture(text: str) -> bool:
    return _SEPARATORS.fullmatch(_FURNITURE.sub("", text)) is not None


def column_label(text: str) -> str | None:
    """``"brief"`` for a briefs column label (``■ 简讯``, ``简讯``), ``"other"`` for another label, else None."""
    match = _LABEL.fullmatch(text)
    name = re.sub(r"\s", "", match["name"] or match["bracketed"]) if match else re.sub(r"\s", "", text)
    if name in BRIEF_COLUMNS:
        return "brief"
    return "other" if match else None


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with sentence-final punctuation, looking through closing quotes and brackets."""
    core = text.rstrip(_CLOSERS)
    return bool(core) and core[-1] in SENTENCE_END


def looks_like_headline(text: str) -> bool:
    """A short line that does not end, or contain the end of, a sentence: a headline, kicker or subhead.

    It may equally be the first piece of a broken line; the layout repair decides that from its neighbours.
    """
    return (
        len(text) <= HEADLINE_MAX
        and not ends_sentence(text)
        and text[-1] not in OPEN_ENDED
        and text[0] not in NO_START
        and not _INSIDE_SENTENCE_END.search(text)
    )


def reads_like_caption(text: str) -> bool:
    """Whether a paragraph opens the way captions do: with what the picture shows (``图为``) or when it was taken."""
    return _CAPTION_OPENING.match(text) is not None


def classify(text: str) -> str:
    """One of the kinds above. Markers win over shape: a lead or a credit is never a headline, however short."""
    if is_furniture(text):
        return FURNITURE_KIND
    if split_lead(text):
        return LEAD
    if photo_credit(text):
        return CREDIT
    if split_trailing_credit(text):
        return PHOTO
    label = column_label(text)
    if label:
        return COLUMN if label == "brief" else LABEL
    return HEAD if looks_like_headline(text) else TEXT
