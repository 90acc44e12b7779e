"""4-fold cross-validation of the pitfall head (interview/understanding/linear.py) on the problem files' phrasings.

Run with `python -m bench.linear_head_cv [--problems 14]`: per problem, the head is trained on three folds of the
pitfalls' phrasings (with near misses and checklist examples as "none") and judged on the fourth, at several minimum
probabilities. Prints a Markdown table for BENCHMARKS.md; a measurement, never a pass/fail test.
"""

from __future__ import annotations

import argparse

import numpy as np

THRESHOLDS = (0.5, 0.6, 0.7, 0.8)


def _rows(problem, generic):
    pitfalls = (*problem.pitfalls, *generic)
    rows = []
    for index, pitfall in enumerate(pitfalls, start=1):
        rows += [(index, text, pitfall.id) for text in pitfall.phrasings()]
        rows += [(0, text, pitfall.id) for text in pitfall.correct_neighbours()]
    rows += [(0, text, "") for entries in problem.evidence.values() for e in entries for text in e.examples]
    return pitfalls, rows


def cross_validate(problem_count: int) -> dict[float, list[int]]:
    from interview.problems import meaning
    from interview.problems.catalog import load_bank
    from interview.problems.load import generic_pitfalls
    from interview.understanding.linear import SCALE, _softmax, train_softmax

    counts = {t: [0, 0, 0, 0, 0] for t in THRESHOLDS}  # hits, misses, wrong flags, near misses, near misses flagged
    for problem in load_bank()[:problem_count]:
        pitfalls, rows = _rows(problem, generic_pitfalls())
        features = SCALE * meaning._encoder().encode([r[1] for r in rows]).astype(np.float64)
        labels = np.array([r[0] for r in rows])
        fold = np.random.default_rng(0).integers(0, 4, len(rows))
        for f in range(4):
            head = train_softmax(features[fold != f], labels[fold != f], len(pitfalls) + 1)
            probabilities = _softmax(features[fold == f] @ head.weights + head.bias)
            for threshold, tally in counts.items():
                chosen = np.where(probabilities.max(1) >= threshold, probabilities.argmax(1), 0)
                for (label, _, pitfall_id), pick in zip(
                    [rows[i] for i in np.flatnonzero(fold == f)], chosen, strict=True
                ):
                    _tally(tally, label, pitfall_id, int(pick), pitfalls)
    return counts


def _tally(tally: list[int], label: int, pitfall_id: str, pick: int, pitfalls) -> None:
    if label:
        tally[0 if pick == label else 1] += 1
        tally[2] += bool(pick and pick != label)
        return
    tally[3] += bool(pitfall_id)
    own = pick and pitfall_id and pitfalls[pick - 1].id == pitfall_id
    tally[4] += bool(own)
    tally[2] += bool(pick and not own)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=14, help="the first N bank problems")
    args = parser.parse_args()
    print("| Minimum probability | Pitfall precision | recall | near misses flagged |\n|---|---|---|---|")
    for threshold, (hits, misses, wrong, near, flagged) in cross_validate(args.problems).items():
        precision = hits / max(1, hits + wrong + flagged)
        print(f"| {threshold} | {precision:.2f} | {hits / max(1, hits + misses):.2f} | {flagged / max(1, near):.1%} |")


if __name__ == "__main__":
    main()
