"""Prompt text. Short lines, one instruction each, so small local models can follow them."""

from __future__ import annotations

from interview.core.phases import PHASES, Clock, phase_by_key
from interview.core.state import LEVEL_EXPECTATIONS
from interview.core.steering import CAPABLE, SteeringPolicy

NEXT_PHASE_MARKER = "[[NEXT_PHASE]]"

INTERVIEWER_RULES = """\
Rules:
- Speak to the person you are interviewing as "you".
- Reply in at most 3 short sentences.
- If their answer is weak or vague, say in a few words what is missing. Do not praise weak answers.
- Then ask exactly one question that ends with "?", and stop.
- Never design the system, list components or write code for them.
- Never answer your own question.
- Never repeat their sentences or your earlier questions.
- If they ask about scale or numbers, answer with the exact numbers from the scale facts, then ask your question.
- If a trade-off is weak, push back: ask why, or what the alternative costs."""

# Small models react in one sentence; the question after it is written in code (interview.dialogue.moves).
REACTION_RULES = """\
Rules:
- Speak to the person you are interviewing as "you".
- Reply with exactly one short sentence, at most 20 words, reacting to their last answer.
- If they asked you something, answer it in that sentence: decide the scope as the interviewer would.
- If their answer is weak, vague or wrong, say what is missing. Do not praise.
- Do not ask a question: your next question is asked for you.
- Never design the system, list components or write code for them.
- Never repeat their sentences."""

EXPLAIN_SYSTEM = """\
You are a senior staff engineer teaching system design.
Write one complete, well-structured worked design for the question, in Markdown, with these sections:
1. Requirements (functional, non-functional, out of scope)
2. Capacity estimates (with numbers and the arithmetic)
3. API
4. High-level architecture, with an ASCII diagram in a code block
5. Data model
6. Deep dives into the two hardest components
7. Scaling and bottlenecks
8. Fault tolerance and operations
9. Trade-offs and alternatives
Answer follow-up questions in the same depth, continuing this conversation."""


def interviewer_system_prompt(
    *,
    question: str,
    constraints: str,
    level: str,
    scale_facts: tuple[str, ...] = (),
    policy: SteeringPolicy = CAPABLE,
) -> str:
    """The part of the interviewer's prompt that stays the same all interview: persona, problem, rules, facts.

    It goes first, so a model server can reuse its evaluation of it (and of the conversation after it) every turn.
    """
    lines = [
        "You are a senior staff engineer at a top tech company, interviewing a candidate.",
        f"The candidate must design: {question.strip()}",
    ]
    if constraints.strip():
        lines.append(f"Constraints the candidate was given: {constraints.strip()}")
    lines.append(LEVEL_EXPECTATIONS.get(level, LEVEL_EXPECTATIONS["senior"]))
    lines.append(REACTION_RULES if policy.code_voices_moves else INTERVIEWER_RULES)
    if scale_facts:
        lines.append("Scale facts (share only when asked): " + "; ".join(scale_facts) + ".")
    else:
        lines.append("If asked about scale, invent realistic concrete numbers (users, requests per second, data size).")
    return "\n".join(lines)


def turn_prompt(
    *,
    phase_key: str,
    clock: Clock,
    opening: bool,
    policy: SteeringPolicy = CAPABLE,
    move: str = "",
    whiteboard: str = "",
) -> str:
    """What changes every turn (phase, time, the move chosen in code, the whiteboard), sent after the conversation.

    Empty for a model that only reacts, since code asks its question. Small models copy instruction text into
    their replies, so under a policy without `marker_in_prompt` the prompt never mentions the hidden marker.
    """
    if policy.code_voices_moves:
        return ""
    phase = phase_by_key(phase_key)
    lines = [
        f"Phase: {phase.title.lower()}. {phase.goal} About {clock.phase_minutes_left:.0f} minutes left in this phase, "
        f"{clock.total_minutes_left:.0f} in the interview."
    ]
    if whiteboard:
        lines.append(whiteboard)
    if move and policy.move_in_prompt:
        lines.append(f"Your next move: {move}")
    if opening:
        if not move:
            lines.append(
                "This is your first message: restate the problem in one sentence, then ask what they want to clarify."
            )
    else:
        index = [p.key for p in PHASES].index(phase_key)
        if index < len(PHASES) - 1 and policy.marker_in_prompt:
            following = PHASES[index + 1].title.lower()
            if clock.phase_over and policy.time_up_in_prompt:  # a coach gives the candidate time
                lines.append(
                    f"Time is up for this phase. Move on to {following} now, and end with {NEXT_PHASE_MARKER}."
                )
            else:
                lines.append(
                    f"When this phase is covered, say you are moving on to {following} and end with {NEXT_PHASE_MARKER}."
                )
        elif index == len(PHASES) - 1:
            lines.append("This is the last phase. Do not start new topics.")
    return "\n".join(lines)


def explain_system_prompt(
    question: str,
    constraints: str,
    scale_facts: tuple[str, ...] = (),
    derived: tuple[str, ...] = (),
    checklist: tuple[str, ...] = (),
    mistakes: tuple[str, ...] = (),
) -> str:
    """The worked-design prompt; for a bank problem it carries the facts, the numbers computed in code, the
    checklist to cover and the common mistakes, so the model never invents the scale or does the arithmetic."""
    lines = [EXPLAIN_SYSTEM, f"Question: {question.strip()}"]
    if constraints.strip():
        lines.append(f"Constraints: {constraints.strip()}")
    if scale_facts:
        lines.append("Scale facts (use exactly these, invent no others): " + "; ".join(scale_facts) + ".")
    if derived:
        lines.append("Capacity numbers, already computed (quote them, do not recompute): " + "; ".join(derived) + ".")
    if checklist:
        lines.append("Cover each of these points: " + "; ".join(checklist) + ".")
    if mistakes:
        lines.append("End with a section 'Common mistakes' that names these: " + " ".join(mistakes))
    return "\n".join(lines)
