"""Prompt text. Short lines, one instruction each, so small local models can follow them."""

from __future__ import annotations

from interview.heuristics import uncovered_items
from interview.phases import PHASES, Clock, phase_by_key
from interview.steering import CAPABLE, SteeringPolicy

NEXT_PHASE_MARKER = "[[NEXT_PHASE]]"

LEVEL_EXPECTATIONS = {
    "junior": "Junior candidate: expect a simple working design. Guide more. Do not expect deep distributed-systems detail.",
    "mid": "Mid-level candidate: expect a sound design with rough numbers. Probe one or two trade-offs.",
    "senior": "Senior candidate: expect them to drive, quantify and justify trade-offs. Probe failure modes.",
    "staff": "Staff candidate: expect them to drive everything, compare alternatives, cover cost and operations. Push hard.",
}

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
    phase_key: str,
    clock: Clock,
    opening: bool,
    checklist: tuple[str, ...] = (),
    scale_facts: tuple[str, ...] = (),
    candidate_text: str = "",
    policy: SteeringPolicy = CAPABLE,
    next_question: str = "",
) -> str:
    """The interviewer's system prompt for one turn: persona, rules, and where the interview stands.

    Small models copy instruction text into their replies, so under a policy without `marker_in_prompt` the
    prompt never mentions the hidden marker and the phase moves on by time or by the candidate's button instead.
    """
    phase = phase_by_key(phase_key)
    lines = [
        "You are a senior staff engineer at a top tech company, interviewing a candidate.",
        f"The candidate must design: {question.strip()}",
    ]
    if constraints.strip():
        lines.append(f"Constraints the candidate was given: {constraints.strip()}")
    lines.append(LEVEL_EXPECTATIONS.get(level, LEVEL_EXPECTATIONS["senior"]))
    lines.append(INTERVIEWER_RULES)
    if scale_facts:
        lines.append("Scale facts (share only when asked): " + "; ".join(scale_facts) + ".")
    else:
        lines.append("If asked about scale, invent realistic concrete numbers (users, requests per second, data size).")
    lines.append(
        f"Phase: {phase.title.lower()}. {phase.goal} About {clock.phase_minutes_left:.0f} minutes left in this phase, "
        f"{clock.total_minutes_left:.0f} in the interview."
    )
    if opening:
        lines.append(
            "This is your first message: restate the problem in one sentence, then ask what they want to clarify."
        )
    else:
        open_items = uncovered_items(checklist, candidate_text)
        if open_items and policy.checklist_hint:  # small models read the item out, handing over the answer
            lines.append(f"Not yet covered (do not reveal it; lead them to it with a question): {open_items[0]}.")
        if next_question:
            lines.append(f"Your next question, unless their last answer needs a follow-up: {next_question}")
        index = [p.key for p in PHASES].index(phase_key)
        if index < len(PHASES) - 1 and policy.marker_in_prompt:
            following = PHASES[index + 1].title.lower()
            if clock.phase_over:
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


def explain_system_prompt(question: str, constraints: str) -> str:
    extra = f"\nConstraints: {constraints.strip()}" if constraints.strip() else ""
    return f"{EXPLAIN_SYSTEM}\nQuestion: {question.strip()}{extra}"
