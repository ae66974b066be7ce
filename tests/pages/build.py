"""Build the page corpus: ``python -m tests.pages.build [PAGE ...] [--pdf DIR] [--out DIR]``.

For each source page (every ``src/*.json`` by default; a PAGE is a page id or a path to a page file) the build checks
the page, writes its gold articles (``gold/<id>.json``, what the parser is scored against) and the text an editor
copies off an e-paper site, typesets the page as a PDF, extracts its text with
the real tools, labels every extracted line with its part's role, and prints one line of figures. The texts and
labels are committed (tests must not depend on the tools' versions); the PDFs are not (``--pdf`` writes them for
looking at).
"""

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.pages.corpus import Page, PageError, gold_articles, gold_json, hand_text, load_page
from tests.pages.extract import VARIANTS, ToolMissing, extract_all, viewer_text
from tests.pages.fonts import FontMissing
from tests.pages.labels import Alignment, align, tsv
from tests.pages.typeset import typeset

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
#: Every text of a page, the hand-copied one first.
ALL_VARIANTS = ("hand", "viewer", *VARIANTS)


@dataclass(frozen=True)
class Built:
    page: Page
    alignments: dict[str, Alignment]
    seconds: float

    def summary(self) -> str:
        """One line of figures: articles, non-empty lines and unaligned lines of every variant, time taken."""
        lines = ", ".join(f"{variant} {self.alignments[variant].lines}" for variant in ALL_VARIANTS)
        unaligned = "/".join(str(self.alignments[variant].unaligned) for variant in ALL_VARIANTS)
        return (
            f"{self.page.id}: {len(gold_articles(self.page))} articles; lines {lines}; "
            f"unaligned {unaligned}; {self.seconds:.1f} s"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Build the pages named (all source pages by default); exit 1 if any page failed."""
    parser = argparse.ArgumentParser(prog="python -m tests.pages.build", description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", metavar="PAGE", help="page id (src/<id>.json) or path to a page file")
    parser.add_argument("--pdf", type=Path, metavar="DIR", help="also write each page's PDF into DIR")
    parser.add_argument(
        "--out", type=Path, default=HERE, metavar="DIR", help="where text/ and labels/ go (default: tests/pages)"
    )
    args = parser.parse_args(argv)
    failed = False
    for path in _sources(args.pages):
        try:
            print(build_page(path, args.out, args.pdf).summary(), flush=True)
        except (PageError, FontMissing, ToolMissing) as error:
            print(f"{path}: {error}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


def build_page(path: Path, out: Path, pdf_dir: Path | None = None) -> Built:
    """Build one page from its source file: texts into ``out/text``, labels into ``out/labels``."""
    started = time.perf_counter()
    page = load_page(path)
    if path.resolve().parent == SRC and path.stem != page.id:
        raise PageError(f"{path}: the file must be named after the page's id, {page.id}.json")
    pdf, geometry = typeset(page)
    texts = {"hand": hand_text(page), "viewer": viewer_text(page, geometry), **extract_all(pdf)}
    alignments = {variant: align(page, text) for variant, text in texts.items()}
    for folder in ("text", "labels", "gold"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    gold = json.dumps(gold_json(page), ensure_ascii=False, indent=1) + "\n"
    (out / "gold" / f"{page.id}.json").write_text(gold, encoding="utf-8")
    for variant, text in texts.items():
        (out / "text" / f"{page.id}.{variant}.txt").write_text(text, encoding="utf-8")
        (out / "labels" / f"{page.id}.{variant}.tsv").write_text(tsv(alignments[variant]), encoding="utf-8")
    if pdf_dir is not None:
        pdf_dir.mkdir(parents=True, exist_ok=True)
        (pdf_dir / f"{page.id}.pdf").write_bytes(pdf)
    return Built(page, alignments, time.perf_counter() - started)


def _sources(names: Sequence[str]) -> list[Path]:
    """The page files to build: the ones named (by id or path), or every source page."""
    if not names:
        return sorted(SRC.glob("*.json"))
    return [Path(name) if name.endswith(".json") else SRC / f"{name}.json" for name in names]


if __name__ == "__main__":
    sys.exit(main())
