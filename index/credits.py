"""Who wrote a story and who took its picture, read from a credit wherever the page prints it.

One reader serves every position a credit takes: the bracket after a 本报讯 lead
(``本报讯(记者 王磊 通讯员 李华)``), a byline line of its own above the story (``本报记者 王 磊``,
``记者 张明 李华 文/图``, ``■通讯员 赵刚``), a credit closing the story (``(本报记者 陈静)``, ``(林芳)``), a photo's
credit (``本报记者 马雅宁 摄``, ``■摄影 记者 费 扬``), one at a caption's end. Role words come from the paper's
conventions; names before any role word are reporters, the role an unmarked credit almost always means; names padded
to three characters (``王 磊``, right after a role word too: ``本报记者胡 彦``) are closed up.
"""

import re
from dataclasses import dataclass

from index import segment
from index.conventions import HAN, Conventions

_SEPARATOR = re.compile(r"[\s、,，;；/／]+")
_PADDED = re.compile(rf"(?<!{HAN})({HAN})[ \u3000]+({HAN})(?!{HAN})")
#: At most this many characters make a name (欧阳子墨 has four).
NAME_MAX = 4
#: The length of most Chinese names.
NAME_LENGTH = 3


@dataclass(frozen=True)
class Credit:
    reporters: tuple[str, ...] = ()
    correspondents: tuple[str, ...] = ()
    #: Names of who took the picture (several joined with ``、`` when shown).
    photographers: tuple[str, ...] = ()

    @property
    def photographer(self) -> str | None:
        return "、".join(self.photographers) or None

    def __bool__(self) -> bool:
        return bool(self.reporters or self.correspondents or self.photographers)

    def merged(self, other: "Credit") -> "Credit":
        """This credit with ``other``'s names added after its own (a lead's bracket and an end credit)."""
        return Credit(
            _unique(self.reporters + other.reporters),
            _unique(self.correspondents + other.correspondents),
            _unique(self.photographers + other.photographers),
        )


def read_credit(text: str, conventions: Conventions, *, photo: bool = False) -> Credit:
    """The people a credit names. ``photo``: the credit stands under a picture, so every name in it took the picture
    (``本报记者 马雅宁 摄``); otherwise a 摄 or 文/图 credit names a photographer, or the names after a photo word
    (``摄影：许锦``, ``记者 许嘉宁 摄影 陶知远``, ``文/记者 冼嘉朗 图/记者 梁颂恩``)."""
    core = _strip(text, conventions)
    photo_words = conventions.photo_words
    shot = photo or bool(re.search(rf"(?:{photo_words})\s*$", core))
    text_and_picture = bool(conventions.text_and_photo_mark.search(core))
    core = conventions.text_and_photo_mark.sub(" ", core)
    core = re.sub(rf"(?:{photo_words})\s*$", "", core).strip()
    core = conventions.narrator.sub("", core).strip()
    by_role: dict[str, list[str]] = {"reporter": [], "correspondent": [], "photographer": []}
    printed: list[str] = []  # every name in the order the credit prints them
    role, marked = "reporter", False
    for number, chunk in enumerate(conventions.credited_role.split(core)):
        if number % 2:
            # A photo word marks who took the picture (摄影：许锦, 图/记者 梁颂恩): a title after it (记者, 通讯员)
            # says who they are, not what they did here, until 文/ or another photo word.
            shooting = chunk.endswith((*conventions.photo, *conventions.picture_by))
            if shooting or not marked or chunk.endswith(conventions.text_by):
                role, marked = _role_of(chunk, conventions), shooting
            continue
        names = names_in(_PADDED.sub(r"\1\2", chunk), conventions)
        by_role[role].extend(names)
        printed.extend(names)
    reporters, correspondents = tuple(by_role["reporter"]), tuple(by_role["correspondent"])
    if shot:
        return Credit(photographers=tuple(printed))
    if text_and_picture:
        return Credit(reporters, correspondents, tuple(printed))
    return Credit(reporters, correspondents, tuple(by_role["photographer"]))


