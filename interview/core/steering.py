"""How much code steers the interviewer model; the filters that apply it live in `interview.dialogue.filters`.

A capable model gets the rules in its prompt and says the rest in its own words. A small model echoes
instructions, re-asks what was answered and goes on to design the system itself, so code chooses its next
question, moves the phase on by time, writes its hardest turns and trims its replies. One `SteeringPolicy`
holds every such decision; a provider names its policy, and the engine asks the policy instead of branching
on the provider.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


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
    # The interviewer's style (interview.dialogue.style): which move is chosen where Standard follows up or probes.
    # The defaults are Standard; `with_style` sets the others. No style changes the notes the scores come from.
    style: str = "standard"
    hint_after_thin: int = 0  # offer a hint after this many thin answers in a row (0 = never)
    praise_specific: bool = False  # name one checklist item the turn covered, with the candidate's words
    challenge_vague: bool = False  # ask for a number behind "it will be fast", once per claim
    ask_rejected: bool = False  # ask what was rejected in favour of a named technology, once per choice
    time_up_in_prompt: bool = True  # a model that takes the marker is told when the phase's time is up

    def in_mode(self, mode: str) -> SteeringPolicy:
        """The policy for this interview mode: an explanation is the model's own, with no steering at all."""
        return self if mode == "interview" else EXPLAIN

    def with_style(self, style: str) -> SteeringPolicy:
        """This policy with the interviewer style's rules; an explanation has no interviewer, so no style."""
        if self.name == EXPLAIN.name:
            return self
        return replace(self, style=style, **STYLE_RULES.get(style, {}))


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

# What each interviewer style changes (interview.core.state.STYLES); Standard changes nothing. Coach is lenient on
# time: no phase moves on by time and a capable model is not told its time is up. Bar raiser holds every model to time.
STYLE_RULES: dict[str, dict[str, object]] = {
    "coach": {"hint_after_thin": 2, "praise_specific": True, "advance_by_time": False, "time_up_in_prompt": False},
    "standard": {},
    "bar_raiser": {"challenge_vague": True, "ask_rejected": True, "advance_by_time": True},
}
