"""The corpus's pages as page PDFs, for scoring the PDF reader: ``python -m tests.pages.pdfs [DIR]`` (``make
pdf-pages``) writes every page's PDF and the pictures it prints into DIR (default ``tests/pages/pdf``), where
``bulletin evaluate-parser`` finds them (variant ``pdf``).

They are not committed: the typesetter makes them again byte for byte (reportlab's invariant mode) in a few seconds,
while the files weigh 7 MB. The tests make them once per session (``corpus_pdfs``).
"""

import argparse
import json
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from tests.pages.corpus import load_page
from tests.pages.typeset import Geometry, typeset

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
OUT = HERE / "pdf"


@cache
def corpus_pdfs() -> dict[str, tuple[bytes, Geometry]]:
    """Every source page typeset: its PDF and the geometry the typesetter drew, by page id (made once a process)."""
    pages = [load_page(path) for path in sorted(SRC.glob("*.json"))]
    return {page.id: typeset(page) for page in pages}


def pictures_json(geometry: Geometry) -> list[dict[str, object]]:
    """The pictures a page prints, as the scorer reads them: the block each belongs to, its page, its place."""
    return [{"block": image.block, "page": 1, "bbox": [round(v, 3) for v in image.bbox]} for image in geometry.images]


def write_pdfs(directory: Path) -> int:
    """Write every page's ``<id>.pdf`` and ``<id>.pictures.json`` into ``directory``; the number of pages."""
    directory.mkdir(parents=True, exist_ok=True)
    made = corpus_pdfs()
    for page_id, (pdf, geometry) in made.items():
        (directory / f"{page_id}.pdf").write_bytes(pdf)
        (directory / f"{page_id}.pictures.json").write_text(json.dumps(pictures_json(geometry)) + "\n")
    return len(made)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.pages.pdfs", description=__doc__.split("\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=OUT, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    print(f"{write_pdfs(args.directory)} page PDFs in {args.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
