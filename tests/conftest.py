"""Shared pytest fixtures. Helpers that tests import by name live in `tests/helpers.py`."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from interview.providers.config import APP_ENV_VARS
from tests.fake_llm_server import FakeLLMServer
from tests.helpers import capture_media, new_app
from tests.postgres_server import PostgresServer, PostgresUnavailable


@pytest.fixture
def fake_llm() -> Iterator[FakeLLMServer]:
    """A started fake OpenAI-compatible server on 127.0.0.1, closed after the test."""
    with FakeLLMServer() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL cluster for the session. Skipped when PostgreSQL is missing, with a plain reason;
    with REQUIRE_POSTGRES=1 (set by `.ci/run`) that fails instead, so CI cannot pass without these tests."""
    try:
        import psycopg  # noqa: F401

        server = PostgresServer()
    except ImportError:
        _postgres_unavailable("psycopg is not installed (pip install -r requirements.txt)")
    except PostgresUnavailable as exc:
        _postgres_unavailable(str(exc))
    try:
        server.start()
        yield server
    finally:
        server.stop()


def _postgres_unavailable(reason: str):
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (REQUIRE_POSTGRES=1, so the PostgreSQL tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(params=["sqlite", "postgres"])
def db_location(request, tmp_path) -> str:
    """An empty database for one test, once as an SQLite file and once as a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "interviews.db")
    return request.getfixturevalue("postgres_server").new_database()


@pytest.fixture
def app_env(fake_llm, tmp_path, monkeypatch):
    """Point the page at the fake server and a fresh database, with Streamlit's caches cleared."""
    import streamlit as st

    for name in APP_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    monkeypatch.setenv("INTERVIEW_PROVIDER", "custom")
    monkeypatch.setenv("INTERVIEW_BASE_URL", fake_llm.base_url)
    monkeypatch.setenv("INTERVIEW_MODEL", "fake-model")
    monkeypatch.setenv("INTERVIEW_TIMEOUT", "5")
    monkeypatch.setenv("INTERVIEW_DB", str(tmp_path / "interviews.db"))
    st.cache_resource.clear()
    st.cache_data.clear()
    capture_media(monkeypatch)
    yield fake_llm
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app(app_env):
    """A fresh AppTest of the real page, already run once."""
    return new_app()
