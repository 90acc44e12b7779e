"""Problem knowledge from `problems/<id>.toml` and generic pitfalls from `generic.toml`, validated against the bank.

A problem file holds `[match]` (aliases, keywords), `[[checklist.<phase>]]` (evidence terms and a probing question
for every checklist item of the bank problem), `[[pitfall]]` (at least four) and `[scale]` (numeric inputs).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interview.problems import catalog
from interview.problems import schema
from interview.problems.match import MatchTerms, parse_match_terms
from interview.problems.scale import Scale, parse_scale
from interview.problems.terms import Pattern

GENERIC_PATH = schema.KNOWLEDGE_DIR / "generic.toml"
MIN_PITFALLS = 4
_PITFALL_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_SIGNAL_FIELDS = ("together", "unless", "cleared_by", "missing", "by_phase")


@dataclass(frozen=True)
class ItemKnowledge:
    index: int  # position in the bank's checklist for the phase
    item: str  # the bank's checklist text
    terms: tuple[Pattern, ...]  # all must occur within three sentences for the item to count as covered
    probe: str  # asks about the item without giving the answer


@dataclass(frozen=True)
class Signal:
    together: tuple[Pattern, ...] = ()  # all in one sentence of the candidate's turn
    unless: tuple[Pattern, ...] = ()  # any of these in that sentence cancels it
    cleared_by: tuple[Pattern, ...] = ()  # any of these anywhere in the candidate's transcript cancels it
    missing: tuple[Pattern, ...] = ()  # none of these anywhere in the transcript...
    by_phase: str | None = None  # ...once this phase is over


@dataclass(frozen=True)
class Pitfall:
    id: str
    question: str  # the pushback a real interviewer asks: a question, not the answer
    note: str  # one line for the feedback
    example: str  # a candidate turn that signals it (tested)
    near_miss: str  # a correct statement close to it that must not signal it (tested); may be empty
    signals: tuple[Signal, ...]
    generic: bool


@dataclass(frozen=True)
class ProblemKnowledge:
    id: str
    match: MatchTerms
    checklist: dict[str, tuple[ItemKnowledge, ...]] = field(hash=False)
    pitfalls: tuple[Pitfall, ...]
    scale: Scale
    read_heavy: str = ""  # the bank fact that makes reads dominate, quoted; "" when they don't (whiteboard checks)


def _parse_signal(raw: Any, where: str) -> Signal:
    table = schema.check_fields(raw, where, (), _SIGNAL_FIELDS)
    signal = Signal(
        together=schema.patterns(table, "together", where),
        unless=schema.patterns(table, "unless", where),
        cleared_by=schema.patterns(table, "cleared_by", where),
        missing=schema.patterns(table, "missing", where),
        by_phase=schema.text(table, "by_phase", where) if "by_phase" in table else None,
    )
    if not signal.together and not signal.missing:
        raise ValueError(f"{where}: needs 'together' (terms said together) or 'missing' (terms never said)")
    if bool(signal.missing) != (signal.by_phase is not None):
        raise ValueError(f"{where}: 'missing' and 'by_phase' go together")
    if signal.by_phase is not None and signal.by_phase not in catalog.PHASE_KEYS[:-1]:
        choices = ", ".join(catalog.PHASE_KEYS[:-1])
        raise ValueError(f"{where}: field 'by_phase' is {signal.by_phase!r}, expected one of {choices}")
    return signal


def parse_pitfalls(raw: Any, where: str, generic: bool, minimum: int) -> tuple[Pitfall, ...]:
    if not isinstance(raw, list) or len(raw) < minimum:
        raise ValueError(f"{where}: needs at least {minimum} [[pitfall]] tables")
    pitfalls, seen = [], set()
    for index, entry in enumerate(raw):
        label = f"{where}: pitfall #{index + 1}"
        required = ("id", "question", "note", "example", "signal") + (("near_miss",) if generic else ())
        table = schema.check_fields(entry, label, required, ("near_miss",))
        pitfall_id = schema.text(table, "id", label)
        if not _PITFALL_ID.fullmatch(pitfall_id):
            raise ValueError(f"{label}: field 'id' must be lowercase words joined by '-', got {pitfall_id!r}")
        if pitfall_id in seen:
            raise ValueError(f"{label}: id {pitfall_id!r} is used twice")
        seen.add(pitfall_id)
        label = f"{where}: pitfall {pitfall_id!r}"
        signals = table["signal"]
        if not isinstance(signals, list) or not signals:
            raise ValueError(f"{label}: needs at least one [[pitfall.signal]] table")
        pitfalls.append(
            Pitfall(
                id=pitfall_id,
                question=schema.question(table, "question", label),
                note=schema.text(table, "note", label),
                example=schema.text(table, "example", label),
                near_miss=schema.text(table, "near_miss", label) if "near_miss" in table else "",
                signals=tuple(_parse_signal(s, f"{label}: signal #{n + 1}") for n, s in enumerate(signals)),
                generic=generic,
            )
        )
    return tuple(pitfalls)


def _parse_checklist(raw: Any, where: str, problem: catalog.Problem) -> dict[str, tuple[ItemKnowledge, ...]]:
    table = schema.check_fields(raw, f"{where}: [checklist]", catalog.PHASE_KEYS)
    checklist = {}
    for phase in catalog.PHASE_KEYS:
        label = f"{where}: checklist.{phase}"
        entries = table[phase]
        if not isinstance(entries, list):
            raise ValueError(f"{label}: must be an array of tables ([[checklist.{phase}]])")
        wanted = problem.checklist[phase]
        found: dict[str, ItemKnowledge] = {}
        for number, entry in enumerate(entries):
            entry_label = f"{label} #{number + 1}"
            schema.check_fields(entry, entry_label, ("item", "terms", "probe"))
            item = schema.text(entry, "item", entry_label)
            if item not in wanted:
                raise ValueError(
                    f"{entry_label}: item {item!r} is not in the bank's {phase} checklist for {problem.id}"
                )
            if item in found:
                raise ValueError(f"{entry_label}: item {item!r} is listed twice")
            entry_label = f"{label} {item!r}"
            terms = schema.patterns(entry, "terms", entry_label, minimum=1)
            found[item] = ItemKnowledge(wanted.index(item), item, terms, schema.question(entry, "probe", entry_label))
        absent = [item for item in wanted if item not in found]
        if absent:
            raise ValueError(f"{label}: no evidence terms for bank item(s): {'; '.join(absent)}")
        checklist[phase] = tuple(sorted(found.values(), key=lambda k: k.index))
    return checklist


def parse_knowledge(data: dict[str, Any], where: str, problem: catalog.Problem, generic_ids: set[str]) -> ProblemKnowledge:
    """Validate one problem file's content against its bank problem."""
    schema.check_fields(data, where, ("id", "match", "checklist", "pitfall", "scale"), ("read_heavy",))
    pitfalls = parse_pitfalls(data["pitfall"], where, generic=False, minimum=MIN_PITFALLS)
    clashes = sorted({p.id for p in pitfalls} & generic_ids)
    if clashes:
        raise ValueError(f"{where}: pitfall ids also used by generic pitfalls: {', '.join(clashes)}")
    return ProblemKnowledge(
        id=problem.id,
        match=parse_match_terms(data["match"], where),
        checklist=_parse_checklist(data["checklist"], where, problem),
        pitfalls=pitfalls,
        scale=parse_scale(data["scale"], where),
        read_heavy=_read_heavy(data, where, problem),
    )


