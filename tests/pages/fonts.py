"""The CJK TrueType faces the typesetter sets pages in, found with fontconfig and registered with reportlab.

Four faces give a page the look of a Chinese newspaper: a Ming (宋体-like) face for body text, a heavy Hei for
headlines, a Kai (楷体) for captions, bylines and decks, and a plain Hei for furniture. All four come from Debian as
TrueType collections, which reportlab can embed (Noto CJK is CFF-based and cannot be embedded by reportlab). The
corpus's extracted texts depend on the faces' metrics, so a missing face is an error naming the package to install,
never a silent substitute.
"""

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache, lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont


@dataclass(frozen=True)
class Face:
    name: str  # the name registered with reportlab
    family: str  # fontconfig's family name
    package: str  # the Debian package holding it


SONG = Face("CorpusSong", "AR PL UMing CN", "fonts-arphic-uming")
HEI = Face("CorpusHei", "WenQuanYi Zen Hei", "fonts-wqy-zenhei")
KAI = Face("CorpusKai", "AR PL UKai CN", "fonts-arphic-ukai")
SANS = Face("CorpusSans", "WenQuanYi Micro Hei", "fonts-wqy-microhei")
FACES = (SONG, HEI, KAI, SANS)
#: The face with the widest coverage, for the few glyphs another face lacks (UMing has no ``◀``).
FALLBACK = SANS


class FontMissing(RuntimeError):
    """A face the typesetter needs is not installed; the message names the Debian package."""


@cache
def register_faces() -> dict[Face, TTFont]:
    """Register every face with reportlab once per process (reportlab's registry is global); the loaded fonts."""
    found = _installed_faces()
    missing = [face for face in FACES if face.family not in found]
    if missing:
        packages = " ".join(face.package for face in missing)
        families = ", ".join(face.family for face in missing)
        raise FontMissing(
            f"CJK TrueType face(s) {families} not found by `fc-list :lang=zh`: apt-get install -y {packages}"
        )
    loaded = {face: TTFont(face.name, found[face.family][0], subfontIndex=found[face.family][1]) for face in FACES}
    for font in loaded.values():
        pdfmetrics.registerFont(font)
    return loaded


def _installed_faces() -> dict[str, tuple[str, int]]:
    """Every Chinese face fontconfig knows, by each of its family names: (file, index in the collection)."""
    if shutil.which("fc-list") is None:
        raise FontMissing("fc-list not found: apt-get install -y fontconfig")
    listing = subprocess.run(
        ["fc-list", "-f", "%{file}\t%{index}\t%{family}\n", ":lang=zh"], check=True, capture_output=True, text=True
    ).stdout
    found: dict[str, tuple[str, int]] = {}
    for line in sorted(listing.splitlines()):
        path, index, families = line.split("\t", 2)
        for family in families.split(","):
            found.setdefault(family, (path, int(index)))
    return found


def postscript_name(face: Face) -> str:
    """The face's PostScript name, the one a PDF reader sees (after the subset prefix) in the embedded font."""
    name = register_faces()[face].face.name
    return name.decode("ascii") if isinstance(name, bytes) else str(name)


def runs(text: str, face: Face) -> list[tuple[Face, str]]:
    """``text`` cut into runs each set in one face: ``face`` where it has the glyph, ``FALLBACK`` where not."""
    glyphs = register_faces()[face].face.charToGlyph
    result: list[tuple[Face, str]] = []
    for char in text:
        chosen = face if ord(char) in glyphs or char.isspace() else FALLBACK
        if result and result[-1][0] == chosen:
            result[-1] = (chosen, result[-1][1] + char)
        else:
            result.append((chosen, char))
    return result


@lru_cache(maxsize=65536)
def width(text: str, face: Face, size: float) -> float:
    """The natural width of ``text`` set in ``face`` at ``size`` points (fallback glyphs measured in their face)."""
    return float(sum(pdfmetrics.stringWidth(run, run_face.name, size) for run_face, run in runs(text, face)))
