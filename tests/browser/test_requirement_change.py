"""A requirement change in real Chromium: it comes once at high-level design, labelled in bold, and is saved."""

from __future__ import annotations

import pytest

from interview.store import SQLiteStore
from tests.browser.support import MESSAGE, interview_id, messages, open_app, save_screenshot, send, wait_idle
from tests.helpers import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOT = ROOT / "docs" / "requirement-change.png"
CHANGE_WORDS = "every link now expires 30 days after its last click, and an expired code can go to a new link"
TURNS = [
    ("Design a URL shortener", "What would you like to clarify first?"),
    (
        "Users shorten long URLs and visitors get redirected; custom aliases are optional. Redirects must be fast.",
        "Good. On to estimates: what does 100M new links a day mean per second?[[NEXT_PHASE]]",
    ),
    (
        "100M a day is about 1,160 writes a second, roughly 116K redirects a second at 100 reads per write.",
        "Right. Sketch the main components.[[NEXT_PHASE]]",
    ),
    (
        "Clients call stateless API servers behind a load balancer, and the servers keep the short code to long "
        "URL mapping in a key-value store like DynamoDB, with Redis in front for hot codes.",
        f"Product has changed its mind: {CHANGE_WORDS}. What changes in your design?",
    ),
]


def test_a_requirement_change_comes_once_labelled_and_is_saved(app_server, llm, page):
    for _, reply in TURNS:
        llm.enqueue(reply)
    open_app(page, app_server.url)
    for answer, reply in TURNS:
        send(page, answer, reply=reply.replace("[[NEXT_PHASE]]", "")[-30:])
    last = page.locator(MESSAGE).last
    assert last.locator("strong").first.inner_text().strip() == "Requirement change:"
    assert sum("Requirement change:" in text for text in messages(page)) == 1
    # The model was told to word the change, and its own label was not shown twice.
    sent = "\n".join(str(m["content"]) for m in llm.chat_requests()[-1]["messages"])
    assert "this requirement has changed" in sent
    saved = SQLiteStore(app_server.db_path).load(interview_id(page))
    assert [change.key for change in saved.notes.changes] == ["links-expire"]
    send(page, "Then each row gets a last-click timestamp; a nightly sweep deletes links idle for 30 days.", reply=None)
    wait_idle(page)
    saved = SQLiteStore(app_server.db_path).load(interview_id(page))
    assert saved.notes.changes[0].adapted and "nightly sweep" in saved.notes.changes[0].quote
    assert sum("Requirement change:" in text for text in messages(page)) == 1


def test_screenshot_of_a_requirement_change(app_server, llm, page, tmp_path):
    """The picture in the README: docs/requirement-change.png (see `save_screenshot`)."""
    for _, reply in TURNS:
        llm.enqueue(reply)
    open_app(page, app_server.url)
    for answer, reply in TURNS:
        send(page, answer, reply=reply.replace("[[NEXT_PHASE]]", "")[-30:])
    page.locator(MESSAGE).last.scroll_into_view_if_needed()
    save_screenshot(page, tmp_path, SCREENSHOT)
