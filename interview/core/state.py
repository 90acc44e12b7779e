"""Interview state: settings, the message log, phase history and hints. Plain data, no UI."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from interview.core.notes import InterviewerNotes
from interview.core.phases import DEFAULT_LENGTH_MINUTES, PHASE_KEYS, PHASES, clock, phase_by_key
from interview.core.scorecard import Scorecard

if TYPE_CHECKING:
    from interview.problems.load import Problem

MODES = ("interview", "explain")
LEVELS = ("junior", "mid", "senior", "staff")
# What each level is expected to show: the interviewer is told it, and so is the scorecard's grader.
LEVEL_EXPECTATIONS = {
    "junior": "Junior candidate: expect a simple working design. Guide more. Do not expect deep distributed-systems detail.",
    "mid": "Mid-level candidate: expect a sound design with rough numbers. Probe one or two trade-offs.",
    "senior": "Senior candidate: expect them to drive, quantify and justify trade-offs. Probe failure modes.",
    "staff": "Staff candidate: expect them to drive everything, compare alternatives, cover cost and operations. Push hard.",
}
# How the interviewer behaves (interview.core.steering): which moves it chooses; the scores never depend on it.
STYLES = ("coach", "standard", "bar_raiser")
STYLE_NAMES = {"coach": "Coach", "standard": "Standard", "bar_raiser": "Bar raiser"}
HINT_TIERS = ("nudge", "direction", "specific")
MAX_DIAGRAM_VERSIONS = 300  # whiteboard versions kept; past this a new version replaces the newest
CANDIDATE, INTERVIEWER, HINT = "Candidate", "Interviewer", "Hint"  # how transcripts, prompts and exports name turns
QUESTION = "Question"
_ID = re.compile(r"[0-9a-f]{32}")


# The bank's lookup by id: core sits below the problems, so `interview.problems.catalog` registers it on import.
_find_problem: Callable[[str], Problem | None] | None = None


def register_problem_lookup(find_problem: Callable[[str], Problem | None]) -> None:
    global _find_problem
    _find_problem = find_problem


def speaker(role: str, kind: str = "chat") -> str:
    """The label a transcript gives a turn: Question, Candidate, Interviewer or Hint."""
    if kind == "hint":
        return HINT
    if kind == "question":
        return QUESTION  # picked or typed, it is what the interview is about, not something the candidate answered
    return CANDIDATE if role == "user" else INTERVIEWER


def is_valid_id(text: object) -> bool:
    """True for an interview id as Interview makes them: 32 lowercase hex characters."""
    return isinstance(text, str) and _ID.fullmatch(text) is not None


@dataclass
class Message:
    role: str  # "user" or "assistant"
    content: str
    phase: str
    kind: str = "chat"  # chat | question | hint
    complete: bool = True
    error: str = ""  # why a reply is incomplete, in the user's words
    created_at: float = field(default_factory=time.time)
    id: int | None = None  # row id once stored


@dataclass
class DiagramVersion:
    """One saved version of the candidate's whiteboard (Mermaid source that parsed)."""

    source: str
    turn: int  # the candidate answer it belongs to: the one being written when it was drawn (1 = the first)
    created_at: float = field(default_factory=time.time)
    id: int | None = None  # row id once stored


