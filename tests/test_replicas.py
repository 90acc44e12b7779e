"""Two app processes on one PostgreSQL database, at the engine level: 20 sessions at once across both, each a real
interview (the engine, the openai client, replies streamed from the fake server and written ahead), lose nothing.

The same thing through real `streamlit run` processes and Chromium is tests/browser/test_replicas.py.
"""

from __future__ import annotations

import subprocess
import sys
import threading

from interview.dialogue import engine
from interview.providers.config import settings_for
from interview.providers.factory import make_provider
from interview.store import open_store, owner_id
from tests.helpers import ROOT

SESSIONS_PER_PROCESS = 10
TURNS = 3
ISSUER = "https://login.example.com"


def person(process: str, index: int) -> str:
    return owner_id(ISSUER, f"{process}-{index}")


def run_sessions(location: str, base_url: str, process: str, sessions: int, turns: int) -> None:
    """One app process: `sessions` people at once, each on their own thread, sharing one store (one pool)."""
    provider = make_provider(settings_for("custom", env={}, base_url=base_url, model="fake-model"))
    errors: list[BaseException] = []
    start = threading.Barrier(sessions)

    def session(index: int) -> None:
        try:
            store = shared.as_owner(person(process, index))
            start.wait()
            interview = engine.start_interview(f"Design a feed for {process}-{index}", store)
            for turn in range(turns):
                engine.answer(interview, f"{process}-{index} answer {turn}", store)  # refreshes, then appends
                with engine.reply(interview, provider, store) as reply:
                    for _ in reply.chunks():
                        pass
        except BaseException as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)

    with open_store(location) as shared:
        threads = [threading.Thread(target=session, args=(index,)) for index in range(sessions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    if errors:
        raise errors[0]


def test_twenty_sessions_across_two_processes_lose_nothing(postgres_server, fake_llm):
    location = postgres_server.new_database()
    open_store(location).close()  # migrate once up front, as a deployment does before scaling out
    fake_llm.enqueue({"delay": 0.02, "times": 2 * SESSIONS_PER_PROCESS * TURNS})  # replies overlap in time
    code = "import sys; from tests.test_replicas import run_sessions; run_sessions(*sys.argv[1:4], 10, 3)"
    workers = [
        subprocess.Popen([sys.executable, "-c", code, location, fake_llm.base_url, name], cwd=ROOT)
        for name in ("A", "B")
    ]
    assert [worker.wait(timeout=180) for worker in workers] == [0, 0]

    assert len(fake_llm.chat_requests()) == 2 * SESSIONS_PER_PROCESS * TURNS
    with open_store(location) as store:
        assert store.list_interviews() == []  # the local person has none: every interview has its owner
        for process in ("A", "B"):
            for index in range(SESSIONS_PER_PROCESS):
                mine = store.as_owner(person(process, index))
                rows = mine.list_interviews()
                assert len(rows) == 1 and rows[0].turns == TURNS
                interview = mine.load(rows[0].id)
                assert interview.question == f"Design a feed for {process}-{index}"
                users = [m.content for m in interview.messages if m.role == "user" and m.kind == "chat"]
                assert users == [f"{process}-{index} answer {turn}" for turn in range(TURNS)]
                replies = [m for m in interview.messages if m.role == "assistant"]
                assert len(replies) == TURNS and all(m.complete and m.content for m in replies)
                assert [m.role for m in interview.messages] == ["user"] + ["user", "assistant"] * TURNS
