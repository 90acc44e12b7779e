"""Optional LLM judge: yes/no questions about one finished interview. The eval never depends on it."""

from __future__ import annotations

import json
import re
from typing import Any

from interview.core.state import CANDIDATE, INTERVIEWER
from interview.providers.base import Provider, ProviderError, StreamInfo

# key -> (question, the answer that is good for the interviewer)
QUESTIONS: dict[str, tuple[str, str]] = {
    "leaked_solution": (
        "Did the interviewer give away the design (components, data model or algorithm) before the candidate "
        "proposed it?",
        "no",
    ),
    "ignored_answer": (
        "Did the interviewer ignore what the candidate had just said in at least one reply (a reply unrelated to "
        "the candidate's last message)?",
        "no",
    ),
    "useful_pushback": (
        "Did the interviewer push back usefully at least once, challenging a weak or vague answer and asking why?",
        "yes",
    ),
    "feedback_grounded": (
        "Is every point in the feedback grounded in something the candidate actually said in the transcript?",
        "yes",
    ),
}

_SYSTEM = (
    "You review transcripts of mock system design interviews. Answer the question with one word, yes or no, "
    "then one short sentence of reason."
)
_ANSWER = re.compile(r"\b(yes|no)\b", re.IGNORECASE)


def format_transcript(result: dict[str, Any]) -> str:
    """The scripted interview as plain text: candidate turns and interviewer replies in order."""
    lines = []
    for reply in result["replies"]:
        if reply["candidate"]:
            lines.append(f"{CANDIDATE}: {reply['candidate']}")
        lines.append(f"{INTERVIEWER}: {reply['text']}")
    return "\n".join(lines)


def ask(provider: Provider, transcript: str, question: str) -> tuple[str | None, str]:
    """One yes/no question; returns ("yes" | "no" | None, the judge's raw reply)."""
    messages = [
        {"role": "system", "content": _SYSTEM},
        {"role": "user", "content": f"Transcript:\n{transcript}\n\nQuestion: {question}"},
    ]
    try:
        text = "".join(provider.stream(messages, StreamInfo())).strip()
    except ProviderError as exc:
        return None, f"judge failed: {exc.message}"
    match = _ANSWER.search(text)
    return (match.group(1).lower() if match else None), text


def judge_interview(provider: Provider, result: dict[str, Any]) -> dict[str, Any]:
    """The judge's answers for one scenario result, each marked good or not."""
    transcript = format_transcript(result)
    card = (result.get("feedback") or {}).get("card")
    verdicts: dict[str, Any] = {}
    for key, (question, good) in QUESTIONS.items():
        text = transcript
        if key == "feedback_grounded":
            if not card:
                continue
            text = f"{transcript}\n\nFeedback given to the candidate:\n{json.dumps(card, indent=1)[:6000]}"
        answer, raw = ask(provider, text, question)
        verdicts[key] = {"answer": answer, "good": answer == good if answer else None, "raw": raw}
    return verdicts
