"""With time left before the wrap-up, the interviewer goes back to ground the design left open instead of ending early.

Phases move on when their checklist reads as covered, so a quick candidate can reach the wrap-up at minute 6 of 45. A
real interviewer with time left returns to what was never discussed; only then does the wrap-up come.
"""

from __future__ import annotations

from dataclasses import dataclass

from interview.core.heuristics import answered
from interview.core.phases import PHASE_KEYS, phase_budgets, phase_by_key, spoken_title
from interview.core.state import Interview
from interview.dialogue.coverage import asked_questions, candidate_text, open_items, unasked

# Where open ground matters most: the deep dive first, the overview last.
GAP_PHASES = ("deep_dive", "reliability", "scale", "high_level")
SPARE_MINUTES = 5.0  # beyond the wrap-up's own time: room for at least one more question and its answer
LEADS = (
    "We still have time, so let me go back to {phase}.",
    "Before we wrap up, one more thing from {phase}.",
    "Let me take us back to {phase} for a moment.",
)


@dataclass(frozen=True)
class Gap:
    """Open ground of an earlier phase, and the line that goes back to it."""

    item: str  # "" for a generic phase question (a question outside the bank)
    question: str
    lead: str


def back_to_gap(interview: Interview, now: float) -> Gap | None:
    """The gap to go back to instead of moving on to the wrap-up, or None (not before the wrap-up, too little time,
    nothing open). Changes nothing."""
    if interview.phase_index != len(PHASE_KEYS) - 2:
        return None
    wrap_up = phase_budgets(interview.length_minutes)[PHASE_KEYS[-1]]
    if interview.clock(now).total_minutes_left < wrap_up + SPARE_MINUTES:
        return None
    asked = asked_questions(interview)
    said = candidate_text(interview)
    for phase in GAP_PHASES:
        if interview.problem is not None:
            options = open_items(interview, phase, unsaid=True)
        else:  # outside the bank: the phase's own questions, never asked in any wording and not answered
            options = [("", q) for q in unasked(interview, phase_by_key(phase).questions[1:]) if not answered(q, said)]
        fresh = [(item, question) for item, question in options if question not in asked]
        if fresh:
            item, question = fresh[0]
            return Gap(item, question, LEADS[_returns(interview) % len(LEADS)].format(phase=spoken_title(phase)))
    return None


def _returns(interview: Interview) -> int:
    """How many times the interviewer has gone back to a gap already."""
    starts = tuple(lead.split("{phase}")[0] for lead in LEADS)
    return sum(1 for move in interview.notes.moves if any(start in move.lead for start in starts))
