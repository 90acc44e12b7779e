"""Precision and recall per label, and a cross-validated run whose thresholds never see the sentences they judge."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from interview.understanding.anchors import GENERIC, ITEM, PITFALL, AnchorSet, LabelAnchors
from interview.understanding.classifier import Classifier, Thresholds, TurnScores

SIMILARITY_GRID = np.round(np.arange(0.40, 0.851, 0.05), 3)
MARGIN_GRID = np.round(np.arange(-0.04, 0.161, 0.02), 3)
PROBABILITY_GRID = np.array([0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])
# Precision weighs more for pitfalls (a false challenge is worse than a missed one), recall for items.
F_BETA = {PITFALL: 0.5, ITEM: 1.0}


@dataclass(frozen=True)
class Case:
    """A labelled turn: a positive phrasing of `label`, or (positive=False) one of its near misses."""

    text: str
    problem: str
    label: str
    kind: str
    positive: bool


@dataclass
class Counts:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    def add(self, other: Counts) -> None:
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives


@dataclass
class Report:
    """Counts per (kind, label), and near misses that were flagged (false pushback) per kind."""

    per_label: dict[tuple[str, str], Counts] = field(default_factory=dict)
    near_misses: dict[str, list[int]] = field(default_factory=dict)  # kind -> [flagged, total]

    def counts(self, kind: str, label: str) -> Counts:
        return self.per_label.setdefault((kind, label), Counts())

    def total(self, kind: str) -> Counts:
        total = Counts()
        for (k, _), counts in self.per_label.items():
            if k == kind:
                total.add(counts)
        return total

    def near_miss_rate(self, kind: str) -> float:
        flagged, seen = self.near_misses.get(kind, [0, 0])
        return flagged / seen if seen else 0.0


def cases_from(anchors: Iterable[LabelAnchors]) -> list[Case]:
    cases = []
    for a in anchors:
        cases += [Case(t, a.problem, a.label, a.kind, True) for t in a.positives]
        cases += [Case(t, a.problem, a.label, a.kind, False) for t in a.negatives]
    return cases


def record(report: Report, case: Case, flagged: set[tuple[str, str]]) -> None:
    """Score one case: its own label must be flagged iff it is positive; any other flagged label is a false positive."""
    own = (case.kind, case.label)
    if case.positive:
        counts = report.counts(*own)
        if own in flagged:
            counts.true_positives += 1
        else:
            counts.false_negatives += 1
    else:
        tally = report.near_misses.setdefault(case.kind, [0, 0])
        tally[0] += own in flagged
        tally[1] += 1
        if own in flagged:
            report.counts(*own).false_positives += 1
    # A near miss of a pitfall may well cover a checklist item: only the same kind's other labels count against.
    for other in flagged - {own}:
        if other[0] == case.kind:
            report.counts(*other).false_positives += 1


def evaluate(cases: Sequence[Case], flag: Callable[[Case], set[tuple[str, str]]]) -> Report:
    """Precision/recall per label of any detector that maps a case to the (kind, label) pairs it flags."""
    report = Report()
    for case in cases:
        record(report, case, flag(case))
    return report


def fold_of(case: Case, folds: int) -> int:
    """A stable fold per sentence (the same split on every run and machine)."""
    return zlib.crc32(case.text.encode()) % folds


def without(anchor_set: AnchorSet, texts: set[str]) -> AnchorSet:
    """The anchors with the given phrasings removed."""
    kept = AnchorSet()
    for a in anchor_set.all():
        positives = tuple(t for t in a.positives if t not in texts)
        negatives = tuple(t for t in a.negatives if t not in texts)
        kept.add(LabelAnchors(a.label, a.kind, a.problem, positives, negatives, a.phase))
    return kept


def scope_of(case: Case) -> str | None:
    return None if case.problem == GENERIC else case.problem


def _classifiers(anchor_set: AnchorSet, encoder, thresholds=None, **options) -> dict[str | None, Classifier]:
    scopes = [None, *anchor_set.problems()]
    return {scope: Classifier(anchor_set.for_problem(scope), encoder, thresholds, **options) for scope in scopes}


def _raw_scores(
    anchor_set: AnchorSet, cases: Sequence[Case], encoder, **options
) -> list[tuple[Classifier, TurnScores]]:
    classifiers = _classifiers(anchor_set, encoder, **options)
    return [(classifiers[scope_of(c)], classifiers[scope_of(c)].score(c.text)) for c in cases]


def _flagged_on_grid(classifier: Classifier, scores: TurnScores, kind: str) -> dict[str, np.ndarray]:
    """For each label of the kind, a (similarity, margin, probability) grid of booleans: flagged there?"""
    flagged = {}
    for column, anchors in enumerate(classifier.labels):
        if anchors.kind != kind or not len(scores.clauses):
            continue
        support = scores.support[:, column]
        margin = support - scores.against[:, column]
        probability = scores.probability[:, column]
        grid = (
            (support[:, None, None, None] >= SIMILARITY_GRID[None, :, None, None])
            & (margin[:, None, None, None] >= MARGIN_GRID[None, None, :, None])
            & (probability[:, None, None, None] >= PROBABILITY_GRID[None, None, None, :])
        )
        flagged[anchors.label] = grid.any(axis=0)
    return flagged


def fit_thresholds(
    anchor_set: AnchorSet,
    cases: Sequence[Case],
    encoder,
    inner_folds: int = 4,
    max_near_miss_rate: dict[str, float] | None = None,
    **options,
) -> dict:
    """Thresholds per kind that maximise F-beta over an inner cross-validation of the given cases, optionally among
    those that flag at most `max_near_miss_rate[kind]` of the near misses."""
    shape = (len(SIMILARITY_GRID), len(MARGIN_GRID), len(PROBABILITY_GRID))
    # Per kind: true positives, false positives, false negatives, near misses flagged (grids); near misses seen.
    totals = {kind: [np.zeros(shape) for _ in range(4)] + [0] for kind in F_BETA}
    for fold in range(inner_folds):
        test = [c for c in cases if fold_of(c, inner_folds * 7 + 1) % inner_folds == fold]
        train = without(anchor_set, {c.text for c in test})
        for case, (classifier, scores) in zip(test, _raw_scores(train, test, encoder, **options), strict=True):
            if case.kind in totals:
                _tally_grid(totals[case.kind], case, classifier, scores)
    return {kind: _best_cell(kind, totals[kind], (max_near_miss_rate or {}).get(kind)) for kind in totals}


def _tally_grid(totals: list, case: Case, classifier: Classifier, scores: TurnScores) -> None:
    tp, fp, fn, near_misses_flagged = totals[:4]
    totals[4] += not case.positive
    for label, grid in _flagged_on_grid(classifier, scores, case.kind).items():
        if label != case.label:
            fp += grid
        elif case.positive:
            tp += grid
            fn += ~grid
        else:
            fp += grid
            near_misses_flagged += grid
    if case.positive and case.label not in _labels(classifier, case.kind):
        fn += 1


def _best_cell(kind: str, totals: list, max_near_miss_rate: float | None) -> Thresholds:
    tp, fp, fn, near_misses_flagged, near_misses = totals
    beta2 = F_BETA[kind] ** 2
    f_beta = (1 + beta2) * tp / np.maximum((1 + beta2) * tp + beta2 * fn + fp, 1)
    if max_near_miss_rate is not None and near_misses:
        f_beta = np.where(near_misses_flagged <= max_near_miss_rate * near_misses, f_beta, -1.0)
    i, j, k = np.unravel_index(np.argmax(f_beta), f_beta.shape)
    return Thresholds(float(SIMILARITY_GRID[i]), float(MARGIN_GRID[j]), float(PROBABILITY_GRID[k]))


def _labels(classifier: Classifier, kind: str) -> set[str]:
    return {a.label for a in classifier.labels if a.kind == kind}


def cross_validate(
    anchor_set: AnchorSet, encoder, folds: int = 5, max_near_miss_rate: dict[str, float] | None = None, **options
) -> tuple[Report, list[dict]]:
    """K-fold: each fold's sentences are classified against the other folds' anchors with thresholds fitted there."""
    cases = cases_from(anchor_set.all())
    report, fitted_per_fold = Report(), []
    for fold in range(folds):
        test = [c for c in cases if fold_of(c, folds) == fold]
        train_set = without(anchor_set, {c.text for c in test})
        train_cases = [c for c in cases if fold_of(c, folds) != fold]
        thresholds = fit_thresholds(train_set, train_cases, encoder, max_near_miss_rate=max_near_miss_rate, **options)
        fitted_per_fold.append(thresholds)
        classifiers = _classifiers(train_set, encoder, thresholds, **options)
        for case in test:
            detections = classifiers[scope_of(case)].classify(case.text)
            record(report, case, {(d.kind, d.label) for d in detections})
    return report, fitted_per_fold


def format_report(report: Report, title: str) -> str:
    """A Markdown summary: totals per kind, then the labels with the lowest recall."""
    lines = [f"### {title}", "", "| kind | precision | recall | near misses flagged |", "|---|---|---|---|"]
    for kind in (PITFALL, ITEM):
        total = report.total(kind)
        flagged, seen = report.near_misses.get(kind, [0, 0])
        lines.append(f"| {kind} | {total.precision:.2f} | {total.recall:.2f} | {flagged}/{seen} |")
    return "\n".join(lines)