@dataclass
class Interview:
    question: str
    constraints: str = ""
    mode: str = "interview"
    level: str = "senior"
    provider: str = ""
    model: str = ""
    length_minutes: int = DEFAULT_LENGTH_MINUTES
    style: str = "standard"  # one of STYLES
    curveballs: bool = True  # the interviewer may change a requirement once, midway
    problem_id: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)
    phase: str = PHASE_KEYS[0]
    phase_started_at: float = 0.0
    phase_history: list[dict] = field(default_factory=list)
    hints: list[dict] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    scorecard: Scorecard | None = None
    ended_at: float | None = None
    summary: str = ""  # running summary of turns that no longer fit the context budget
    summary_turns: int = 0  # how many turns (after the question) the summary stands for; kept until the next step
    notes: InterviewerNotes = field(default_factory=InterviewerNotes)  # written by code, hidden until feedback
    diagrams: list[DiagramVersion] = field(default_factory=list)  # every version of the whiteboard, oldest first

    def __post_init__(self):
        if not self.phase_started_at:
            self.phase_started_at = self.created_at
        if not self.phase_history:
            self.phase_history.append({"phase": self.phase, "started_at": self.phase_started_at, "reason": "start"})

    @property
    def problem(self) -> Problem | None:
        """The bank problem this interview is about, or None for a free-typed question."""
        if not self.problem_id:
            return None
        if _find_problem is None:
            raise RuntimeError("interview.problems.catalog is not loaded, so a bank problem cannot be looked up")
        return _find_problem(self.problem_id)

    @property
    def phase_index(self) -> int:
        return PHASE_KEYS.index(self.phase)

    @property
    def is_last_phase(self) -> bool:
        return self.phase_index == len(PHASES) - 1

    def clock(self, now: float | None = None):
        return clock(self.length_minutes, self.created_at, self.phase, self.phase_started_at, now or time.time())

    def add(self, message: Message) -> Message:
        self.messages.append(message)
        self.updated_at = message.created_at
        return message

    def add_user(self, text: str, kind: str = "chat") -> Message:
        return self.add(Message("user", text, self.phase, kind=kind))

    def advance_phase(self, reason: str, now: float | None = None) -> bool:
        """Move to the next phase; False when already in the last one."""
        if self.is_last_phase:
            return False
        now = now or time.time()
        self.phase = PHASE_KEYS[self.phase_index + 1]
        self.phase_started_at = now
        self.phase_history.append({"phase": self.phase, "started_at": now, "reason": reason})
        return True

    def move_to_phase(self, key: str, reason: str, now: float | None = None) -> bool:
        """Move forward to the phase `key` (skipping any between); False when it is not ahead of this one."""
        if PHASE_KEYS.index(key) <= self.phase_index:
            return False
        now = now or time.time()
        self.phase, self.phase_started_at = key, now
        self.phase_history.append({"phase": key, "started_at": now, "reason": reason})
        return True

    def hints_in_phase(self) -> int:
        return sum(1 for hint in self.hints if hint["phase"] == self.phase)

    def has_opened(self) -> bool:
        """True once the interviewer has said something in the chat (hints and empty partials do not count)."""
        return any(m.role == "assistant" and m.kind == "chat" and m.content for m in self.messages)

    def candidate_messages(self) -> list[Message]:
        return [m for m in self.messages if m.role == "user" and m.kind == "chat"]

    def shown_messages(self, retrying: bool = False) -> list[Message]:
        """The messages to show and export: a failed reply with no text drops out once a retry answers its turn
        (`retrying`: a retry of the last reply is under way)."""
        shown = []
        for n, message in enumerate(self.messages):
            failed_empty = message.role == "assistant" and not message.complete and not message.content.strip()
            if failed_empty and message.kind == "chat":  # only then look ahead: this runs on every page draw
                after = next((m for m in self.messages[n + 1 :] if m.kind == "chat"), None)
                if (after.role == "assistant") if after is not None else retrying:
                    continue
            shown.append(message)
        return shown

    def awaits_reply(self) -> bool:
        """True when the latest candidate message still waits for a complete reply (so Retry makes sense)."""
        for message in reversed(self.messages):
            if message.role == "assistant" and message.kind == "chat":
                return not message.complete
            if message.role == "user":
                return True
        return False

    def diagram_source(self) -> str:
        """The latest saved whiteboard, or "" when nothing has been drawn."""
        return self.diagrams[-1].source if self.diagrams else ""

    def to_dict(self) -> dict:
        data = asdict(self)
        data["scorecard"] = None if self.scorecard is None else self.scorecard.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Interview:
        data = dict(data)
        messages = [Message(**m) for m in data.pop("messages", [])]
        card = data.pop("scorecard", None)
        notes = InterviewerNotes.from_dict(data.pop("notes", None))
        diagrams = [DiagramVersion(**version) for version in data.pop("diagrams", None) or []]
        interview = cls(**data, scorecard=Scorecard.from_dict(card) if isinstance(card, dict) else None, notes=notes)
        interview.diagrams = diagrams
        interview.messages = messages
        return interview


def phase_title(key: str) -> str:
    return phase_by_key(key).title
