"""Validate a JSON transcript export and turn it into an Interview; nothing here writes anything.

A file is untrusted input: every field is checked for type, allowed values and length before an Interview is
built, and every failure is an `ImportFailed` whose message a user can act on. Text containing HTML stays text;
the pages and exports escape it when they render it. Unknown fields are dropped, so a file from a newer release
imports whatever this release understands.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from typing import Any

from interview.core.notes import CoveredItem, EstimateCheck, InterviewerNotes, Move, RaisedMistake, RequirementChange
from interview.core.phases import DEFAULT_LENGTH_MINUTES, PHASE_KEYS
from interview.core.scorecard import Scorecard
from interview.core.secrets import find_secret_key
from interview.core.state import (
    HINT_TIERS,
    LEVELS,
    MAX_DIAGRAM_VERSIONS,
    MODES,
    STYLES,
    DiagramVersion,
    Interview,
    Message,
    is_valid_id,
)
from interview.transcripts.export import EXPORT_SCHEMA, EXPORT_VERSION
from interview.transcripts.fields import (
    LIMITS,
    Fields,
    ImportFailed,
    check_plain_json,
    fail,
    kind_of,
    shown,
)
from interview.whiteboard.diagram import MAX_SOURCE_CHARS, DiagramError
from interview.whiteboard.parse import parse

MAX_IMPORT_BYTES = 2_000_000
SUPPORTED_VERSIONS = (EXPORT_VERSION,)
MAX_MESSAGES = 2_000
MAX_HINTS = 500
MAX_PHASE_CHANGES = 200
MAX_LIST_ITEMS = 100  # scorecard dimensions, strengths, gaps, evidence quotes
MAX_NOTES = 1_000  # interviewer notes of each kind

ROLES = ("user", "assistant")
KINDS = ("chat", "question", "hint")
MAX_SCORE = 10


def _message(data: Any, number: int) -> Message:
    f = Fields(data, f"message {number}")
    return Message(
        role=f.choice("role", ROLES, required=True),
        content=f.text("content", LIMITS["content"], required=True),
        phase=f.choice("phase", PHASE_KEYS, required=True),
        kind=f.choice("kind", KINDS, default="chat"),
        complete=f.flag("complete", True),
        error=f.text("error", LIMITS["error"]),
        created_at=f.time("created_at", required=True),
        id=None,  # a row id from the exporting database means nothing here
    )


def _diagram(data: Any, number: int) -> DiagramVersion:
    f = Fields(data, f"whiteboard version {number}")
    source = f.text("source", MAX_SOURCE_CHARS, required=True)
    try:
        parse(source)
    except DiagramError as exc:
        # Only the line number is quoted back: the reason may hold a piece of the file's text.
        where = f" (line {exc.line})" if exc.line else ""
        raise fail(f"whiteboard version {number} is not a flowchart this app can read{where}") from None
    return DiagramVersion(
        source=source,
        turn=f.number("turn", low=0, high=MAX_MESSAGES + 1, integer=True, required=True),
        created_at=f.time("created_at", required=True),
        id=None,  # a row id from the exporting database means nothing here
    )


def _phase_change(data: Any, number: int) -> dict:
    f = Fields(data, f"phase history entry {number}")
    f.choice("phase", PHASE_KEYS, required=True)
    f.time("started_at", required=True)
    f.text("reason", LIMITS["reason"], required=True)
    check_plain_json(data, f.where)
    return dict(data)


def _hint(data: Any, number: int) -> dict:
    f = Fields(data, f"hint {number}")
    f.choice("phase", PHASE_KEYS, required=True)
    f.choice("tier", HINT_TIERS, required=True)
    f.text("text", LIMITS["hint"], required=True)
    f.time("at", required=True)
    check_plain_json(data, f.where)
    return dict(data)


def _scorecard(data: Any) -> Scorecard | None:
    if data is None:
        return None
    f = Fields(data, "the scorecard")
    f.text("prose", LIMITS["prose"])
    f.text("note", LIMITS["item"])
    f.text("hire_signal", LIMITS["hire_signal"])
    f.texts("strengths", MAX_LIST_ITEMS, LIMITS["item"])
    f.texts("gaps", MAX_LIST_ITEMS, LIMITS["item"])
    for index, row in enumerate(f.items("dimensions", MAX_LIST_ITEMS), 1):
        dim = Fields(row, f"scorecard dimension {index}")
        dim.text("name", LIMITS["name"], required=True)
        dim.number("score", low=0, high=MAX_SCORE, nullable=True)
        dim.texts("evidence", MAX_LIST_ITEMS, LIMITS["item"])
        dim.text("comment", LIMITS["item"])
    # Fields beyond the known shape are kept as they are (the renderers escape all text), but still checked.
    check_plain_json(data, f.where)
    return Scorecard.from_dict(data)


# Each kind of note: where the file keeps it, and what its rows are called in a message.
_NOTE_KINDS = (
    ("covered", CoveredItem, "covered item"),
    ("mistakes", RaisedMistake, "noted mistake"),
    ("estimates", EstimateCheck, "estimate check"),
    ("moves", Move, "interviewer move"),
    ("changes", RequirementChange, "requirement change"),
)


def _notes(data: Any) -> InterviewerNotes:
    """The interviewer's notes, every field type-checked; an export from before notes existed has none."""
    if data is None:
        return InterviewerNotes()
    f = Fields(data, "the interviewer notes")
    notes = InterviewerNotes()
    for key, kind, label in _NOTE_KINDS:
        rows = getattr(notes, key)
        for n, item in enumerate(f.items(key, MAX_NOTES), 1):
            row = Fields(item, f"{label} {n}")
            rows.append(kind(**{field.name: _note_value(row, field) for field in dataclasses.fields(kind)}))
    return notes


