"""The whiteboard's queries: one row per saved diagram version, scoped to its interview like messages are.

`interview.store.sql` calls these inside its own transactions, after it has checked that the interview is the
owner's; nothing here checks owners.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any, TypeVar

from interview.core.state import DiagramVersion
from interview.store.dialect import Translating

DIAGRAM_COLUMNS = ("turn", "source", "created_at")

_INSERT = (
    f"INSERT INTO diagrams (interview_id, {', '.join(DIAGRAM_COLUMNS)}) "  # noqa: S608
    f"VALUES (:interview_id, {', '.join(':' + c for c in DIAGRAM_COLUMNS)}) RETURNING id"
)
_UPDATE = (
    f"UPDATE diagrams SET {', '.join(f'{c} = :{c}' for c in DIAGRAM_COLUMNS)} "  # noqa: S608
    "WHERE id = :id AND interview_id = :interview_id"
)

Row = TypeVar("Row")


def put_diagram(conn: Translating, interview_id: str, version: DiagramVersion) -> int:
    """Overwrite the version's row when it has one in this interview, else insert it; returns its row id."""
    row = {column: getattr(version, column) for column in DIAGRAM_COLUMNS}
    row.update(interview_id=interview_id, id=version.id)
    if version.id is not None and conn.execute(_UPDATE, row).rowcount:
        return version.id
    return _first_id(conn.execute(_INSERT, row))


def read_diagrams(conn: Translating, interview_id: str) -> list[DiagramVersion]:
    """Every saved version of the interview's whiteboard, oldest first."""
    rows = conn.execute("SELECT * FROM diagrams WHERE interview_id = ? ORDER BY id", (interview_id,)).fetchall()
    return [_version(row) for row in rows]


def merge_stored(local: list[Row], stored: list[Row]) -> list[Row]:
    """The stored rows in order, keeping this tab's objects (callers may hold them) updated with the stored values,
    then this tab's rows that are not stored (yet)."""
    mine = {item.id: item for item in local if item.id is not None}
    merged = []
    for item in stored:
        kept = mine.pop(item.id, None)
        if kept is None:
            merged.append(item)
            continue
        for field in fields(item):
            setattr(kept, field.name, getattr(item, field.name))
        merged.append(kept)
    known = {item.id for item in stored}
    return merged + [item for item in local if item.id is None or item.id not in known]


def _version(row: Mapping[str, Any]) -> DiagramVersion:
    return DiagramVersion(source=row["source"], turn=row["turn"], created_at=row["created_at"], id=row["id"])


def _first_id(cursor: Any) -> int:
    # Reads every row so the RETURNING statement is finished before the commit.
    return cursor.fetchall()[0]["id"]
