"""The segmenter: jieba-rs must cut as the jieba package does, and index and queries must cut alike."""

import logging
import re
import unicodedata
from datetime import date
from pathlib import Path

import jieba
import pytest

from index import segment
from index.analysis import UNCHANGED_BY_NFKC, fold_width, is_word
from index.store import Store
from tests.conftest import ROOT
from tests.helpers import QUESTIONS, WORDS, analyze, make_issue

TEXTS = [ROOT / "data" / "issues" / "2026-04-28.txt", *sorted((ROOT / "tests").glob("**/issues/*.txt"))]


@pytest.fixture(scope="module")
def reference():
    """The jieba package with the same user dictionary: the behaviour jieba-rs stands in for."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with open(WORDS.userdict, "rb") as handle:
        tokenizer.load_userdict(handle)
    return tokenizer


def lines():
    for path in TEXTS:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield fold_width(line.strip())


def test_jieba_rs_cuts_every_line_of_every_issue_as_jieba_does(reference):
    for line in lines():
        expected = [token for token in reference.tokenize(line, mode="search") if is_word(token[0])]
        assert [tuple(t) for t in segment.tokenize(line) if is_word(t[0])] == expected, line


def test_the_user_dictionary_is_applied():
    assert "三管三必须" in segment.cut("按照三管三必须要求")
    assert "山阳路" in [word for word, _, _ in segment.tokenize("山阳路跨大沙河桥")]


def test_userdict_lines_with_and_without_frequency_and_tag(tmp_path):
    path = tmp_path / "dict.txt"
    path.write_text("\ufeff高新区 50000 n\n文博路\n三十工程 ns\n\n", encoding="utf-8")
    assert segment.read_userdict(path) == [("高新区", 50000, "n"), ("文博路", None, None), ("三十工程", None, "ns")]


def test_an_index_and_a_question_cut_the_same_text_into_the_same_terms(data_dir):
    """The analyzer pickled into the index (what was indexed) and the one queries use (what is searched)."""
    store = Store(data_dir, WORDS)
    store.ingest(make_issue("2026-05-01", ["测试"]), b"x")
    indexed = store.index_dir.open().schema["body"].analyzer
    asked = QUESTIONS.terms_analyzer
    for line in lines():
        assert [(t.text, t.pos) for t in asked(line, positions=True)] == [
            (t.text, t.pos) for t in indexed(line, positions=True)
        ], line
    assert analyze("山阳路跨大沙河桥什么时候通车", date(2026, 5, 1)).terms == (
        "山阳",
        "阳路",
        "山阳路",
        "跨",
        "沙河",
        "大沙河",
        "桥",
        "通车",
    )


#: Every character Python knows of.
EVERY_CHARACTER = [chr(code) for code in range(0x110000)]


def test_width_folding_is_nfkc_character_by_character_keeping_each_character_s_place():
    text = "".join(EVERY_CHARACTER)
    expected = (folded if len(folded := unicodedata.normalize("NFKC", ch)) == 1 else ch for ch in EVERY_CHARACTER)
    assert fold_width(text) == "".join(expected)


def test_the_characters_width_folding_skips_are_unchanged_by_nfkc():
    skipped = re.compile(f"[{UNCHANGED_BY_NFKC}]")
    assert all(unicodedata.normalize("NFKC", ch) == ch for ch in EVERY_CHARACTER if skipped.match(ch))


def test_a_word_holds_a_letter_or_a_digit():
    assert [is_word(ch) for ch in EVERY_CHARACTER] == [ch.isalnum() for ch in EVERY_CHARACTER]
