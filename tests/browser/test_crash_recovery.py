"""Crash recovery: `kill -9` the Streamlit server mid-reply, start a new one on the same database, carry on.

The crash and the restart happen once, in a module fixture that also records what the new server shows before
anything else touches the interview; the tests then check that record and continue the interview.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from interview.core.state import Message
from interview.store import SQLiteStore
from tests.browser.support import (
    StreamlitServer,
    count_containing,
    interview_id,
    messages,
    open_app,
    send,
    submit,
    wait_for_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TURNS = [
    ("Design a distributed cache", "Who reads from it, and how stale may a read be?"),
    ("Web servers; a few seconds of staleness is fine.", "Good. How large is the working set?"),
]
INTERRUPTED_ANSWER = "About 2 TB of hot keys, 500k reads a second."
SLOW_REPLY = "That is big enough to need sharding. " + " ".join(f"detail{i:03d}" for i in range(200)) + " Why?"
SEEN_BEFORE_KILL = "detail010"  # the kill comes once this much of the slow reply is on screen


@dataclass
class Crash:
    server: StreamlitServer  # the second server, on the same database
    interview_id: str
    shown: list[str]  # chat messages the restored page showed first
    incomplete_banners: int  # "Incomplete reply." warnings on that page
    stored: list[Message]  # the interview's messages in the database after the crash
    partial_seen: str  # the slow reply's text on screen just before the kill


@pytest.fixture(scope="module")
def crash(browser, llm_server, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("crash")
    llm_server.reset()
    for _, reply in TURNS:
        llm_server.enqueue(reply)
    llm_server.enqueue({"text": SLOW_REPLY, "delay": 0.1})  # ~20 s: far longer than the test waits

    first = StreamlitServer(llm_server.base_url, workdir).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        open_app(page, first.url)
        for answer, reply in TURNS:
            send(page, answer, reply=reply)
        wanted = interview_id(page)
        submit(page, INTERRUPTED_ANSWER)
        wait_for_text(page, SEEN_BEFORE_KILL)
        partial = messages(page)[-1]
        assert partial.startswith("That is big enough") and partial != SLOW_REPLY
        first.kill()
    finally:
        context.close()
        first.stop()

    second = StreamlitServer(llm_server.base_url, workdir, db_path=first.db_path).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        open_app(page, f"{second.url}/?interview={wanted}")
        shown = messages(page)
        banners = count_containing(page, "Incomplete reply.")
        stored = SQLiteStore(second.db_path).load(wanted).messages
        yield Crash(second, wanted, shown, banners, stored, partial), page
    finally:
        context.close()
        second.stop()


def test_completed_turns_survive_the_crash(crash):
    record, _ = crash
    expected = [f"Question: {TURNS[0][0]}", TURNS[0][1], TURNS[1][0], TURNS[1][1], INTERRUPTED_ANSWER]
    assert record.shown[: len(expected)] == expected
    assert [m.content for m in record.stored[: len(expected)]] == [x for turn in TURNS for x in turn] + [
        INTERRUPTED_ANSWER
    ]
    assert all(m.complete for m in record.stored[: len(expected)])


def test_interrupted_reply_is_marked_incomplete(crash):
    """The reply is written ahead as incomplete and re-saved as it grows, so the crash leaves a marked partial."""
    record, _ = crash
    after = record.stored[5:]
    assert len(after) == 1, f"expected one record of the interrupted reply, found {len(after)}"
    reply = after[0]
    assert reply.role == "assistant" and reply.kind == "chat"
    assert not reply.complete and reply.error
    assert SLOW_REPLY.startswith(reply.content)  # whatever was saved of it, and nothing else
    assert record.partial_seen.startswith(reply.content.strip())  # not more than the page had shown
    assert record.incomplete_banners == 1
    assert len(record.shown) == 6
    body, _, banner = record.shown[5].partition("Incomplete reply.")
    assert SLOW_REPLY.startswith(body.replace("\u26a0\ufe0f", "").strip())
    assert reply.error in banner


def test_interview_continues_after_the_restart(crash, llm_server):
    record, page = crash
    assert page.get_by_role("button", name="Retry the last reply").is_visible()
    llm_server.reset()
    llm_server.enqueue("Then how would you place keys on the shards?")
    send(page, "Consistent hashing with virtual nodes.", reply="Then how would you place keys on the shards?")
    sent = [m["content"] for m in llm_server.chat_requests()[-1]["messages"] if m["role"] != "system"]
    assert sent[:5] == [x for turn in TURNS for x in turn] + [INTERRUPTED_ANSWER]
    assert sent[-1] == "Consistent hashing with virtual nodes."
    assert messages(page)[-1] == "Then how would you place keys on the shards?"
    deadline = time.monotonic() + 5
    while (
        time.monotonic() < deadline and len(SQLiteStore(record.server.db_path).load(record.interview_id).messages) < 7
    ):
        time.sleep(0.1)
    stored = SQLiteStore(record.server.db_path).load(record.interview_id).messages
    assert stored[-1].content == "Then how would you place keys on the shards?" and stored[-1].complete
