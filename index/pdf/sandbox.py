"""Read a PDF in a child process that cannot take more than ``PdfLimits`` allow (``index.pdf.worker``).

The web worker or the command that received the file only waits: the child is stopped by the clock after
``PdfLimits.seconds`` and by the kernel when it needs more than ``PdfLimits.memory`` of address space or its share of
processor time. Whatever becomes of it (a refusal it explains, a crash, a kill) is one ``IssueError`` here, and
nothing was written anywhere.
"""

import json
import subprocess
import sys
from dataclasses import asdict

from index.errors import IssueError
from index.pdf.content import PageContent, pages_from_json
from index.pdf.limits import PdfLimits

#: The reading child's module (imported only there: PDFium and the decoders never load in a web worker).
WORKER = "index.pdf.worker"


def command_line(limits: PdfLimits) -> list[str]:
    """The arguments that start a reading child with ``limits``."""
    return [sys.executable, "-m", WORKER, json.dumps(asdict(limits))]


def read_pages(data: bytes, limits: PdfLimits) -> tuple[PageContent, ...]:
    """The pages PDFium reads off ``data``, read in a limited child; ``IssueError`` when the file is refused."""
    try:
        done = subprocess.run(
            command_line(limits), input=data, capture_output=True, timeout=limits.seconds, check=False
        )
    except subprocess.TimeoutExpired:
        raise IssueError(
            f"reading the PDF took longer than {limits.seconds:g} s",
            code="pdf_too_slow",
            details={"seconds": f"{limits.seconds:g}"},
        ) from None
    if done.returncode != 0:
        raise IssueError(
            "reading the PDF needed more memory or time than a page may (or the file broke the reader)",
            code="pdf_too_complex",
        )
    try:
        answer = json.loads(done.stdout)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise IssueError("the PDF could not be read", code="pdf_broken") from None
    if "error" in answer:
        error = answer["error"]
        raise IssueError(str(error["message"]), code=str(error["code"]), details=error["details"])
    return pages_from_json(answer["pages"])
