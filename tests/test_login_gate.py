"""The login gate through AppTest: with `[auth]` a visitor who is not logged in gets only the login (one button per
named provider) and the app touches nothing else, not even the database; without `[auth]` nothing changes.

Logging in for real, against an OIDC provider in Chromium, is tests/browser/test_login.py.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT

PROVIDER = {"client_id": "id", "client_secret": "secret", "server_metadata_url": "https://id.example.com/.well-known"}
SHARED = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "not-a-real-secret"}


def gate_app(auth: dict | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    if auth is not None:
        at.secrets["auth"] = auth
    return at.run()


def test_one_provider_shows_one_login_button_and_nothing_else(app_env, tmp_path):
    at = gate_app({**SHARED, **PROVIDER})
    assert not at.exception
    assert [b.label for b in at.button] == ["Log in"]
    assert [t.value for t in at.title] == ["System design interview coach"]
    assert len(at.sidebar) == 0 and len(at.chat_input) == 0
    assert "interview" not in at.session_state  # the page's state was never set up
    assert not (tmp_path / "interviews.db").exists()  # nor the database opened


def test_named_providers_get_a_button_each(app_env):
    at = gate_app({**SHARED, "google": PROVIDER, "microsoft": PROVIDER})
    assert not at.exception
    assert [b.label for b in at.button] == ["Log in with Google", "Log in with Microsoft"]


def test_without_auth_the_app_is_single_person_as_before(app_env, tmp_path):
    at = gate_app(None)
    assert not at.exception
    assert "Log in" not in [b.label for b in at.button] and len(at.chat_input) == 1
    assert (tmp_path / "interviews.db").exists()
