"""A linear head over sentence vectors: which pitfall, if any, a clause commits; trained on a problem's phrasings.

Nearest-neighbour similarity cannot tell a mistake from its near miss (they share most words, so their vectors are
close), and cross-validated on the tuning phrasings it flagged a third of its hits wrongly. A softmax over
"none" plus each pitfall, trained on the phrasings, their near misses and the checklist's correct sentences as
"none", is more precise at the same threshold (see BENCHMARKS.md, "Semantic understanding").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from interview.understanding.anchors import PITFALL, LabelAnchors
from interview.understanding.classifier import Detection
from interview.understanding.clauses import is_hedged, sentences

SCALE = 10.0  # unit vectors times this: logits wide enough to train in a few hundred steps
EPOCHS = 400
LEARNING_RATE = 0.05
L2 = 1e-2
# Chosen on the tuning phrasings (4-fold): at 0.8 precision 0.85, near misses flagged 0.7%, recall 4% (at 0.7:
# 0.84, 1.5%, 9%). Pushing back on a correct statement is worse than staying quiet, so the stricter one.
MIN_PROBABILITY = 0.8
# A term hit is vetoed when the head is that sure of "none" and gives the pitfall under this (tuning data: 22 of
# 1,347 retired mistakes lost, and 8 of 15 earlier term challenges of strong candidates on problem pitfalls vetoed).
SURELY_NOT = 0.01


@dataclass(frozen=True)
class _Head:
    weights: np.ndarray  # (dims, 1 + labels)
    bias: np.ndarray


def train_softmax(features: np.ndarray, classes: np.ndarray, count: int) -> _Head:
    """Full-batch gradient descent from zeros: the same data always gives the same head."""
    weights, bias = np.zeros((features.shape[1], count)), np.zeros(count)
    targets = np.eye(count)[classes]
    for _ in range(EPOCHS):
        probabilities = _softmax(features @ weights + bias)
        gradient = (probabilities - targets) / len(features)
        weights -= LEARNING_RATE * (features.T @ gradient + L2 * weights)
        bias -= LEARNING_RATE * gradient.sum(0)
    return _Head(weights, bias)


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=1, keepdims=True)
    exponents = np.exp(logits)
    return exponents / exponents.sum(axis=1, keepdims=True)


class LinearPitfalls:
    """Pitfalls by meaning for one scope; trains on first use (constructors do no work)."""

    def __init__(
        self, labels: Sequence[LabelAnchors], none: Sequence[str], encoder, min_probability: float = MIN_PROBABILITY
    ):
        self.labels = tuple(label for label in labels if label.positives)
        self.none = tuple(none)
        self.encoder = encoder
        self.min_probability = min_probability
        self._head: _Head | None = None

    def prepare(self) -> None:
        if self._head is not None:
            return
        texts, classes = [], []
        for index, label in enumerate(self.labels, start=1):
            texts += [*label.positives, *label.negatives]
            classes += [index] * len(label.positives) + [0] * len(label.negatives)
        texts += self.none
        classes += [0] * len(self.none)
        features = SCALE * np.asarray(self.encoder.encode(texts), dtype=np.float64)
        self._head = train_softmax(features, np.array(classes), len(self.labels) + 1)

    def sure_it_is_correct(self, sentence: str, label: str) -> bool:
        """True when the head puts the sentence in "none" as surely as it must to flag a mistake, and the label
        below 1%: the words may match a mistake's terms, but it reads like the correct statements."""
        self.prepare()
        index = next((i for i, known in enumerate(self.labels, start=1) if known.label == label), None)
        if index is None:
            return False
        row = self._probabilities([sentence])[0]
        return bool(row[0] >= self.min_probability and row[index] < SURELY_NOT)

    def _probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's probabilities: "none" first, then each label in order (the head is prepared)."""
        features = SCALE * np.asarray(self.encoder.encode(texts), dtype=np.float64)
        return _softmax(features @ self._head.weights + self._head.bias)

    def classify(self, turn: str) -> list[Detection]:
        """The pitfalls the turn's clauses commit, each once with its most certain clause, most certain first."""
        self.prepare()
        found = sentences(turn)  # whole sentences: a clause cut from "X, but Y" loses the context that makes it right
        if not found or not self.labels:
            return []
        probabilities = self._probabilities(found)
        best: dict[int, Detection] = {}
        for sentence, row in zip(found, probabilities, strict=True):
            choice = int(row.argmax())
            if choice == 0 or row[choice] < self.min_probability:
                continue
            label = self.labels[choice - 1]
            if choice not in best or row[choice] > best[choice].score:
                best[choice] = Detection(
                    label.label,
                    PITFALL,
                    sentence,
                    float(row[choice]),
                    float(row[choice] - row[0]),
                    "",
                    is_hedged(sentence),
                )
        return sorted(best.values(), key=lambda detection: -detection.score)
