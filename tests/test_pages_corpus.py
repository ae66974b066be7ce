"""The page corpus (``tests/pages``): its source pages keep FORMAT.md, their gold articles derive, their texts hold
what the gold says, and the typesetter that makes their PDFs is deterministic and draws every part."""

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.pages import corpus
from tests.pages.build import ALL_VARIANTS
from tests.pages.crossval import FOLDS, OWN_PAPER, folds
from tests.pages.labels import align, tsv
from tests.pages.train import tuned_pages
from tests.pages.typeset import typeset

PAGES = Path(__file__).parent / "pages"
SOURCES = sorted((PAGES / "src").glob("*.json"))
EXAMPLE = PAGES / "fixtures" / "example.json"
EVERY_PAGE = [*SOURCES, EXAMPLE]
_SPACE = re.compile(r"\s+")


def _stem(path: Path) -> str:
    """A page's test id."""
    return path.stem


@pytest.fixture(scope="module")
def example() -> corpus.Page:
    return corpus.load_page(EXAMPLE)


@pytest.mark.parametrize("path", SOURCES, ids=_stem)
def test_every_source_page_keeps_the_format_and_is_named_after_its_id(path: Path) -> None:
    page = corpus.load_page(path)
    assert page.id == path.stem
    assert (PAGES / "papers" / f"{page.paper_slug}.md").is_file()


@pytest.mark.parametrize("path", EVERY_PAGE, ids=_stem)
def test_every_article_block_derives_a_gold_article_with_a_body(path: Path) -> None:
    page = corpus.load_page(path)
    articles = corpus.gold_articles(page)
    assert [article.block for article in articles] == [
        index for index, block in enumerate(page.blocks) if block.type in corpus.ARTICLE_TYPES
    ]
    for article in articles:
        assert article.gold.kind == page.blocks[article.block].type
        assert article.body and all(paragraph.strip() for paragraph in article.body)


@pytest.mark.parametrize("path", EVERY_PAGE, ids=_stem)
def test_the_hand_text_holds_every_gold_body_paragraph(path: Path) -> None:
    page = corpus.load_page(path)
    text = "".join(corpus.hand_text(page).split())  # a real page's text breaks paragraphs where its columns did
    for article in corpus.gold_articles(page):
        for paragraph in article.body:
            assert "".join(paragraph.split()) in text


def test_the_hand_text_indents_running_paragraphs_and_parts_are_paragraphs(example: corpus.Page) -> None:
    paragraphs = corpus.hand_text(example).rstrip("\n").split("\n\n")
    assert len(paragraphs) == sum(len(block.parts) for block in example.blocks)
    assert any(paragraph.startswith("　　本报讯（记者 王磊 通讯员 李华）10月12日上午，") for paragraph in paragraphs)
    assert "高新区新增三处社区食堂" in paragraphs and "（通讯员 赵刚）" in paragraphs


