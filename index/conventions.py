"""Newspapers' conventions (``config/conventions.toml``) as the patterns the parser's features match.

The words are data; the shapes built from them live here once: a lead's marker and its bracketed byline, a dateline,
a credit line, a caption's opening, a column label, page furniture. Reading people's names out of a byline, wherever
it stands (in a lead's bracket, on a line of its own, closing a story, under a photo) is ``index.credits``' job.
"""

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

#: A Chinese name as bylines print it: 2 to 4 characters (or a single surname and given name padded apart).
HAN = r"[\u4e00-\u9fff]"


#: Each list of words, by its field's name: where the file keeps it (its table and key).
WORD_LISTS: dict[str, tuple[str, str]] = {
    "lead_markers": ("lead", "markers"),
    "dateline_sources": ("lead", "dateline_sources"),
    "reporters": ("people", "reporters"),
    "correspondents": ("people", "correspondents"),
    "photo": ("people", "photo"),
    "text_and_photo": ("people", "text_and_photo"),
    "text_by": ("people", "text_by"),
    "picture_by": ("people", "picture_by"),
    "editors": ("people", "editors"),
    "sources": ("people", "sources"),
    "told_by": ("people", "told_by"),
    "caption_openers": ("captions", "openers"),
    "brief_columns": ("columns", "briefs"),
    "marks": ("columns", "marks"),
    "furniture_words": ("furniture", "words"),
    "jumps": ("furniture", "jumps"),
    "masthead_endings": ("furniture", "masthead_endings"),
}


