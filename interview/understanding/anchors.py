"""Labelled anchors: for each pitfall or checklist item, phrasings that signal it and near misses that must not."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

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


def _strings(value) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    return tuple(s for s in value or () if isinstance(s, str) and s.strip())


def from_knowledge(data: Mapping, problem: str) -> list[LabelAnchors]:
    """Anchors from a knowledge file (interview/knowledge/problems/*.toml or generic.toml) already parsed."""
    found = [
        LabelAnchors(
            p["id"],
            PITFALL,
            problem,
            _strings(p.get("example")),
            _strings(p.get("near_miss")),
            phase=p.get("phase", ""),
        )
        for p in data.get("pitfall", [])
        if "id" in p
    ]
    for phase, items in (data.get("checklist") or {}).items():
        found += [LabelAnchors(i["item"], ITEM, problem, (i["item"],), phase=phase) for i in items if "item" in i]
    return found


def from_held_out(data: Mapping) -> list[LabelAnchors]:
    """Anchors from interview/knowledge/held_out.toml (generic pitfalls: `signal` and `silent`)."""
    return [
        LabelAnchors(p["id"], PITFALL, GENERIC, _strings(p.get("signal")), _strings(p.get("silent")))
        for p in data.get("pitfall", [])
        if "id" in p
    ]


def from_tuning(data: Mapping) -> list[LabelAnchors]:
    """Anchors from a tuning file: [[pitfall]] problem, id, examples, near_misses; [[item]] problem, phase, item."""
    found = [
        LabelAnchors(
            p["id"], PITFALL, p.get("problem", GENERIC), _strings(p.get("examples")), _strings(p.get("near_misses"))
        )
        for p in data.get("pitfall", [])
        if "id" in p
    ]
    found += [
        LabelAnchors(
            i["item"],
            ITEM,
            i.get("problem", GENERIC),
            _strings(i.get("examples")),
            _strings(i.get("near_misses")),
            phase=i.get("phase", ""),
        )
        for i in data.get("item", [])
        if "item" in i
    ]
    return found


def read_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_knowledge_dir(directory: Path) -> AnchorSet:
    """Every problem file, generic.toml and held_out.toml under a knowledge directory."""
    anchors = AnchorSet()
    for path in sorted((directory / "problems").glob("*.toml")):
        data = read_toml(path)
        anchors.extend(from_knowledge(data, data.get("id", path.stem)))
    if (directory / "generic.toml").is_file():
        anchors.extend(from_knowledge(read_toml(directory / "generic.toml"), GENERIC))
    if (directory / "held_out.toml").is_file():
        anchors.extend(from_held_out(read_toml(directory / "held_out.toml")))
    return anchors


def load_tuning_files(paths: Iterable[Path], into: AnchorSet | None = None) -> AnchorSet:
    anchors = into if into is not None else AnchorSet()
    for path in paths:
        anchors.extend(from_tuning(read_toml(path)))
    return anchors
