"""Two `streamlit run` processes on one PostgreSQL database, as two replicas behind a load balancer: an interview
started on one goes on from its URL on the other, and each sees the other's turns.

Twenty sessions at once across two processes are tests/test_replicas.py (engine level).
"""

from __future__ import annotations

import pytest

from interview.store import open_store
from tests.browser.support import StreamlitServer, interview_id, messages, open_app, send

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTION = "Design a photo sharing app"
FIRST_REPLY = "Who uploads photos, and who views them?"
ANSWER_ON_B = "Phone users upload; 10M uploads a day."
SECOND_REPLY = "How large is an average photo?"
ANSWER_ON_A = "About 2 MB after compression."
THIRD_REPLY = "So roughly 20 TB a day. Where do you keep it?"


@pytest.fixture(scope="module")
def replicas(browser, llm_server, postgres_server, tmp_path_factory):
    url = postgres_server.new_database()
    servers = []
    try:
        for name in ("a", "b"):
            servers.append(
                StreamlitServer(llm_server.base_url, tmp_path_factory.mktemp(f"replica-{name}"), url).start()
            )
        yield url, servers
    finally:
        for server in servers:
            server.stop()


def test_an_interview_started_on_one_replica_goes_on_on_the_other(replicas, page, llm):
    url, (a, b) = replicas
    for reply in (FIRST_REPLY, SECOND_REPLY, THIRD_REPLY):
        llm.enqueue(reply)

    open_app(page, a.url)
    send(page, QUESTION, reply=FIRST_REPLY)
    wanted = interview_id(page)

    open_app(page, f"{b.url}/?interview={wanted}")
    assert messages(page) == [f"Question: {QUESTION}", FIRST_REPLY]
    send(page, ANSWER_ON_B, reply=SECOND_REPLY)

    open_app(page, f"{a.url}/?interview={wanted}")  # back on the first replica: it sees B's turn
    assert messages(page) == [f"Question: {QUESTION}", FIRST_REPLY, ANSWER_ON_B, SECOND_REPLY]
    send(page, ANSWER_ON_A, reply=THIRD_REPLY)

    with open_store(url) as store:
        stored = store.load(wanted)
    assert [m.content for m in stored.messages] == [
        QUESTION,
        FIRST_REPLY,
        ANSWER_ON_B,
        SECOND_REPLY,
        ANSWER_ON_A,
        THIRD_REPLY,
    ]
    assert all(m.complete for m in stored.messages)
    # The second prompt, sent by replica B, held the turn replica A had saved.
    second_prompt = llm.chat_requests()[1]["messages"]
    assert [m["content"] for m in second_prompt if m["role"] != "system"] == [QUESTION, FIRST_REPLY, ANSWER_ON_B]
    for server in (a, b):
        assert "Traceback" not in server.log_text()
