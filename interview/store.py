"""SQLite persistence for interviews: one file, stdlib sqlite3, WAL mode, schema kept current by `migrations`.

One `SQLiteStore` is shared by every Streamlit session in a process, so its connection is opened with
`check_same_thread=False` and every use of it holds a lock. Other processes (or other stores) may open the same
file: WAL lets readers and one writer work at once, `busy_timeout` makes writers wait instead of failing, and
every write is a short `BEGIN IMMEDIATE` transaction.

Two browser tabs on the same interview
--------------------------------------
Each tab holds its own in-memory `Interview`, and both save to the same rows. The rules that keep that safe:

* The message log is append-only. Every message is its own row, inserted once (which gives it its id) and
  afterwards updated only by the session that created it (a partial reply becoming final): the engine re-saves
  only the reply it is streaming, never a message it loaded. An update is matched on both the message id and
  the interview id, and ids are never reused, so no write rewrites or deletes another tab's turns.
* Interview settings, phase, hints, scorecard and summary are last-writer-wins for the whole interview row;
  `updated_at` only moves forward.
* `load()` always returns the union of both tabs' messages in insertion (id) order, and `refresh(interview)`
  pulls the other tab's turns into a tab's `Interview` so its next prompt includes them.
* Deleting an interview while another tab still has it open: that tab's next save starts the row again with
  what it saves from then on.

A file that is not SQLite, or fails `PRAGMA quick_check` at open, raises `StoreError` naming the file; the file
is left exactly as it was (never replaced or deleted). API keys are never stored: an Interview holds none, and
any value about to be written that has a key named like one is refused.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from interview import migrations
from interview.feedback.card import Scorecard
from interview.importer import ImportFailed, find_secret_key, parse_import
from interview.model import Interview, Message, is_valid_id
from interview.notes import InterviewerNotes

__all__ = [
    "ImportFailed",
    "SQLiteStore",
    "StoreError",
    "Summary",
    "check_no_secrets",
    "default_db_path",
    "is_valid_id",
    "scorecard_score",
]

APP_DIR_NAME = "interview-coach"
DB_FILE_NAME = "interviews.db"
BUSY_TIMEOUT_MS = 5_000
SQLITE_HEADER = b"SQLite format 3\x00"
MAX_SEARCH_TERMS = 8
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB

INTERVIEW_COLUMNS = (
    "id",
    "question",
    "constraints",
    "mode",
    "level",
    "provider",
    "model",
    "length_minutes",
    "problem_id",
    "created_at",
    "updated_at",
    "phase",
    "phase_started_at",
    "ended_at",
    "summary",
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
    score: float | None  # mean of the scorecard's dimension scores
    turns: int  # candidate chat messages


def default_db_path(env: Mapping[str, str] | None = None) -> Path:
    """`INTERVIEW_DB`, else `interview-coach/interviews.db` in the platform's user data directory."""
    env = os.environ if env is None else env
    explicit = (env.get("INTERVIEW_DB") or "").strip()
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs  # imported here: only the default location needs it

    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False)) / DB_FILE_NAME


def check_no_secrets(value: Any, where: str = "interview") -> None:
    """Refuse to store anything holding a key named like a credential (api_key, secret, password...)."""
    found = find_secret_key(value, where)
    if found:
        raise StoreError(f"Refusing to save '{found}': credentials such as API keys are never stored.")


def scorecard_score(card: Scorecard | None) -> float | None:
    """Mean of the numeric dimension scores, or None when there are none."""
    scores = [row.score for row in card.dimensions if row.score is not None] if card else []
    return sum(scores) / len(scores) if scores else None


def _scorecard(value: Any) -> Scorecard | None:
    """The stored scorecard JSON as a Scorecard; anything but an object reads as no scorecard."""
    return Scorecard.from_dict(value) if isinstance(value, dict) else None


def _damaged(where: str, detail: str) -> StoreError:
    return StoreError(
        f"The interview database {where} is damaged or is not an SQLite database ({detail}). "
        "It was left untouched. Move or rename that file to start a new database (and keep it if you want "
        "to try recovering it), or set INTERVIEW_DB to use another file."
    )


