"""The articles' vectors go with the index: one contiguous array per Whoosh commit, written before the commit and
removed when it fails, switched with a reindex's new generation, refused when missing or made by another encoder."""

from datetime import date

import numpy as np
import pytest

from index import indexdir
from index import store as store_module
from index.dense import Vectors, article_text, load_encoder
from index.indexdir import IndexOutdated, VectorsMissing, read_vectors, toc_generation
from index.store import Store
from tests.helpers import WORDS, analyze, make_issue, open_search

DAY = date(2026, 5, 1)


@pytest.fixture
def store(data_dir):
    return Store(data_dir, WORDS, lock_timeout=0.5)


def live_vectors(store):
    path = store.index_dir.current()
    return read_vectors(path, toc_generation(path), store.encoder.name)


def vector_files(store):
    return sorted(p.name for p in store.index_dir.current().glob("vectors-*"))


def test_the_encoder_is_loaded_once_per_process_and_gives_unit_rows():
    encoder = load_encoder()
    assert load_encoder() is encoder
    matrix = encoder.encode(["养老金10月起上调", "退休金什么时候涨"])
    assert matrix.shape == (2, encoder.dimension) and matrix.dtype == np.float32
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-3)
    assert encoder.encode([]).shape == (0, encoder.dimension)
    with pytest.raises(ValueError, match="unknown encoder"):
        load_encoder("bert")


def test_the_encoder_pins_every_blas_call_of_the_process_to_its_threads():
    """The cosines with every article run outside the encoder: OpenBLAS's idle threads would spin on other cores."""
    from threadpoolctl import threadpool_info

    load_encoder(threads=1)
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_an_articles_text_is_its_heads_and_lead():
    article = make_issue(DAY, ["养老服务新政策"]).articles[0]
    assert article_text(article).startswith("养老服务新政策\n养老服务新政策的正文")


def test_each_commit_has_the_vectors_of_exactly_its_articles_in_one_array(store):
    store.ingest(make_issue(DAY, ["养老服务新政策", "山阳路大桥通车"]), b"")
    store.ingest(make_issue(date(2026, 5, 9), ["太极拳比赛"]), b"")
    vectors = live_vectors(store)
    assert vectors.ids == ("2026-05-01-01", "2026-05-01-02", "2026-05-09-01")
    assert vectors.matrix.flags["C_CONTIGUOUS"] and vectors.matrix.shape == (3, store.encoder.dimension)
    store.ingest(make_issue(DAY, ["只剩一篇"]), b"")  # a new version of an issue replaces its vectors
    assert live_vectors(store).ids == ("2026-05-09-01", "2026-05-01-01")
    store.remove(date(2026, 5, 9))
    assert live_vectors(store).ids == ("2026-05-01-01",)
    toc = toc_generation(store.index_dir.current())
    assert vector_files(store) == [f"vectors-{n}.{ext}" for n in (toc - 1, toc) for ext in ("json", "npy")]


def test_a_reindex_switches_to_a_new_generation_with_its_vectors(store):
    store.ingest(make_issue(DAY, ["养老服务新政策", "山阳路大桥通车"]), b"")
    old = store.index_dir.current()
    assert store.reindex() == 2
    new = store.index_dir.current()
    assert new != old and live_vectors(store).ids == ("2026-05-01-01", "2026-05-01-02")
    assert np.allclose(live_vectors(store).matrix, read_vectors(old, toc_generation(old), store.encoder.name).matrix)


def test_a_failed_ingest_leaves_archive_index_and_vectors_as_they_were(store, monkeypatch):
    old = make_issue(DAY, ["旧新闻"])
    store.ingest(old, b"old")
    generation, files, vectors = store.index_dir.generation(), vector_files(store), live_vectors(store)

    def broken(article):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "to_document", broken)
    with pytest.raises(OSError):
        store.ingest(make_issue(DAY, ["新新闻"]), b"new")
    monkeypatch.undo()

    def full_disk(path, toc, vectors):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "write_vectors", full_disk)
    with pytest.raises(OSError):
        store.ingest(make_issue(date(2026, 5, 9), ["别的新闻"]), b"other")
    assert store.archive.load(DAY) == old and store.archive.dates() == [DAY]
    assert store.index_dir.generation() == generation and vector_files(store) == files
    assert live_vectors(store).ids == vectors.ids and np.array_equal(live_vectors(store).matrix, vectors.matrix)


def test_a_commit_whose_vectors_cannot_be_written_is_not_made(store, monkeypatch):
    store.ingest(make_issue(DAY, ["旧新闻"]), b"old")
    generation = store.index_dir.generation()
    written = indexdir.write_vectors

    def half_written(path, toc, vectors):
        written(path, toc, vectors)
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(store_module, "write_vectors", half_written)
    with pytest.raises(OSError):
        store.ingest(make_issue(DAY, ["新新闻"]), b"new")
    assert store.index_dir.generation() == generation
    assert not (store.index_dir.current() / f"vectors-{toc_generation(store.index_dir.current()) + 1}.npy").exists()


def test_an_index_without_vectors_or_with_another_encoders_is_refused_until_reindexed(store):
    store.ingest(make_issue(DAY, ["养老服务新政策"]), b"")
    path = store.index_dir.current()
    toc = toc_generation(path)
    other = Vectors("another-encoder", ("2026-05-01-01",), np.zeros((1, 4), dtype=np.float32))
    indexdir.write_vectors(path, toc, other)
    with pytest.raises(VectorsMissing, match="another-encoder"):
        read_vectors(path, toc, store.encoder.name)
    for file in path.glob("vectors-*"):
        file.unlink()
    with open_search(store) as search:
        assert search.find(analyze("养老服务", DAY)) == []
        with pytest.raises(IndexOutdated, match="reindex"):
            search.doc_count()
    with pytest.raises(IndexOutdated):
        store.ingest(make_issue(date(2026, 5, 9), ["太极拳比赛"]), b"")
    store.reindex()
    with open_search(store) as search:
        assert search.find(analyze("养老服务", DAY))


def test_a_search_reads_the_vectors_of_the_commit_it_opened(store):
    store.ingest(make_issue(DAY, ["养老服务新政策"]), b"")
    with open_search(store) as search:
        assert [r.id for r in search.find(analyze("养老服务", DAY))] == ["2026-05-01-01"]
        store.ingest(make_issue(date(2026, 5, 9), ["退休金上调"]), b"")
        assert "2026-05-09-01" in {r.id for r in search.find(analyze("退休金上调", DAY))}
