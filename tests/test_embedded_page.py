"""A fresh machine: nothing configured, so the page runs a real interview on the embedded model."""

import pytest

from interview.providers.config import APP_ENV_VARS
from tests.helpers import new_app

pytest_plugins = ["tests.conftest_embedded"]
pytestmark = pytest.mark.slow


@pytest.fixture
def bare_env(use_cache, tmp_path, monkeypatch):
    """No keys, no server, HOME and the database in a temporary folder; the assembled model is reused."""
    import streamlit as st

    for name in APP_ENV_VARS:
        if name != "INTERVIEW_CACHE_DIR":
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("INTERVIEW_DB", str(tmp_path / "interviews.db"))
    monkeypatch.setenv("OLLAMA_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens on the discard port
    monkeypatch.chdir(tmp_path)
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_two_turn_interview_on_the_embedded_model(bare_env):
    at = new_app()
    assert at.session_state.provider_name == "embedded"
    assert "small offline model" in "\n".join(i.value for i in at.info)
    at.chat_input(key="chat_input").set_value("Design a URL shortener")
    at = at.run(timeout=240)
    assert not at.exception
    interview = at.session_state.interview
    first = interview.messages[-1]
    assert first.role == "assistant" and first.complete and len(first.content.split()) >= 3, first
    at.chat_input(key="chat_input").set_value("Users create short links and get redirected. 100M links per day.")
    at = at.run(timeout=240)
    assert not at.exception
    messages = at.session_state.interview.messages
    assert [m.role for m in messages] == ["user", "assistant", "user", "assistant"]
    assert all(m.complete for m in messages), [(m.role, m.content[:200], m.error) for m in messages]
    assert interview.provider == "embedded"
