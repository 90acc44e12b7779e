"""The fairness rules that turn the model's rows into the card shown: quotes must be real, hints cap scores."""

from __future__ import annotations

from interview.core.scorecard import DIMENSIONS, DimensionScore, Scorecard
from interview.core.state import Interview
from interview.core.substance import assessable_turns, substantive_turns

PHASE_DIMENSIONS = {
    "requirements": "requirements",
    "estimates": "estimates",
    "high_level": "high_level",
    "deep_dive": "deep_dive",
    "scale": "scalability",
    "reliability": "reliability",
}
# One or two on-topic phrases among gibberish are not an interview: with fewer assessable turns than this
# (see `assessable_turns`), every dimension is 1.
MIN_SUBSTANTIVE_TURNS = 2
NO_SUBSTANCE_COMMENT = "No substantive answer to assess."
TOO_LITTLE_DETAIL_COMMENT = "Too little technical detail to assess: no more than one answer named two technical terms."
NO_SUBSTANCE_GAPS = [
    "No substantive answers — a strong answer would clarify requirements, estimate load with numbers, "
    "sketch the main components and justify the trade-offs.",
]
HINT_NOTE = "Capped at 3: a specific hint was needed in this phase."


def too_little_to_assess(interview: Interview) -> bool:
    """True when the rules fix every score at 1, whatever the model says."""
    return len(assessable_turns(interview)) < MIN_SUBSTANTIVE_TURNS


def rule_scorecard(interview: Interview) -> Scorecard:
    """The deterministic card for an interview with too little to assess: every dimension 1, No hire."""
    comment = TOO_LITTLE_DETAIL_COMMENT if substantive_turns(interview) else NO_SUBSTANCE_COMMENT
    return Scorecard(
        dimensions=[DimensionScore(key=key, name=label, score=1, comment=comment) for key, label in DIMENSIONS],
        strengths=[],
        gaps=list(NO_SUBSTANCE_GAPS),
        hire_signal="No hire",
        level=interview.level,
        hints_used=len(interview.hints),
        overall=1.0,
        source="rule",
    )
