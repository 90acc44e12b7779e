"""The interviewer's notes: what the candidate covered, mistakes raised and fixed, estimate checks, moves made.

Code writes them on every turn; they are saved with the interview, hidden while it runs, shown with the feedback,
and exported once it has ended. Feedback scores are computed from them. Two tabs on one interview each keep notes;
the store merges them on every save (`merge_notes`), so neither tab's entries are lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import asdict, astuple, dataclass, field, replace
from typing import Any

# How a file's value for a text field is read (transcripts/importer.py reads the shape from these classes): one of
# the phase keys, a short required name, or required text. Any other text field is optional.
PHASE: dict[str, str] = {"check": "phase"}
NAME: dict[str, str] = {"check": "name"}
REQUIRED: dict[str, str] = {"check": "required"}
CHANGE_LABEL = "**Requirement change:**"  # how the interviewer's message bringing in a requirement change begins


@dataclass
class CoveredItem:
    phase: str = field(metadata=PHASE)
    item: str = field(metadata=REQUIRED)  # the checklist item, as the bank words it
    quote: str  # the candidate's words that covered it


@dataclass
class RaisedMistake:
    key: str = field(metadata=NAME)  # a pitfall id, or "estimate:<quantity>"
    phase: str = field(metadata=PHASE)
    quote: str  # the candidate's words that signalled it
    question: str  # the pushback asked
    note: str  # one line for the feedback
    fixed: bool = False
    fix_quote: str = ""  # the candidate's words that fixed it
    asked: bool = True  # False while it waits for a reply that can challenge it (one challenge per reply)
    withdrawn: bool = False  # the candidate said the challenge misread them: no mistake (`fixed`, with their words)


@dataclass
class EstimateCheck:
    quantity: str = field(metadata=NAME)  # what the number measures, e.g. "writes per second"
    stated: float
    expected: float
    quote: str
    ok: bool  # within the tolerance of the number derived from the problem's facts


@dataclass
class RequirementChange:
    """A requirement the interviewer changed midway, and whether the candidate's design adapted to it."""

    key: str = field(metadata=NAME)  # the curveball's id
    phase: str = field(metadata=PHASE)  # the phase it came in
    change: str = field(metadata=REQUIRED)  # what was said after "Requirement change:"
    note: str  # one line for the feedback when the design did not adapt
    turn: int = 0  # how many candidate turns there were when it came: the answers after it are read for adaptation
    adapted: bool = False
    quote: str = ""  # the candidate's words that adapted the design


@dataclass
class Move:
    """What the interviewer did on one reply, chosen in code."""

    kind: str = field(metadata=NAME)  # a NextMove kind (open, challenge, probe, curveball...), or reaction (the board)
    key: str = ""  # the pitfall, estimate or checklist item it is about
    question: str = ""  # the question written in code
    turn: int = 0  # how many candidate turns there were when it was chosen, so a retry repeats it
    lead: str = ""  # what code said before the question
    quote: str = ""  # the candidate's words it reacted to


@dataclass
class InterviewerNotes:
    covered: list[CoveredItem] = field(default_factory=list)
    mistakes: list[RaisedMistake] = field(default_factory=list)
    estimates: list[EstimateCheck] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    changes: list[RequirementChange] = field(default_factory=list)  # at most one per interview

    def is_empty(self) -> bool:
        return not (self.covered or self.mistakes or self.estimates or self.moves or self.changes)

    def covered_items(self, phase: str | None = None) -> set[str]:
        return {c.item for c in self.covered if phase is None or c.phase == phase}

    def raised(self, key: str) -> RaisedMistake | None:
        return next((m for m in self.mistakes if m.key == key), None)

    def open_mistakes(self) -> list[RaisedMistake]:
        """Mistakes not fixed, asked or not."""
        return [m for m in self.mistakes if not m.fixed]

    def fixed_by(self, text: str) -> list[RaisedMistake]:
        """The mistakes the interviewer had raised that these words fixed."""
        return self._answered_by(text, withdrawn=False)

    def withdrawn_by(self, text: str) -> list[RaisedMistake]:
        """The challenges these words made the interviewer withdraw as misread."""
        return self._answered_by(text, withdrawn=True)

    def _answered_by(self, text: str, *, withdrawn: bool) -> list[RaisedMistake]:
        # A withdrawn mistake is always fixed and asked: withdrawing answers the challenge that asked it.
        return [
            m
            for m in self.mistakes
            if m.fixed and m.asked and m.withdrawn == withdrawn and m.fix_quote and m.fix_quote in text
        ]

    def asked(self) -> set[str]:
        return {m.question for m in self.moves if m.question}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> InterviewerNotes:
        """Notes from stored JSON; anything malformed is dropped rather than failing the load."""
        if not isinstance(data, dict):
            return cls()
        return cls(
            covered=_rows(data.get("covered"), CoveredItem),
            mistakes=_rows(data.get("mistakes"), RaisedMistake),
            estimates=_rows(data.get("estimates"), EstimateCheck),
            moves=_rows(data.get("moves"), Move),
            changes=_rows(data.get("changes"), RequirementChange),
        )


