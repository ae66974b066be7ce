"""A logistic model, fitted offline and evaluated here: a weighted sum of features through the logistic function.

Where the training data is small (texts copied a paragraph a line have few broken lines to learn from), a few clear
features weighed linearly generalise better than trees, which would learn the quirks of the few examples.
"""

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LogisticModel:
    weights: dict[str, float]
    bias: float
    #: The probability above which the model's decision is yes (fitted with it).
    threshold: float = 0.5

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> "LogisticModel":
        weights = data["weights"]
        bias = data["bias"]
        threshold = data.get("threshold", 0.5)
        assert isinstance(weights, dict) and isinstance(bias, int | float) and isinstance(threshold, int | float)
        return cls({str(name): float(value) for name, value in weights.items()}, float(bias), float(threshold))

    @classmethod
    def load(cls, path: str | Path) -> "LogisticModel":
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))

    def probability(self, features: Mapping[str, float]) -> float:
        score = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
