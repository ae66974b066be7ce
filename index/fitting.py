"""Fitting the answer model (``index.ranking``) on the tune split of a question set: reproducible, numpy only.

``bulletin fit-answers`` indexes the set's issues, asks every tune question, and keeps each question's candidates
with their features (they do not depend on the weights being fitted: the candidates are the union of the BM25F and
the dense top lists). Then:

1. the rank weights: a conditional logit over each answerable question's candidates (the softmax of the weighted
   sums; the right story's probability maximised, an L2 penalty ``RANK_L2`` keeping weights moderate), by Newton's
   method with a backtracking line search: the problem is convex, so the result is the same on every run;
2. the "nothing" weights: a logistic regression of "the question is answerable" on the signals of the story the
   fitted weights rank first (similarity, coverage as written, kind), the two classes weighted equally (there are
   five answerable questions to one unanswerable), L2 ``REFUSAL_L2``;
3. the threshold: the highest that refuses at most ``MAX_WRONGLY_REFUSED`` of the answerable tune questions,
   halfway between the confidences on either side of it so it does not sit on one question;
4. a cut for the desk's doubtful answers (the ``DOUBTFUL_BELOW`` setting, suggested, not written): the lowest, in
   hundredths, under which the fitted model answers at least ``DOUBTFUL_SHARE`` of the tune questions whose first
   story is wrong.

Holdout questions never reach the fit; they are only reported.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from index.evaluation import Case
from index.ranking import FEATURES, SIGNALS, AnswerModel, Signals
from index.search import Candidate, Ranking, Search

#: Share of the answerable tune questions the threshold may refuse: below the 3 % allowed on the holdout.
MAX_WRONGLY_REFUSED = 0.02
RANK_L2 = 0.1
REFUSAL_L2 = 1.0
NEWTON_STEPS = 100
#: Share of the wrongly answered tune questions the desk's list of doubtful answers should hold.
DOUBTFUL_SHARE = 0.7

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Example:
    """A question of the set, its candidates, and which of them answer it (none for an unanswerable question)."""

    case: Case
    candidates: tuple[Candidate, ...]
    answers: tuple[bool, ...]
    kind: bool


def untrained() -> AnswerModel:
    """A model to collect candidates with before any fit: their features do not depend on it, and it refuses
    nothing."""
    return AnswerModel(
        weights=dict.fromkeys(FEATURES, 1.0),
        refusal_weights=dict.fromkeys(SIGNALS, 0.0),
        refusal_bias=0.0,
        threshold=0.0,
    )


def example(case: Case, ranking: Ranking, title_of: Callable[[str], str | None]) -> Example:
    answers = tuple(case.expect is not None and title_of(c.id) == case.expect for c in ranking.candidates)
    return Example(case, ranking.candidates, answers, ranking.kind is not None)


def titles(search: Search) -> Callable[[str], str | None]:
    """An article's title by id (None for an id the index no longer holds), each read once."""
    read: dict[str, str | None] = {}

    def title_of(article_id: str) -> str | None:
        if article_id not in read:
            article = search.article(article_id)
            read[article_id] = article.title if article else None
        return read[article_id]

    return title_of


def fit_on(search: Search, cases: Sequence[Case], today: date, source: str = "") -> AnswerModel:
    """The model fitted on ``cases`` (the tune split), asked over ``search``'s index as residents ask them."""
    title_of = titles(search)
    examples = [
        example(case, search.rank(search.questions.analyze(case.query, case.today or today)), title_of)
        for case in cases
    ]
    answerable = sum(case.expect is not None for case in cases)
    fitted = {"set": source, "split": "tune", "answerable": answerable, "nothing": len(cases) - answerable}
    return fit(examples, fitted)


def fit(examples: Sequence[Example], fitted: dict[str, Any] | None = None) -> AnswerModel:
    """The answer model fitted on ``examples`` (the tune split's)."""
    weights = fit_rank_weights(examples)
    signals = [(first_signals(e, weights), e.case.expect is not None) for e in examples if e.candidates]
    bias, refusal = fit_refusal(signals)
    model = AnswerModel(
        weights=dict(zip(FEATURES, map(float, weights), strict=True)),
        refusal_weights=dict(zip(SIGNALS, map(float, refusal), strict=True)),
        refusal_bias=float(bias),
        threshold=0.0,
        fitted=fitted or {},
    )
    answerable = [model.confidence(s) for s, label in signals if label]
    answerable += [0.0] * sum(e.case.expect is not None and not e.candidates for e in examples)
    return AnswerModel(model.weights, model.refusal_weights, model.refusal_bias, threshold(answerable), model.fitted)


def first_signals(e: Example, weights: Array) -> Signals:
    """The "nothing" signals of the candidate ``weights`` rank first."""
    scores = np.array([c.features for c in e.candidates]) @ weights
    first = e.candidates[int(np.argmax(scores))]
    return Signals(
        similarity=first.features[FEATURES.index("similarity")], coverage=first.written_coverage, kind=e.kind
    )


