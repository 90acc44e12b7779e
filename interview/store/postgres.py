"""The PostgreSQL backend: psycopg 3 and a connection pool, for several app processes on one database.

Writes are short transactions at PostgreSQL's default READ COMMITTED: the statements in `interview.store.sql`
are written so that is enough (insert-if-absent, upserts, and an interview row locked by the first statement
that writes its messages). Reads run at REPEATABLE READ, so an interview and its messages come from one snapshot.

The database URL may hold a password. No message, log line or exception text this module produces shows it:
every text from the driver passes through `scrub()` first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from urllib.parse import unquote

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from interview.store import migrations
from interview.store.dialect import POSTGRES, Translating
from interview.store.rows import StoreError
from interview.store.sql import SQLStore

POOL_SIZE = 8  # connections per app process; each store call holds one for a few milliseconds
CONNECT_TIMEOUT_SECONDS = 10
POOL_TIMEOUT_SECONDS = 15  # how long a call waits for a free connection (or for the server to come back)
_QUERY_PASSWORD = re.compile(r"(?:^|[?&])password=([^&#]*)")


def url_secrets(url: str) -> list[str]:
    """Every string in `url` that could be its password (longest first), as written and percent-decoded.

    It does not trust the URL to be well formed: a password with a raw '@', '/' or space must be hidden too.
    """
    rest = url.split("://", 1)[-1]
    found: set[str] = set()
    if "@" in rest:
        for userinfo in (rest.split("@", 1)[0], rest.rsplit("@", 1)[0]):
            if ":" in userinfo:
                found.add(userinfo.split(":", 1)[1])
    found.update(match.group(1) for match in _QUERY_PASSWORD.finditer(rest))
    found |= {unquote(secret) for secret in found}
    return sorted((secret for secret in found if secret), key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """`text` with every possible password from `url` replaced by ***."""
    for secret in url_secrets(url):
        text = text.replace(secret, "***")
    return text


class PostgresStore(SQLStore):
    """Interviews and their message logs in a PostgreSQL database; safe to share between threads."""

    def __init__(self, url: str, pool_size: int = POOL_SIZE, pool_timeout: float = POOL_TIMEOUT_SECONDS):
        self._url = url  # never shown: `where` is the scrubbed form
        self.where = scrub(url, url)
        self._closed = False
        self._migrate()
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True, "row_factory": dict_row, "connect_timeout": CONNECT_TIMEOUT_SECONDS},
            check=ConnectionPool.check_connection,  # a connection broken by a server restart is replaced, not used
            timeout=pool_timeout,
            name="interview-db",
            open=False,
        )
        try:
            self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_SECONDS)
        except psycopg.Error as exc:
            self._pool.close()
            raise self._error("Cannot connect to", exc) from None

    def _error(self, doing: str, exc: BaseException) -> StoreError:
        # `from None` at every raise: the driver's own exception (which may quote the URL) is not chained.
        detail = scrub(str(exc).strip(), self._url) or type(exc).__name__
        return StoreError(f"{doing} the interview database {self.where}: {detail}")

    def _migrate(self) -> None:
        try:
            conn = psycopg.connect(self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS)
        except psycopg.Error as exc:
            raise self._error("Cannot connect to", exc) from None
        try:
            with conn:
                migrations.migrate(conn, POSTGRES)
        except psycopg.Error as exc:
            raise self._error("Cannot update the tables of", exc) from None

    def close(self) -> None:
        self._closed = True
        self._pool.close()

    @contextmanager
    def _transaction(self, read: bool) -> Iterator[Translating]:
        if self._closed:
            raise StoreError(f"The interview database {self.where} is closed.")
        try:
            with self._pool.connection() as conn, conn.transaction():
                if read:
                    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield Translating(conn, POSTGRES)
        except psycopg.Error as exc:
            raise self._error("Could not use", exc) from None

    def _write(self) -> AbstractContextManager[Translating]:
        return self._transaction(read=False)

    def _read(self) -> AbstractContextManager[Translating]:
        return self._transaction(read=True)