def names_in(chunk: str, conventions: Conventions) -> list[str]:
    """The names in a run of a credit between role words: Chinese names of up to ``NAME_MAX`` characters (a paper's
    or an app's name is not a person's)."""
    names = []
    for token in _SEPARATOR.split(chunk.strip()):
        token = token.removesuffix("报道").removesuffix("整理").strip("()（）:：")
        for name in _run_together(token):
            if not re.fullmatch(rf"{HAN}{{2,{NAME_MAX}}}(?:·{HAN}{{1,4}})?", name):
                continue
            if name.endswith(conventions.masthead_endings) or name in conventions.editors:
                continue
            names.append(name)
    return names


def _run_together(token: str) -> list[str]:
    """A token of two or more three-character names whose space a copy lost (a viewer joining the lines of a column
    drops the space a line broke at: ``付凯明邱明远``), cut into the names; any other token as it is. Most Chinese
    names have three characters, and no name has six."""
    if len(token) > NAME_MAX and len(token) % NAME_LENGTH == 0 and re.fullmatch(rf"{HAN}+", token):
        return [token[start : start + NAME_LENGTH] for start in range(0, len(token), NAME_LENGTH)]
    return [token]


def _role_of(word: str, conventions: Conventions) -> str:
    if any(word.endswith(role) for role in conventions.correspondents):
        return "correspondent"
    if word.endswith((*conventions.photo, *conventions.picture_by)):
        return "photographer"
    return "reporter"


def _strip(text: str, conventions: Conventions) -> str:
    """The credit without its marks and brackets (``■``, ``（…）``)."""
    marks = "".join(conventions.marks)
    return text.strip().strip(marks).strip().removeprefix("(").removeprefix("（").removesuffix(")").removesuffix("）")


def _unique(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def split_inline_credit(caption: str, conventions: Conventions) -> tuple[str, Credit] | None:
    """``(caption, credit)`` when a caption ends with its own credit (``…发展。(马雅宁 摄)``,
    ``…香囊 本报记者 孙 苒 摄``), else None. The credit is a bracketed group naming a photographer, an unbracketed
    run ending in 摄 after a space or a sentence's end, or failing both, one run into the caption's last words."""
    photo = conventions.photo_words
    match = re.search(
        rf"\s*[(（](?P<bracketed>[^()（）]*(?:{photo}))\s*[)）]\s*$"
        rf"|(?:\s+|(?<=[。！？!?]))(?P<bare>[^\s，。！？；：、,.;:!?()（）][^，。！？；：、,.;:!?()（）]*(?:{photo}))\s*$",
        caption,
    )
    glued = _glued_credit(caption, conventions)
    if glued is not None and (match is None or glued < match.start()):
        start, text = glued, caption[glued:]
    elif match:
        start, text = match.start(), match["bracketed"] or match["bare"]
    else:
        return None
    credit = read_credit(text, conventions, photo=True)
    if not credit:
        return None
    return caption[:start].rstrip(), credit


def _glued_credit(caption: str, conventions: Conventions) -> int | None:
    """Where a credit run into the caption's last words starts (``…11月上旬汀州晚报记者 孙 苒摄``), else None: a viewer
    copying a column joins its lines and drops the space a line broke at. Such a credit is told by the paper's name
    before its role word (``汀州晚报``, ``澄州日报/观澜新闻``): the word ending in a paper's ending (晚报, 日报, ...),
    with the word before it when the ending stands alone, as the segmenter cuts the caption. Without a paper's name
    a role word inside the caption's sentence (``接受记者采访``) would read as a credit."""
    photo = conventions.photo_words
    role = re.search(rf"(?<={HAN})(?:{conventions.role_words})[^，。！？；：、,.;:!?()（）]*?(?:{photo})\s*$", caption)
    if role is None:
        return None
    start, papers = role.start(), 0
    while True:
        words = segment.cut(caption[:start])
        if len(words) < 2 or not words[-1].endswith(conventions.masthead_endings):
            return start if papers else None
        # 晚报 alone is a word of its own (汀州 + 晚报); 本报 after a sentence's end is the whole name (。 + 本报).
        alone = len(words[-1]) <= 2 and re.fullmatch(f"{HAN}+", words[-2]) is not None
        paper = words[-2] + words[-1] if alone else words[-1]
        start, papers = start - len(paper), papers + 1
        if not caption[:start].endswith(("/", "／")):
            return start
        start -= 1
