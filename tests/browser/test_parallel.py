"""Twenty browser sessions against one Streamlit server, each with its own interview, all streaming at once.

Each tab is its own Streamlit session (its own websocket and session state), so twenty tabs of one browser context
are twenty users; sharing the context's HTTP cache keeps 2 cores from spending the test parsing the same bundle
twenty times.

The fake server's queue is shared and FIFO and it cannot echo a question, so each session asks a unique question
and gets the default numbered reply ("Fake interviewer reply N. ..."): every session must show its own question
and exactly one reply, no two sessions the same reply, and no session anything of another's.
Prints the wall time and the server's peak RSS (VmHWM); BENCHMARKS.md ("Parallel sessions") records a run.
"""

from __future__ import annotations

import re
import time
import uuid

import pytest

from interview.store import SQLiteStore
from tests.browser.support import (
    CHAT_BOX,
    VIEWPORT,
    StreamlitServer,
    count_containing,
    interview_id,
    messages,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SESSIONS = 20
CHUNK_DELAY = 0.5  # the default reply is 9 words: ~4 s of streaming each
REPLY = re.compile(r"^Fake interviewer reply (\d+)\. What would you like to clarify\?$")


@pytest.fixture(scope="module")
def server(browser, llm_server, tmp_path_factory):
    server = StreamlitServer(llm_server.base_url, tmp_path_factory.mktemp("parallel")).start()
    yield server
    server.stop()


def test_twenty_sessions_stream_at_once(server, browser, llm, monkeypatch, capsys):
    arrivals: list[float] = []
    next_reply = llm.next_reply

    def timed_next_reply():
        arrivals.append(time.monotonic())
        return next_reply()

    monkeypatch.setattr(llm, "next_reply", timed_next_reply)
    llm.enqueue({"delay": CHUNK_DELAY, "times": SESSIONS})
    tokens = [f"s{index:02d}-{uuid.uuid4().hex[:8]}" for index in range(SESSIONS)]
    questions = [f"Design a key-value store for tenant {token}" for token in tokens]
    context = browser.new_context(viewport=VIEWPORT)
    errors: list[str] = []
    try:
        pages = [context.new_page() for _ in range(SESSIONS)]
        for page in pages:
            page.on("pageerror", lambda exc: errors.append(str(exc)))
        rss_before = server.status_kb("VmRSS")
        started = time.monotonic()
        for page in pages:
            page.goto(server.url, wait_until="commit")
        for page in pages:
            wait_idle(page, timeout=90)
        loaded = time.monotonic()
        for page, question in zip(pages, questions, strict=True):  # as fast as we can, so the replies overlap
            box = page.locator(CHAT_BOX)
            box.fill(question)
            box.press("Enter")
        # The reply's last words arrive in its last chunk: poll every tab until each shows them.
        pending = dict(enumerate(pages))
        deadline = time.monotonic() + 90
        while pending and time.monotonic() < deadline:
            for index, page in list(pending.items()):
                if count_containing(page, "What would you like to clarify?"):
                    del pending[index]
            time.sleep(0.05)
        finished = time.monotonic()
        assert not pending, f"{len(pending)} sessions never showed their reply"
        for page in pages:
            wait_idle(page, timeout=60)
        peak_kb = server.status_kb("VmHWM")

        numbers = []
        ids = set()
        for page, question, token in zip(pages, questions, tokens, strict=True):
            shown = messages(page)
            assert len(shown) == 2 and shown[0] == f"Question: {question}", shown
            match = REPLY.match(shown[1])
            assert match, shown
            numbers.append(int(match.group(1)))
            body = page.inner_text("body")
            assert [other for other in tokens if other != token and other in body] == []
            assert count_containing(page, "Incomplete reply.") == 0
            assert page.get_by_test_id("stException").count() == 0
            ids.add(interview_id(page))
    finally:
        context.close()

    assert sorted(numbers) == list(range(1, SESSIONS + 1))  # one reply each, none shared
    assert errors == []
    assert len(ids) == SESSIONS
    bodies = llm.chat_requests()
    assert len(bodies) == SESSIONS
    assert sorted(body["messages"][1]["content"] for body in bodies) == sorted(questions)
    # stable instructions, the question, then this turn's instructions
    assert all([m["role"] for m in body["messages"]] == ["system", "user", "system"] for body in bodies)
    store = SQLiteStore(server.db_path)
    for summary in store.list_interviews():
        interview = store.load(summary.id)
        assert interview.question in questions
        assert [(m.role, m.complete) for m in interview.messages] == [("user", True), ("assistant", True)]
    assert len(store.list_interviews()) == SESSIONS
    assert "Traceback" not in server.log_text()

    stream_seconds = 8 * CHUNK_DELAY
    concurrent = max(sum(1 for a in arrivals if start <= a < start + stream_seconds) for start in arrivals)
    assert concurrent >= SESSIONS // 4, f"the replies hardly overlapped: at most {concurrent} streams at once"
    with capsys.disabled():
        print(
            f"\n[parallel sessions] {SESSIONS} sessions: pages idle after {loaded - started:.1f}s; "
            f"all {SESSIONS} replies complete {finished - loaded:.1f}s after the first question was sent "
            f"(each reply streams ~{stream_seconds:.1f}s; up to {concurrent} streams at once); "
            f"server RSS before {rss_before / 1024:.0f} MiB, peak (VmHWM) {peak_kb / 1024:.0f} MiB"
        )
