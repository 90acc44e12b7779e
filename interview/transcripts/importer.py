"""Validate a JSON transcript export and turn it into an Interview; nothing here writes anything.

A file is untrusted input: every field is checked for type, allowed values and length before an Interview is
built, and every failure is an `ImportFailed` whose message a user can act on. Text containing HTML stays text;
the pages and exports escape it when they render it. Unknown fields are dropped, so a file from a newer release
imports whatever this release understands.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from typing import Any

from interview.core.notes import CoveredItem, EstimateCheck, InterviewerNotes, Move, RaisedMistake
from interview.core.phases import DEFAULT_LENGTH_MINUTES, PHASE_KEYS
from interview.core.scorecard import Scorecard
from interview.core.secrets import find_secret_key
from interview.core.state import (
    HINT_TIERS,
    LEVELS,
    MAX_DIAGRAM_VERSIONS,
    MODES,
    DiagramVersion,
    Interview,
    Message,
    is_valid_id,
)
from interview.transcripts.export import EXPORT_SCHEMA, EXPORT_VERSION
from interview.whiteboard.diagram import MAX_SOURCE_CHARS, DiagramError, parse

MAX_IMPORT_BYTES = 2_000_000
SUPPORTED_VERSIONS = (EXPORT_VERSION,)
MAX_MESSAGES = 2_000
MAX_HINTS = 500
MAX_PHASE_CHANGES = 200
MAX_LIST_ITEMS = 100  # scorecard dimensions, strengths, gaps, evidence quotes
MAX_NOTES = 1_000  # interviewer notes of each kind

ROLES = ("user", "assistant")
KINDS = ("chat", "question", "hint")

# Longest accepted text per field, in characters.
LIMITS = {
    "question": 20_000,
    "constraints": 20_000,
    "provider": 100,
    "model": 300,
    "problem_id": 200,
    "summary": 100_000,
    "content": 100_000,
    "error": 2_000,
    "reason": 200,
    "hint": 5_000,
    "name": 200,
    "item": 5_000,
    "prose": 100_000,
    "hire_signal": 500,
    "extra": 10_000,
}

EARLIEST, LATEST = 0.0, 4_102_444_800.0  # timestamps from 1970 to 2100; wider values break date formatting
MAX_SCORE = 10

_SHOWABLE = re.compile(r"[\w .:/-]{1,40}")


class ImportFailed(ValueError):
    """An import we refuse, with the reason in words a user understands; nothing was stored."""


def _fail(problem: str) -> ImportFailed:
    return ImportFailed(f"Cannot import this file: {problem}. Nothing was imported.")


def _kind(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else type(value).__name__


def _shown(value: Any) -> str:
    """A value quoted back to the user only when it is short and plain, so hostile text is never echoed."""
    text = str(value)
    return f"'{text}'" if isinstance(value, (str, int, float)) and _SHOWABLE.fullmatch(text) else "an unexpected value"


def _check_text(value: str, where: str, limit: int) -> str:
    if len(value) > limit:
        raise _fail(f"{where} is {len(value):,} characters long; the limit is {limit:,}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _fail(f"{where} contains characters that are not valid text") from None
    return value


def _check_plain_json(value: Any, where: str) -> None:
    """Fields we keep without knowing them: text must still be valid and of sane length."""
    if isinstance(value, str):
        _check_text(value, where, LIMITS["extra"])
    elif isinstance(value, float) and not math.isfinite(value):
        raise _fail(f"{where} is not a finite number")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, f"a field name in {where}", LIMITS["name"])
            _check_plain_json(item, f"{where} → {key}")
    elif isinstance(value, list):
        for index, item in enumerate(value, 1):
            _check_plain_json(item, f"{where} item {index}")


class _Fields:
    """Typed access to one JSON object's fields, failing with the object's name and the field's name."""

    def __init__(self, data: Any, where: str):
        if not isinstance(data, dict):
            raise _fail(f"{where} should be an object, but it is {_kind(data)}")
        self.data = data
        self.where = where

    def _get(self, key: str, required: bool) -> tuple[bool, Any]:
        if key in self.data:
            return True, self.data[key]
        if required:
            raise _fail(f"{self.where} is missing the field '{key}'")
        return False, None

    def _wrong(self, key: str, expected: str, value: Any) -> ImportFailed:
        return _fail(f"in {self.where}, '{key}' should be {expected}, but it is {_kind(value)}")

    def text(
        self,
        key: str,
        limit: int,
        *,
        default: str | None = "",
        required: bool = False,
        nullable: bool = False,
        nonblank: bool = False,
    ) -> str | None:
        present, value = self._get(key, required)
        if not present or (value is None and nullable):
            return default if not present else None
        if not isinstance(value, str):
            raise self._wrong(key, "text", value)
        if nonblank and not value.strip():
            raise _fail(f"in {self.where}, '{key}' is empty")
        return _check_text(value, f"'{key}' in {self.where}", limit)

    def number(
        self,
        key: str,
        *,
        low: float,
        high: float,
        default: float | None = None,
        required: bool = False,
        nullable: bool = False,
        integer: bool = False,
        expected: str = "",
    ) -> float | int | None:
        present, value = self._get(key, required)
        if not present or (value is None and nullable):
            return default if not present else None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._wrong(key, "a whole number" if integer else "a number", value)
        expected = expected or f"{'a whole number' if integer else 'a number'} from {low:g} to {high:g}"
        if not math.isfinite(value) or not low <= value <= high or (integer and value != int(value)):
            raise _fail(f"in {self.where}, '{key}' is {_shown(value)}; expected {expected}")
        return int(value) if integer else float(value)

    def time(
        self, key: str, *, default: float | None = None, required: bool = False, nullable: bool = False
    ) -> float | None:
        return self.number(
            key,
            low=EARLIEST,
            high=LATEST,
            default=default,
            required=required,
            nullable=nullable,
            expected="a time in seconds since 1970, before the year 2100",
        )

    def choice(self, key: str, choices: tuple[str, ...], *, default: str | None = None, required: bool = False) -> str:
        present, value = self._get(key, required)
        if not present:
            return default
        if not isinstance(value, str) or value not in choices:
            raise _fail(f"in {self.where}, '{key}' is {_shown(value)}; expected one of {', '.join(choices)}")
        return value

    def flag(self, key: str, default: bool) -> bool:
        present, value = self._get(key, False)
        if not present:
            return default
        if not isinstance(value, bool):
            raise self._wrong(key, "true or false", value)
        return value

    def items(self, key: str, limit: int, *, required: bool = False) -> list:
        present, value = self._get(key, required)
        if not present:
            return []
        if not isinstance(value, list):
            raise self._wrong(key, "a list", value)
        if len(value) > limit:
            raise _fail(f"in {self.where}, '{key}' has {len(value):,} entries; the limit is {limit:,}")
        return value

    def texts(self, key: str, limit: int, length: int) -> None:
        for index, item in enumerate(self.items(key, limit), 1):
            if not isinstance(item, str):
                raise _fail(f"in {self.where}, entry {index} of '{key}' should be text, but it is {_kind(item)}")
            _check_text(item, f"entry {index} of '{key}' in {self.where}", length)


