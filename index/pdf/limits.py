"""How much of a PDF the bot agrees to read: what keeps a hostile file (a "PDF bomb") from costing more than a
page's worth of time and memory. The values come from the settings (``PDF_*``, ``config/settings.py``)."""

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class PdfLimits:
    #: Most pages one file may have: an issue is a handful of pages, while 100,000 page references fit in 5 MB.
    max_pages: int = 16
    #: Most pixels one picture may have (a photo printed across a broadsheet at 300 dpi has about 30 million).
    max_image_pixels: int = 30_000_000
    #: Seconds the reading child may take, start to end, before it is stopped and the file refused.
    seconds: float = 20.0
    #: Bytes of address space the reading child may use (decompressed streams and decoded pictures included).
    memory: int = 768 * MIB
    #: Most characters one page may hold: a dense broadsheet page has about 10,000.
    max_chars: int = 60_000
    #: Most pictures kept over the whole file, the largest first: a page prints a few photos, not hundreds.
    max_pictures: int = 40
