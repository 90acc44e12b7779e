"""Requirement changes ("curveballs"): when the interviewer brings one in, and whether the design adapted to it.

At most one per interview, from high-level design on, once enough of the design exists to bend; the answers after
it are read for an adaptation (the curveball's `adapted` terms). A candidate who does not adapt is asked once more.
"""

from __future__ import annotations

import re

from interview.core.notes import CHANGE_LABEL, RequirementChange
from interview.core.phases import PHASE_KEYS
from interview.core.state import Interview
from interview.problems.load import CURVEBALL_PHASES, Curveball, generic_curveballs
from interview.problems.terms import matches, sentences

LABEL = CHANGE_LABEL
KEY_PREFIX = "curveball:"
AGAIN = "Back to the requirement change for a moment."
AGAIN_QUESTION = "What in your design has to change because of it, concretely?"
MIN_DESIGN_ITEMS = 2  # high-level checklist items covered before a change can come in that phase
MIN_DESIGN_TURNS = 2  # the same, counted in substantive turns, for a question outside the bank
SET_ASIDE = "I know you put that out of scope earlier; it's in scope now."
# Words that put something out of scope: "out: DAG dependencies", "out of scope: multi-region", "I'd leave X out";
# in the design, only the first kind ("skip" there is more often "SKIP LOCKED" than a scope).
_SCOPED = r"(?P<phrase>\b(?:out of scope|not in scope|out-of-scope|non-goals?)\b)|(?:^|[.;:]\s*)out\s*:"
_ASIDE = re.compile(
    rf"{_SCOPED}|\b(?:leav(?:e|ing) out|left out|(?P<around>leave\b.{{0,40}}\bout)\b|exclud(?:e|ed|ing)|not in v1|for v2"
    r"|won't support|not supporting|no support for|skip|skipping|defer|deferring)\b",
    re.IGNORECASE,
)
_ASIDE_IN_DESIGN = re.compile(_SCOPED, re.IGNORECASE)
_SCOPING_PHASES = ("requirements", "estimates")


def curveballs_for(interview: Interview) -> tuple[Curveball, ...]:
    """The problem's requirement changes, or the generic ones for a free-typed question."""
    problem = interview.problem
    return problem.curveballs if problem else generic_curveballs()


def due(interview: Interview) -> Curveball | None:
    """The change to bring in on this reply, or None: on, none yet, an allowed phase, a design to bend."""
    if not interview.curveballs or interview.notes.changes or interview.phase not in CURVEBALL_PHASES:
        return None
    turns_here = [m for m in interview.candidate_messages() if m.phase == interview.phase]
    if not turns_here or not _design_exists(interview):
        return None  # never on the turn that entered the phase: the candidate first says something in it
    allowed = allowed_in(interview, interview.phase)
    kept = {c.id for c in curveballs_for(interview) if not set_aside(interview, c)}
    if kept:  # a change the candidate ruled out comes only when every change was ruled out
        allowed = [c for c in allowed if c.id in kept]
    if not allowed:
        return None
    return allowed[int(interview.id[:8], 16) % len(allowed)]  # varies between interviews, stable within one


def set_aside(interview: Interview, curveball: Curveball) -> str:
    """The candidate's words that put the change's subject out of scope, or "" ("out: DAG dependencies between
    jobs" sets aside a change to workflows)."""
    for message in interview.candidate_messages():
        aside = _ASIDE if message.phase in _SCOPING_PHASES else _ASIDE_IN_DESIGN
        for piece in re.split(r"[;\n]|(?<=[.!?])\s", message.content):
            marker = aside.search(piece)
            if marker is None:
                continue
            # "X is out of scope" names it anywhere; "leave … out" encloses it; "out:" and "skip" come before it
            found = marker.groupdict()
            subject = piece if found.get("phrase") else piece[marker.start() if found.get("around") else marker.end() :]
            if any(matches(curveball.adapted[0], s) for s in sentences(subject)):
                return piece.strip()
    return ""


def announce(interview: Interview, curveball: Curveball) -> str:
    """The labelled change, owning up to it when the candidate had put it out of scope."""
    aside = f" {SET_ASIDE}" if set_aside(interview, curveball) else ""
    return f"{LABEL} {curveball.change}{aside}"


def allowed_in(interview: Interview, phase: str) -> list[Curveball]:
    """The changes that may come in `phase` (their earliest phase is not after it), in file order."""
    here = PHASE_KEYS.index(phase)
    return [c for c in curveballs_for(interview) if PHASE_KEYS.index(c.after) <= here]


def _design_exists(interview: Interview) -> bool:
    if PHASE_KEYS.index(interview.phase) > PHASE_KEYS.index("high_level") or interview.diagrams:
        return True
    if interview.problem is not None:
        return len(interview.notes.covered_items("high_level")) >= MIN_DESIGN_ITEMS
    return len([m for m in interview.candidate_messages() if m.phase == "high_level"]) >= MIN_DESIGN_TURNS


def introduce(interview: Interview, curveball: Curveball) -> RequirementChange:
    """Note the change in the (draft) notes, as of the candidate's latest turn."""
    change = RequirementChange(
        key=curveball.id,
        phase=interview.phase,
        change=curveball.change,
        note=curveball.note,
        turn=len(interview.candidate_messages()),
    )
    interview.notes.changes.append(change)
    return change


def note_adaptation(interview: Interview, text: str) -> None:
    """Mark the change adapted when this answer, given after it, adapts the design; quotes the words."""
    by_id = {curveball.id: curveball for curveball in curveballs_for(interview)}
    for change in interview.notes.changes:
        curveball = by_id.get(change.key)
        if change.adapted or curveball is None or len(interview.candidate_messages()) <= change.turn:
            continue
        quote = curveball.adaptation(text)
        if quote:
            change.adapted, change.quote = True, quote


def ask_again(interview: Interview) -> Curveball | None:
    """The change, when the answer just after it did not adapt and it has not been asked again yet."""
    if not interview.notes.changes:
        return None
    change = interview.notes.changes[-1]
    answered = len(interview.candidate_messages()) == change.turn + 1
    asked = sum(1 for move in interview.notes.moves if move.key == KEY_PREFIX + change.key)
    if change.adapted or not answered or asked > 1:
        return None
    return next((c for c in curveballs_for(interview) if c.id == change.key), None)
