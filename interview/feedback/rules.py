"""The fairness rules that turn the model's rows into the card shown: quotes must be real, hints cap scores."""

from __future__ import annotations

from interview.feedback.card import DIMENSIONS, HIRE_SIGNALS, NOT_ASSESSED, DimensionScore, Scorecard
from interview.feedback.normalise import ModelFeedback, implied_hire_signal, verify_quotes
from interview.heuristics import assessable_turns, substantive_turns
from interview.model import Interview

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
NO_EVIDENCE_NOTE = "Capped at 2: no verbatim quote from the candidate backs this score."
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


def apply_rules(feedback: ModelFeedback, interview: Interview) -> Scorecard:
    """Check the model's rows against the transcript and build the card."""
    if too_little_to_assess(interview):
        return rule_scorecard(interview)
    candidate_texts = substantive_turns(interview)
    hinted = {
        PHASE_DIMENSIONS[hint.get("phase")]
        for hint in interview.hints
        if hint.get("tier") == "specific" and hint.get("phase") in PHASE_DIMENSIONS
    }
    adjusted = False
    dimensions = []
    for key, label in DIMENSIONS:
        row = feedback.rows.get(key)
        if row is None or row.score is None:
            adjusted = True
            comment = (row.comment if row else "") or NOT_ASSESSED
            dimensions.append(DimensionScore(key=key, name=label, score=1, comment=comment, assessed=False))
            continue
        score = row.score
        evidence = verify_quotes(row.evidence, candidate_texts)
        notes = []
        if not evidence and score > 2:
            score, adjusted = 2, True
            notes.append(NO_EVIDENCE_NOTE)
        if key in hinted and score > 3:
            score, adjusted = 3, True
            notes.append(HINT_NOTE)
        comment = " ".join(part for part in (row.comment, *notes) if part)
        dimensions.append(DimensionScore(key=key, name=label, score=score, evidence=evidence, comment=comment))
    overall = round(sum(row.score for row in dimensions) / len(dimensions), 2)
    implied = implied_hire_signal(overall)
    signal = feedback.hire_signal
    if signal is None:
        signal = implied
    elif adjusted:
        # a rule lowered or filled in a score, so the model's verdict may no longer be earned
        signal = HIRE_SIGNALS[max(HIRE_SIGNALS.index(signal), HIRE_SIGNALS.index(implied))]
    return Scorecard(
        dimensions=dimensions,
        strengths=feedback.strengths,
        gaps=feedback.gaps,
        hire_signal=signal,
        level=interview.level,
        hints_used=len(interview.hints),
        overall=overall,
        source="model",
    )