def _any(words: list[str]) -> str:
    """An alternation of ``words``, longest first (so 本报记者 wins over 记者), each escaped."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class Conventions:
    lead_markers: tuple[str, ...]
    dateline_sources: tuple[str, ...]
    reporters: tuple[str, ...]
    correspondents: tuple[str, ...]
    photo: tuple[str, ...]
    text_and_photo: tuple[str, ...]
    text_by: tuple[str, ...]
    picture_by: tuple[str, ...]
    editors: tuple[str, ...]
    sources: tuple[str, ...]
    told_by: tuple[str, ...]
    caption_openers: tuple[str, ...]
    brief_columns: tuple[str, ...]
    marks: tuple[str, ...]
    furniture_words: tuple[str, ...]
    jumps: tuple[str, ...]
    masthead_endings: tuple[str, ...]

    @classmethod
    def load(cls, path: str | Path) -> "Conventions":
        return cls.parse(Path(path).read_text(encoding="utf-8"))

    @classmethod
    def parse(cls, text: str) -> "Conventions":
        """The conventions a TOML text states; ``KeyError`` names a list it lacks, ``TypeError`` one that is not a
        list of words."""
        data = tomllib.loads(text)
        lists = {field: data[table][key] for field, (table, key) in WORD_LISTS.items()}
        for field, words in lists.items():
            if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
                raise TypeError(f"{field}: not a list of words")
        return cls(**{field: tuple(words) for field, words in lists.items()})

    # -- the shapes ------------------------------------------------------------------------------------------------

    @cached_property
    def role_words(self) -> str:
        """Any word that says what a person did for the page (记者, 通讯员, 实习生, 摄影, ...)."""
        return _any([*self.reporters, *self.correspondents, *self.photo])

    @cached_property
    def credited_role(self) -> re.Pattern[str]:
        """A role word with the paper's name and its app's before it (澄州日报/观澜新闻记者, 鹊川晚报·鹊点记者,
        楚阳日报全媒记者), or the mark of the writers' or the photographer's names (文/, 图/): the names around
        it are people's, the papers' are not. One group, so that splitting a credit by it keeps the roles."""
        paper = rf"{HAN}{{1,6}}?(?:{_any(list(self.masthead_endings))})[/／·]?"
        app = rf"(?:(?<=[/／·]){HAN}{{1,6}}?)?"
        marks = _any([*self.text_by, *self.picture_by])
        return re.compile(rf"((?:{paper})*{app}(?:{self.role_words})|{marks})")

    @cached_property
    def photo_words(self) -> str:
        """Any word that says who took a picture (摄, 摄影), longest first."""
        return _any(list(self.photo))

    @cached_property
    def narrator(self) -> re.Pattern[str]:
        """A told-to byline's narrator with the word after the name (``苟德芬 口述``): not the story's writer."""
        return re.compile(rf"^.*?(?:{_any(list(self.told_by))})")

    @cached_property
    def lead(self) -> re.Pattern[str]:
        """A paragraph opening with the paper's marker or a dateline, with the byline that may follow it.

        ``marker`` spans everything that is not the story's text (the marker, a dateline, a bracketed or bare
        byline); ``byline`` is what is inside the bracket, or the bare byline after the marker (``记者 王磊``).
        """
        dateline = rf"(?:{_any(list(self.dateline_sources))}){HAN}{{0,8}}?\d{{1,2}}月\d{{1,2}}日[电讯]"
        # The paper's own name (or its site's, 淮泽晚报网), maybe dated, and 讯: 楚阳日报讯, 淮泽晚报网11月18日讯.
        own_name = rf"{HAN}{{2,6}}?(?:{_any(list(self.masthead_endings))})网?(?:\d{{1,2}}月\d{{1,2}}日)?讯"
        bracket = r"[(（](?P<byline>[^()（）]{0,80})[)）]"
        bare = rf"(?P<bare>(?:(?:{self.role_words})\s*(?:{HAN}{{1,4}}(?:[ \u3000]{HAN}{{1,3}})?[\s、,，]*)+)+(?:报道)?)"
        return re.compile(
            rf"^\s*(?P<marker>(?:{_any(list(self.lead_markers))}|{dateline}|{own_name})[\s:：]*(?:{bracket}|{bare})?)"
            rf"[\s:：]*"
        )

    @cached_property
    def credit(self) -> re.Pattern[str]:
        """A line that is only a credit: role words and names, maybe bracketed, maybe ending in 摄 or 文/图."""
        name = rf"{HAN}{{1,4}}(?:·{HAN}{{1,4}})?"
        names = rf"{name}(?:[\s、,，/／]+{name})*"
        role = rf"(?:{HAN}{{0,8}}?(?:{self.role_words})|{_any(list(self.text_and_photo))}|文/|图/)"
        marks = re.escape("".join(self.marks))
        photo = self.photo_words
        return re.compile(
            rf"^[{marks}\s]*[(（]?\s*(?:{role}[\s:：/／]*{names}\s*)+(?:{_any([*self.photo, *self.text_and_photo])})?"
            rf"\s*[)）]?\s*$|^[(（]\s*{names}\s*[)）]$"
            rf"|^[{marks}\s]*[(（]?\s*{names}\s*[/／]?\s*(?:{photo})\s*[)）]?$"  # 马雅宁/摄, (许锦 摄)
            rf"|^[{marks}\s]*[(（]?\s*(?:{photo})\s*[:：/／]?\s*{names}\s*[)）]?$"  # 摄影：许锦
        )

    @cached_property
    def photo_credit(self) -> re.Pattern[str]:
        """A credit that names a photographer: it ends in 摄 / 摄影, or opens with 摄影."""
        photo = self.photo_words
        return re.compile(rf"(?:{photo})\s*[)）]?\s*$|^[{re.escape(''.join(self.marks))}\s(（]*摄影")

    @cached_property
    def text_and_photo_mark(self) -> re.Pattern[str]:
        return re.compile(_any(list(self.text_and_photo)))

    @cached_property
    def caption_opening(self) -> re.Pattern[str]:
        return re.compile(rf"^\s*(?:{_any(list(self.caption_openers))})")

    @cached_property
    def column_label(self) -> re.Pattern[str]:
        """A short label set off by a mark (``■ 简讯``, ``【社区动态】``) or a known brief column's bare name."""
        marks = re.escape("".join(self.marks))
        return re.compile(
            rf"^[{marks}]+\s*{HAN}[\u4e00-\u9fff·@ ]{{1,9}}[{marks}]?$|^(?:{_any(list(self.brief_columns))})$"
        )

    @cached_property
    def brief_column(self) -> re.Pattern[str]:
        return re.compile(_any(list(self.brief_columns)))

    @cached_property
    def editor_line(self) -> re.Pattern[str]:
        return re.compile(rf"(?:{_any(list(self.editors))})\s*[:：]?\s*{HAN}")

    @cached_property
    def jump_line(self) -> re.Pattern[str]:
        return re.compile(
            rf"^[(（]?\s*(?:{_any(list(self.jumps))})\s*第?\s*[A-Za-z]?[0-9一二三四五六七八九十]+\s*版\s*[)）]?$"
        )

    @cached_property
    def furniture_word(self) -> re.Pattern[str]:
        return re.compile(_any(list(self.furniture_words)))

    @cached_property
    def masthead(self) -> re.Pattern[str]:
        return re.compile(rf"^{HAN}{{2,6}}(?:{_any(list(self.masthead_endings))})$")
