"""Login with Streamlit's own OIDC support against a real OIDC provider (`oidc-provider-mock`, on loopback), in
Chromium: a visitor sees only the login; two people each see only their own interviews on History, by URL and in
exports; someone else's interview URL says "not found" like a missing one; logging out returns to the login.

The app reads `[auth]` from the secrets.toml in its workdir (StreamlitServer passes only that file).
"""

from __future__ import annotations

import uuid

import pytest

from interview.store import open_store, owner_id
from tests.browser.support import (
    StreamlitServer,
    click_button,
    free_port,
    interview_id,
    messages,
    open_app,
    send,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOT_FOUND = "That interview link does not match any saved interview"


@pytest.fixture(scope="module")
def oidc_provider():
    import oidc_provider_mock  # in requirements-dev.txt: missing, this fails rather than skips

    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def login_server(browser, llm_server, oidc_provider, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("login")
    port = free_port()
    (workdir / ".streamlit").mkdir()
    (workdir / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{uuid.uuid4().hex}"\n'
        'client_id = "interview-coach"\n'
        'client_secret = "test-client-secret"\n'
        f'server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"\n'
    )
    server = StreamlitServer(llm_server.base_url, workdir).start(port=port)
    yield server
    server.stop()


def open_logged_out(page, url: str) -> None:
    """Open a page of the app that shows no chat box (the login screen)."""
    page.goto(url)
    wait_idle(page, timeout=60, chat=False)


def log_in(page, server: StreamlitServer, subject: str) -> None:
    """From the login screen through the provider's form and back to the app, logged in as `subject`."""
    open_logged_out(page, server.url)
    assert page.get_by_role("button", name="Log in", exact=True).is_visible()
    click_button(page, "Log in")
    page.wait_for_selector('input[name="sub"]')  # the provider's authorization form
    page.fill('input[name="sub"]', subject)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{server.url}/**")
    wait_idle(page, timeout=60)
    assert page.get_by_text(f"Logged in as {subject}").is_visible()


def history_rows(page) -> str:
    page.get_by_role("link", name="History").click()
    wait_idle(page, chat=False)
    return page.inner_text("section.stMain, [data-testid='stMain']")


def test_a_visitor_sees_only_the_login(login_server, page):
    open_logged_out(page, login_server.url)
    body = page.inner_text("body")
    assert page.get_by_role("button", name="Log in", exact=True).is_visible()
    assert "History" not in body and page.locator('[data-testid="stChatInput"]').count() == 0
    open_logged_out(page, f"{login_server.url}/history")
    assert "Past interviews" not in page.inner_text("body")
    assert page.get_by_role("button", name="Log in", exact=True).is_visible()


def test_two_people_each_see_only_their_own_interviews(login_server, browser, oidc_provider, llm):
    alice_question = f"Design a URL shortener for alice {uuid.uuid4().hex[:6]}"
    bob_question = f"Design a chat app for bob {uuid.uuid4().hex[:6]}"
    llm.enqueue("Alice, who uses it?")
    llm.enqueue("Bob, how many users?")
    alice_context, bob_context = browser.new_context(), browser.new_context()
    try:
        alice, bob = alice_context.new_page(), bob_context.new_page()
        for page in (alice, bob):
            page.set_default_timeout(30_000)
        log_in(alice, login_server, "alice")
        send(alice, alice_question, reply="Alice, who uses it?")
        alice_id = interview_id(alice)

        log_in(bob, login_server, "bob")
        send(bob, bob_question, reply="Bob, how many users?")
        bob_id = interview_id(bob)

        # History: each sees their own interview and nothing of the other's.
        alice_history, bob_history = history_rows(alice), history_rows(bob)
        assert alice_question in alice_history and bob_question not in alice_history
        assert bob_question in bob_history and alice_question not in bob_history
        assert alice.locator(f'[class*="st-key-del_{bob_id}"]').count() == 0

        # Resume by URL: Bob opening Alice's interview gets the same "not found" as a made-up id.
        open_app(bob, f"{login_server.url}/?interview={alice_id}")
        assert NOT_FOUND in bob.inner_text("body") and alice_question not in bob.inner_text("body")
        assert messages(bob) == []
        open_app(bob, f"{login_server.url}/?interview={uuid.uuid4().hex}")
        assert NOT_FOUND in bob.inner_text("body")
        open_app(alice, f"{login_server.url}/?interview={alice_id}")
        assert messages(alice) == [f"Question: {alice_question}", "Alice, who uses it?"]

        # The owners in the database are the provider's issuer and each person's subject.
        with open_store(str(login_server.db_path)) as store:
            assert store.list_interviews() == []  # nothing belongs to the local person
            assert [r.id for r in store.as_owner(owner_id(oidc_provider, "alice")).list_interviews()] == [alice_id]
            assert [r.id for r in store.as_owner(owner_id(oidc_provider, "bob")).list_interviews()] == [bob_id]

        # Logging out returns to the login, and the interview is no longer reachable.
        # Streamlit ends the provider's session too (RP-initiated logout): the provider asks, then sends us back.
        click_button(alice, "Log out")
        alice.get_by_role("button", name="End session", exact=True).click()
        alice.wait_for_url(f"{login_server.url}/**")
        wait_idle(alice, timeout=60, chat=False)
        assert alice.get_by_role("button", name="Log in", exact=True).is_visible()
        open_logged_out(alice, f"{login_server.url}/?interview={alice_id}")
        assert alice.get_by_role("button", name="Log in", exact=True).is_visible()
        assert alice_question not in alice.inner_text("body")
    finally:
        alice_context.close()
        bob_context.close()
    assert "Traceback" not in login_server.log_text()
