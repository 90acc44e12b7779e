"""Transcript exports. An interview never holds an API key, so no export can contain one."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from interview.session import Interview, phase_title

EXPORT_SCHEMA = "interview-coach/transcript"
EXPORT_VERSION = 1


def iso(timestamp: float | None) -> str:
    if not timestamp:
        return ""
    return datetime.fromtimestamp(timestamp, tz=UTC).isoformat(timespec="seconds")


def to_json(interview: Interview) -> str:
    """A versioned JSON document holding every field of the interview."""
    data = {"schema": EXPORT_SCHEMA, "version": EXPORT_VERSION, "exported_at": iso(datetime.now().timestamp())}
    data["interview"] = interview.to_dict()
    return json.dumps(data, indent=2, ensure_ascii=False)


def _speaker(role: str, kind: str) -> str:
    if kind == "hint":
        return "Hint"
    return "Candidate" if role == "user" else "Interviewer"


def to_markdown(interview: Interview) -> str:
    lines = [
        f"# {interview.question}",
        "",
        f"- Mode: {interview.mode}",
        f"- Level: {interview.level}",
        f"- Provider: {interview.provider}",
        f"- Model: {interview.model}",
        f"- Started: {iso(interview.created_at)}",
        f"- Last activity: {iso(interview.updated_at)}",
    ]
    if interview.constraints:
        lines.append(f"- Constraints: {interview.constraints}")
    if interview.mode == "interview":
        lines.append(f"- Phase reached: {phase_title(interview.phase)}")
        lines.append(f"- Hints used: {len(interview.hints)}")
    lines += ["", "## Transcript", ""]
    for message in interview.messages:
        label = _speaker(message.role, message.kind)
        where = f" · {phase_title(message.phase)}" if interview.mode == "interview" else ""
        lines.append(f"### {label}{where} · {iso(message.created_at)}")
        lines.append("")
        lines.append(message.content or "_(no text)_")
        if not message.complete:
            lines += ["", f"> ⚠ Incomplete reply: {message.error}"]
        lines.append("")
    if interview.scorecard:
        lines += scorecard_markdown(interview.scorecard)
    return "\n".join(lines).rstrip() + "\n"


def scorecard_markdown(card: dict) -> list[str]:
    lines = ["## Feedback", ""]
    if card.get("prose"):
        lines += [card.get("note", ""), "", card["prose"], ""]
        return lines
    lines += ["| Dimension | Score (1–4) | Evidence |", "|---|---|---|"]
    for row in card.get("dimensions", []):
        evidence = " / ".join(f"“{quote}”" for quote in row.get("evidence", [])) or row.get("comment", "")
        evidence = evidence.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {row.get('name', '')} | {row.get('score', '')} | {evidence} |")
    lines.append("")
    for title, key in (("Strengths", "strengths"), ("Gaps", "gaps")):
        if card.get(key):
            lines += [f"### {title}", ""] + [f"- {item}" for item in card[key]] + [""]
    if card.get("hire_signal"):
        lines += [f"**Hire signal:** {card['hire_signal']}", ""]
    return lines
