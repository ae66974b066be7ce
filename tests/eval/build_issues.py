"""The page corpus's gold articles as editors' JSON issues: ``python -m tests.eval.build_issues``.

The residents' question set (``residents.json``) is asked over the sample issue and over the articles of the page
corpus (``tests/pages``). Asked over the corpus's gold rather than over what the parser makes of its pages, a miss
is the search's, never the parser's. Each issue date becomes one file, ``issues/<date>.json``, in the format
``bulletin ingest x.json`` reads; pages printed on the same date are one issue, in page order. A gold article the
page prints without a title (a caption, a brief) gets the title the parser would make up from its first clause
(``index.parse_fields.title_from``), so the expected titles of the set are what an editor would see.

The files are committed; ``tests/test_eval_residents.py`` fails while they differ from what this script makes.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from index.parse_fields import title_from

HERE = Path(__file__).resolve().parent
GOLD = HERE.parent / "pages" / "gold"
ISSUES = HERE / "issues"
#: The bulletin's own name in the page corpus: its pages are its real issues, not pages of another paper.
OWN_PAPER = "高新区头条"
#: The set's questions were written over the corpus's pages up to this one (p01-p24). Pages the parser's corpus
#: gained later hold no question, and each is another made-up district: asked over them too, a question without a
#: place name finds another district's story of the same kind (two 企业开办 services, two 长者食堂), which no
#: single district's bulletin prints, so the set would measure that ambiguity rather than the search.
LAST_PAGE_ASKED = 24
#: The keys of an editors' JSON issue that the gold holds, in the order ``ingest --json`` prints them.
ARTICLE_KEYS = ("title", "kicker", "subtitle", "kind", "reporters", "correspondents", "photographer", "event_date")


def gold_pages() -> Iterator[dict[str, Any]]:
    """Every gold page written in another paper's layout that the set was written over, in page order (the file
    names sort as the pages are numbered). The bulletin's own pages are left out: the set asks about the sample issue
    as it arrived."""
    for path in sorted(GOLD.glob("*.json")):
        page = json.loads(path.read_text(encoding="utf-8"))
        if page["paper"] != OWN_PAPER and int(path.name[1:3]) <= LAST_PAGE_ASKED:
            yield page


def editors_article(gold: dict[str, Any]) -> dict[str, Any]:
    """A gold article as an editor's JSON article; a title the page does not print is made up from the body."""
    article = {key: gold[key] for key in ARTICLE_KEYS}
    if article["title"] is None:
        article["title"] = title_from(gold["body"].split("\n")[0])
    article["body"] = gold["body"]
    return article


def issues() -> dict[str, list[dict[str, Any]]]:
    """The articles of every issue date, pages in page order and each page's articles as printed."""
    by_date: dict[str, list[dict[str, Any]]] = {}
    for page in gold_pages():
        by_date.setdefault(page["issue_date"], []).extend(editors_article(a) for a in page["articles"])
    return dict(sorted(by_date.items()))


def page_splits() -> dict[str, str]:
    """Each corpus article's title → the split of its page (``tune``/``holdout``), as the set's cases name them."""
    splits: dict[str, str] = {}
    for page in gold_pages():
        for article in page["articles"]:
            splits[editors_article(article)["title"]] = page["split"]
    return splits


def render(articles: list[dict[str, Any]]) -> str:
    return json.dumps(articles, ensure_ascii=False, indent=1) + "\n"


def main() -> None:
    """Write ``issues/<date>.json`` for every issue date of the corpus; print one line each."""
    for issue_date, articles in issues().items():
        path = ISSUES / f"{issue_date}.json"
        path.write_text(render(articles), encoding="utf-8")
        print(f"{path.relative_to(HERE.parent.parent)}: {len(articles)} articles")


if __name__ == "__main__":
    main()
