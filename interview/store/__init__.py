"""Persistence for interviews: SQLite on a laptop (the default), PostgreSQL for several app replicas.

`open_store()` picks the backend from `INTERVIEW_DB`: a `postgresql://` (or `postgres://`) URL opens
`PostgresStore`, anything else is an SQLite file (`SQLiteStore`). Both run the same queries
(`interview.store.sql`) on the same numbered migrations (`interview.store.migrations`), and keep the same contract.

Owners
------
Every interview belongs to one owner: `LOCAL_OWNER` when the app runs without login (and for every interview saved
before login existed), else `owner_id(issuer, sub)` of the person's OIDC login. A store sees one owner at a time
(`store.as_owner(owner)`): load, refresh, list, delete and import touch only that owner's interviews, and another
owner's interview id behaves exactly like a missing one. An exported file carries no owner: importing it makes the
importer its owner.

Two browser tabs on the same interview
--------------------------------------
Each tab holds its own in-memory `Interview`, and both save to the same rows (the tabs may be in two app
processes on one PostgreSQL database). The rules that keep that safe:

* The message log is append-only. Every message is its own row, inserted once (which gives it its id) and
  afterwards updated only by the session that created it (a partial reply becoming final): the engine re-saves
  only the reply it is streaming, never a message it loaded. An update is matched on both the message id and
  the interview id, and ids are never reused, so no write rewrites or deletes another tab's turns.
* A reply is written ahead while it streams (saved incomplete, then updated), so a crash keeps what was shown.
* Interview settings, phase, hints, scorecard and summary are last-writer-wins for the whole interview row;
  `updated_at` only moves forward.
* The interviewer's notes are merged, not overwritten: each save reads the saved notes under the row's lock and
  writes the union with the tab's (`interview.core.notes.merge_notes`), and the tab takes that union.
* `load()` always returns the union of both tabs' messages in insertion (id) order, and `refresh(interview)`
  pulls the other tab's turns into a tab's `Interview` so its next prompt includes them.
* Deleting an interview while another tab still has it open: that tab's next save starts the row again with
  what it saves from then on.

API keys are never stored: an Interview holds none, and any value about to be written that has a key named like
one is refused. A database URL's password is never shown in a message (`interview.store.postgres.scrub`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from interview.core.state import is_valid_id
from interview.store.migrations import LOCAL_OWNER
from interview.store.rows import ScoreRecord, StoreError, Summary, check_no_secrets, owner_id, scorecard_score
from interview.store.sql import SQLStore
from interview.store.sqlite import SQLiteStore, default_db_path

__all__ = [
    "LOCAL_OWNER",
    "SQLStore",
    "ScoreRecord",
    "SQLiteStore",
    "StoreError",
    "Summary",
    "check_no_secrets",
    "database_location",
    "default_db_path",
    "is_postgres_url",
    "is_valid_id",
    "open_store",
    "owner_id",
    "scorecard_score",
]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(location: str) -> bool:
    return location.strip().lower().startswith(POSTGRES_SCHEMES)


def database_location(env: Mapping[str, str] | None = None) -> str:
    """`INTERVIEW_DB` as given (a PostgreSQL URL or an SQLite file), else the default SQLite file."""
    env = os.environ if env is None else env
    explicit = (env.get("INTERVIEW_DB") or "").strip()
    return explicit if is_postgres_url(explicit) else str(default_db_path(env))


def open_store(location: str | None = None) -> SQLStore:
    """The store for `location` (default: `database_location()`), seeing LOCAL_OWNER's interviews."""
    location = database_location() if location is None else location
    if is_postgres_url(location):
        from interview.store.postgres import PostgresStore  # psycopg is loaded only by those who use it

        return PostgresStore(location.strip())
    return SQLiteStore(location)
