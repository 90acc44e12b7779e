"""The grading request: a short JSON-only system prompt, then the problem, the hints used and the transcript."""

from __future__ import annotations

from interview.core.scorecard import DIMENSION_KEYS, DIMENSIONS, HIRE_SIGNALS
from interview.core.state import LEVEL_EXPECTATIONS, Interview, phase_title, speaker

TRANSCRIPT_CHARS = 12_000  # about 3k tokens, so a small local model's context still fits the instructions
MESSAGE_CHARS = 3_000  # one huge paste must not push every other turn out of the transcript
ECHO_CHARS = 4_000  # how much of a bad reply the repair request sends back

SCHEMA_EXAMPLE = (
    '{"dimensions":[{"key":"requirements","score":2,"evidence":["exact candidate words"],"comment":"one sentence"}],'
    '"strengths":["what went well"],"gaps":["what was missing — what a strong answer would have said"],'
    '"hire_signal":"Lean no hire"}'
)
REPAIR_REQUEST = (
    "Your reply could not be read as JSON.\n"
    "Reply again with only the JSON object in the shape given above.\n"
    "Start with { and end with }."
)


def _one_line(text: str, limit: int = MESSAGE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rstrip() + " …"


def _transcript(interview: Interview) -> tuple[str, bool]:
    """Labelled transcript lines, keeping the most recent TRANSCRIPT_CHARS; True when earlier turns were cut."""
    lines = []
    for message in interview.messages:
        if not message.content.strip() or message.kind == "question":
            continue
        if message.role == "assistant" and not message.complete:
            continue  # a half-streamed reply is noise to the grader
        lines.append(f"{speaker(message.role, message.kind)}: {_one_line(message.content)}")
    text = "\n".join(lines)
    if len(text) <= TRANSCRIPT_CHARS:
        return text, False
    tail = text[-TRANSCRIPT_CHARS:]
    newline = tail.find("\n")
    return (tail[newline + 1 :] if 0 <= newline < len(tail) - 1 else tail), True


def _hints_line(interview: Interview) -> str:
    if not interview.hints:
        return "Hints used: none."
    tiers: dict[str, list[str]] = {}
    for hint in interview.hints:
        tiers.setdefault(str(hint.get("phase", "")), []).append(str(hint.get("tier", "")))
    parts = []
    for phase, used in tiers.items():
        try:
            title = phase_title(phase)
        except KeyError:
            title = phase
        parts.append(f"{title}: {', '.join(used)}")
    return f"Hints used: {len(interview.hints)} ({'; '.join(parts)})."


def _level_line(level: str) -> str:
    expectation = LEVEL_EXPECTATIONS.get(level, LEVEL_EXPECTATIONS["senior"])
    # only the expectation sentence; the rest tells an interviewer how to probe, which a grader does not need
    return f"Calibrate to the level. {expectation.split('. ')[0].rstrip('.')}."


def scorecard_messages(interview: Interview) -> list[dict]:
    """The grading request: a short system prompt asking for JSON only, then the problem and the transcript."""
    system = "\n".join(
        [
            "You are a strict, fair system design interviewer writing feedback after an interview.",
            _level_line(interview.level),
            "Judge only what the candidate said in Candidate lines.",
            "Reply with only one JSON object. No Markdown. No text before or after it.",
            "Use exactly this shape:",
            SCHEMA_EXAMPLE,
            f"Give all {len(DIMENSIONS)} dimensions in this order: {', '.join(DIMENSION_KEYS)}.",
            "score is a whole number: 1 poor, 2 weak, 3 good, 4 excellent.",
            "evidence lists short quotes copied word for word from Candidate lines.",
            "Never invent or reword a quote.",
            "If no quote supports a dimension, use [] and score it 1 or 2.",
            "Empty, off-topic or nonsense answers score 1.",
            "Needing a hint lowers the matching score.",
            "comment is one short sentence.",
            "strengths lists what the candidate did well.",
            "Each gap reads: what was missing — what a strong answer would have said.",
            f"hire_signal is one of: {', '.join(HIRE_SIGNALS)}.",
        ]
    )
    problem = interview.problem
    lines = [f"Question: {_one_line(problem.prompt if problem else interview.question)}"]
    if interview.constraints.strip():
        lines.append(f"Constraints: {_one_line(interview.constraints)}")
    lines.append(f"Level: {interview.level}")
    if problem:
        lines.append("What a strong answer covers:")
        for phase, items in problem.checklist.items():
            lines.append(f"- {phase_title(phase)}: {'; '.join(items)}")
    lines.append(_hints_line(interview))
    transcript, cut = _transcript(interview)
    if cut and interview.summary.strip():
        lines.append(f"Summary of earlier turns: {_one_line(interview.summary)}")
    lines.append("Transcript:" + (" (earlier turns omitted)" if cut else ""))
    lines.append(transcript or "(no answers)")
    lines.append("End of transcript. Reply with the JSON scorecard only.")
    return [{"role": "system", "content": system}, {"role": "user", "content": "\n".join(lines)}]


def repair_messages(messages: list[dict], reply: str) -> list[dict]:
    """The one retry: the original request, the unreadable reply, and a request for just the JSON."""
    echo = reply.strip()[:ECHO_CHARS] or "(empty reply)"
    return [*messages, {"role": "assistant", "content": echo}, {"role": "user", "content": REPAIR_REQUEST}]
