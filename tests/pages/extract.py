"""The text an editor gets out of a page PDF, from the real tools: pdftotext (plain and ``-layout``) and pdfminer.six.

The texts are returned as the tools give them: their broken lines, column order and interleaving are what the parser
must cope with. Only the form feed each tool ends a page with is dropped.
"""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from pdfminer.high_level import extract_text

from tests.pages.corpus import Page
from tests.pages.typeset import Geometry

#: The variants, in the order files and reports list them.
VARIANTS = ("pdftotext", "pdftotext-layout", "pdfminer")


class ToolMissing(RuntimeError):
    """An extraction tool is not installed; the message names the Debian package."""


def extract_all(pdf: bytes) -> dict[str, str]:
    """Every variant's text of the PDF, by variant name."""
    return {"pdftotext": pdftotext(pdf), "pdftotext-layout": pdftotext(pdf, layout=True), "pdfminer": pdfminer(pdf)}


def pdftotext(pdf: bytes, layout: bool = False) -> str:
    """poppler's ``pdftotext -enc UTF-8`` of the PDF, in its reading order or (``layout``) its physical layout."""
    if shutil.which("pdftotext") is None:
        raise ToolMissing("pdftotext not found: apt-get install -y poppler-utils")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.pdf"
        path.write_bytes(pdf)
        command = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
        result = subprocess.run(command, check=True, capture_output=True)
    return _without_form_feed(result.stdout.decode("utf-8"))


def pdfminer(pdf: bytes) -> str:
    """pdfminer.six's ``extract_text`` of the PDF with its default layout parameters."""
    return _without_form_feed(extract_text(io.BytesIO(pdf)))


def _without_form_feed(text: str) -> str:
    """``text`` without the form feed(s) closing its last page."""
    return text.rstrip("\f")


def viewer_text(page: Page, geometry: Geometry) -> str:
    """The page as copied out of a PDF viewer or an e-paper reader that joins a column's lines: each paragraph whole
    within a column, broken where it runs on into the next column, a blank line between pieces (the bulletin's own
    sample issue arrived so). Made from where the typesetter put every line, in the order it set them."""
    offsets = [[0] * len(block.parts) for block in page.blocks]
    pieces: list[tuple[int, int, float, str]] = []  # block, part, column x, text
    for line in geometry.lines:
        part = part_of(page, offsets, line.block, line.role, squeeze(line.text))
        if part is None:
            continue
        column = line.bbox[0]
        same = pieces and pieces[-1][:2] == (line.block, part) and abs(pieces[-1][2] - column) < COLUMN_SHIFT
        if same:
            block, number, x, text = pieces[-1]
            pieces[-1] = (block, number, x, text + line.text)
        else:
            starts = offsets[line.block][part] == len(squeeze(line.text))
            indent = "\u3000\u3000" if page.indent and starts and line.role in ("lead", "body", "brief") else ""
            pieces.append((line.block, part, column, indent + line.text))
    return "\n\n".join(text.rstrip() for *_, text in pieces) + "\n"


#: A line set this many points right or left of the one before it stands in another column.
COLUMN_SHIFT = 20.0


def part_of(page: Page, offsets: list[list[int]], block: int, role: str, squeezed: str) -> int | None:
    """The part of ``block`` a drawn line comes from: the first of its role whose text goes on with the line's; the
    part's offset moves past it."""
    for number, part in enumerate(page.blocks[block].parts):
        if part.role != role:
            continue
        text = squeeze(part.printed)
        if text.startswith(squeezed, offsets[block][number]):
            offsets[block][number] += len(squeezed)
            return number
    return None


def squeeze(text: str) -> str:
    """``text`` without whitespace: what a line and its part have in common however they were spaced."""
    return "".join(text.split())
