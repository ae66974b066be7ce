"""Read a PDF with PDFium (pypdfium2): every page's glyphs and its pictures, within ``PdfLimits``.

This runs inside the reading child (``index.pdf.worker``), the only place a stranger's PDF is parsed and its
pictures decoded. Everything a hostile file could make large is checked before it is done: the page count before
any page is opened, a page's characters before they are read, a picture's pixel size (from its dictionary) before
it is decoded; a JPEG is decoded at the smallest scale that still gives ``PHOTO_SIDE`` (Pillow's draft mode). What
is refused raises ``IssueError`` with the code the desk translates.
"""

import ctypes
import io
import warnings
from collections.abc import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from index.errors import IssueError
from index.pdf.content import Box, Font, Glyph, PageContent, Picture
from index.pdf.limits import PdfLimits

#: Long side of a photo as kept, in pixels: sharp on a phone's screen, a hundred kilobytes or so.
PHOTO_SIDE = 1080
JPEG_QUALITY = 82
#: A picture drawn smaller than this on the page (points, both sides) is an icon, a logo or a QR code, not a photo.
MIN_PHOTO_SIDE = 48.0
#: How deep into form XObjects pictures are looked for (a page draws its photos at the top level or one form down).
FORM_DEPTH = 4
#: A fill colour counts as a colour when its channels differ by more than this (0-255): black and greys do not.
COLOUR_SPREAD = 48
#: The largest page PDF allows (200 inches): a bigger one is a broken or hostile file.
MAX_PAGE_SIDE = 14400.0
#: A rule is a path at most this thick (points) and at least ``RULE_LENGTH`` long; at most ``MAX_RULES`` a page are
#: kept (the longest), as a page with thousands of paths is drawings, not rules.
RULE_THICKNESS = 3.0
RULE_LENGTH = 24.0
MAX_RULES = 400


def read_pdf_pages(data: bytes, limits: PdfLimits) -> tuple[PageContent, ...]:
    """Every page of the PDF in ``data``, its glyphs and its pictures (``IssueError`` for a file it refuses)."""
    document = _open(data)
    try:
        count = len(document)
        if count == 0:
            raise IssueError("the PDF has no pages", code="pdf_broken")
        if count > limits.max_pages:
            raise IssueError(
                f"the PDF has {count} pages; at most {limits.max_pages} are read",
                code="pdf_too_many_pages",
                details={"pages": count, "most": limits.max_pages},
            )
        pages = [_page(document, number, limits) for number in range(count)]
    finally:
        document.close()
    return _largest_pictures(pages, limits.max_pictures)


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise IssueError("the PDF is encrypted: it opens only with a password", code="pdf_encrypted") from None
        raise IssueError("the PDF is damaged and cannot be read", code="pdf_broken") from None


def _page(document: pdfium.PdfDocument, index: int, limits: PdfLimits) -> PageContent:
    page = document[index]
    try:
        width, height = page.get_size()
        if not (0 < width <= MAX_PAGE_SIDE and 0 < height <= MAX_PAGE_SIDE):
            raise IssueError("the PDF has a page of impossible size", code="pdf_broken")
        fonts: list[Font] = []
        glyphs = tuple(_glyphs(page, fonts, limits))
        pictures = tuple(_pictures(page, limits))
        rules = _rules(page)
    finally:
        page.close()
    return PageContent(index + 1, width, height, tuple(fonts), glyphs, pictures, rules)


def _glyphs(page: pdfium.PdfPage, fonts: list[Font], limits: PdfLimits) -> Iterator[Glyph]:
    """The page's drawn characters (spaces and PDFium's own line breaks left out: lines are found from places)."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count > limits.max_chars:
            raise IssueError(
                f"a page of the PDF holds {count} characters; at most {limits.max_chars} are read",
                code="pdf_too_complex",
            )
        raw = textpage.raw
        name = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        x, y = ctypes.c_double(), ctypes.c_double()
        red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
        font_ids: dict[tuple[str, int], int] = {}
        for index in range(count):
            char = chr(pdfium_c.FPDFText_GetUnicode(raw, index))
            if char.isspace() or pdfium_c.FPDFText_IsGenerated(raw, index):
                continue
            left, _, right, _ = textpage.get_charbox(index, loose=True)
            pdfium_c.FPDFText_GetCharOrigin(raw, index, ctypes.byref(x), ctypes.byref(y))
            length = pdfium_c.FPDFText_GetFontInfo(raw, index, name, len(name), ctypes.byref(flags))
            font = Font(_font_name(name.raw[: max(0, length - 1)]), max(0, pdfium_c.FPDFText_GetFontWeight(raw, index)))
            key = (font.name, font.weight)
            if key not in font_ids:
                font_ids[key] = len(fonts)
                fonts.append(font)
            coloured = False
            if pdfium_c.FPDFText_GetFillColor(raw, index, *(ctypes.byref(c) for c in (red, green, blue, alpha))):
                channels = (red.value, green.value, blue.value)
                coloured = max(channels) - min(channels) > COLOUR_SPREAD
            yield Glyph(
                char,
                min(left, x.value),
                right,
                y.value,
                pdfium_c.FPDFText_GetFontSize(raw, index),
                font_ids[key],
                index,
                coloured,
            )
    finally:
        textpage.close()


def _font_name(raw: bytes) -> str:
    """A font's name without its subset prefix (``ABCDEF+``)."""
    name = raw.decode("utf-8", "replace")
    prefix, plus, rest = name.partition("+")
    return rest if plus and len(prefix) == 6 and prefix.isupper() else name


