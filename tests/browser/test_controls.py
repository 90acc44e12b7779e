"""Every control of the Interview page and its sidebar, in Chromium: what the person sees, and the URL.

Navigation controls (Start this question, New interview, the sidebar links) are in test_navigation.py, History's
in test_history_controls.py; docs/CONTROLS.md maps each control to its test.
"""

from __future__ import annotations

import json
import uuid

import pytest

from interview.core.scorecard import DIMENSIONS
from interview.core.state import LEVEL_EXPECTATIONS
from interview.store import SQLiteStore
from tests.browser.support import (
    INTERVIEW_PATH,
    choose,
    count_containing,
    download,
    interview_id,
    keyed,
    location,
    messages,
    open_app,
    send,
    wait_for_text,
    wait_idle,
)
from tests.fake_llm_server import refused_url

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CONSTRAINTS = "EU customers only; 2k payments per second at peak"


def caption_text(page) -> str:
    return "\n".join(page.get_by_test_id("stCaptionContainer").all_inner_texts())


def wait_for_active_model(page, text: str) -> None:
    """Wait until the sidebar's "Active: <provider> · <model>" line reads `text`."""
    wait_for_text(page, f"Active: {text}", selector='[data-testid="stSidebar"] [data-testid="stCaptionContainer"]')


def test_constraints_level_length_and_mode_shape_the_interview(app_server, llm, page):
    llm.enqueue("Who are the users, and what must never be lost?")
    open_app(page, app_server.url)
    page.get_by_label("Constraints (optional)").fill(CONSTRAINTS)
    page.get_by_label("Constraints (optional)").press("Tab")  # a text area sends its value when it loses focus
    wait_idle(page)
    choose(page, "level_choice", "mid")
    length = page.get_by_label("Interview length (minutes)")
    length.fill("30")
    length.press("Enter")
    wait_idle(page)
    send(page, f"Design a payment system {uuid.uuid4().hex[:8]}", reply="what must never be lost?")
    current = interview_id(page)

    system = llm.chat_requests()[-1]["messages"][0]["content"]
    assert LEVEL_EXPECTATIONS["mid"] in system and f"Constraints the candidate was given: {CONSTRAINTS}" in system
    assert "of 30 min left" in caption_text(page)
    assert page.get_by_text("Phase 1 of 7: Requirements clarification").is_visible()
    stored = SQLiteStore(app_server.db_path).load(current)
    assert (stored.mode, stored.level, stored.length_minutes) == ("interview", "mid", 30)
    assert stored.constraints == CONSTRAINTS

    # Changing level and mode on an open interview updates it, and the URL keeps naming it.
    choose(page, "level_choice", "staff")
    llm.enqueue("Which failure worries you most?")
    send(page, "Card payments, refunds and payouts; a payment is never lost or charged twice.", reply="worries you")
    assert LEVEL_EXPECTATIONS["staff"] in llm.chat_requests()[-1]["messages"][0]["content"]
    page.get_by_text("Explain a design", exact=True).click()
    wait_idle(page)
    assert page.get_by_test_id("stProgress").count() == 0  # explain mode has no phase bar
    stored = SQLiteStore(app_server.db_path).load(current)
    assert (stored.mode, stored.level) == ("explain", "staff")
    assert location(page) == (INTERVIEW_PATH, current)
    llm.enqueue("Here is the design, part by part.")
    send(page, "Walk me through it.", reply="Here is the design, part by part.")
    assert "ASCII diagram" in llm.chat_requests()[-1]["messages"][0]["content"]
    assert location(page) == (INTERVIEW_PATH, current)


def test_provider_address_key_and_model_switch(app_server, llm, page):
    open_app(page, app_server.url)
    sidebar = page.get_by_test_id("stSidebar")
    wait_for_active_model(page, "Custom OpenAI-compatible server · fake-model")
    choose(page, "model_pick_custom", "fake-model-2")  # the fake server's GET /models list
    wait_for_active_model(page, "Custom OpenAI-compatible server · fake-model-2")
    key = f"sk-test-{uuid.uuid4().hex}"
    key_field = sidebar.get_by_label("API key (INTERVIEW_API_KEY)", exact=True)
    key_field.fill(key)
    key_field.press("Enter")
    wait_idle(page)
    llm.enqueue("What is the read to write ratio?")
    send(page, f"Design a photo service {uuid.uuid4().hex[:8]}", reply="What is the read to write ratio?")
    current = interview_id(page)
    request = [r for r in llm.requests if r["path"].endswith("/chat/completions")][-1]
    assert request["body"]["model"] == "fake-model-2"
    assert request["headers"]["authorization"] == f"Bearer {key}"
    assert key not in page.inner_text("body")

    # A server address where nothing listens: a plain message, and the model is typed, not picked.
    address = sidebar.get_by_label("Server address", exact=True)
    address.fill(refused_url())
    address.press("Enter")
    wait_idle(page)
    assert keyed(page, "model_type_custom").is_visible()
    send(page, "Mostly reads, about 100 to 1.", reply="Cannot reach the model server")
    address.fill(llm.base_url)
    address.press("Enter")
    wait_idle(page)
    choose(page, "model_pick_custom", "fake-model-2")
    assert location(page) == (INTERVIEW_PATH, current)

    # A preset that needs a key, without one: a key field, a plain message, and no request made.
    choose(page, "provider_choice", "OpenAI")
    assert sidebar.get_by_label("API key (OPENAI_API_KEY)", exact=True).is_visible()
    wait_for_active_model(page, "OpenAI · ")
    sent = len(llm.chat_requests())
    page.get_by_role("button", name="Retry the last reply").click()
    wait_for_text(page, "No API key for OpenAI")
    wait_idle(page)
    assert len(llm.chat_requests()) == sent
    assert page.get_by_test_id("stException").count() == 0
    assert location(page) == (INTERVIEW_PATH, current)

    # Back to the custom server: the model picked for it is still the one used.
    choose(page, "provider_choice", "Custom OpenAI-compatible server")
    wait_for_active_model(page, "Custom OpenAI-compatible server · fake-model-2")
    llm.enqueue("Where do the photos live?")
    page.get_by_role("button", name="Retry the last reply").click()
    wait_for_text(page, "Where do the photos live?")
    wait_idle(page)
    assert llm.chat_requests()[-1]["model"] == "fake-model-2"
    assert location(page) == (INTERVIEW_PATH, current)


