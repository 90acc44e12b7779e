"""How much code steers the interviewer model; the filters that apply it live in `interview.dialogue.filters`.

A capable model gets the rules in its prompt and says the rest in its own words. A small model echoes
instructions, re-asks what was answered and goes on to design the system itself, so code chooses its next
question, moves the phase on by time, writes its hardest turns and trims its replies. One `SteeringPolicy`
holds every such decision; a provider names its policy, and the engine asks the policy instead of branching
on the provider.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SteeringPolicy:
    """Every choice of how far code steers the model. Add a field here rather than an `if` on the provider."""

    name: str
    # The prompt
    marker_in_prompt: bool  # ask the model to end a finished phase with the hidden marker
    # The next move (interview.dialogue.moves), chosen in code for every model
    move_in_prompt: bool  # the model is told the move and phrases it in its own words
    code_voices_moves: bool  # the reply is the move written in code, after at most a one-sentence model reaction
    # Moving on
    advance_by_time: bool  # code moves to the next phase once its time is up
    fallback_question: bool  # a complete reply that asks nothing gets the move's question appended
    # Feedback: the scores always come from the notes (interview.feedback.evidence)
    model_words_feedback: bool  # the model words the strengths and gaps; a small model is slow and unreliable at it
    # Filters on the model's text
    drop_praise: bool  # drop a first sentence that only praises

    def in_mode(self, mode: str) -> SteeringPolicy:
        """The policy for this interview mode: an explanation is the model's own, with no steering at all."""
        return self if mode == "interview" else EXPLAIN


# Models that follow instructions: the prompt carries the rules and the hidden marker; code only makes sure
# every reply asks something.
CAPABLE = SteeringPolicy(
    name="capable",
    marker_in_prompt=True,
    move_in_prompt=True,
    code_voices_moves=False,
    advance_by_time=False,
    fallback_question=True,
    model_words_feedback=True,
    drop_praise=False,
)

# 1.5B-class models (the embedded one): code writes their hardest turns and trims what they say.
SMALL_MODEL = SteeringPolicy(
    name="small model",
    marker_in_prompt=False,
    move_in_prompt=False,
    code_voices_moves=True,
    advance_by_time=True,
    fallback_question=True,
    model_words_feedback=False,
    drop_praise=True,
)

# Explain mode, whatever the model: it writes a full design, so nothing is scripted, trimmed or appended.
EXPLAIN = SteeringPolicy(
    name="explain",
    marker_in_prompt=False,
    move_in_prompt=False,
    code_voices_moves=False,
    advance_by_time=False,
    fallback_question=False,
    model_words_feedback=False,
    drop_praise=False,
)
