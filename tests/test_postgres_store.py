"""PostgreSQL specifics: the backend is chosen from INTERVIEW_DB, and a bad, unreachable or lost database gets a
clear message that never shows the password, on the page, in exceptions or in any log line.

The shared contract (round trips, owners, two tabs, two processes) runs on PostgreSQL in test_store.py,
test_store_owners.py and test_import_export.py.
"""

from __future__ import annotations

import logging
import time
import traceback

import pytest

from interview.store import SQLiteStore, StoreError, database_location, open_store
from interview.store.postgres import PostgresStore, scrub, url_secrets
from tests.postgres_server import PASSWORD, USER, PostgresServer, free_port

SECRET = "Zq7-not-for-your-eyes"


def test_the_backend_follows_interview_db(postgres_server, tmp_path):
    url = postgres_server.new_database()
    assert database_location({"INTERVIEW_DB": url}) == url
    assert database_location({"INTERVIEW_DB": str(tmp_path / "x.db")}) == str(tmp_path / "x.db")
    assert database_location({}).endswith("interviews.db")  # SQLite stays the default
    with open_store(url) as store:
        assert isinstance(store, PostgresStore) and PASSWORD not in store.where and "***" in store.where
    with open_store(url.replace("postgresql://", "postgres://")) as store:
        assert isinstance(store, PostgresStore)
    with open_store(str(tmp_path / "x.db")) as store:
        assert isinstance(store, SQLiteStore)


def test_url_secrets_finds_every_spelling_of_the_password():
    assert url_secrets(f"postgresql://me:{SECRET}@db.example.com:5432/app") == [SECRET]
    assert SECRET in url_secrets(f"postgresql://me@db/app?sslmode=require&password={SECRET}")
    raw = "postgresql://me:p@ss/w0rd x@db/app"  # not percent-encoded: '@', '/' and a space in the password
    assert "***" in scrub(raw, raw) and "p@ss/w0rd x" not in scrub(raw, raw)
    encoded = "postgresql://me:p%40ss%2Fw0rd@db/app"
    assert scrub("said p@ss/w0rd and p%40ss%2Fw0rd", encoded) == "said *** and ***"
    assert url_secrets("postgresql://me@db/app") == [] and scrub("no password here", "postgresql://db/app") == (
        "no password here"
    )


def broken_urls(port: int) -> dict[str, str]:
    """Each way a URL can fail, with the password somewhere in it."""
    closed = free_port()  # nothing listens there
    return {
        "unreachable": f"postgresql://{USER}:{SECRET}@127.0.0.1:{closed}/app",
        "unknown host": f"postgresql://{USER}:{SECRET}@no-such-host.invalid:5432/app",
        "bad port": f"postgresql://{USER}:{SECRET}@127.0.0.1:notaport/app",
        "space in password": f"postgresql://{USER}:{SECRET} x@127.0.0.1:{port}/app",
        "wrong password": f"postgresql://{USER}:{SECRET}@127.0.0.1:{port}/postgres",
        "password in query": f"postgresql://{USER}@127.0.0.1:{port}/postgres?password={SECRET}&sslmode=bogus",
        "no such database": f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{port}/no_such_db",
    }


@pytest.mark.parametrize(
    "case",
    ["unreachable", "unknown host", "bad port", "space in password", "wrong password", "password in query"]
    + ["no such database"],
)
def test_bad_urls_get_a_clear_message_without_the_password(postgres_server, case, caplog):
    url = broken_urls(postgres_server.port)[case]
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert message.startswith("Cannot connect to the interview database postgresql://"), message
    assert "***" in message or case == "no such database"
    shown = message + "".join(traceback.format_exception(caught.value)) + caplog.text
    for secret in (SECRET, PASSWORD):
        assert secret not in shown
    assert caught.value.__cause__ is None  # the driver's exception, which may quote the URL, is not chained
    expected = {
        "unreachable": "Connection refused",
        "unknown host": "no-such-host.invalid",
        "bad port": "notaport",
        "wrong password": "password authentication failed",
        "no such database": 'database "no_such_db" does not exist',
    }.get(case, "")
    assert expected in message


def until_it_answers(store: PostgresStore, seconds: float = 60) -> list:
    """list_interviews() once the pool has reconnected (it retries with a growing back-off after a failure)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return store.list_interviews()
        except StoreError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_a_lost_database_gets_a_clear_message_and_recovers():
    server = PostgresServer().start()
    try:
        url = server.new_database()
        store = PostgresStore(url, pool_timeout=3)
        store.list_interviews()
        server._run("pg_ctl", "-D", str(server.data), "-m", "fast", "-w", "stop")
        with pytest.raises(StoreError) as caught:
            store.list_interviews()
        assert str(caught.value).startswith("Could not use the interview database postgresql://interview:***@")
        assert PASSWORD not in str(caught.value)
        server._run("pg_ctl", "-D", str(server.data), "-l", str(server.log_path), "-o", f"-p {server.port} -k "
                    f"{server.root} -c listen_addresses=127.0.0.1", "-w", "start")  # fmt: skip
        assert until_it_answers(store) == []  # the pool reconnects by itself, after a back-off
        store.close()
        with pytest.raises(StoreError, match="closed"):
            store.list_interviews()
    finally:
        server.stop()


def test_the_page_says_what_is_wrong_and_never_shows_the_password(app_env, postgres_server, monkeypatch, caplog):
    from tests.helpers import new_app

    monkeypatch.setenv("INTERVIEW_DB", broken_urls(postgres_server.port)["wrong password"])
    caplog.set_level(logging.DEBUG)
    at = new_app()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and "password authentication failed" in errors[0] and "postgresql://interview:***@" in errors[0]
    everything = "\n".join(str(element.value) for element in at.main if hasattr(element, "value"))
    assert SECRET not in everything and SECRET not in "\n".join(errors) and SECRET not in caplog.text
