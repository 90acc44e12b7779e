"""Semantic understanding of a candidate's turn: the pitfalls and checklist items it signals, by meaning.

from interview.understanding import Understanding, available, unavailable_reason

if available():
    understanding = Understanding(loader=meaning.anchor_set)  # no I/O until first use
    for detection in understanding.classify("chat-system", "Each phone asks the server every 2 seconds."):
        print(detection.kind, detection.label, detection.sentence, detection.score)
else:
    log(unavailable_reason())  # the lean install: term rules only
"""

from __future__ import annotations

from interview.understanding.anchors import (
    ITEM,
    PITFALL,
    AnchorSet,
    LabelAnchors,
)
from interview.understanding.classifier import (
    DEFAULT_THRESHOLDS,
    STRICT_THRESHOLDS,
    Classifier,
    Detection,
    Thresholds,
)
from interview.understanding.encoder import (
    EncoderUnavailable,
    MiniLmEncoder,
    ModelFileMismatch,
    available,
    unavailable_reason,
)

__all__ = [
    "DEFAULT_THRESHOLDS",
    "ITEM",
    "PITFALL",
    "STRICT_THRESHOLDS",
    "AnchorSet",
    "Classifier",
    "Detection",
    "EncoderUnavailable",
    "LabelAnchors",
    "MiniLmEncoder",
    "ModelFileMismatch",
    "Thresholds",
    "Understanding",
    "available",
    "unavailable_reason",
]


class Understanding:
    """One shared encoder and a classifier per problem, each built and encoded on its first use."""

    def __init__(self, anchors: AnchorSet | None = None, encoder=None, *, loader=None, thresholds=None) -> None:
        """`loader` builds the anchors on first use (the problem files: interview.problems.meaning.anchor_set)."""
        self._anchors = anchors
        self._loader = loader
        self.thresholds = thresholds
        self.encoder = encoder if encoder is not None else MiniLmEncoder()
        self._classifiers: dict[str | None, Classifier] = {}

    @property
    def anchors(self) -> AnchorSet:
        if self._anchors is None:
            self._anchors = self._loader() if self._loader else AnchorSet()
        return self._anchors

    def classifier(self, problem: str | None) -> Classifier:
        """The classifier for a bank problem plus the generic pitfalls (None: generic only)."""
        if problem not in self._classifiers:
            self._classifiers[problem] = Classifier(self.anchors.for_problem(problem), self.encoder, self.thresholds)
        return self._classifiers[problem]

    def classify(self, problem: str | None, turn: str) -> list[Detection]:
        """The labels the turn signals; raises EncoderUnavailable or ModelFileMismatch (callers fall back to terms)."""
        return self.classifier(problem).classify(turn)
