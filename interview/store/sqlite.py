"""The SQLite backend: one file, stdlib sqlite3, WAL mode, schema kept current by `migrations`.

One `SQLiteStore` is shared by every Streamlit session in a process, so its connection is opened with
`check_same_thread=False` and every use of it holds a lock. Other processes (or other stores) may open the same
file: WAL lets readers and one writer work at once, `busy_timeout` makes writers wait instead of failing, and
every write is a short `BEGIN IMMEDIATE` transaction.

A file that is not SQLite, or fails `PRAGMA quick_check` at open, raises `StoreError` naming the file; the file
is left exactly as it was (never replaced or deleted).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from interview.store import migrations
from interview.store.dialect import SQLITE, Translating
from interview.store.rows import StoreError
from interview.store.sql import SQLStore

APP_DIR_NAME = "interview-coach"
DB_FILE_NAME = "interviews.db"
BUSY_TIMEOUT_MS = 5_000
SQLITE_HEADER = b"SQLite format 3\x00"
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


def default_db_path(env: Mapping[str, str] | None = None) -> Path:
    """`INTERVIEW_DB`, else `interview-coach/interviews.db` in the platform's user data directory."""
    env = os.environ if env is None else env
    explicit = (env.get("INTERVIEW_DB") or "").strip()
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs  # imported here: only the default location needs it

    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False)) / DB_FILE_NAME


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


class SQLiteStore(SQLStore):
    """Interviews and their message logs in one SQLite file; safe to share between threads."""

    def __init__(self, path: str | os.PathLike[str] | None = None):
        # Absolute, so every message naming the file tells the user exactly where it is.
        self.path = (Path(path) if path is not None else default_db_path()).expanduser().absolute()
        self.where = str(self.path)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = self._open()

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
            migrations.migrate(conn, SQLITE)
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

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Translating]:
        with self._lock:
            conn = self._connection()
            try:
                conn.execute(begin)
                yield Translating(conn, SQLITE)
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"The interview database {self.path} could not be used: {exc}.") from exc
                raise

    def _write(self) -> AbstractContextManager[Translating]:
        # IMMEDIATE takes the write lock up front, so a busy database makes us wait (busy_timeout) rather than
        # fail halfway through when a read transaction tries to become a write.
        return self._transaction("BEGIN IMMEDIATE")

    def _read(self) -> AbstractContextManager[Translating]:
        return self._transaction("BEGIN")
