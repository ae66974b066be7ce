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