@pytest.mark.parametrize(
    ("caption", "body"),
    [
        ("…热闹非凡。(本报记者 马雅宁 摄)", "…热闹非凡。"),
        ("…参加了比赛。（赵睿 摄）", "…参加了比赛。"),
        ("…热闹非凡。（X/摄）", "…热闹非凡。"),
        ("…临时停车区。 本报记者 施文韬 摄", "…临时停车区。"),
        ("…学做桂花香囊 汀州晚报记者 孙 苒 摄", "…学做桂花香囊"),
        ("…5个社区公园。南洲日报全媒体记者邝志明摄", "…5个社区公园。"),
        ("…他们在公园里拍摄。", "…他们在公园里拍摄。"),
        ("…居民报名参加（截至10月20日）。", "…居民报名参加（截至10月20日）。"),
    ],
)
def test_a_captions_inline_credit_is_not_body(caption: str, body: str) -> None:
    assert corpus.strip_inline_credit(caption) == body


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    """A change to a page's JSON: the value at ``path`` replaced."""

    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "place"),
    [
        (_set(["split"], "train"), "split"),
        (_set(["columns"], 8), "columns"),
        (_set(["issue_date"], "2026-02-30"), "issue_date"),
        (_set(["id"], "p00-other-1"), "id"),
        (_set(["blocks", 1, "parts", 0, "role"], "subtitle"), "blocks[1].parts[0].role"),
        (_set(["blocks", 1, "parts", 3], {"role": "lead", "text": "10月12日上午，……"}), "blocks[1].parts[3]"),
        (_set(["blocks", 2, "parts", 2], {"role": "body", "text": "x", "marker": "本报讯"}), "blocks[2].parts[2]"),
        (_set(["blocks", 1, "parts", 0], {"role": "body", "text": "守护"}), "blocks[1].parts"),
        (_set(["blocks", 1, "gold", "title"], "另一个标题"), "blocks[1].gold.title"),
        (_set(["blocks", 1, "gold", "subtitle"], "——每天供应午餐晚餐，老人凭卡享受八折"), "blocks[1].gold.subtitle"),
        (_set(["blocks", 1, "gold", "reporters"], ["王 磊"]), "blocks[1].gold.reporters"),
        (_set(["blocks", 1, "gold", "event_date"], "10月12日"), "blocks[1].gold.event_date"),
        (_set(["blocks", 1, "gold", "byline"], "王磊"), "blocks[1].gold"),
        (_set(["blocks", 3, "gold", "kind"], "story"), "blocks[3].gold.kind"),
        (_set(["blocks", 3, "image"], {"width": 0, "height": 3}), "blocks[3].image"),
        (_set(["blocks", 4, "gold"], {}), "blocks[4]"),
    ],
)
def test_a_page_breaking_the_format_is_refused_naming_the_place(
    change: Callable[[dict[str, Any]], None], place: str
) -> None:
    data = copy.deepcopy(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    change(data)
    with pytest.raises(corpus.PageError, match=re.escape(f"example.json: {place}")):
        corpus.parse_page(data, "example.json")


@pytest.mark.parametrize("path", SOURCES, ids=_stem)
def test_the_committed_texts_and_labels_match_the_source_page(path: Path) -> None:
    """A page edited after its texts were built fails here: rebuild with ``python -m tests.pages.build``."""
    page = corpus.load_page(path)
    assert json.loads((PAGES / "gold" / f"{page.id}.json").read_text(encoding="utf-8")) == corpus.gold_json(page)
    assert (PAGES / "text" / f"{page.id}.hand.txt").read_text(encoding="utf-8") == corpus.hand_text(page)
    for variant in ALL_VARIANTS:
        alignment = align(page, (PAGES / "text" / f"{page.id}.{variant}.txt").read_text(encoding="utf-8"))
        assert alignment.unaligned == 0, variant
        assert (PAGES / "labels" / f"{page.id}.{variant}.tsv").read_text(encoding="utf-8") == tsv(alignment)


def test_typesetting_is_deterministic_and_reports_every_photo(example: corpus.Page) -> None:
    pdf, geometry = typeset(example)
    again, same = typeset(example)
    assert pdf == again and geometry == same
    assert pdf.startswith(b"%PDF-")
    photos = [index for index, block in enumerate(example.blocks) if block.type == "photo"]
    assert [image.block for image in geometry.images] == photos
    for box in [*(line.bbox for line in geometry.lines), *(image.bbox for image in geometry.images)]:
        assert 0 <= box[0] < box[2] <= geometry.width and 0 <= box[1] < box[3] <= geometry.height


def test_every_printed_part_is_drawn_whole_once_in_its_role(example: corpus.Page) -> None:
    _, geometry = typeset(example)
    for index, block in enumerate(example.blocks):
        for role in {part.role for part in block.parts}:
            drawn = "".join(line.text for line in geometry.lines if line.block == index and line.role == role)
            printed = "".join(part.printed for part in block.parts if part.role == role)
            assert _SPACE.sub("", drawn) == _SPACE.sub("", printed), (index, role)
    headline = next(line for line in geometry.lines if line.role == "headline")
    body = next(line for line in geometry.lines if line.role == "body")
    assert headline.size >= 16 > 10 >= body.size and headline.font != body.font


def test_the_cross_validation_leaves_out_every_tuned_paper_once_and_never_the_bulletins_own() -> None:
    pages = tuned_pages()
    dealt = folds(pages)
    papers = [paper for fold in dealt for paper in fold]
    assert len(dealt) == FOLDS and len(papers) == len(set(papers))
    assert set(papers) == {page.paper_slug for page in pages} - {OWN_PAPER}
    assert all(page.split == "tune" for page in pages)
