"""A linear head over sentence vectors, fitted on one scope's anchors: each pitfall's phrasings against its near misses.

Nearest neighbours judge a clause by its single closest phrasing; the head weighs all of them, which helps where a
label's phrasings vary and its near misses share their words. It is ridge regression onto one-hot targets (one
linear solve, a few milliseconds), and its outputs read like probabilities: about 1 for its label, 0 for "none".
"""

from __future__ import annotations

import numpy as np

RIDGE = 1.0
POLARITY_WEIGHT = 0.5


def features(vectors: np.ndarray, negated: np.ndarray) -> np.ndarray:
    """The sentence vector, its polarity (so "we need X" and "we don't need X" differ) and a bias term."""
    ones = np.ones((len(vectors), 1), dtype=np.float32)
    return np.hstack([vectors, POLARITY_WEIGHT * negated.astype(np.float32)[:, None], ones])


class LinearHead:
    """Class 0 is "none of these" (the near misses); class k is the scope's k-th pitfall."""

    def __init__(self, weights: np.ndarray) -> None:
        self.weights = weights

    @classmethod
    def fit(cls, inputs: np.ndarray, classes: np.ndarray, count: int) -> LinearHead:
        targets = np.eye(count, dtype=np.float32)[classes]
        gram = inputs.T @ inputs + RIDGE * np.eye(inputs.shape[1], dtype=np.float32)
        return cls(np.linalg.solve(gram, inputs.T @ targets).astype(np.float32))

    def scores(self, inputs: np.ndarray) -> np.ndarray:
        """(rows, labels): each label's score, without the "none" column."""
        return (inputs @ self.weights)[:, 1:]
