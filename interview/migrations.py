"""Numbered schema migrations for the interview database, applied in order and recorded in `_migrations`."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]

MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    """Register a migration. Names are recorded in the database, so never rename or reorder a shipped one."""
    MIGRATIONS.append(fn)
    return fn


def ensure_migrations_table(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")


def applied_migrations(db: sqlite3.Connection) -> list[str]:
    """Names already applied, in the order they ran."""
    ensure_migrations_table(db)
    return [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY rowid")]


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply every pending migration in one transaction and return their names; a failure applies none."""
    # BEGIN IMMEDIATE takes the write lock before reading `_migrations`, so two processes opening the same
    # fresh file cannot both decide a migration is pending and run it twice.
    db.execute("BEGIN IMMEDIATE")
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
def m001_initial(db: sqlite3.Connection) -> None:
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
def m002_interview_summary(db: sqlite3.Connection) -> None:
    # The running summary of turns that no longer fit the model's context budget.
    db.execute("ALTER TABLE interviews ADD COLUMN summary TEXT NOT NULL DEFAULT ''")


@migration
def m003_indexes(db: sqlite3.Connection) -> None:
    # load() and refresh() read one interview's messages in id order; the history page sorts by last activity.
    db.execute("CREATE INDEX IF NOT EXISTS messages_by_interview ON messages (interview_id, id)")
    db.execute("CREATE INDEX IF NOT EXISTS interviews_by_updated ON interviews (updated_at)")


@migration
def m004_interviewer_notes(db: sqlite3.Connection) -> None:
    # What code noted on every turn: items covered, mistakes raised and fixed, estimate checks, moves made.
    db.execute("ALTER TABLE interviews ADD COLUMN notes TEXT NOT NULL DEFAULT '{}'")
