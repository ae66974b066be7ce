"""PDF files for the tests: the corpus's pages typeset (``tests.pages.pdfs``), several of them as one file, and the
files an editor must be refused for: a scan, an encrypted page, a broken one, and PDF bombs small enough to upload
(a page tree of 100,000 pages, a picture of 200,000 × 200,000 pixels, a page drawing one photo thousands of times,
a content stream that inflates to hundreds of megabytes, arrays nested 100,000 deep, a form that draws itself).
Everything is made here, deterministically, in memory."""

import io
import zlib
from collections.abc import Sequence

import pypdfium2 as pdfium
from reportlab.lib import pdfencrypt
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from tests.pages.pdfs import corpus_pdfs
from tests.pages.pictures import photo_jpeg

#: A small page of the bulletin's own with two photos, and a second one without.
PHOTO_PAGE = "p27-gxtt-3"
PLAIN_PAGE = "p26-gxtt-2"


def page_pdf(page_id: str = PHOTO_PAGE) -> bytes:
    """A corpus page typeset as its PDF."""
    return corpus_pdfs()[page_id][0]


def pages_pdf(page_ids: Sequence[str]) -> bytes:
    """Several corpus pages as one PDF, in the order given."""
    merged = pdfium.PdfDocument.new()
    for page_id in page_ids:
        merged.import_pages(pdfium.PdfDocument(page_pdf(page_id)))
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()


def scan_pdf() -> bytes:
    """A scanned page: a picture and no text."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(400, 560), invariant=1)
    canvas.drawImage(ImageReader(io.BytesIO(photo_jpeg("scan", (5.0, 7.0)))), 0, 0, 400, 560)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def encrypted_pdf() -> bytes:
    """A page that opens only with a password."""
    out = io.BytesIO()
    canvas = Canvas(out, encrypt=pdfencrypt.StandardEncryption("secret"), invariant=1)
    canvas.drawString(72, 720, "Gaoxin bulletin")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def broken_pdf() -> bytes:
    """A file that starts as a PDF and is nothing after it."""
    return b"%PDF-1.7\n" + bytes(range(256)) * 8


def raw_pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF of the given object bodies (numbered from 1, the first the catalog), with a right cross-reference."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes, keys: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), keys) + packed + b"\nendstream"


def _one_page(page: bytes, *rest: bytes) -> bytes:
    catalog, pages = b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    return raw_pdf([catalog, pages, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page + b" >>", *rest])


def many_pages_pdf(levels: int = 5, fan: int = 10) -> bytes:
    """A page tree of ``fan ** levels`` pages in a few hundred bytes (every node names the same child ``fan``
    times)."""
    nodes = [
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (3 + level) for _ in range(fan)) + b"]"
        b" /Count %d >>" % fan ** (levels - level)
        for level in range(levels)
    ]
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", *nodes, b"<< /Type /Page /MediaBox [0 0 100 100] >>"])


def huge_picture_pdf(side: int = 200_000) -> bytes:
    """A page showing a picture whose dictionary says it has ``side`` × ``side`` pixels."""
    picture = _stream(b"\x00" * 1000, b"/Type /XObject /Subtype /Image /Width %d /Height %d" % (side, side))
    picture = picture.replace(b"/Filter", b"/BitsPerComponent 8 /ColorSpace /DeviceGray /Filter", 1)
    return _one_page(
        b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R",
        _stream(b"q 150 0 0 150 0 0 cm /Im1 Do Q"),
        picture,
    )


def repeated_picture_pdf(times: int = 20_000) -> bytes:
    """A page drawing one photo ``times`` times."""
    jpeg = photo_jpeg("bomb", (4.0, 3.0))
    picture = (
        b"<< /Type /XObject /Subtype /Image /Width 640 /Height 480 /BitsPerComponent 8 /ColorSpace /DeviceRGB"
        b" /Filter /DCTDecode /Length %d >>\nstream\n" % len(jpeg) + jpeg + b"\nendstream"
    )
    contents = _stream(b"q 100 0 0 80 0 0 cm /Im1 Do Q\n" * times)
    return _one_page(b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R", contents, picture)


def inflating_pdf(megabytes: int = 400) -> bytes:
    """A page whose content stream inflates to ``megabytes`` of drawing operators (a zip bomb)."""
    return _one_page(b"/Contents 4 0 R", _stream(b"0 0 m 1 1 l S\n" * (megabytes * 1024 * 1024 // 14)))


def nested_pdf(depth: int = 100_000) -> bytes:
    """A page whose dictionary holds arrays nested ``depth`` deep."""
    return _one_page(b"/Deep " + b"[" * depth + b"]" * depth)


def self_drawing_pdf() -> bytes:
    """A page drawing a form that draws itself."""
    form = _stream(
        b"q /Fm1 Do Q", b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /Fm1 5 0 R >> >>"
    )
    return _one_page(b"/Resources << /XObject << /Fm1 5 0 R >> >> /Contents 4 0 R", _stream(b"/Fm1 Do"), form)
