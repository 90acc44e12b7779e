"""Issue 23: New interview clicked while the first reply's rerun is under way gives a fresh page and a clean URL.

The first answer ends with `st.rerun()`. With Streamlit's `runner.fastReruns` on, a click at that moment starts a
second runner on the same session while the first one still loads the old query string into the session's shared
`st.query_params`, after the New interview callback cleared it; the page then reopened the old interview. That
happened about once in 15 tries, so `rerun_race.py` holds the two threads in that order every time.
"""

from __future__ import annotations

import time
import tomllib

import pytest

from tests.browser.support import (
    CHAT_BOX,
    INTERVIEW_PATH,
    StreamlitServer,
    location,
    messages,
    open_app,
    submit,
    wait_for_text,
    wait_idle,
)
from tests.helpers import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPLY = "How many short links a day?"
WELCOME = "Type a design question below"


@pytest.fixture
def raced_server(browser, llm_server, tmp_path):
    holding = tmp_path / "holding"
    launcher = (str(ROOT / "tests" / "browser" / "rerun_race.py"),)
    server = StreamlitServer(llm_server.base_url, tmp_path / "app", launcher=launcher, RERUN_RACE_HOLDING=str(holding))
    server.start()
    yield server, holding
    server.stop()


def wait_until_held(holding, held: bool, timeout: float = 30) -> None:
    """Wait until a run is held (`held`), or no longer held."""
    deadline = time.monotonic() + timeout
    while holding.exists() != held:
        assert time.monotonic() < deadline, f"a run was {'not ' if held else ''}held {timeout:g}s on"
        time.sleep(0.02)


def settle_on_a_fresh_page(page, timeout: float = 10) -> None:
    """The held run may draw the old interview for a moment before the click's run clears it; wait for that run."""
    deadline = time.monotonic() + timeout
    while messages(page) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        wait_idle(page)


def test_the_app_runs_one_script_run_at_a_time():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["fastReruns"] is False  # the cause of the race below; Streamlit's default is True


def test_new_interview_during_the_first_replys_rerun_gives_a_fresh_page(raced_server, llm, page):
    server, holding = raced_server
    llm.enqueue(REPLY)
    open_app(page, server.url)
    before = submit(page, "Design a URL shortener")
    wait_for_text(page, "Design a URL shortener", before=before)
    wait_until_held(holding, True)  # the reply is streamed and saved; the script asked for its rerun
    wait_for_text(page, REPLY)
    page.get_by_role("button", name="New interview", exact=True).click()

    wait_until_held(holding, False)  # the page shows no run in progress while one is held
    wait_idle(page)
    settle_on_a_fresh_page(page)
    assert messages(page) == []
    assert page.get_by_text(WELCOME).is_visible()
    assert location(page) == (INTERVIEW_PATH, None)
    assert page.locator(CHAT_BOX).get_attribute("placeholder").startswith("Type a design question")
    page.reload()
    wait_idle(page)
    assert messages(page) == [] and location(page) == (INTERVIEW_PATH, None)
