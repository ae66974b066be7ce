"""An article's photo: the picture printed beside its caption, kept as a JPEG file beside the issue in the archive.

An article names its photo (``Article.photo``: ``photo-3.jpg``, numbered by the picture's place in the received
file), so the photo follows the article through every correction (a split leaves it with the first part, a merge
keeps the first's or else the second's, a drop drops it). Names are checked against ``PHOTO_NAME`` wherever they
meet a path: nothing a file or a request says reaches outside an issue's folder.
"""

import io
import re
from dataclasses import dataclass

PHOTO_NAME = re.compile(r"^photo-\d{1,3}\.jpg$")
#: Long side of a thumbnail on the editors' desk, in pixels.
THUMBNAIL_SIDE = 240
#: A photo the bot keeps is at most this large (``index.pdf.extract.PHOTO_SIDE`` squared, with room).
MAX_PHOTO_PIXELS = 4_000_000


@dataclass(frozen=True)
class Photo:
    name: str
    jpeg: bytes
    #: Where the picture stood in the received file: its page (from 1) and its place in PDF points (for checking
    #: the reading against the page; the archive keeps the JPEG only).
    page: int = 0
    bbox: tuple[float, float, float, float] | None = None


def photo_name(number: int) -> str:
    """The file name of the ``number``-th picture of a received file (from 1)."""
    return f"photo-{number}.jpg"


def thumbnail(jpeg: bytes, side: int = THUMBNAIL_SIDE) -> bytes:
    """A small JPEG of a photo the bot made itself (never a stranger's file: those are read in the sandbox).

    Pillow is imported here, not with the module: the archive and every web worker use this module, only the desk's
    thumbnails need Pillow."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PHOTO_PIXELS
    with Image.open(io.BytesIO(jpeg)) as image:
        image.draft("RGB", (side, side))
        small = image.convert("RGB")
    small.thumbnail((side, side))
    out = io.BytesIO()
    small.save(out, "JPEG", quality=75)
    return out.getvalue()
