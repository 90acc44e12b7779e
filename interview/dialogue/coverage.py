"""Whether a quote covers an estimate checklist item: a figure of the kind the item works out, and none found off."""

from __future__ import annotations

from interview.problems.detect import Coverage
from interview.problems.numbers import parse_quantities


def covers_an_estimate(cover: Coverage, wrong_sentences: set[str]) -> bool:
    """A quote covers an estimate item only with a figure of the kind the item works out ("~23K downloads/s" needs a
    rate, not "4 MB chunks"; an item with no figure, such as "throughput is modest", needs none), and none found off
    by more than 3x."""
    wanted = _figure_kinds(cover.item)
    wrong = any(cover.quote in sentence or sentence in cover.quote for sentence in wrong_sentences)
    return not wrong and (not wanted or bool(wanted & _figure_kinds(cover.quote)))


def _figure_kinds(text: str) -> set[str]:
    kinds = {q.kind for q in parse_quantities(text)} - {"skip", "duration"}
    return {"count" if kind == "number" else kind for kind in kinds}
