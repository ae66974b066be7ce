"""Issue 15: a four-page page PDF ingested end to end, and what reading it costs in time and memory.

The PDF is four pages of the page corpus (two broadsheet pages, two tabloid ones; 1 MB, 4 photos) typeset by
``tests/pages/typeset.py`` and joined into one file. Timed, each several times:

- in a warm process, as the desk's upload is (``index.load.read_upload`` then ``Store.ingest``): the reading child
  (start, PDFium, photos resized), the layout, labels and grammar in the parent, then the archive and index write;
- the editors' command ``bulletin ingest`` as a new process, Python's start and the models' loading included.

Memory: the reading child's peak resident size (``wait4``), which its ``PDF_MEMORY_LIMIT`` address-space limit caps,
and the parent's peak Python allocation while it reads the file (``tracemalloc``): the parent holds the glyphs, the
resized photos and the articles, never a decoded picture.
"""

import os
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

from bench.datasets import OUT, PARSER, WORDS
from index.load import read_upload
from index.pdf.limits import PdfLimits
from index.pdf.sandbox import command_line, read_pages
from index.store import Store
from tests.pdf_files import pages_pdf

#: Two broadsheet pages and two tabloid ones, with four photos between them.
PAGES = ("p09-sxrb-1", "p17-njrb-1", "p20-xmwb-2", "p25-gxtt-1")
RUNS = 5
CLI_RUNS = 3
DAY = date(2026, 5, 12)
MAX_BYTES = 5 * 1024 * 1024
TARGET_S = 3.0


#: The reading child's work, run in a new process that then says its own peak resident size (``VmHWM``, which
#: starts afresh with the process's program, unlike ``ru_maxrss``, which keeps the forking parent's).
CHILD_PEAK = """
import json, sys
from index.pdf.limits import PdfLimits
from index.pdf.worker import answer, limit_self
limits = PdfLimits(**json.loads(sys.argv[1]))
limit_self(limits)
answer(sys.stdin.buffer.read(), limits)
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
print(int(status["VmHWM"].split()[0]))
"""


def child_peak_mb(data: bytes, limits: PdfLimits) -> float:
    """The reading child's peak resident size reading ``data``, in MB."""
    arguments = command_line(limits)[-1]
    done = subprocess.run([sys.executable, "-c", CHILD_PEAK, arguments], input=data, capture_output=True, check=True)
    return int(done.stdout) / 1024


def run(report=print):
    data = pages_pdf(PAGES)
    folder = OUT / "pdf"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    path = folder / "2026-05-12-four-pages.pdf"
    path.write_bytes(data)
    store = Store(folder / "data", WORDS)
    limits = PARSER.pdf_limits
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        read_pages(data, limits)
        child = time.perf_counter() - started
        started = time.perf_counter()
        upload = read_upload(data, DAY, source=path.name, max_bytes=MAX_BYTES, parser=PARSER)
        read = time.perf_counter() - started
        started = time.perf_counter()
        store.ingest(upload.issue, data, upload.photos)
        written = time.perf_counter() - started
        runs.append({"child_s": child, "read_s": read, "store_s": written, "total_s": read + written})
    tracemalloc.start()
    upload = read_upload(data, DAY, source=path.name, max_bytes=MAX_BYTES, parser=PARSER)
    parent_peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    env = {**os.environ, "BULLETIN_DATA_DIR": str(folder / "cli-data")}
    bulletin = Path(sys.executable).parent / "bulletin"
    cli = []
    for _ in range(CLI_RUNS):
        started = time.perf_counter()
        subprocess.run(
            [str(bulletin), "ingest", str(path), "--date", DAY.isoformat()], env=env, check=True, capture_output=True
        )
        cli.append(time.perf_counter() - started)
    figures = {
        "pages": len(PAGES),
        "page_ids": list(PAGES),
        "bytes": len(data),
        "articles": len(upload.issue.articles),
        "photos": len(upload.photos),
        "runs": runs,
        "median_total_s": statistics.median(run["total_s"] for run in runs),
        "max_total_s": max(run["total_s"] for run in runs),
        "cli_s": cli,
        "cli_median_s": statistics.median(cli),
        "child_peak_mb": child_peak_mb(data, limits),
        "parent_peak_mb": parent_peak,
        "limits": {"memory_mb": limits.memory / 1024 / 1024, "seconds": limits.seconds},
    }
    report(
        f"  {len(PAGES)}-page PDF ({len(data) / 1e6:.1f} MB, {figures['articles']} articles, {figures['photos']} "
        f"photos): ingest median {figures['median_total_s']:.2f} s in a warm process, bulletin ingest "
        f"{figures['cli_median_s']:.2f} s; reading child peak {figures['child_peak_mb']:.0f} MB RSS"
    )
    return figures
