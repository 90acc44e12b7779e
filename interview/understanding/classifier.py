"""Classify a candidate's turn by meaning: which pitfalls and checklist items its clauses signal.

A clause signals a label when its nearest positive phrasing of that label is close enough (`min_similarity`) and
closer than any near miss by `min_margin`. Polarity guards against negation, which embeddings barely see: a phrasing
of the opposite polarity (one declines what the other says) counts `MISMATCH_PENALTY` less alike, and a positive
phrasing of the opposite polarity also pulls away like a near miss, so "we don't need monitoring" and "we need
monitoring" land on opposite sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from interview.understanding.anchors import ITEM, PITFALL, LabelAnchors
from interview.understanding.clauses import Clause, clauses, is_negated
from interview.understanding.head import LinearHead, features

NONE = -2.0  # below any cosine similarity: "no anchor of this sort"
MISMATCH_PENALTY = 0.15
FLIPPED_OFFSET = 0.05  # a flipped positive pulls away as a near miss this much weaker than its similarity


@dataclass(frozen=True)
class Thresholds:
    min_similarity: float
    min_margin: float
    min_probability: float = 0.0  # the linear head's score (pitfalls only: items have no near misses to fit on)


# Medians of the five folds' fits (evaluate.cross_validate on the tuning data; BENCHMARKS.md, "Semantic understanding").
# Balanced maximises F0.5 (pitfalls: cross-validated precision 0.53, recall 0.38, 18% of near misses flagged); strict
# does so among thresholds that flag at most 3% of near misses (precision 0.70, recall 0.09, 3.5% flagged).
DEFAULT_THRESHOLDS = {PITFALL: Thresholds(0.55, 0.0, 0.2), ITEM: Thresholds(0.60, -0.04)}
STRICT_THRESHOLDS = {PITFALL: Thresholds(0.55, -0.02, 0.4), ITEM: Thresholds(0.60, -0.04)}


@dataclass(frozen=True)
class Detection:
    """A label a turn signals: the clause that signalled it, its score, and the phrasing it matched."""

    label: str
    kind: str
    sentence: str
    score: float  # cosine similarity to the nearest positive phrasing
    margin: float  # how much closer that is than the nearest near miss
    anchor: str
    hedged: bool


@dataclass(frozen=True)
class TurnScores:
    """Per clause and label: similarity to the best supporting phrasing, to the best near miss, and which phrasing."""

    clauses: tuple[Clause, ...]
    support: np.ndarray  # (clauses, labels)
    against: np.ndarray  # (clauses, labels)
    nearest: np.ndarray  # (clauses, labels) anchor index
    probability: np.ndarray  # (clauses, labels) the head's probability; 1 where the label has no head


@dataclass(frozen=True)
class _Matrix:
    vectors: np.ndarray  # (anchors, dims)
    texts: tuple[str, ...]
    label_index: np.ndarray
    positive: np.ndarray
    negated: np.ndarray
    head: LinearHead | None
    head_columns: np.ndarray  # the labels the head scores, in its class order


class Classifier:
    """Anchors for one scope (a problem plus the generic ones); anchor vectors are computed on first use."""

    def __init__(
        self,
        anchors: Sequence[LabelAnchors],
        encoder,
        thresholds: dict[str, Thresholds] | None = None,
        mismatch_penalty: float = MISMATCH_PENALTY,
        flipped_offset: float = FLIPPED_OFFSET,
        items_as_none: bool = False,
    ):
        self.labels = tuple(a for a in anchors if a.positives)
        self.encoder = encoder
        self.thresholds = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
        self.mismatch_penalty = mismatch_penalty
        self.flipped_offset = flipped_offset
        self.items_as_none = items_as_none  # checklist phrasings are sound statements: "none" for the pitfall head
        self._matrix: _Matrix | None = None

    def prepare(self) -> None:
        """Encode every anchor once (the slow part of a cold start)."""
        if self._matrix is not None:
            return
        texts, label_index, positive = [], [], []
        for index, anchors in enumerate(self.labels):
            for text, is_positive in [(t, True) for t in anchors.positives] + [(t, False) for t in anchors.negatives]:
                texts.append(text)
                label_index.append(index)
                positive.append(is_positive)
        vectors = np.asarray(self.encoder.encode(texts), dtype=np.float32)
        label_index, positive = np.array(label_index, dtype=np.int64), np.array(positive, dtype=bool)
        negated = np.array([is_negated(t) for t in texts], dtype=bool)
        head, head_columns = self._train_head(vectors, label_index, positive, negated)
        self._matrix = _Matrix(vectors, tuple(texts), label_index, positive, negated, head, head_columns)

    def _train_head(self, vectors, label_index, positive, negated) -> tuple[LinearHead | None, np.ndarray]:
        """A head over the pitfalls: their phrasings each to their label, their near misses to "none"."""
        columns = np.array([i for i, a in enumerate(self.labels) if a.kind == PITFALL], dtype=np.int64)
        rows = np.isin(label_index, columns)
        if self.items_as_none:
            rows |= positive & ~rows
            positive = positive & np.isin(label_index, columns)
        if not columns.size or positive[rows].all():
            return None, columns[:0]
        class_of = {int(column): k + 1 for k, column in enumerate(columns)}
        classes = np.array(
            [class_of.get(int(i), 0) if p else 0 for i, p in zip(label_index[rows], positive[rows], strict=True)]
        )
        inputs = features(vectors[rows], negated[rows])
        return LinearHead.fit(inputs, classes, len(columns) + 1), columns

    def score(self, turn: str) -> TurnScores:
        """Similarities only, no decision: what `decide` and the evaluation's threshold fitting start from."""
        self.prepare()
        found = tuple(clauses(turn))
        shape = (len(found), len(self.labels))
        support, against = np.full(shape, NONE), np.full(shape, NONE)
        nearest = np.zeros(shape, dtype=np.int64)
        probability = np.ones(shape)
        if not found or not self.labels:
            return TurnScores(found, support, against, nearest, probability)
        matrix = self._matrix
        vectors = self.encoder.encode([c.text for c in found])
        similarity = vectors @ matrix.vectors.T
        if matrix.head is not None:
            negated = np.array([c.negated for c in found])
            probability[:, matrix.head_columns] = matrix.head.scores(features(vectors, negated))
        for row, clause in enumerate(found):
            flipped = matrix.negated != clause.negated
            alike = similarity[row] - self.mismatch_penalty * flipped
            support[row], nearest[row] = _best_per_label(alike, matrix.positive, matrix.label_index, shape[1])
            near_miss, _ = _best_per_label(alike, ~matrix.positive, matrix.label_index, shape[1])
            flipped_positive = np.where(flipped, similarity[row] - self.flipped_offset, NONE)
            opposite, _ = _best_per_label(flipped_positive, matrix.positive, matrix.label_index, shape[1])
            against[row] = np.maximum(near_miss, opposite)
        return TurnScores(found, support, against, nearest, probability)

    def decide(self, scores: TurnScores) -> list[Detection]:
        """The labels the scores signal, each with its strongest clause, best first."""
        best: dict[int, Detection] = {}
        for row, clause in enumerate(scores.clauses):
            for column, anchors in enumerate(self.labels):
                similarity, margin = (
                    scores.support[row, column],
                    scores.support[row, column] - scores.against[row, column],
                )
                limits = self.thresholds[anchors.kind]
                if (
                    similarity < limits.min_similarity
                    or margin < limits.min_margin
                    or scores.probability[row, column] < limits.min_probability
                ):
                    continue
                known = best.get(column)
                if known is None or similarity > known.score:
                    anchor = self._matrix.texts[scores.nearest[row, column]]
                    best[column] = Detection(
                        anchors.label,
                        anchors.kind,
                        clause.text,
                        float(similarity),
                        float(margin),
                        anchor,
                        clause.hedged,
                    )
        return sorted(best.values(), key=lambda d: -d.score)

    def closeness(self, text: str, label: str) -> float:
        """The text's cosine similarity to the nearest positive phrasing of `label` (NONE for a label it lacks)."""
        self.prepare()
        column = next((i for i, anchors in enumerate(self.labels) if anchors.label == label), None)
        if column is None:
            return NONE
        rows = (self._matrix.label_index == column) & self._matrix.positive
        if not rows.any():
            return NONE
        return float(np.max(self._matrix.vectors[rows] @ self.encoder.encode([text])[0]))

    def classify(self, turn: str) -> list[Detection]:
        """The pitfalls and checklist items the turn signals."""
        return self.decide(self.score(turn))


def _best_per_label(
    similarity: np.ndarray, mask: np.ndarray, label_index: np.ndarray, labels: int
) -> tuple[np.ndarray, np.ndarray]:
    """For each label, the highest similarity among the masked anchors and that anchor's index."""
    values = np.where(mask, similarity, NONE)
    order = np.lexsort((values, label_index))
    sorted_labels = label_index[order]
    last = np.flatnonzero(np.r_[sorted_labels[1:] != sorted_labels[:-1], True])
    best_value, best_index = np.full(labels, NONE), np.zeros(labels, dtype=np.int64)
    best_value[sorted_labels[last]] = values[order[last]]
    best_index[sorted_labels[last]] = order[last]
    return best_value, best_index
