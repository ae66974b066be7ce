"""Who wrote a story and who took a picture: the ``本报讯(...)`` lead and the photo credit line.

The paper prints bylines in a handful of shapes: ASCII or full-width brackets, a role word glued to the name or set
apart by spaces, several names run together with 、, commas or spaces. Everything here reduces those shapes to tuples
of names, so the rest of the parser never looks at a bracket.
"""

import re

_NAME = r"[\u4e00-\u9fff·]{2,5}"
_NAMES = rf"{_NAME}(?:[\s、,，]+{_NAME})*"

_LEAD = re.compile(r"本报讯\s*(?:[(（](?P<byline>[^()（）]{0,80})[)）])?[\s:：]*")
_ROLE = re.compile(r"(?:本报|首席|见习|特约)*(记者|通讯员|实习生)")
_SEPARATOR = re.compile(r"[\s、,，;；/／]+")

# ``本报记者 马雅宁 摄``, ``记者马雅宁摄``, ``马雅宁/摄``, ``(马雅宁 摄)``, ``摄影：马雅宁``.
_CREDIT = re.compile(
    rf"[(（]?\s*(?:(?:本报)?(?:记者|通讯员)\s*)?(?P<names>{_NAMES})\s*[/／]?\s*摄影?\s*[)）]?"
    rf"|[(（]?\s*摄影\s*[:：/／]?\s*(?P<after>{_NAMES})\s*[)）]?"
)
#: A sentence's end, with the closing quotes and brackets that may follow it (``……方便多了。”``).
_SENTENCE_END = re.compile(r"[。！？!?][”’」』）)]*")


def split_lead(text: str) -> tuple[tuple[str, ...], tuple[str, ...], str] | None:
    """``(reporters, correspondents, rest)`` for a paragraph opening with ``本报讯``, else None.

    ``rest`` is the story text after the bracket: the body starts there, since the bracket is shown as a byline.
    Names before any role word are taken as reporters, the role an unmarked byline almost always means; interns
    (实习生) write for the paper, so they count as reporters too.
    """
    match = _LEAD.match(text)
    if not match:
        return None
    credited: dict[str, list[str]] = {"记者": [], "通讯员": []}
    role = "记者"
    for number, chunk in enumerate(_ROLE.split(match["byline"] or "")):
        if number % 2:
            role = "通讯员" if chunk == "通讯员" else "记者"
            continue
        names = (name.removesuffix("报道") for name in _SEPARATOR.split(chunk))
        credited[role].extend(name for name in names if name)
    return tuple(credited["记者"]), tuple(credited["通讯员"]), text[match.end() :]


def photo_credit(text: str) -> str | None:
    """The photographer(s) named by a credit line (several joined with 、), or None when ``text`` is not one."""
    match = _CREDIT.fullmatch(text)
    if not match:
        return None
    return "、".join(_SEPARATOR.split((match["names"] or match["after"]).strip()))


def split_trailing_credit(text: str) -> tuple[str, str] | None:
    """``(caption, photographer)`` when a caption ends with its own credit (``...发展。(马雅宁 摄)``), else None.

    The credit must follow a full stop: a credit-like phrase inside a sentence is text, not a credit.
    """
    ends = list(_SENTENCE_END.finditer(text))
    if not ends:
        return None
    cut = ends[-1].end()
    photographer = photo_credit(text[cut:].strip())
    return (text[:cut], photographer) if photographer else None
