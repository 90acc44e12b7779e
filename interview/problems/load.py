"""One problem file (`bank/<id>.toml`) parsed into one validated `Problem`, and the generic pitfalls.

A problem file holds the bank fields (title, category, difficulty, prompt, scale facts), `[match]` (aliases,
keywords), `[[checklist.<phase>]]` (each item's text, evidence terms and probing question), `[[pitfall]]` (at least
four) and `[scale]` (numeric inputs). The fields of every table are listed once, in `schema.FIELDS`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interview.core.phases import PHASE_KEYS
from interview.problems import schema
from interview.problems.match import MatchTerms, parse_match_terms
from interview.problems.scale import Scale, parse_scale
from interview.problems.terms import Pattern, covering_quote

GENERIC_PATH = schema.KNOWLEDGE_DIR / "generic.toml"
DIFFICULTIES = ("easy", "medium", "hard")
MIN_PITFALLS = 4
MIN_SCALE_FACTS = 3
MIN_PHASE_ITEMS = 2
MIN_CURVEBALLS = 2
CURVEBALL_PHASES = ("high_level", "deep_dive", "scale", "reliability")  # once enough of the design exists to bend
MIN_ADAPTATIONS = 3  # examples of an adaptation, and of answers that do not adapt
MAX_CONCERN_WORDS = 20  # said before the question, so it stays short
_PITFALL_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class ChecklistItem:
    index: int  # position in the phase's checklist
    item: str  # the checklist text
    terms: tuple[Pattern, ...]  # all must occur within three sentences for the item to count as covered
    probe: str  # asks about the item without giving the answer
    examples: tuple[str, ...] = ()  # candidate sentences that cover it, for detection by meaning


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
    examples: tuple[str, ...] = ()  # more phrasings that commit it, for detection by meaning
    near_misses: tuple[str, ...] = ()  # more correct statements close to it
    by_meaning: bool = True  # False: read by its terms only, out of the meaning classifier (see `meaning`)
    concern: str = ""  # what worries the interviewer, as a phrase that fits "I'm worried about …"; never the fix

    def phrasings(self) -> tuple[str, ...]:
        """Every phrasing that commits it: the term rules' example first."""
        return tuple(dict.fromkeys((self.example, *self.examples)))

    def correct_neighbours(self) -> tuple[str, ...]:
        """Every correct statement close to it."""
        return tuple(dict.fromkeys(s for s in (self.near_miss, *self.near_misses) if s))


@dataclass(frozen=True)
class Curveball:
    """A requirement change the interviewer brings in midway, and what shows that the design adapted to it."""

    id: str
    after: str  # the earliest phase it may come in (one of CURVEBALL_PHASES)
    change: str  # said after "Requirement change:"; never says how to adapt
    question: str  # asks how the design changes
    note: str  # one line for the feedback when the candidate did not adapt
    adapted: tuple[Pattern, ...]  # all within three sentences of one answer show an adaptation
    examples: tuple[str, ...]  # answers that adapt (tested to match `adapted`)
    near_misses: tuple[str, ...]  # answers that only acknowledge it (tested not to match)

    def adaptation(self, text: str) -> str | None:
        """The words of `text` that adapt the design to the change, or None."""
        return covering_quote(self.adapted, text)

    def phrasing_errors(self) -> list[str]:
        """What is wrong with its phrasings: checked by the tests, not on load (it would double the bank's load)."""
        errors = [f"example does not match 'adapted': {text!r}" for text in self.examples if not self.adaptation(text)]
        errors += [f"near miss matches 'adapted': {text!r}" for text in self.near_misses if self.adaptation(text)]
        if self.adaptation(f"{self.change} {self.question}"):
            errors.append("'adapted' matches the change itself, so repeating it back would count")
        return errors


@dataclass(frozen=True)
class Problem:
    """One system design problem: what the candidate is told, and everything the interviewer knows about it."""

    id: str
    order: int  # position in the bank's list (the page's menu)
    title: str
    category: str
    difficulty: str
    prompt: str
    scale_facts: tuple[str, ...]
    checklist: dict[str, tuple[str, ...]] = field(hash=False)  # per phase, the item texts (from `evidence`)
    evidence: dict[str, tuple[ChecklistItem, ...]] = field(hash=False, repr=False, compare=False)
    match: MatchTerms = field(hash=False, repr=False, compare=False)
    pitfalls: tuple[Pitfall, ...] = field(hash=False, repr=False, compare=False)
    scale: Scale = field(hash=False, repr=False, compare=False)
    read_heavy: str = field(default="", hash=False, repr=False, compare=False)  # the fact that makes reads dominate
    curveballs: tuple[Curveball, ...] = field(default=(), hash=False, repr=False, compare=False)

    def all_items(self) -> tuple[str, ...]:
        """Every checklist item, phase by phase."""
        return tuple(item for items in self.checklist.values() for item in items)