def _message(data: Any, number: int) -> Message:
    f = _Fields(data, f"message {number}")
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
    f = _Fields(data, f"whiteboard version {number}")
    source = f.text("source", MAX_SOURCE_CHARS, required=True)
    try:
        parse(source)
    except DiagramError as exc:
        # Only the line number is quoted back: the reason may hold a piece of the file's text.
        where = f" (line {exc.line})" if exc.line else ""
        raise _fail(f"whiteboard version {number} is not a flowchart this app can read{where}") from None
    return DiagramVersion(
        source=source,
        turn=f.number("turn", low=0, high=MAX_MESSAGES + 1, integer=True, required=True),
        created_at=f.time("created_at", required=True),
        id=None,  # a row id from the exporting database means nothing here
    )


def _phase_change(data: Any, number: int) -> dict:
    f = _Fields(data, f"phase history entry {number}")
    f.choice("phase", PHASE_KEYS, required=True)
    f.time("started_at", required=True)
    f.text("reason", LIMITS["reason"], required=True)
    _check_plain_json(data, f.where)
    return dict(data)


def _hint(data: Any, number: int) -> dict:
    f = _Fields(data, f"hint {number}")
    f.choice("phase", PHASE_KEYS, required=True)
    f.choice("tier", HINT_TIERS, required=True)
    f.text("text", LIMITS["hint"], required=True)
    f.time("at", required=True)
    _check_plain_json(data, f.where)
    return dict(data)


def _scorecard(data: Any) -> Scorecard | None:
    if data is None:
        return None
    f = _Fields(data, "the scorecard")
    f.text("prose", LIMITS["prose"])
    f.text("note", LIMITS["item"])
    f.text("hire_signal", LIMITS["hire_signal"])
    f.texts("strengths", MAX_LIST_ITEMS, LIMITS["item"])
    f.texts("gaps", MAX_LIST_ITEMS, LIMITS["item"])
    for index, row in enumerate(f.items("dimensions", MAX_LIST_ITEMS), 1):
        dim = _Fields(row, f"scorecard dimension {index}")
        dim.text("name", LIMITS["name"], required=True)
        dim.number("score", low=0, high=MAX_SCORE, nullable=True)
        dim.texts("evidence", MAX_LIST_ITEMS, LIMITS["item"])
        dim.text("comment", LIMITS["item"])
    # Fields beyond the known shape are kept as they are (the renderers escape all text), but still checked.
    _check_plain_json(data, f.where)
    return Scorecard.from_dict(data)


