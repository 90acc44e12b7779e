"""The store's queries, written once for SQLite and PostgreSQL; the backends add connections and transactions.

The contract (append-only message log, last-writer-wins settings, partial replies written ahead, owners) is
described in `interview.store`.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any, Self

from interview.core.notes import InterviewerNotes, merge_notes
from interview.core.state import DiagramVersion, Interview, Message, is_valid_id
from interview.store.diagrams import merge_stored, put_diagram, read_diagrams
from interview.store.dialect import Translating
from interview.store.migrations import LOCAL_OWNER
from interview.store.rows import (
    INTERVIEW_COLUMNS,
    MESSAGE_COLUMNS,
    ScoreRecord,
    StoreError,
    Summary,
    interview_row,
    message_from_row,
    message_row,
    scorecard_from,
    scorecard_score,
)

MAX_SEARCH_TERMS = 8


def _first(cursor: Any) -> Any:
    """The first row or None; reads every row so a RETURNING statement is finished before the commit."""
    rows = cursor.fetchall()
    return rows[0] if rows else None


def _taken() -> StoreError:
    # Ids are random 128-bit values, so this means a forged id, never a real clash; it says nothing about the row.
    return StoreError("This interview could not be saved: its id is already in use. Start a new interview.")


# Statements are assembled from the constant column lists above; every value is a bound parameter. They are in
# SQLite's syntax; `interview.store.dialect` rewrites them for PostgreSQL.
_INSERT_INTERVIEW = (
    f"INSERT INTO interviews (owner, {', '.join(INTERVIEW_COLUMNS)}) "  # noqa: S608
    f"VALUES (:owner, {', '.join(':' + c for c in INTERVIEW_COLUMNS)})"
)
# Settings are last-writer-wins, `updated_at` only moves forward, and another owner's row is never touched.
_UPSERT_INTERVIEW = (
    _INSERT_INTERVIEW
    + " ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in INTERVIEW_COLUMNS if c not in ("id", "created_at", "updated_at"))
    + ", updated_at = CASE WHEN excluded.updated_at > interviews.updated_at"
    " THEN excluded.updated_at ELSE interviews.updated_at END"
    " WHERE interviews.owner = excluded.owner RETURNING id"
)
_INSERT_NEW_INTERVIEW = _INSERT_INTERVIEW + " ON CONFLICT(id) DO NOTHING RETURNING id"
_INSERT_MESSAGE = (
    f"INSERT INTO messages (interview_id, {', '.join(MESSAGE_COLUMNS)}) "  # noqa: S608
    f"VALUES (:interview_id, {', '.join(':' + c for c in MESSAGE_COLUMNS)}) RETURNING id"
)
_UPDATE_MESSAGE = (
    f"UPDATE messages SET {', '.join(f'{c} = :{c}' for c in MESSAGE_COLUMNS)} "  # noqa: S608
    "WHERE id = :id AND interview_id = :interview_id"
)
# Also what locks the interview row (PostgreSQL) before its messages are written, and says whose it is.
_TOUCH = (
    "UPDATE interviews SET updated_at = CASE WHEN updated_at < :at THEN :at ELSE updated_at END "
    "WHERE id = :id RETURNING owner"
)
_OWNED = "SELECT notes, problem_id FROM interviews WHERE id = ? AND owner = ?"
# Reads the saved notes under the row's write lock (PostgreSQL waits here for another tab's save to commit).
_LOCK_NOTES = "UPDATE interviews SET notes = notes WHERE id = ? AND owner = ? RETURNING notes, problem_id"


class SQLStore:
    """Interviews and their message logs, seen by one owner; subclasses provide `_read()` and `_write()`.

    A store is shared by every session of a process; `as_owner()` gives each person a view of it that shares the
    connection but reads and writes only that person's interviews.
    """

    is_valid_id = staticmethod(is_valid_id)
    owner: str = LOCAL_OWNER
    where: str = "the interview database"  # how messages name the database

    def as_owner(self, owner: str) -> Self:
        """This store, seeing only `owner`'s interviews (same connection; closing either closes both)."""
        if not owner:
            raise ValueError("An owner is required.")
        view = copy.copy(self)
        view.owner = owner
        return view

    def _read(self) -> AbstractContextManager[Translating]:
        """One read transaction: the interview row and its messages come from the same snapshot."""
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Translating]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- writes ------------------------------------------------------------------------------------------------

    def save_interview(self, interview: Interview) -> None:
        """Insert or replace the interview's settings, phase, hints, scorecard and summary (last writer wins); the
        notes are merged with the saved ones, and the tab takes the merged notes once they are committed."""
        with self._write() as conn:
            saved = _first(conn.execute(_LOCK_NOTES, (interview.id, self.owner)))
            notes = interview.notes
            if saved is not None:
                stored = InterviewerNotes.from_dict(self._decode(saved["notes"], "notes", interview.id))
                notes = merge_notes(stored, notes, same_problem=saved["problem_id"] == interview.problem_id)
            if _first(conn.execute(_UPSERT_INTERVIEW, interview_row(interview, self.owner, notes))) is None:
                raise _taken()
        interview.notes = notes

    def save_message(self, interview: Interview, message: Message) -> None:
        """Append the message (and set its id), or update it when this session stored it before."""
        row = message_row(interview.id, message)
        with self._write() as conn:
            new_id = self._put_message(conn, interview, row)
        message.id = new_id  # only once committed: a failed write leaves the message unsaved

    def save_diagram(self, interview: Interview, version: DiagramVersion) -> None:
        """Append a whiteboard version (and set its id), or overwrite its row when it has one."""
        with self._write() as conn:
            self._claim(conn, interview, version.created_at)
            new_id = put_diagram(conn, interview.id, version)
        version.id = new_id  # only once committed

    def _claim(self, conn: Translating, interview: Interview, at: float) -> None:
        """Lock the interview row and move its `updated_at` to `at`, starting the row if needed; refuse another
        owner's."""
        touched = _first(conn.execute(_TOUCH, {"at": at, "id": interview.id}))
        if touched is None:
            # Never stored, or deleted meanwhile: the foreign keys need the interview row, so start it.
            if _first(conn.execute(_UPSERT_INTERVIEW, interview_row(interview, self.owner))) is None:
                raise _taken()
            _first(conn.execute(_TOUCH, {"at": at, "id": interview.id}))
        elif touched["owner"] != self.owner:
            raise _taken()

    def _put_message(self, conn: Translating, interview: Interview, row: dict[str, Any]) -> int:
        self._claim(conn, interview, row["created_at"])
        if row["id"] is not None and conn.execute(_UPDATE_MESSAGE, row).rowcount:
            return row["id"]
        return _first(conn.execute(_INSERT_MESSAGE, row))["id"]

    def delete(self, interview_id: str) -> bool:
        """Delete the interview with its messages and whiteboard; False when there was nothing (of this owner's) to
        delete."""
        with self._write() as conn:
            return (
                conn.execute("DELETE FROM interviews WHERE id = ? AND owner = ?", (interview_id, self.owner)).rowcount
                > 0
            )

    def add_imported(self, interview: Interview) -> Interview:
        """Store an interview read from a file, under a new id if its id is taken; never overwrites."""
        with self._write() as conn:
            # Insert-if-absent is atomic, so no other writer can take the id between a check and the insert.
            while _first(conn.execute(_INSERT_NEW_INTERVIEW, interview_row(interview, self.owner))) is None:
                interview.id = uuid.uuid4().hex
            rows = [message_row(interview.id, m) for m in interview.messages]
            ids = [_first(conn.execute(_INSERT_MESSAGE, row))["id"] for row in rows]
            diagram_ids = [put_diagram(conn, interview.id, version) for version in interview.diagrams]
        for message, new_id in zip(interview.messages, ids, strict=True):
            message.id = new_id
        for version, new_id in zip(interview.diagrams, diagram_ids, strict=True):
            version.id = new_id
        return interview

    # -- reads -------------------------------------------------------------------------------------------------

    def load(self, interview_id: str) -> Interview | None:
        """The interview with every message and whiteboard version from every tab, in insertion order; None when
        this owner has none."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT * FROM interviews WHERE id = ? AND owner = ?", (interview_id, self.owner)
            ).fetchone()
            if row is None:
                return None
            messages = self._messages(conn, interview_id)
            diagrams = read_diagrams(conn, interview_id)
        interview = self._interview(row)
        interview.messages = messages
        interview.diagrams = diagrams
        return interview

    def refresh(self, interview: Interview) -> Interview:
        """Reload the message log, whiteboard versions and notes so this tab sees what another tab added; this
        tab's settings stay as they are."""
        with self._read() as conn:
            saved = conn.execute(_OWNED, (interview.id, self.owner)).fetchone()
            if saved is None:
                return interview  # deleted elsewhere: keep what this tab has rather than empty it
            stored = self._messages(conn, interview.id)
            diagrams = read_diagrams(conn, interview.id)
        notes = InterviewerNotes.from_dict(self._decode(saved["notes"], "notes", interview.id))
        interview.notes = merge_notes(notes, interview.notes, same_problem=saved["problem_id"] == interview.problem_id)
        # This tab's objects are kept (callers may hold them) but take the stored text, which is the latest.
        interview.messages = merged = merge_stored(interview.messages, stored)
        interview.diagrams = merge_stored(interview.diagrams, diagrams)
        if merged:
            interview.updated_at = max(interview.updated_at, max(m.created_at for m in merged))
        return interview

    def _filters(self, search: str, mode: str | None, level: str | None) -> tuple[str, list[Any]]:
        """The WHERE clause (fixed text only) and its bound parameters for this owner's filtered interviews."""
        where, params = ["i.owner = ?"], [self.owner]
        if mode:
            where.append("i.mode = ?")
            params.append(mode)
        if level:
            where.append("i.level = ?")
            params.append(level)
        for term in search.split()[:MAX_SEARCH_TERMS]:
            pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append(
                "(LOWER(i.question) LIKE LOWER(?) ESCAPE '\\' OR LOWER(i.constraints) LIKE LOWER(?) ESCAPE '\\' "
                "OR EXISTS (SELECT 1 FROM messages s WHERE s.interview_id = i.id "
                "AND LOWER(s.content) LIKE LOWER(?) ESCAPE '\\'))"
            )
            params += [pattern] * 3
        return " AND ".join(where), params

    def list_interviews(
        self,
        search: str = "",
        mode: str | None = None,
        level: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Summary]:
        """This owner's interviews, most recently active first, whose question, constraints or transcript hold
        every word (case-insensitive); `limit` and `offset` give one page of them."""
        where, params = self._filters(search, mode, level)
        # Only fixed clauses are joined in; the owner, search terms, mode, level and page are bound parameters.
        sql = (
            "SELECT i.id, i.question, i.created_at, i.updated_at, i.mode, i.level, i.phase, i.style, i.scorecard, "  # noqa: S608
            "(SELECT COUNT(*) FROM messages m WHERE m.interview_id = i.id AND m.role = 'user' AND m.kind = 'chat') "
            "AS turns FROM interviews i WHERE " + where + " ORDER BY i.updated_at DESC, i.created_at DESC, i.id DESC"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [max(0, int(limit)), max(0, int(offset))]
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
                style=row["style"],
                score=scorecard_score(scorecard_from(self._decode(row["scorecard"], "scorecard", row["id"]))),
                turns=row["turns"],
            )
            for row in rows
        ]

    def count_interviews(self, search: str = "", mode: str | None = None, level: str | None = None) -> int:
        """How many of this owner's interviews `list_interviews` would list with these filters."""
        where, params = self._filters(search, mode, level)
        with self._read() as conn:
            row = conn.execute("SELECT COUNT(*) AS n FROM interviews i WHERE " + where, params).fetchone()  # noqa: S608
        return int(row["n"])

    def scores_version(self) -> tuple[int, float, int, int]:
        """This owner's interview count, latest activity, and scored count and scorecard sizes: changes whenever a
        score could have changed (scoring an interview does not move its `updated_at`)."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT COUNT(*) AS n, MAX(updated_at) AS latest, COUNT(scorecard) AS scored, "
                "SUM(LENGTH(scorecard)) AS card_chars FROM interviews WHERE owner = ?",
                (self.owner,),
            ).fetchone()
        return int(row["n"]), float(row["latest"] or 0.0), int(row["scored"]), int(row["card_chars"] or 0)

    def score_history(self) -> list[ScoreRecord]:
        """Every one of this owner's interviews, oldest first, with its scorecard and raised mistakes only: no
        transcript is read."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, question, problem_id, level, created_at, scorecard, notes FROM interviews "
                "WHERE owner = ? ORDER BY created_at, id",
                (self.owner,),
            ).fetchall()
        return [self._score_record(row) for row in rows]

    def _score_record(self, row: Mapping[str, Any]) -> ScoreRecord:
        card = scorecard_from(self._decode(row["scorecard"], "scorecard", row["id"]))
        notes = self._decode(row["notes"], "notes", row["id"])
        raised = notes.get("mistakes") if isinstance(notes, dict) else None
        mistakes = tuple(
            (str(m.get("key", "")), str(m.get("note", "")), bool(m.get("fixed", False)))
            for m in (raised if isinstance(raised, list) else [])
            if isinstance(m, dict) and m.get("key") and not m.get("withdrawn")  # a misread challenge is no mistake
        )
        dimensions = {
            d.key: (float(d.score) if d.score is not None and d.assessed else None, tuple(d.evidence))
            for d in (card.dimensions if card else [])
            if d.key
        }
        return ScoreRecord(
            id=row["id"],
            question=row["question"],
            problem_id=row["problem_id"],
            level=row["level"],
            created_at=row["created_at"],
            overall=scorecard_score(card),
            dimensions=dimensions,
            mistakes=mistakes,
        )

    @staticmethod
    def _messages(conn: Translating, interview_id: str) -> list[Message]:
        rows = conn.execute("SELECT * FROM messages WHERE interview_id = ? ORDER BY id", (interview_id,)).fetchall()
        return [message_from_row(row) for row in rows]

    def _decode(self, text: str | None, column: str, interview_id: str) -> Any:
        if text is None:
            return None
        try:
            return json.loads(text)
        except ValueError as exc:
            raise StoreError(
                f"The saved {column} of interview {interview_id} in {self.where} is not valid JSON ({exc})."
            ) from exc

    def _interview(self, row: Mapping[str, Any]) -> Interview:
        return Interview(
            question=row["question"],
            constraints=row["constraints"],
            mode=row["mode"],
            level=row["level"],
            provider=row["provider"],
            model=row["model"],
            length_minutes=row["length_minutes"],
            style=row["style"],
            curveballs=bool(row["curveballs"]),
            problem_id=row["problem_id"],
            id=row["id"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            phase=row["phase"],
            phase_started_at=row["phase_started_at"],
            phase_history=self._decode(row["phase_history"], "phase_history", row["id"]) or [],
            hints=self._decode(row["hints"], "hints", row["id"]) or [],
            scorecard=scorecard_from(self._decode(row["scorecard"], "scorecard", row["id"])),
            ended_at=row["ended_at"],
            summary=row["summary"],
            summary_turns=row["summary_turns"],
            notes=InterviewerNotes.from_dict(self._decode(row["notes"], "notes", row["id"])),
        )