def _pictures(page: pdfium.PdfPage, limits: PdfLimits) -> Iterator[Picture]:
    """The page's pictures large enough to be photos, each checked for size before anything is decoded, and only
    the ``max_pictures`` largest decoded (a page may draw one picture thousands of times)."""
    found: list[tuple[float, int, pdfium.PdfImage, Box]] = []
    for item in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=FORM_DEPTH):
        x0, y0, x1, y1 = item.get_bounds()
        if x1 - x0 < MIN_PHOTO_SIDE or y1 - y0 < MIN_PHOTO_SIDE:
            continue
        pixels = item.get_px_size()
        if pixels[0] * pixels[1] > limits.max_image_pixels:
            raise IssueError(
                f"the PDF holds a picture of {pixels[0]} × {pixels[1]} pixels; at most {limits.max_image_pixels}"
                " pixels are read",
                code="pdf_image_too_large",
                details={"width": pixels[0], "height": pixels[1]},
            )
        found.append(((x1 - x0) * (y1 - y0), len(found), item, (x0, y0, x1, y1)))
    largest = sorted(found, key=lambda candidate: (-candidate[0], candidate[1]))[: limits.max_pictures]
    for _, _, item, bbox in sorted(largest, key=lambda candidate: candidate[1]):
        jpeg = _photo(item, limits)
        if jpeg is not None:
            yield Picture(bbox, jpeg)


def _rules(page: pdfium.PdfPage) -> tuple[Box, ...]:
    """The page's rules: thin horizontal or vertical paths, the longest ``MAX_RULES``."""
    found = []
    for item in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=FORM_DEPTH):
        x0, y0, x1, y1 = item.get_bounds()
        width, height = x1 - x0, y1 - y0
        if (height <= RULE_THICKNESS and width >= RULE_LENGTH) or (width <= RULE_THICKNESS and height >= RULE_LENGTH):
            found.append((x0, y0, x1, y1))
    found.sort(key=lambda box: -max(box[2] - box[0], box[3] - box[1]))
    return tuple(found[:MAX_RULES])


def _photo(item: pdfium.PdfImage, limits: PdfLimits) -> bytes | None:
    """The picture as a JPEG of at most ``PHOTO_SIDE`` pixels; ``None`` when it cannot be decoded (the page is read
    without it). A JPEG whose own header claims more pixels than its PDF dictionary said is refused the same way."""
    try:
        if item.get_filters()[-1:] == ["DCTDecode"]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(item.get_data(decode_simple=True)))
            if image.width * image.height > limits.max_image_pixels:
                raise IssueError(
                    f"the PDF holds a picture of {image.width} × {image.height} pixels; at most"
                    f" {limits.max_image_pixels} pixels are read",
                    code="pdf_image_too_large",
                    details={"width": image.width, "height": image.height},
                )
            image.draft("RGB", (PHOTO_SIDE, PHOTO_SIDE))
            decoded = image.convert("RGB")
        else:
            decoded = item.get_bitmap(render=False).to_pil().convert("RGB")
        decoded.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
        out = io.BytesIO()
        decoded.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except (OSError, ValueError, pdfium.PdfiumError, Image.DecompressionBombError):
        return None
    return out.getvalue()


def _largest_pictures(pages: list[PageContent], most: int) -> tuple[PageContent, ...]:
    """The pages keeping only the ``most`` largest pictures of the file (by area on the page)."""
    areas = sorted(
        ((p.bbox[2] - p.bbox[0]) * (p.bbox[3] - p.bbox[1]) for page in pages for p in page.pictures), reverse=True
    )
    if len(areas) <= most:
        return tuple(pages)
    smallest = areas[most - 1]
    kept, result = 0, []
    for page in pages:
        pictures = []
        for picture in page.pictures:
            area = (picture.bbox[2] - picture.bbox[0]) * (picture.bbox[3] - picture.bbox[1])
            if area >= smallest and kept < most:
                pictures.append(picture)
                kept += 1
        result.append(PageContent(page.number, page.width, page.height, page.fonts, page.glyphs, tuple(pictures)))
    return tuple(result)