def estimate_line(estimate: EstimateCheck) -> str:
    """ "off: writes per second, about 10x too low (“…”)": how far off, which needs no unit (a raw 7.3e+09 did)."""
    if estimate.ok:
        return f"right: {estimate.quantity} (“{estimate.quote}”)"
    ratio = estimate.stated / estimate.expected if estimate.stated > 0 and estimate.expected > 0 else 0.0
    if not ratio:
        return f"off: {estimate.quantity} (“{estimate.quote}”)"
    times = max(ratio, 1 / ratio)
    shown = f"{times:,.0f}" if times >= 10 else f"{times:.1f}".removesuffix(".0")
    return f"off: {estimate.quantity}, about {shown}x too {'high' if ratio > 1 else 'low'} (“{estimate.quote}”)"


def notes_sections(notes: InterviewerNotes) -> list[tuple[str, list[str]]]:
    """The notes as titled lists of plain lines, for the feedback view and the Markdown and HTML exports."""
    sections = []
    if notes.covered:
        sections.append(("Covered", [f"{c.item}: “{c.quote}”" if c.quote else c.item for c in notes.covered]))
    if notes.mistakes:
        lines = []
        for m in notes.mistakes:
            status = f"fixed: “{m.fix_quote}”" if m.fixed and m.fix_quote else ("fixed" if m.fixed else "not fixed")
            status = (
                f"withdrawn, the interviewer had misread it: “{m.fix_quote}”" if m.withdrawn and m.fixed else status
            )
            status = f"{status}, said again after a fix: “{m.fix_quote}”" if not m.fixed and m.fix_quote else status
            said = f" (“{m.quote}”)" if m.quote else ""
            lines.append(f"{m.note}{said}; {status}")
        sections.append(("Mistakes raised", lines))
    if notes.estimates:
        sections.append(("Estimate checks", [estimate_line(e) for e in notes.estimates]))
    if notes.changes:
        sections.append(("Requirement change", [change_line(change) for change in notes.changes]))
    return sections


def change_line(change: RequirementChange) -> str:
    """ "<the change>: adapted, “<quote>”" or "…: not adapted", for the notes and the feedback."""
    if change.adapted:
        return f"{change.change} Adapted: “{change.quote}”" if change.quote else f"{change.change} Adapted."
    return f"{change.change} Not adapted."


def merge_notes(stored: InterviewerNotes, mine: InterviewerNotes, same_problem: bool = True) -> InterviewerNotes:
    """The saved notes together with this tab's: every entry either holds is kept; changes neither input.

    Entries are matched by what they are about, and a mistake is asked or fixed when either side says so. Covered
    items belong to one problem's checklist: when this tab changed the problem (declined a bank match), the saved
    ones go with it, as the problem does (settings are last-writer-wins).
    """
    mine_by_key = {m.key: m for m in mine.mistakes}
    mistakes = [_merge_mistake(m, mine_by_key.get(m.key)) for m in stored.mistakes]
    mistakes += [m for m in mine.mistakes if stored.raised(m.key) is None]
    covered = _union(stored.covered, mine.covered, lambda c: c.item) if same_problem else list(mine.covered)
    moves = sorted(_union(stored.moves, mine.moves, astuple), key=lambda move: move.turn)  # stable: tab order kept
    return InterviewerNotes(
        covered=covered,
        mistakes=mistakes,
        estimates=_union(stored.estimates, mine.estimates, lambda e: (e.quantity, e.quote)),
        moves=moves,
        changes=[_merge_change(c, mine) for c in stored.changes]
        + [c for c in mine.changes if _change(stored, c) is None],
    )


def _change(notes: InterviewerNotes, change: RequirementChange) -> RequirementChange | None:
    return next((c for c in notes.changes if c.key == change.key), None)


def _merge_change(stored: RequirementChange, mine: InterviewerNotes) -> RequirementChange:
    """The saved change, adapted when either side saw the adaptation."""
    other = _change(mine, stored)
    return other if other is not None and other.adapted and not stored.adapted else stored


def _said_again(one: RaisedMistake, other: RaisedMistake) -> bool:
    """`one` is the mistake reopened after the fix `other` still holds: the newer of the two."""
    return not one.fixed and other.fixed and bool(one.fix_quote) and one.fix_quote == other.fix_quote


def _merge_mistake(stored: RaisedMistake, mine: RaisedMistake | None) -> RaisedMistake:
    if mine is None or _said_again(stored, mine):
        return stored
    if _said_again(mine, stored):
        return mine
    fixed = mine if mine.fixed or not stored.fixed else stored
    merged = replace(
        mine, fixed=fixed.fixed, fix_quote=fixed.fix_quote, withdrawn=fixed.withdrawn, asked=stored.asked or mine.asked
    )
    return mine if merged == mine else merged  # this tab's object, when it already says it all


def _union(stored: list, mine: list, key: Callable[[Any], Hashable]) -> list:
    """`stored`, then each entry of `mine` it lacks (an entry `mine` holds twice is kept twice)."""
    unmatched = Counter(key(entry) for entry in stored)
    merged = list(stored)
    for entry in mine:
        if unmatched[key(entry)]:
            unmatched[key(entry)] -= 1
        else:
            merged.append(entry)
    return merged


def _rows(value: Any, kind: type) -> list:
    rows = []
    for item in value if isinstance(value, list) else []:
        try:
            rows.append(kind(**item))
        except TypeError:
            continue  # a row from a newer or hand-edited file that this version cannot read
    return rows
