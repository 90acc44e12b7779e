"""How an interview becomes rows and back: the columns, the row shapes, and the values the store returns."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from interview.core.notes import InterviewerNotes
from interview.core.scorecard import Scorecard
from interview.core.secrets import find_secret_key
from interview.core.state import Interview, Message

INTERVIEW_COLUMNS = (
    "id",
    "question",
    "constraints",
    "mode",
    "level",
    "provider",
    "model",
    "length_minutes",
    "style",
    "curveballs",
    "problem_id",
    "created_at",
    "updated_at",
    "phase",
    "phase_started_at",
    "ended_at",
    "summary",
    "summary_turns",
    "phase_history",
    "hints",
    "scorecard",
    "notes",
)
JSON_COLUMNS = ("phase_history", "hints", "scorecard", "notes")
MESSAGE_COLUMNS = ("role", "content", "phase", "kind", "complete", "error", "created_at")


class StoreError(RuntimeError):
    """A database problem, worded for the user."""


@dataclass(frozen=True)
class Summary:
    """One row of the history list."""

    id: str
    question: str
    created_at: float
    updated_at: float
    mode: str
    level: str
    phase: str
    style: str
    score: float | None  # mean of the scorecard's dimension scores
    turns: int  # candidate chat messages


@dataclass(frozen=True)
class ScoreRecord:
    """One interview's scores and raised mistakes, for the progress page."""

    id: str
    question: str
    problem_id: str | None
    level: str
    created_at: float
    overall: float | None  # mean of the scorecard's dimension scores; None when not scored
    dimensions: dict[str, tuple[float | None, tuple[str, ...]]]  # dimension key -> (score, evidence)
    mistakes: tuple[tuple[str, str, bool], ...]  # (key, note, fixed) for each mistake the interviewer raised


def owner_id(issuer: str, subject: str) -> str:
    """The owner string for a login: issuer and subject (`sub`), which together name one person for good.

    An issuer is a URL, which holds no space, so the first space separates the two unambiguously; LOCAL_OWNER
    holds no "://", so it can never equal a login's owner.
    """
    if not issuer or not subject or any(c.isspace() for c in issuer):
        raise ValueError("A login needs an issuer URL and a subject.")
    return f"{issuer} {subject}"


def check_no_secrets(value: Any, where: str = "interview") -> None:
    """Refuse to store anything holding a key named like a credential (api_key, secret, password...)."""
    found = find_secret_key(value, where)
    if found:
        raise StoreError(f"Refusing to save '{found}': credentials such as API keys are never stored.")


def scorecard_score(card: Scorecard | None) -> float | None:
    """Mean of the numeric dimension scores, or None when there are none."""
    scores = [row.score for row in card.dimensions if row.score is not None] if card else []
    return sum(scores) / len(scores) if scores else None


def scorecard_from(value: Any) -> Scorecard | None:
    """The stored scorecard JSON as a Scorecard; anything but an object reads as no scorecard."""
    return Scorecard.from_dict(value) if isinstance(value, dict) else None


def json_column(value: Any, column: str) -> str | None:
    if value is None and column == "scorecard":
        return None
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"Cannot save the interview's {column}: {exc}.") from exc


def interview_row(interview: Interview, owner: str, notes: InterviewerNotes | None = None) -> dict[str, Any]:
    values = {f.name: getattr(interview, f.name) for f in fields(interview) if f.name != "messages"}
    values["scorecard"] = None if interview.scorecard is None else interview.scorecard.to_dict()
    values["notes"] = (interview.notes if notes is None else notes).to_dict()
    # Every dataclass field is checked, so a field added later that carries a credential is refused too.
    check_no_secrets(values)
    row = {column: values[column] for column in INTERVIEW_COLUMNS}
    for column in JSON_COLUMNS:
        row[column] = json_column(row[column], column)
    row["curveballs"] = int(bool(row["curveballs"]))
    row["owner"] = owner
    return row


def message_row(interview_id: str, message: Message) -> dict[str, Any]:
    row = {column: getattr(message, column) for column in MESSAGE_COLUMNS}
    row["complete"] = int(bool(message.complete))
    row["interview_id"] = interview_id
    row["id"] = message.id
    return row


def message_from_row(row: Mapping[str, Any]) -> Message:
    return Message(
        role=row["role"],
        content=row["content"],
        phase=row["phase"],
        kind=row["kind"],
        complete=bool(row["complete"]),
        error=row["error"],
        created_at=row["created_at"],
        id=row["id"],
    )
