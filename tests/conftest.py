"""Shared pytest fixtures. Helpers that tests import by name live in `tests/helpers.py`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from interview.config import APP_ENV_VARS
from tests.fake_llm_server import FakeLLMServer
from tests.helpers import capture_media, new_app


@pytest.fixture
def fake_llm() -> Iterator[FakeLLMServer]:
    """A started fake OpenAI-compatible server on 127.0.0.1, closed after the test."""
    with FakeLLMServer() as server:
        yield server


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
