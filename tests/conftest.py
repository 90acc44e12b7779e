"""Shared pytest fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from interview.config import APP_ENV_VARS
from tests.fake_llm_server import FakeLLMServer
from tests.postgres_server import PostgresServer, PostgresUnavailable

ROOT = Path(__file__).resolve().parent.parent


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
    _capture_media(monkeypatch)
    yield fake_llm
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app(app_env):
    """A fresh AppTest of the real page, already run once."""
    return new_app()


def new_app(query: dict | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


MEDIA: dict[str, bytes] = {}


def _capture_media(monkeypatch):
    """Keep a copy of every file AppTest's in-memory media store receives, so tests can read downloads."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    original = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        MEDIA[file_id] = path_or_data.encode() if isinstance(path_or_data, str) else bytes(path_or_data)
        return file_id

    MEDIA.clear()
    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)


def download_data(button) -> str:
    """The text a download button in an AppTest run would serve."""
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
    return MEDIA[file_id].decode()