def _parse_signal(raw: Any, where: str) -> Signal:
    table = schema.check_table(raw, where, "signal")
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
    if signal.by_phase is not None and signal.by_phase not in PHASE_KEYS[:-1]:
        choices = ", ".join(PHASE_KEYS[:-1])
        raise ValueError(f"{where}: field 'by_phase' is {signal.by_phase!r}, expected one of {choices}")
    return signal


def _parse_pitfall(entry: Any, where: str, number: int, generic: bool) -> Pitfall:
    label = f"{where}: pitfall #{number}"
    table = schema.check_table(entry, label, "generic pitfall" if generic else "pitfall")
    pitfall_id = schema.text(table, "id", label)
    if not _PITFALL_ID.fullmatch(pitfall_id):
        raise ValueError(f"{label}: field 'id' must be lowercase words joined by '-', got {pitfall_id!r}")
    label = f"{where}: pitfall {pitfall_id!r}"
    signals = table["signal"]
    if not isinstance(signals, list) or not signals:
        raise ValueError(f"{label}: needs at least one [[pitfall.signal]] table")
    return Pitfall(
        id=pitfall_id,
        question=schema.question(table, "question", label),
        note=_note(table, label),
        example=schema.text(table, "example", label),
        concern=_concern(table, label),
        near_miss=schema.text(table, "near_miss", label) if "near_miss" in table else "",
        signals=tuple(_parse_signal(s, f"{label}: signal #{n + 1}") for n, s in enumerate(signals)),
        generic=generic,
        examples=schema.texts(table, "examples", label, minimum=0),
        near_misses=schema.texts(table, "near_misses", label, minimum=0),
        by_meaning=schema.flag(table, "by_meaning", label, default=True),
    )


def _note(table: dict[str, Any], label: str) -> str:
    """The `note`: the feedback shows it beside the candidate's own quote, so it quotes no one."""
    note = schema.text(table, "note", label)
    if any(mark in note for mark in '"“”'):
        raise ValueError(
            f"{label}: field 'note' must quote nothing: the feedback would show the words as the candidate's"
        )
    return note


def _concern(table: dict[str, Any], label: str) -> str:
    """The `concern`: a phrase said before the challenge question, so it cannot end a sentence itself."""
    concern = schema.text(table, "concern", label)
    if concern[-1] in ".?!:;," or not 3 <= len(concern.split()) <= MAX_CONCERN_WORDS:
        raise ValueError(
            f"{label}: field 'concern' must be a phrase of 3-{MAX_CONCERN_WORDS} words with no closing punctuation"
        )
    return concern


def parse_pitfalls(raw: Any, where: str, generic: bool, minimum: int) -> tuple[Pitfall, ...]:
    if not isinstance(raw, list) or len(raw) < minimum:
        raise ValueError(f"{where}: needs at least {minimum} [[pitfall]] tables")
    pitfalls, seen = [], set()
    for index, entry in enumerate(raw):
        pitfall = _parse_pitfall(entry, where, index + 1, generic)
        if pitfall.id in seen:
            raise ValueError(f"{where}: pitfall #{index + 1}: id {pitfall.id!r} is used twice")
        seen.add(pitfall.id)
        pitfalls.append(pitfall)
    return tuple(pitfalls)


def _phase_items(entries: Any, phase: str, where: str, label: str) -> tuple[ChecklistItem, ...]:
    if not isinstance(entries, list):
        raise ValueError(f"{label}: must be an array of tables ([[checklist.{phase}]])")
    found: dict[str, ChecklistItem] = {}
    for number, entry in enumerate(entries):
        entry_label = f"{label} #{number + 1}"
        schema.check_table(entry, entry_label, "checklist item")
        item = schema.text(entry, "item", entry_label)
        if item in found:
            raise ValueError(f"{entry_label}: item {item!r} is listed twice")
        entry_label = f"{label} {item!r}"
        terms = schema.patterns(entry, "terms", entry_label, minimum=1)
        probe = schema.question(entry, "probe", entry_label)
        found[item] = ChecklistItem(
            len(found), item, terms, probe, schema.texts(entry, "examples", entry_label, minimum=0)
        )
    if len(found) < MIN_PHASE_ITEMS:
        raise ValueError(f"{where}: field 'checklist.{phase}' needs at least {MIN_PHASE_ITEMS} items, got {len(found)}")
    return tuple(found.values())


def _parse_checklist(raw: Any, where: str, problem_label: str) -> dict[str, tuple[ChecklistItem, ...]]:
    if not isinstance(raw, dict):
        raise ValueError(f"{problem_label}: field 'checklist' must be a table with keys {', '.join(PHASE_KEYS)}")
    unknown = sorted(set(raw) - set(PHASE_KEYS))
    if unknown:
        raise ValueError(f"{problem_label}: field 'checklist' has unknown phase keys: {', '.join(unknown)}")
    missing = [key for key in PHASE_KEYS if key not in raw]
    if missing:
        raise ValueError(f"{problem_label}: field 'checklist' is missing phase keys: {', '.join(missing)}")
    return {
        phase: _phase_items(raw[phase], phase, problem_label, f"{where}: checklist.{phase}") for phase in PHASE_KEYS
    }


