"""Numbered schema migrations for the interview database, applied in order and recorded in `_migrations`.

One list serves SQLite and PostgreSQL: each migration is written in SQLite's syntax and runs through a connection
that rewrites it for the database at hand (`interview.store.dialect`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from interview.store.dialect import SQLITE, Dialect, Translating

# Existing interviews, and every interview when no login is configured, belong to this owner.
LOCAL_OWNER = "local"


class Database(Protocol):
    """What a migration may use: sqlite3.Connection and psycopg.Connection both have it."""

    def execute(self, sql: str, params: Any = ..., /) -> Any: ...


Migration = Callable[[Database], None]

MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    """Register a migration. Names are recorded in the database, so never rename or reorder a shipped one."""
    MIGRATIONS.append(fn)
    return fn


def ensure_migrations_table(db: Database) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")


def applied_migrations(db: Database) -> list[str]:
    """Names already applied, in the order they ran (their numbers order them)."""
    ensure_migrations_table(db)
    return [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY name")]


def migrate(db: Database, dialect: Dialect = SQLITE) -> list[str]:
    """Apply every pending migration in one transaction and return their names; a failure applies none.

    `db` must not be inside a transaction (sqlite3 with isolation_level=None, psycopg in autocommit mode).
    """
    db = Translating(db, dialect)
    for statement in dialect.begin_migrations:
        db.execute(statement)
    try:
        done = set(applied_migrations(db))
        ran = []
        for fn in MIGRATIONS:
            if fn.__name__ in done:
                continue
            fn(db)
            db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (fn.__name__, time.time()))
            done.add(fn.__name__)
            ran.append(fn.__name__)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return ran


# Migrations use single execute() calls, never executescript(): executescript commits first and would break
# the all-or-nothing transaction above.


@migration
def m001_initial(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE interviews (
            id TEXT PRIMARY KEY,
            question TEXT NOT NULL,
            constraints TEXT NOT NULL DEFAULT '',
            mode TEXT NOT NULL,
            level TEXT NOT NULL,
            provider TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            length_minutes INTEGER NOT NULL,
            problem_id TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            phase TEXT NOT NULL,
            phase_started_at REAL NOT NULL,
            ended_at REAL,
            phase_history TEXT NOT NULL DEFAULT '[]',
            hints TEXT NOT NULL DEFAULT '[]',
            scorecard TEXT
        )
        """
    )
    # AUTOINCREMENT: a deleted message's id is never handed out again, so a tab still holding that id cannot
    # update somebody else's row.
    db.execute(
        """
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            content TEXT NOT NULL,
            phase TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'chat',
            complete INTEGER NOT NULL DEFAULT 1,
            error TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL
        )
        """
    )


@migration
def m002_interview_summary(db: Database) -> None:
    # The running summary of turns that no longer fit the model's context budget.
    db.execute("ALTER TABLE interviews ADD COLUMN summary TEXT NOT NULL DEFAULT ''")


@migration
def m003_indexes(db: Database) -> None:
    # load() and refresh() read one interview's messages in id order; the history page sorts by last activity.
    db.execute("CREATE INDEX IF NOT EXISTS messages_by_interview ON messages (interview_id, id)")
    db.execute("CREATE INDEX IF NOT EXISTS interviews_by_updated ON interviews (updated_at)")


@migration
def m004_owner(db: Database) -> None:
    # Who the interview belongs to: LOCAL_OWNER, or the login's issuer and subject (see interview.store.owner_id).
    # Interviews saved before there was a login belong to the local person.
    db.execute(f"ALTER TABLE interviews ADD COLUMN owner TEXT NOT NULL DEFAULT '{LOCAL_OWNER}'")
    # The history page lists one owner's interviews by last activity.
    db.execute("CREATE INDEX IF NOT EXISTS interviews_by_owner ON interviews (owner, updated_at)")


@migration
def m005_interviewer_notes(db: Database) -> None:
    # What code noted on every turn: items covered, mistakes raised and fixed, estimate checks, moves made.
    db.execute("ALTER TABLE interviews ADD COLUMN notes TEXT NOT NULL DEFAULT '{}'")


@migration
def m006_summary_turns(db: Database) -> None:
    # How many turns the running summary stands for, so it stays the same until the next summarising step.
    db.execute("ALTER TABLE interviews ADD COLUMN summary_turns INTEGER NOT NULL DEFAULT 0")


@migration
def m007_diagrams(db: Database) -> None:
    # Every saved version of the candidate's whiteboard, with the candidate turn it belongs to. AUTOINCREMENT for
    # the same reason as messages: a tab holding a deleted version's id must never overwrite someone else's row.
    db.execute(
        """
        CREATE TABLE diagrams (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            turn INTEGER NOT NULL,
            source TEXT NOT NULL,
            created_at REAL NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS diagrams_by_interview ON diagrams (interview_id, id)")


@migration
def m008_interviewer_style(db: Database) -> None:
    # How the interviewer behaves (coach, standard, bar raiser) and whether it may change a requirement midway.
    db.execute("ALTER TABLE interviews ADD COLUMN style TEXT NOT NULL DEFAULT 'standard'")
    db.execute("ALTER TABLE interviews ADD COLUMN curveballs INTEGER NOT NULL DEFAULT 1")
