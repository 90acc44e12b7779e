"""The interview page end to end: a real `streamlit run`, headless Chromium, and the fake OpenAI-compatible server."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.support import (
    CHAT_BOX,
    click_button,
    count_containing,
    download,
    interview_id,
    messages,
    open_app,
    save_screenshot,
    send,
    submit,
    wait_for_text,
    wait_idle,
)
from tests.helpers import ROOT
from ui.interview_page import REPLYING_PLACEHOLDER

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOT = ROOT / "docs" / "screenshot.png"


def assistant_texts(page) -> list[str]:
    return [text for text in messages(page) if not text.startswith(("Question:", "Hint:"))]


def test_reply_streams_into_the_page(app_server, llm, page):
    reply = "Let us take it step by step. " + " ".join(f"point{i:02d}" for i in range(70)) + " Where do we start?"
    llm.enqueue({"text": reply, "delay": 0.04})  # ~3 s of streaming, one word per chunk
    open_app(page, app_server.url)
    submit(page, "Design a URL shortener")
    seen: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        shown = messages(page)
        text = shown[1] if len(shown) > 1 else ""
        if text and (not seen or seen[-1] != text):
            seen.append(text)
        if text == reply:
            break
        page.wait_for_timeout(40)
    assert seen and seen[-1] == reply, f"the full reply never appeared; last seen: {seen[-1:]}"
    partial = [text for text in seen[:-1] if reply.startswith(text)]
    assert len(partial) >= 3, f"expected the reply to grow in steps before completing, saw {seen}"
    assert len(partial[0]) < len(reply) // 2, "the first visible text should be well short of the full reply"
    wait_idle(page)


def test_three_turns_send_the_full_history(app_server, llm, page):
    replies = [
        "What would you like to clarify first?",
        "Good. How many reads per second do you expect?",
        "Fine. Where would you store the mappings?",
    ]
    answers = ["Design a URL shortener", "Reads dominate; 100M new URLs a day.", "About 12k reads per second at peak."]
    for reply in replies:
        llm.enqueue(reply)
    open_app(page, app_server.url)
    for answer, reply in zip(answers, replies, strict=True):
        send(page, answer, reply=reply)
    history = [text for pair in zip(answers, replies, strict=True) for text in pair]
    bodies = llm.chat_requests()
    assert len(bodies) == 3
    for index, body in enumerate(bodies):
        chat = body["messages"]
        assert chat[0]["role"] == "system" and "senior staff engineer" in chat[0]["content"]
        assert [m["content"] for m in chat if m["role"] != "system"] == history[: 2 * index + 1]
        assert chat[-1]["role"] == "system", "this turn's instructions come after the conversation"
    shown = messages(page)
    assert shown == [f"Question: {answers[0]}", replies[0], answers[1], replies[1], answers[2], replies[2]]
    assert page.get_by_text("Phase 1 of 7: Requirements clarification").is_visible()


def test_explain_mode_uses_the_explain_prompt(app_server, llm, page):
    llm.enqueue("What scale should we plan for?")
    llm.enqueue("Here is a worked design, section by section.")
    open_app(page, app_server.url)
    send(page, "Design a chat system like Slack", reply="What scale should we plan for?")
    page.get_by_text("Explain a design", exact=True).click()
    wait_idle(page)
    send(page, "Please write out the whole design.", reply="Here is a worked design, section by section.")
    first, second = (body["messages"][0]["content"] for body in llm.chat_requests())
    assert "ASCII diagram" not in first and "interviewing a candidate" in first
    assert "ASCII diagram" in second
    assert "Design a chat system like Slack" in second
    assert page.get_by_test_id("stProgress").count() == 0  # explain mode has no phase bar
    assert page.get_by_role("radio", name="Explain a design").is_checked()


def test_phase_bar_and_controls_show_after_the_first_reply(app_server, llm, page):
    llm.enqueue("What scale should we plan for?")
    open_app(page, app_server.url)
    send(page, "Design a chat system like Slack", reply="What scale should we plan for?")
    assert page.get_by_text("Phase 1 of 7: Requirements clarification").is_visible()
    assert page.get_by_role("button", name="Hint").is_visible()
    assert page.get_by_text("Type a design question below").count() == 0


def test_markdown_export_downloads_every_turn(app_server, llm, page):
    turns = [
        ("Design a rate limiter", "Who calls it, and what limits do they need?"),
        ("Public API clients; 100 requests a minute per key.", "Where would you keep the counters?"),
        ("In Redis, with a sliding window per key.", "What happens when Redis is down?"),
    ]
    for _, reply in turns:
        llm.enqueue(reply)
    open_app(page, app_server.url)
    for answer, reply in turns:
        send(page, answer, reply=reply)
    name, text = download(page, "Markdown transcript")
    assert name.endswith(".md")
    for answer, reply in turns:
        assert answer in text
        assert reply in text
    positions = [text.index(part) for turn in turns for part in turn]
    assert positions == sorted(positions), "turns are out of order in the export"


def test_refresh_restores_the_interview_from_the_url(app_server, llm, page, context, browser):
    llm.enqueue("What are the core features?")
    llm.enqueue("How would you store the photos themselves?")
    open_app(page, app_server.url)
    send(page, "Design Instagram", reply="What are the core features?")
    send(page, "Upload photos, follow people, a home feed.", reply="How would you store the photos themselves?")
    wanted = interview_id(page)
    assert re.fullmatch(r"[0-9a-f]{32}", wanted)
    before = messages(page)
    page.reload()
    wait_idle(page)
    assert interview_id(page) == wanted
    assert messages(page) == before
    # A new browser session (no Streamlit session state at all) restores it from the link alone.
    other = browser.new_context()
    try:
        fresh = other.new_page()
        open_app(fresh, f"{app_server.url}/?interview={wanted}")
        assert messages(fresh) == before
    finally:
        other.close()


def test_the_chat_box_is_held_while_a_reply_streams_so_nothing_cuts_it_off(app_server, llm, page):
    llm.enqueue("What are the core features?")
    open_app(page, app_server.url)
    send(page, "Design Twitter", reply="What are the core features?")
    slow = "Fine. " + "Keep going. " * 12 + "How many posts a day?"
    llm.enqueue({"text": slow, "delay": 0.25})  # about six seconds of streaming
    submit(page, "Posting and a home timeline.")
    wait_for_text(page, "Keep going.")
    box = page.locator(CHAT_BOX)
    assert box.is_disabled() and box.get_attribute("placeholder") == REPLYING_PLACEHOLDER
    assert page.get_by_role("button", name="Hint").is_disabled(), "a click mid-reply would stop the reply too"
    wait_for_text(page, "How many posts a day?")
    wait_idle(page)
    assert box.is_enabled() and box.get_attribute("placeholder") == "Your answer…"
    assert page.get_by_role("button", name="Hint").is_enabled()
    assert count_containing(page, "Incomplete reply.") == 0 and len(llm.chat_requests()) == 2


def test_broken_stream_shows_the_fault_and_the_chat_goes_on(app_server, llm, page):
    broken = "Sharding by user id keeps each user's rows together, but a celebrity account makes one shard hot."
    partial = "Sharding by user id keeps"  # five words: `drop_after=5` sends exactly these chunks
    llm.enqueue({"text": broken, "drop_after": 5})
    open_app(page, app_server.url)
    send(page, "Design Twitter", reply="Incomplete reply.")
    assert len(llm.chat_requests()) == 1  # a stream broken mid-reply is not retried behind the user's back
    assert partial in messages(page)[1]
    assert broken not in "\n".join(messages(page))
    assert page.get_by_role("button", name="Retry the last reply").is_visible()

    # The next message works; the incomplete reply stays on screen but is not sent to the model.
    llm.enqueue("Fine. What does the home timeline need to show?")
    send(page, "Let us start with the read path.", reply="Fine. What does the home timeline need to show?")
    assert page.get_by_role("button", name="Retry the last reply").count() == 0
    sent = [m["content"] for m in llm.chat_requests()[-1]["messages"] if m["role"] != "system"]
    assert sent == ["Design Twitter", "Let us start with the read path."]

    # Break the next reply too; Retry asks again and gets a full answer.
    llm.enqueue({"text": broken, "drop_after": 5})
    send(page, "Tweets from people I follow, newest first.", reply="Incomplete reply.")
    assert count_containing(page, "Incomplete reply.") == 2
    llm.enqueue("Good. How many timeline reads per second?")
    click_button(page, "Retry the last reply")
    wait_for_text(page, "Good. How many timeline reads per second?")
    wait_idle(page)
    assert page.get_by_role("button", name="Retry the last reply").count() == 0
    retried = [m["content"] for m in llm.chat_requests()[-1]["messages"] if m["role"] != "system"]
    assert retried == [
        "Design Twitter",
        "Let us start with the read path.",
        "Fine. What does the home timeline need to show?",
        "Tweets from people I follow, newest first.",
    ]
    assert assistant_texts(page)[-1] == "Good. How many timeline reads per second?"


def test_typed_marks_and_dollars_show_as_written(app_server, llm, page):
    """A candidate's `*`, `#`, `$` and `1.` are not Markdown, and a reply's "$5 ... $50" is not LaTeX."""
    answer = "# of shards: 64\n1. 10K*86400*30 = 26B rows\n- at $0.02 and $0.05 per GB\n    <b>kept</b>"
    reply = "At $0.02 and $0.05 per GB, what is the **monthly** bill?"
    llm.enqueue("What would you like to clarify first?")
    llm.enqueue(reply)
    open_app(page, app_server.url)
    send(page, "Design a URL shortener", reply="clarify first")
    submit(page, answer)  # not send(): it waits for the answer's exact text, and an indent shows as no-break spaces
    wait_for_text(page, "monthly")
    wait_idle(page)
    shown = [text.replace("\u00a0", " ") for text in messages(page)]
    assert shown[2:] == [answer, reply.replace("**", "")]
    bubbles = page.locator('[data-testid="stChatMessageContent"]')
    assert bubbles.nth(2).locator("h1, ol, ul, em, strong, b, .katex").count() == 0, "the answer was read as Markdown"
    assert bubbles.nth(3).locator(".katex").count() == 0 and bubbles.nth(3).locator("strong").count() == 1


SCREENSHOT_TURNS = [
    ("Design a URL shortener", "Before any boxes and arrows: who uses it, and what matters most to them?"),
    (
        "Marketers create links; millions click them. Redirects under 50 ms at p99, links live five years.",
        "Good: read-heavy, with a latency target. On to capacity estimates: what does 100M new links a day imply "
        "for reads and writes at peak?[[NEXT_PHASE]]",
    ),
    (
        "About 1.2k writes/s on average, 3k at peak. At 100 reads per write, roughly 120k reads/s at peak.",
        "Reasonable. And how much storage over five years, at about 500 bytes per link?",
    ),
]


def test_screenshot_mid_interview(app_server, llm, page, tmp_path):
    """A few turns, the phase bar past its first phase; saved as docs/screenshot.png when that is missing or when
    UPDATE_SCREENSHOT=1 (so an ordinary test run leaves the committed picture alone)."""
    for _, reply in SCREENSHOT_TURNS:
        llm.enqueue(reply)
    open_app(page, app_server.url)
    for answer, reply in SCREENSHOT_TURNS:
        send(page, answer, reply=reply.replace("[[NEXT_PHASE]]", "")[-40:])
    page.get_by_text("Phase 2 of 7: Capacity estimates").wait_for()
    wait_idle(page)
    assert "[[NEXT_PHASE]]" not in page.content()
    page.locator("main.stMain").evaluate("main => main.scrollTo(0, 84)")  # title, phase bar and every turn in view
    save_screenshot(page, tmp_path, SCREENSHOT)