def _difficulty(data: dict[str, Any], where: str) -> str:
    difficulty = schema.text(data, "difficulty", where)
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"{where}: field 'difficulty' is {difficulty!r}, expected one of {', '.join(DIFFICULTIES)}")
    return difficulty


def parse_problem(data: dict[str, Any], where: str, generic_ids: set[str] = frozenset()) -> Problem:
    """Validate one problem file's content; errors name the file, the entry and the field."""
    schema.check_table(data, where, "problem")
    label = f"{where}: problem {data.get('id')!r}"
    evidence = _parse_checklist(data["checklist"], where, label)
    pitfalls = parse_pitfalls(data["pitfall"], where, generic=False, minimum=MIN_PITFALLS)
    clashes = sorted({p.id for p in pitfalls} & set(generic_ids))
    if clashes:
        raise ValueError(f"{where}: pitfall ids also used by generic pitfalls: {', '.join(clashes)}")
    problem = Problem(
        id=schema.text(data, "id", label),
        order=schema.position(data, "order", label),
        title=schema.text(data, "title", label),
        category=schema.text(data, "category", label),
        difficulty=_difficulty(data, label),
        prompt=schema.text(data, "prompt", label),
        scale_facts=schema.texts(data, "scale_facts", label, MIN_SCALE_FACTS),
        checklist={phase: tuple(entry.item for entry in entries) for phase, entries in evidence.items()},
        evidence=evidence,
        match=parse_match_terms(data["match"], where),
        pitfalls=pitfalls,
        scale=parse_scale(data["scale"], where),
        curveballs=parse_curveballs(data["curveball"], where, minimum=MIN_CURVEBALLS),
    )
    return dataclasses.replace(problem, read_heavy=_read_heavy(data, where, problem))


def parse_curveballs(raw: Any, where: str, minimum: int) -> tuple[Curveball, ...]:
    """The `[[curveball]]` tables, at least `minimum`, with unique ids."""
    if not isinstance(raw, list) or len(raw) < minimum:
        raise ValueError(f"{where}: needs at least {minimum} [[curveball]] tables (requirement changes)")
    found = tuple(_parse_curveball(entry, f"{where}: curveball #{n + 1}") for n, entry in enumerate(raw))
    ids = [curveball.id for curveball in found]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{where}: curveball ids must be unique, got {', '.join(ids)}")
    return found


def _parse_curveball(entry: Any, label: str) -> Curveball:
    table = schema.check_table(entry, label, "curveball")
    curveball_id = schema.text(table, "id", label)
    if not _PITFALL_ID.fullmatch(curveball_id):
        raise ValueError(f"{label}: field 'id' must be lowercase words joined by '-', got {curveball_id!r}")
    label = f"{label.rsplit(':', 1)[0]}: curveball {curveball_id!r}"
    after = schema.text(table, "after", label)
    if after not in CURVEBALL_PHASES:
        raise ValueError(f"{label}: field 'after' is {after!r}, expected one of {', '.join(CURVEBALL_PHASES)}")
    curveball = Curveball(
        id=curveball_id,
        after=after,
        change=schema.text(table, "change", label),
        question=schema.question(table, "question", label),
        note=schema.text(table, "note", label),
        adapted=schema.patterns(table, "adapted", label, minimum=1),
        examples=schema.texts(table, "examples", label, MIN_ADAPTATIONS),
        near_misses=schema.texts(table, "near_misses", label, MIN_ADAPTATIONS),
    )
    return curveball


def _read_heavy(data: dict[str, Any], where: str, problem: Problem) -> str:
    """The optional `read_heavy` fact: it must quote one of the problem's scale facts or checklist items exactly."""
    if "read_heavy" not in data:
        return ""
    fact = schema.text(data, "read_heavy", where)
    if fact not in (*problem.scale_facts, *problem.all_items()):
        raise ValueError(f"{where}: field 'read_heavy' is {fact!r}, not one of the scale facts or checklist items")
    return fact


@functools.cache
def generic_pitfalls(path: Path = GENERIC_PATH) -> tuple[Pitfall, ...]:
    """Pitfalls that apply to any problem, including a free-typed one."""
    data = schema.read_toml(path)
    schema.check_table(data, str(path), "generic file")
    return parse_pitfalls(data["pitfall"], str(path), generic=True, minimum=1)


@functools.cache
def generic_curveballs(path: Path = GENERIC_PATH) -> tuple[Curveball, ...]:
    """Requirement changes that fit any problem: for a free-typed question."""
    return parse_curveballs(schema.read_toml(path).get("curveball", []), str(path), minimum=MIN_CURVEBALLS)