def _note_value(row: Fields, field: dataclasses.Field) -> Any:
    """One field of a note, read by the field's type and the check its class declares (core/notes.py)."""
    default = None if field.default is dataclasses.MISSING else field.default
    if field.type == "bool":
        return row.flag(field.name, bool(default))
    if field.type == "float":
        return row.number(field.name, low=0, high=1e30, required=True)
    if field.type == "int":
        return row.number(field.name, low=0, high=MAX_MESSAGES, integer=True, default=default or 0)
    check = field.metadata.get("check")
    if check == "phase":
        return row.choice(field.name, PHASE_KEYS, required=True)
    if check == "name":
        return row.text(field.name, LIMITS["name"], required=True)
    return row.text(field.name, LIMITS["item"], required=check == "required")


def _interview(data: Any) -> Interview:
    f = Fields(data, "the interview")
    created_at = f.time("created_at", required=True)
    raw_messages = f.items("messages", MAX_MESSAGES, required=True)
    interview = Interview(
        question=f.text("question", LIMITS["question"], required=True, nonblank=True),
        constraints=f.text("constraints", LIMITS["constraints"]),
        mode=f.choice("mode", MODES, required=True),
        level=f.choice("level", LEVELS, required=True),
        provider=f.text("provider", LIMITS["provider"]),
        model=f.text("model", LIMITS["model"]),
        length_minutes=f.number("length_minutes", low=1, high=600, integer=True, default=DEFAULT_LENGTH_MINUTES),
        style=f.choice("style", STYLES, default="standard"),
        curveballs=f.flag("curveballs", True),
        problem_id=f.text("problem_id", LIMITS["problem_id"], default=None, nullable=True),
        # An id is ours to assign: a missing or malformed one simply gets a fresh id.
        id=data["id"] if is_valid_id(data.get("id")) else uuid.uuid4().hex,
        created_at=created_at,
        updated_at=f.time("updated_at", default=created_at),
        phase=f.choice("phase", PHASE_KEYS, required=True),
        phase_started_at=f.time("phase_started_at", default=created_at),
        phase_history=[_phase_change(item, n) for n, item in enumerate(f.items("phase_history", MAX_PHASE_CHANGES), 1)],
        hints=[_hint(item, n) for n, item in enumerate(f.items("hints", MAX_HINTS), 1)],
        scorecard=_scorecard(data.get("scorecard")),
        ended_at=f.time("ended_at", nullable=True),
        summary=f.text("summary", LIMITS["summary"]),
        summary_turns=f.number("summary_turns", low=0, high=MAX_MESSAGES, integer=True, default=0),
        notes=_notes(data.get("notes")),
    )
    interview.messages = [_message(item, n) for n, item in enumerate(raw_messages, 1)]
    # An export from before the whiteboard existed has no versions.
    interview.diagrams = [_diagram(item, n) for n, item in enumerate(f.items("diagrams", MAX_DIAGRAM_VERSIONS), 1)]
    return interview


def _reject_constant(name: str) -> None:
    raise fail(f"it contains {name}, which is not a number a transcript can hold")


def _decode(data: str | bytes | bytearray | memoryview) -> str:
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > MAX_IMPORT_BYTES:
            raise _too_big(len(data))
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise fail("it is not UTF-8 text, so it is not a transcript export") from None
    if not isinstance(data, str):
        raise fail("expected the text of a JSON export")
    # Counting characters first avoids encoding a huge string just to learn it is too big.
    size = len(data) if len(data) > MAX_IMPORT_BYTES else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_IMPORT_BYTES:
        raise _too_big(size)
    return data.removeprefix("\ufeff")


def _too_big(size: int) -> ImportFailed:
    return ImportFailed(
        f"That file is {size:,} bytes; the limit for an import is {MAX_IMPORT_BYTES:,} bytes. Nothing was imported."
    )


def parse_import(data: str | bytes | bytearray | memoryview) -> Interview:
    """A validated Interview from a JSON export; raises ImportFailed, with the reason, for anything else."""
    text = _decode(data)
    if not text.strip():
        raise fail("the file is empty")
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise fail(f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise fail("its data is nested too deeply to be a transcript export") from None
    except ImportFailed:  # from _reject_constant
        raise
    except ValueError:  # e.g. an integer with more digits than Python will convert
        raise fail("it holds a number too long to read") from None
    if not isinstance(document, dict):
        raise fail(
            f"it should hold a JSON object with 'schema', 'version' and 'interview', but it holds {kind_of(document)}"
        )
    schema = document.get("schema")
    if schema != EXPORT_SCHEMA:
        found = "no 'schema' field" if schema is None else f"schema {shown(schema)}"
        raise fail(f"it is not an interview transcript export (it has {found}; expected '{EXPORT_SCHEMA}')")
    version = document.get("version")
    if type(version) is not int or version not in SUPPORTED_VERSIONS:
        supported = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
        raise fail(
            f"it uses export format version {shown(version)}, and this app reads version {supported}"
            + (" (it may come from a newer release)" if isinstance(version, int) and version > EXPORT_VERSION else "")
        )
    if "interview" not in document:
        raise fail("it has no 'interview' field")
    try:
        interview = _interview(document["interview"])
    except RecursionError:
        raise fail("its data is nested too deeply to be a transcript export") from None
    secret = find_secret_key(interview.to_dict())
    if secret:
        raise fail(f"it contains a field named like a credential ('{secret[:80]}'); API keys are never imported")
    return interview