def _read_heavy(data: dict[str, Any], where: str, problem: catalog.Problem) -> str:
    """The optional `read_heavy` fact: it must quote one of the bank's scale facts or checklist items exactly."""
    if "read_heavy" not in data:
        return ""
    fact = schema.text(data, "read_heavy", where)
    known = (*problem.scale_facts, *(item for items in problem.checklist.values() for item in items))
    if fact not in known:
        raise ValueError(
            f"{where}: field 'read_heavy' is {fact!r}, not one of the bank's scale facts or checklist items"
        )
    return fact


@functools.cache
def generic_pitfalls(path: Path = GENERIC_PATH) -> tuple[Pitfall, ...]:
    """Pitfalls that apply to any problem, including a free-typed one."""
    data = schema.read_toml(path)
    schema.check_fields(data, str(path), ("pitfall",))
    return parse_pitfalls(data["pitfall"], str(path), generic=True, minimum=1)


@functools.cache
def all_knowledge() -> dict[str, ProblemKnowledge]:
    """Knowledge for every bank problem; raises ValueError naming the file and field when something is wrong."""
    files = schema.problem_files()
    problems = {problem.id: problem for problem in catalog.load_bank()}
    strays = sorted(set(files) - set(problems))
    if strays:
        raise ValueError(f"knowledge files for problems not in the bank: {', '.join(strays)}")
    absent = sorted(set(problems) - set(files))
    if absent:
        raise ValueError(f"bank problems without a knowledge file in {schema.PROBLEMS_DIR}: {', '.join(absent)}")
    generic_ids = {pitfall.id for pitfall in generic_pitfalls()}
    return {pid: parse_knowledge(data, str(path), problems[pid], generic_ids) for pid, (path, data) in files.items()}


def knowledge_for(problem_id: str | None) -> ProblemKnowledge | None:
    """The knowledge for a bank problem id, or None for a free-typed question."""
    return all_knowledge().get(problem_id or "")
