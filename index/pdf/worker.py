"""The reading child: ``python -m index.pdf.worker LIMITS_JSON`` reads a PDF on standard input and writes what PDFium
found (``index.pdf.content``) as JSON on standard output, or ``{"error": {code, message, details}}``.

It limits itself first, before it reads a byte: its address space to ``PdfLimits.memory`` and its processor time to
``PdfLimits.seconds`` (the parent also stops it by the clock). A file that makes PDFium or a decoder fail, crash or
run out of memory ends this process only; the parent refuses the file with one line.
"""

import json
import resource
import sys
from typing import Any

from index.errors import IssueError
from index.pdf.content import pages_to_json
from index.pdf.extract import read_pdf_pages
from index.pdf.limits import PdfLimits


def limit_self(limits: PdfLimits) -> None:
    """Cap this process's address space and processor time (hard limits: nothing can raise them again)."""
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    seconds = max(1, int(limits.seconds) + 1)
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))


def answer(data: bytes, limits: PdfLimits) -> dict[str, Any]:
    """What the parent is told about ``data``: its pages, or why it was refused."""
    try:
        return {"pages": pages_to_json(read_pdf_pages(data, limits))}
    except IssueError as error:
        return {"error": {"code": error.code, "message": error.message, "details": dict(error.details)}}
    except MemoryError:
        return {"error": {"code": "pdf_too_complex", "message": "reading the PDF needs too much memory", "details": {}}}


def main() -> None:
    limits = PdfLimits(**json.loads(sys.argv[1]))
    limit_self(limits)
    data = sys.stdin.buffer.read()
    sys.stdout.write(json.dumps(answer(data, limits), ensure_ascii=False))


if __name__ == "__main__":
    main()