def _notes(data: Any) -> InterviewerNotes:
    """The interviewer's notes, every field type-checked; an export from before notes existed has none."""
    if data is None:
        return InterviewerNotes()
    f = _Fields(data, "the interviewer notes")
    notes = InterviewerNotes()
    for n, item in enumerate(f.items("covered", MAX_NOTES), 1):
        row = _Fields(item, f"covered item {n}")
        notes.covered.append(
            CoveredItem(
                phase=row.choice("phase", PHASE_KEYS, required=True),
                item=row.text("item", LIMITS["item"], required=True),
                quote=row.text("quote", LIMITS["item"]),
            )
        )
    for n, item in enumerate(f.items("mistakes", MAX_NOTES), 1):
        row = _Fields(item, f"noted mistake {n}")
        notes.mistakes.append(
            RaisedMistake(
                key=row.text("key", LIMITS["name"], required=True),
                phase=row.choice("phase", PHASE_KEYS, required=True),
                quote=row.text("quote", LIMITS["item"]),
                question=row.text("question", LIMITS["item"]),
                note=row.text("note", LIMITS["item"]),
                fixed=row.flag("fixed", False),
                fix_quote=row.text("fix_quote", LIMITS["item"]),
                asked=row.flag("asked", True),
            )
        )
    for n, item in enumerate(f.items("estimates", MAX_NOTES), 1):
        row = _Fields(item, f"estimate check {n}")
        notes.estimates.append(
            EstimateCheck(
                quantity=row.text("quantity", LIMITS["name"], required=True),
                stated=row.number("stated", low=0, high=1e30, required=True),
                expected=row.number("expected", low=0, high=1e30, required=True),
                quote=row.text("quote", LIMITS["item"]),
                ok=row.flag("ok", False),
            )
        )
    for n, item in enumerate(f.items("moves", MAX_NOTES), 1):
        row = _Fields(item, f"interviewer move {n}")
        notes.moves.append(
            Move(
                kind=row.text("kind", LIMITS["name"], required=True),
                key=row.text("key", LIMITS["item"]),
                question=row.text("question", LIMITS["item"]),
                turn=row.number("turn", low=0, high=MAX_MESSAGES, integer=True, default=0),
                lead=row.text("lead", LIMITS["item"]),
                quote=row.text("quote", LIMITS["item"]),
            )
        )
    return notes


def _interview(data: Any) -> Interview:
    f = _Fields(data, "the interview")
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
    raise _fail(f"it contains {name}, which is not a number a transcript can hold")


def _decode(data: str | bytes | bytearray | memoryview) -> str:
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > MAX_IMPORT_BYTES:
            raise _too_big(len(data))
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _fail("it is not UTF-8 text, so it is not a transcript export") from None
    if not isinstance(data, str):
        raise _fail("expected the text of a JSON export")
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
        raise _fail("the file is empty")
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise _fail(f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise _fail("its data is nested too deeply to be a transcript export") from None
    except ImportFailed:  # from _reject_constant
        raise
    except ValueError:  # e.g. an integer with more digits than Python will convert
        raise _fail("it holds a number too long to read") from None
    if not isinstance(document, dict):
        raise _fail(
            f"it should hold a JSON object with 'schema', 'version' and 'interview', but it holds {_kind(document)}"
        )
    schema = document.get("schema")
    if schema != EXPORT_SCHEMA:
        found = "no 'schema' field" if schema is None else f"schema {_shown(schema)}"
        raise _fail(f"it is not an interview transcript export (it has {found}; expected '{EXPORT_SCHEMA}')")
    version = document.get("version")
    if type(version) is not int or version not in SUPPORTED_VERSIONS:
        supported = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
        raise _fail(
            f"it uses export format version {_shown(version)}, and this app reads version {supported}"
            + (" (it may come from a newer release)" if isinstance(version, int) and version > EXPORT_VERSION else "")
        )
    if "interview" not in document:
        raise _fail("it has no 'interview' field")
    try:
        interview = _interview(document["interview"])
    except RecursionError:
        raise _fail("its data is nested too deeply to be a transcript export") from None
    secret = find_secret_key(interview.to_dict())
    if secret:
        raise _fail(f"it contains a field named like a credential ('{secret[:80]}'); API keys are never imported")
    return interview