def test_send_and_retry_keep_the_url(app_server, llm, page):
    llm.enqueue({"text": "The first reply is cut off here and never finishes.", "drop_after": 4})
    open_app(page, app_server.url)
    send(page, f"Design a search engine {uuid.uuid4().hex[:8]}", reply="Incomplete reply.")
    current = interview_id(page)
    llm.enqueue("How fresh must the index be?")
    page.get_by_role("button", name="Retry the last reply").click()
    wait_for_text(page, "How fresh must the index be?")
    wait_idle(page)
    assert page.get_by_role("button", name="Retry the last reply").count() == 0
    assert messages(page)[-1] == "How fresh must the index be?"
    assert location(page) == (INTERVIEW_PATH, current)


STRONG_ANSWERS = [
    "Group chat up to 500 members with per-channel ordering using sequence numbers stored in Cassandra.",
    "Clients keep a WebSocket to a gateway; messages go through Kafka partitioned by channel id, cached in Redis.",
]


def test_hint_next_phase_end_score_again_and_downloads(app_server, llm, page):
    llm.enqueue("What would you like to clarify first?")
    open_app(page, app_server.url)
    send(page, f"Design a chat system like Slack {uuid.uuid4().hex[:8]}", reply="clarify first?")
    current = interview_id(page)
    assert page.get_by_text("Phase 1 of 7: Requirements clarification").is_visible()

    before = count_containing(page, "Hint:")
    keyed(page, "hint").get_by_role("button").click()
    wait_for_text(page, "Hint:", before=before)
    wait_idle(page)

    keyed(page, "next_phase").get_by_role("button").click()
    page.get_by_text("Phase 2 of 7: Capacity estimates").wait_for()
    wait_idle(page)

    # Too little said yet: the rules score it without asking the model.
    asked = len(llm.chat_requests())
    page.get_by_role("button", name="End interview & get feedback").click()
    page.get_by_role("heading", name="Feedback").wait_for()
    wait_idle(page)
    assert len(llm.chat_requests()) == asked
    assert page.get_by_text("No hire").first.is_visible()
    assert page.get_by_role("button", name="Score again").is_visible()

    for answer in STRONG_ANSWERS:
        llm.enqueue("Go on.")
        send(page, answer, reply="Go on.")
    card = {
        "dimensions": [
            {"name": label, "score": 3, "evidence": ["per-channel ordering using sequence numbers"], "comment": "ok"}
            for _, label in DIMENSIONS
        ],
        "strengths": ["Ordering thought through early"],
        "gaps": ["No estimates — a strong answer would size messages per second"],
        "hire_signal": "Hire",
    }
    llm.enqueue(json.dumps(card))
    page.get_by_role("button", name="Score again").click()
    page.get_by_text("Ordering thought through early").wait_for()
    wait_idle(page)
    requests = llm.chat_requests()
    assert len(requests) == asked + 3  # two answers, then one scorecard request
    assert "writing feedback after an interview" in requests[-1]["messages"][0]["content"]
    assert location(page) == (INTERVIEW_PATH, current)

    name, markdown = download(page, "Markdown transcript")
    assert name.endswith(".md") and STRONG_ANSWERS[1] in markdown and "Ordering thought through early" in markdown
    name, text = download(page, "JSON transcript")
    exported = json.loads(text)["interview"]
    assert name.endswith(".json") and exported["id"] == current
    assert [m["content"] for m in exported["messages"]][-2] == STRONG_ANSWERS[1]
    name, html = download(page, "Printable HTML")
    assert name.endswith(".html") and "Kafka partitioned by channel id" in html and "<script" not in html.lower()
    assert location(page) == (INTERVIEW_PATH, current)