def _check_header(path: Path) -> None:
    """Reject a file that is not SQLite before sqlite3 touches it; a missing or empty file is a new database."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"Cannot read the interview database {path}: {exc.strerror or exc}.") from exc
    if head and head != SQLITE_HEADER:
        raise _damaged(str(path), "it does not start with the SQLite header")


def _json(value: Any, column: str) -> str | None:
    if value is None and column == "scorecard":
        return None
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"Cannot save the interview's {column}: {exc}.") from exc


def _interview_row(interview: Interview) -> dict[str, Any]:
    values = {f.name: getattr(interview, f.name) for f in fields(interview) if f.name != "messages"}
    values["scorecard"] = None if interview.scorecard is None else interview.scorecard.to_dict()
    values["notes"] = interview.notes.to_dict()
    # Every dataclass field is checked, so a field added later that carries a credential is refused too.
    check_no_secrets(values)
    row = {column: values[column] for column in INTERVIEW_COLUMNS}
    for column in JSON_COLUMNS:
        row[column] = _json(row[column], column)
    return row


def _message_row(interview_id: str, message: Message) -> dict[str, Any]:
    row = {column: getattr(message, column) for column in MESSAGE_COLUMNS}
    row["complete"] = int(bool(message.complete))
    row["interview_id"] = interview_id
    row["id"] = message.id
    return row


def _message(row: sqlite3.Row) -> Message:
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


# Statements are assembled from the constant column lists above; every value is a bound parameter.
_UPSERT_INTERVIEW = (
    f"INSERT INTO interviews ({', '.join(INTERVIEW_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join(':' + c for c in INTERVIEW_COLUMNS)}) ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in INTERVIEW_COLUMNS if c not in ("id", "created_at", "updated_at"))
    + ", updated_at = MAX(interviews.updated_at, excluded.updated_at)"
)
_INSERT_MESSAGE = (
    f"INSERT INTO messages (interview_id, {', '.join(MESSAGE_COLUMNS)}) "  # noqa: S608
    f"VALUES (:interview_id, {', '.join(':' + c for c in MESSAGE_COLUMNS)})"
)
_UPDATE_MESSAGE = (
    f"UPDATE messages SET {', '.join(f'{c} = :{c}' for c in MESSAGE_COLUMNS)} "  # noqa: S608
    "WHERE id = :id AND interview_id = :interview_id"
)
_TOUCH = "UPDATE interviews SET updated_at = MAX(updated_at, ?) WHERE id = ?"


class SQLiteStore:
    """Interviews and their message logs in one SQLite file; safe to share between threads."""

    is_valid_id = staticmethod(is_valid_id)

    def __init__(self, path: str | os.PathLike[str] | None = None):
        # Absolute, so every message naming the file tells the user exactly where it is.
        self.path = (Path(path) if path is not None else default_db_path()).expanduser().absolute()
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = self._open()

    # -- connection -------------------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        where = str(self.path)
        _check_header(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot create the folder for the interview database {where}: {exc}.") from exc
        try:
            # isolation_level=None: transactions are only the explicit BEGIN/COMMIT below, never implicit ones.
            conn = sqlite3.connect(where, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot open the interview database {where}: {exc}.") from exc
        conn.row_factory = sqlite3.Row
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # The check runs before anything that writes (WAL switch, migrations), so a damaged file is
            # reported, never modified.
            problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise _damaged(where, "; ".join(problems[:3]))
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrations.migrate(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if getattr(exc, "sqlite_errorcode", None) in _CORRUPT_CODES or "malformed" in str(exc):
                raise _damaged(where, str(exc)) from exc
            raise StoreError(f"Cannot open the interview database {where}: {exc}.") from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"The interview database {self.path} is closed.")
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._connection()
            try:
                conn.execute(begin)
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"The interview database {self.path} could not be used: {exc}.") from exc
                raise

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, so a busy database makes us wait (busy_timeout) rather than
        # fail halfway through when a read transaction tries to become a write.
        return self._transaction("BEGIN IMMEDIATE")

    def _read(self) -> AbstractContextManager[sqlite3.Connection]:
        # One read transaction: the interview row and its messages come from the same snapshot.
        return self._transaction("BEGIN")

    # -- writes ------------------------------------------------------------------------------------------------

    def save_interview(self, interview: Interview) -> None:
        """Insert or replace the interview's settings, phase, hints, scorecard and summary (last writer wins)."""
        row = _interview_row(interview)
        with self._write() as conn:
            conn.execute(_UPSERT_INTERVIEW, row)

    def save_message(self, interview: Interview, message: Message) -> None:
        """Append the message (and set its id), or update it when this session stored it before."""
        row = _message_row(interview.id, message)
        with self._write() as conn:
            new_id = self._put_message(conn, interview, row)
        message.id = new_id  # only once committed: a failed write leaves the message unsaved

    def _put_message(self, conn: sqlite3.Connection, interview: Interview, row: dict[str, Any]) -> int:
        if row["id"] is not None and conn.execute(_UPDATE_MESSAGE, row).rowcount:
            conn.execute(_TOUCH, (row["created_at"], interview.id))
            return row["id"]
        # No row to update (never stored, or deleted meanwhile): append it, creating the interview row if needed
        # because the message's foreign key requires it.
        if conn.execute("SELECT 1 FROM interviews WHERE id = ?", (interview.id,)).fetchone() is None:
            conn.execute(_UPSERT_INTERVIEW, _interview_row(interview))
        new_id = conn.execute(_INSERT_MESSAGE, row).lastrowid
        conn.execute(_TOUCH, (row["created_at"], interview.id))
        return new_id

    def delete(self, interview_id: str) -> bool:
        """Delete the interview and its messages; False when there was nothing to delete."""
        with self._write() as conn:
            return conn.execute("DELETE FROM interviews WHERE id = ?", (interview_id,)).rowcount > 0

    def import_json(self, text: str | bytes) -> Interview:
        """Validate and store an exported interview, under a new id if its id is taken; never overwrites."""
        interview = parse_import(text)
        with self._write() as conn:
            # Checked inside the write transaction, so no other writer can take the id between check and insert.
            while conn.execute("SELECT 1 FROM interviews WHERE id = ?", (interview.id,)).fetchone():
                interview.id = uuid.uuid4().hex
            conn.execute(_UPSERT_INTERVIEW, _interview_row(interview))
            ids = [conn.execute(_INSERT_MESSAGE, _message_row(interview.id, m)).lastrowid for m in interview.messages]
        for message, new_id in zip(interview.messages, ids, strict=True):
            message.id = new_id
        return interview

    # -- reads -------------------------------------------------------------------------------------------------

    def load(self, interview_id: str) -> Interview | None:
        """The interview with every message from every tab, in insertion order; None when there is none."""
        with self._read() as conn:
            row = conn.execute("SELECT * FROM interviews WHERE id = ?", (interview_id,)).fetchone()
            if row is None:
                return None
            messages = self._messages(conn, interview_id)
        interview = self._interview(row)
        interview.messages = messages
        return interview

    def refresh(self, interview: Interview) -> Interview:
        """Reload the message log so this tab sees turns another tab added; this tab's settings stay as they are."""
        with self._read() as conn:
            if conn.execute("SELECT 1 FROM interviews WHERE id = ?", (interview.id,)).fetchone() is None:
                return interview  # deleted elsewhere: keep what this tab has rather than empty it
            stored = self._messages(conn, interview.id)
        mine = {m.id: m for m in interview.messages if m.id is not None}
        merged = []
        for message in stored:
            local = mine.pop(message.id, None)
            if local is None:
                merged.append(message)
            else:
                # Keep this tab's object (callers may hold it) but take the stored text, which is the latest.
                for field in fields(Message):
                    setattr(local, field.name, getattr(message, field.name))
                merged.append(local)
        known = {m.id for m in stored}
        merged += [m for m in interview.messages if m.id is None or m.id not in known]  # not stored (yet)
        interview.messages = merged
        if merged:
            interview.updated_at = max(interview.updated_at, max(m.created_at for m in merged))
        return interview

    def list_interviews(self, search: str = "", mode: str | None = None, level: str | None = None) -> list[Summary]:
        """Interviews, most recently active first, whose question, constraints or transcript hold every word."""
        where, params = [], []
        if mode:
            where.append("i.mode = ?")
            params.append(mode)
        if level:
            where.append("i.level = ?")
            params.append(level)
        for term in search.split()[:MAX_SEARCH_TERMS]:
            pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append(
                "(i.question LIKE ? ESCAPE '\\' OR i.constraints LIKE ? ESCAPE '\\' OR EXISTS ("
                "SELECT 1 FROM messages s WHERE s.interview_id = i.id AND s.content LIKE ? ESCAPE '\\'))"
            )
            params += [pattern] * 3
        # Only fixed clauses are joined in; the search terms, mode and level are bound parameters.
        sql = (
            "SELECT i.id, i.question, i.created_at, i.updated_at, i.mode, i.level, i.phase, i.scorecard, "  # noqa: S608
            "(SELECT COUNT(*) FROM messages m WHERE m.interview_id = i.id AND m.role = 'user' AND m.kind = 'chat') "
            "AS turns FROM interviews i"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY i.updated_at DESC, i.rowid DESC"
        )
        with self._read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [
            Summary(
                id=row["id"],
                question=row["question"],
                created_at=row["created_at"],
                updated_at=row["updated_at"],
                mode=row["mode"],
                level=row["level"],
                phase=row["phase"],
                score=scorecard_score(_scorecard(self._decode(row["scorecard"], "scorecard", row["id"]))),
                turns=row["turns"],
            )
            for row in rows
        ]

    @staticmethod
    def _messages(conn: sqlite3.Connection, interview_id: str) -> list[Message]:
        rows = conn.execute("SELECT * FROM messages WHERE interview_id = ? ORDER BY id", (interview_id,))
        return [_message(row) for row in rows]

    def _decode(self, text: str | None, column: str, interview_id: str) -> Any:
        if text is None:
            return None
        try:
            return json.loads(text)
        except ValueError as exc:
            raise StoreError(
                f"The saved {column} of interview {interview_id} in {self.path} is not valid JSON ({exc})."
            ) from exc

    def _interview(self, row: sqlite3.Row) -> Interview:
        return Interview(
            question=row["question"],
            constraints=row["constraints"],
            mode=row["mode"],
            level=row["level"],
            provider=row["provider"],
            model=row["model"],
            length_minutes=row["length_minutes"],
            problem_id=row["problem_id"],
            id=row["id"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            phase=row["phase"],
            phase_started_at=row["phase_started_at"],
            phase_history=self._decode(row["phase_history"], "phase_history", row["id"]) or [],
            hints=self._decode(row["hints"], "hints", row["id"]) or [],
            scorecard=_scorecard(self._decode(row["scorecard"], "scorecard", row["id"])),
            ended_at=row["ended_at"],
            summary=row["summary"],
            notes=InterviewerNotes.from_dict(self._decode(row["notes"], "notes", row["id"])),
        )
