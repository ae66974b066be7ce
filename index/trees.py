"""Gradient-boosted decision trees, fitted offline and evaluated here in plain Python.

The parser's decisions are made by models fitted on the page corpus (``tests/pages/train.py``, with scikit-learn);
what the bot needs at run time is only to walk their trees, which takes a few lines and no library. A model file
holds the feature names in order, the trees (parallel arrays as scikit-learn keeps them), the learning rate and the
starting score for each class; ``scores`` gives one raw score per class, ``probability`` the binary case's.
"""

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Tree:
    feature: tuple[int, ...]  # per node: the feature tested, or -2 at a leaf
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def predict(self, row: Sequence[float]) -> float:
        node = 0
        while self.feature[node] >= 0:
            node = self.left[node] if row[self.feature[node]] <= self.threshold[node] else self.right[node]
        return self.value[node]


@dataclass(frozen=True)
class TreeEnsemble:
    features: tuple[str, ...]
    classes: tuple[str, ...]
    #: The starting raw score of each class (log-odds for two classes).
    initial: tuple[float, ...]
    learning_rate: float
    #: Per boosting round, one tree per class (one in all for two classes).
    rounds: tuple[tuple[Tree, ...], ...]

    @classmethod
    def load(cls, path: str | Path) -> "TreeEnsemble":
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TreeEnsemble":
        rounds = tuple(
            tuple(
                Tree(
                    tuple(tree["feature"]),
                    tuple(tree["threshold"]),
                    tuple(tree["left"]),
                    tuple(tree["right"]),
                    tuple(tree["value"]),
                )
                for tree in trees
            )
            for trees in data["rounds"]
        )
        return cls(
            features=tuple(data["features"]),
            classes=tuple(data["classes"]),
            initial=tuple(data["initial"]),
            learning_rate=float(data["learning_rate"]),
            rounds=rounds,
        )

    def row(self, features: Mapping[str, float]) -> list[float]:
        """The feature values in the model's order (a feature not given is 0)."""
        return [float(features.get(name, 0.0)) for name in self.features]

    def scores(self, features: Mapping[str, float]) -> list[float]:
        row = self.row(features)
        totals = list(self.initial)
        for trees in self.rounds:
            for k, tree in enumerate(trees):
                totals[k] += self.learning_rate * tree.predict(row)
        return totals

    def probability(self, features: Mapping[str, float]) -> float:
        """For a two-class model: the probability of the second class."""
        score = self.scores(features)[0]
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def probabilities(self, features: Mapping[str, float]) -> dict[str, float]:
        """For a model of several classes: each class's probability (softmax of the scores)."""
        scores = self.scores(features)
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        total = sum(exps)
        return {name: value / total for name, value in zip(self.classes, exps, strict=True)}
