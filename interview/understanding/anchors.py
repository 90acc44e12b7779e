"""Labelled anchors: for each pitfall or checklist item, phrasings that signal it and near misses that must not."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

PITFALL = "pitfall"
ITEM = "item"
GENERIC = "generic"


@dataclass(frozen=True)
class LabelAnchors:
    """One label (a pitfall id, or a checklist item's text) with its positive phrasings and near misses."""

    label: str
    kind: str  # PITFALL or ITEM
    problem: str  # a bank problem id, or GENERIC
    positives: tuple[str, ...]
    negatives: tuple[str, ...] = ()
    phase: str = ""

    def merged(self, other: LabelAnchors) -> LabelAnchors:
        """This label with the other's phrasings added (duplicates dropped, order kept)."""
        return replace(
            self,
            positives=tuple(dict.fromkeys(self.positives + other.positives)),
            negatives=tuple(dict.fromkeys(self.negatives + other.negatives)),
            phase=self.phase or other.phase,
        )


@dataclass
class AnchorSet:
    """Anchors by (problem, kind, label); `for_problem` picks one problem's anchors plus the generic ones."""

    by_key: dict[tuple[str, str, str], LabelAnchors] = field(default_factory=dict)

    def add(self, anchors: LabelAnchors) -> None:
        key = (anchors.problem, anchors.kind, anchors.label)
        known = self.by_key.get(key)
        self.by_key[key] = known.merged(anchors) if known else anchors

    def extend(self, many: Iterable[LabelAnchors]) -> AnchorSet:
        for anchors in many:
            self.add(anchors)
        return self

    def all(self) -> list[LabelAnchors]:
        return list(self.by_key.values())

    def problems(self) -> list[str]:
        return sorted({problem for problem, _, _ in self.by_key if problem != GENERIC})

    def for_problem(self, problem: str | None) -> list[LabelAnchors]:
        """The generic anchors, plus the problem's own when it is a bank problem."""
        wanted = {GENERIC, problem} if problem else {GENERIC}
        return [a for (p, _, _), a in self.by_key.items() if p in wanted and a.positives]
