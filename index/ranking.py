"""How the signals of a candidate story combine into its rank, and when the best story is no answer at all.

Two lists of candidates meet here: the BM25F ranking of the question's words (``index.search``) and the stories
nearest to the question's meaning (``index.dense``). Neither is enough alone: BM25F misses a resident's everyday
words and is fooled by a common word a wrong story repeats; the dense signal knows that 退休金 is 养老金 but cannot
tell 望湖社区's clinic from another community's. Each candidate is described by a few features, each in [0, 1]:

- ``bm25``: its BM25F score over the question's best (0 when BM25F did not find it), and ``bm25_rank``: 1/rank;
- ``similarity``: the cosine of its vector with the question's, and ``similarity_rank``: 1/rank among all stories;
- ``coverage``: the rarity-weighted share of the question's content words it holds (``index.coverage``: no single
  character nor very common word counts, the paper's word for a colloquial one counts less), ``written_coverage``:
  the same without the colloquial-word map, and ``title_coverage``: the same in its headline alone;
- ``phrases``: the share of the question's neighbouring words it holds side by side (望湖社区, 十一中).

The rank is a weighted sum of the features. The weights are fitted (``index.fitting``) as a conditional logit: the
probability that a candidate is the answer is the softmax of the sums over the question's candidates, and the fit
maximises that of the right story over the tune split of the residents' questions. Only differences between
candidates of one question matter, so no feature needs calibrating across questions, and raw BM25 scores (which are
not comparable across questions) enter only as shares of the question's best.

"Nothing" is decided on the question as written, on three signals of the story ranked first: its ``similarity``,
its ``coverage`` without the colloquial-word map, and whether the question is of a ``kind`` the bulletin never
answers (``index.offtopic``). A logistic model turns them into a confidence; below ``threshold`` the bot says it has
no report. Its weights and threshold are fitted on the tune split too, the threshold as the highest that wrongly
refuses at most ``index.fitting.MAX_WRONGLY_REFUSED`` of the answerable questions.

Weights and threshold live in one JSON file (``config/answer_model.json``, the ``ANSWER_MODEL`` setting) that
``bulletin fit-answers`` writes.
"""

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

#: A candidate's features, in the order of its vector.
FEATURES = (
    "bm25",
    "bm25_rank",
    "similarity",
    "similarity_rank",
    "coverage",
    "written_coverage",
    "title_coverage",
    "phrases",
)
#: The "nothing" decision's signals, in the order of its vector.
SIGNALS = ("similarity", "coverage", "kind")


@dataclass(frozen=True)
class Signals:
    """What the "nothing" decision reads of a question and the story ranked first."""

    similarity: float
    #: Coverage of the question as written (no colloquial words).
    coverage: float
    #: The question is of a kind the bulletin never answers.
    kind: bool

    def vector(self) -> tuple[float, ...]:
        return (self.similarity, self.coverage, float(self.kind))


@dataclass(frozen=True)
class AnswerModel:
    #: Feature -> weight of the rank.
    weights: Mapping[str, float]
    #: Signal -> weight of the confidence that the first story answers, and its intercept.
    refusal_weights: Mapping[str, float]
    refusal_bias: float
    #: Below this confidence the bot says it has nothing.
    threshold: float
    #: How the model was fitted (set, split, counts, figures): for the reader of the file, not used.
    fitted: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if set(self.weights) != set(FEATURES) or set(self.refusal_weights) != set(SIGNALS):
            raise ValueError(f"an answer model needs weights for {', '.join(FEATURES)} and {', '.join(SIGNALS)}")

    def score(self, features: Sequence[float]) -> float:
        """A candidate's rank score from its features (in ``FEATURES`` order)."""
        return sum(self.weights[name] * value for name, value in zip(FEATURES, features, strict=True))

    def confidence(self, signals: Signals) -> float:
        """The probability that the story ranked first answers the question."""
        z = self.refusal_bias + sum(
            self.refusal_weights[name] * value for name, value in zip(SIGNALS, signals.vector(), strict=True)
        )
        return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0

    def refuses(self, signals: Signals) -> bool:
        return self.confidence(signals) < self.threshold

    def to_json(self) -> dict[str, Any]:
        return {
            "weights": {name: round(self.weights[name], 6) for name in FEATURES},
            "refusal": {
                "weights": {name: round(self.refusal_weights[name], 6) for name in SIGNALS},
                "bias": round(self.refusal_bias, 6),
                "threshold": round(self.threshold, 6),
            },
            "fitted": dict(self.fitted),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "AnswerModel":
        refusal = data["refusal"]
        return cls(
            weights={name: float(value) for name, value in data["weights"].items()},
            refusal_weights={name: float(value) for name, value in refusal["weights"].items()},
            refusal_bias=float(refusal["bias"]),
            threshold=float(refusal["threshold"]),
            fitted=data.get("fitted", {}),
        )

    @classmethod
    def load(cls, path: str | PathLike[str]) -> "AnswerModel":
        """The model in ``path``; ``ValueError`` (or ``KeyError``) says what is missing."""
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))

    def save(self, path: str | PathLike[str]) -> None:
        Path(path).write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