def fit_rank_weights(examples: Sequence[Example], l2: float = RANK_L2) -> Array:
    """Conditional-logit weights: each answerable question's candidates, the right ones sharing the target."""
    groups = []
    for e in examples:
        answers = np.array(e.answers, dtype=np.float64)
        if answers.sum():
            groups.append((np.array([c.features for c in e.candidates], dtype=np.float64), answers / answers.sum()))
    if not groups:
        raise ValueError("no question of the set has its answer among the candidates: nothing to fit")
    return _newton(lambda w: _conditional_logit(w, groups, l2), np.zeros(len(FEATURES)))


def fit_refusal(signals: Sequence[tuple[Signals, bool]], l2: float = REFUSAL_L2) -> tuple[float, Array]:
    """Logistic regression of "answerable" on the signals, both classes weighted to the same total."""
    if not signals or all(label for _, label in signals) or not any(label for _, label in signals):
        raise ValueError("fitting the 'nothing' decision needs answerable and unanswerable questions")
    x = np.array([[1.0, *s.vector()] for s, _ in signals])
    y = np.array([float(label) for _, label in signals])
    weight = np.where(y == 1.0, len(y) / (2 * y.sum()), len(y) / (2 * (len(y) - y.sum())))
    w = _newton(lambda w: _logistic(w, x, y, weight, l2), np.zeros(x.shape[1]))
    return float(w[0]), w[1:]


def answered(search: Search, cases: Sequence[Case], today: date) -> list[tuple[float, bool]]:
    """``(confidence, first story right)`` of every case ``search`` (with its fitted model) answers with a story."""
    title_of = titles(search)
    rows = []
    for case in cases:
        ranking = search.rank(search.questions.analyze(case.query, case.today or today))
        if ranking.ranked and ranking.confidence is not None:
            rows.append((ranking.confidence, case.expect is not None and title_of(ranking.ranked[0].id) == case.expect))
    return rows


def doubtful_below(answers: Sequence[tuple[float, bool]], share: float = DOUBTFUL_SHARE) -> float:
    """The lowest confidence cut, in hundredths, under which at least ``share`` of the wrong ``answers`` fall (0 when
    none is wrong): answers under it are listed on the desk as doubtful."""
    wrong = sorted(confidence for confidence, right in answers if not right)
    if not wrong:
        return 0.0
    needed = wrong[math.ceil(share * len(wrong)) - 1]
    return (math.floor(needed * 100) + 1) / 100


def threshold(answerable: Sequence[float], share: float = MAX_WRONGLY_REFUSED) -> float:
    """The highest threshold refusing at most ``share`` of the ``answerable`` questions' confidences."""
    ranked = sorted(answerable)
    allowed = int(share * len(ranked))
    if allowed >= len(ranked):
        return 1.0
    if allowed == 0:
        return ranked[0] / 2
    return (ranked[allowed - 1] + ranked[allowed]) / 2


def _conditional_logit(w: Array, groups: Sequence[tuple[Array, Array]], l2: float) -> tuple[float, Array, Array]:
    """Loss, gradient and Hessian of the penalised negative log-likelihood."""
    loss = 0.5 * l2 * float(w @ w)
    gradient = l2 * w
    hessian = l2 * np.eye(len(w))
    for x, target in groups:
        scores = x @ w
        top = scores.max()
        p = np.exp(scores - top)
        p /= p.sum()
        loss += float(top + np.log(np.exp(scores - top).sum()) - target @ scores)
        gradient = gradient + x.T @ (p - target)
        mean = x.T @ p
        hessian = hessian + (x.T * p) @ x - np.outer(mean, mean)
    return loss, gradient, hessian


def _logistic(w: Array, x: Array, y: Array, weight: Array, l2: float) -> tuple[float, Array, Array]:
    z = x @ w
    p = 1.0 / (1.0 + np.exp(-z))
    penalty = np.r_[0.0, w[1:]]  # the intercept is not penalised
    loss = float(weight @ (np.logaddexp(0.0, z) - y * z)) + 0.5 * l2 * float(penalty @ penalty)
    gradient = x.T @ (weight * (p - y)) + l2 * penalty
    hessian = (x.T * (weight * p * (1 - p))) @ x + l2 * np.diag(np.r_[0.0, np.ones(len(w) - 1)])
    return loss, gradient, hessian


def _newton(objective: Callable[[Array], tuple[float, Array, Array]], w: Array) -> Array:
    """Minimise a smooth convex ``objective`` (loss, gradient, Hessian) from ``w``."""
    for _ in range(NEWTON_STEPS):
        loss, gradient, hessian = objective(w)
        step = np.linalg.solve(hessian, gradient)
        size = 1.0
        while objective(w - size * step)[0] > loss and size > 1e-8:
            size /= 2
        w = w - size * step
        if float(np.abs(size * step).max()) < 1e-9:
            break
    return w
