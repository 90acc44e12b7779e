"""Rerun cost of the real page with a long interview open.

The interview is stored in SQLite and opened through `?interview=<id>`, as a shared link would (if that path fails,
the stored interview is loaded and put in session state instead, and the failure is reported); after the first run
we time plain reruns (what every widget click costs). "Script ms" is the script's own execution time, taken
around Streamlit's `exec_func_with_error_handling`; "AppTest ms" adds AppTest's parsing of the output, for reference.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass

from bench.common import ROOT, markdown_reply, median

QUESTION = "Design a URL shortener"
CANDIDATE = (
    "I would start with a single service that writes short codes into a key-value store and serves redirects from "
    "a cache in front of it. IDs come from counter ranges handed out to each server, so there is no coordination "
    "per write. For {n} I would add read replicas before anything else."
)


def build_interview(messages: int, store):
    """An interview with `messages` messages in total (the question first), spread over the phases."""
    from interview.core.state import Message
    from interview.dialogue import engine

    interview = engine.start_interview(QUESTION, store)
    per_phase = max(1, messages // 6)
    while len(interview.messages) < messages:
        n = len(interview.messages)
        if n % per_phase == 0:
            interview.advance_phase("candidate")
        if n % 2:
            tokens = 500 if n % 6 == 1 else 150  # every third reply has code, a table and lists
            message = interview.add(Message("assistant", markdown_reply(tokens), interview.phase))
        else:
            message = interview.add_user(CANDIDATE.format(n=n))
        store.save_message(interview, message)
    store.save_interview(interview)
    return interview


@contextlib.contextmanager
def script_timer() -> Iterator[list[tuple[float, float]]]:
    """(wall, CPU) seconds spent executing the page script, one entry per run, while the block is active.

    CPU is the script thread's own time, which other load on the machine barely changes.
    """
    from streamlit.runtime.scriptrunner import script_runner

    times: list[tuple[float, float]] = []
    original = script_runner.exec_func_with_error_handling

    def timed(func, ctx):
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            return original(func, ctx)
        finally:
            times.append((time.perf_counter() - start, time.thread_time() - cpu))

    script_runner.exec_func_with_error_handling = timed
    try:
        yield times
    finally:
        script_runner.exec_func_with_error_handling = original


@dataclass
class RerunResult:
    messages: int
    chars: int
    first_load_ms: float
    script_ms: float  # median over reruns, wall
    script_cpu_ms: float  # median over reruns, script thread CPU
    apptest_ms: float  # median over reruns
    reruns: int
    url_error: str = ""  # why opening through ?interview=<id> failed, if it did


def measure(messages: int, reruns: int) -> RerunResult:
    from streamlit.testing.v1 import AppTest

    from bench.common import app_environment, wait_for_page
    from interview.store import SQLiteStore
    from tests.fake_llm_server import FakeLLMServer

    wait_for_page()
    with FakeLLMServer() as server, app_environment(server.base_url) as tmp:
        with SQLiteStore(tmp / "interviews.db") as store:
            interview = build_interview(messages, store)
        url_error = ""
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
        at.query_params["interview"] = interview.id
        at.run()
        if at.exception:
            url_error = at.exception[0].message.split(". ")[0]
            with SQLiteStore(tmp / "interviews.db") as store:
                loaded = store.load(interview.id)
            at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
            at.session_state["interview"] = loaded
            at.session_state["opened_id"] = interview.id
        with script_timer() as script_times:
            at.run()
            if at.exception:
                raise RuntimeError(f"the page failed: {at.exception[0].message}")
            opened = at.session_state["interview"]
            if opened is None or len(opened.messages) != messages:
                raise RuntimeError("the page did not open the stored interview")
            first = script_times[-1][0]
            walls = []
            for _ in range(reruns):
                start = time.perf_counter()
                at.run()
                walls.append(time.perf_counter() - start)
            if at.exception:
                raise RuntimeError(f"the page failed on a rerun: {at.exception[0].message}")
            reruns_script = script_times[1:]
    return RerunResult(
        messages,
        sum(len(m.content) for m in interview.messages),
        first * 1e3,
        median([t[0] for t in reruns_script]) * 1e3,
        median([t[1] for t in reruns_script]) * 1e3,
        median(walls) * 1e3,
        len(reruns_script),
        url_error,
    )


def growth_exponent(results: list[RerunResult]) -> float:
    """k in script CPU time ∝ messages^k, least squares on the logs: 1.0 is linear, below 1 is better."""
    import math

    xs = [math.log(r.messages) for r in results]
    ys = [math.log(r.script_cpu_ms) for r in results]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum((x - mean_x) ** 2 for x in xs)


def run(quick: bool = False) -> list[RerunResult]:
    sizes, reruns = ((50, 200), 3) if quick else ((50, 100, 200, 400), 25)
    measure(10, 2)  # warm imports and caches so the first size is not billed for them
    return [measure(n, reruns) for n in sizes]


def rows(results: list[RerunResult]) -> list[list[str]]:
    out = []
    for index, r in enumerate(results):
        prev = results[index - 1] if index else None
        marginal = f"{(r.script_cpu_ms - prev.script_cpu_ms) / (r.messages - prev.messages):.2f}" if prev else "—"
        ratio = f"{r.script_cpu_ms / prev.script_cpu_ms:.2f}× for {r.messages / prev.messages:.0f}×" if prev else "—"
        out.append(
            [
                f"{r.messages}",
                f"{r.chars:,}",
                f"{r.first_load_ms:.0f}",
                f"{r.script_ms:.0f}",
                f"{r.script_cpu_ms:.0f}",
                f"{r.script_cpu_ms / r.messages:.2f}",
                marginal,
                ratio,
                f"{r.apptest_ms:.0f}",
            ]
        )
    return out


HEADERS = [
    "Messages",
    "Characters",
    "First run ms",
    "Rerun script ms (median)",
    "Script CPU ms",
    "CPU ms per message",
    "CPU ms per added message",
    "CPU growth from previous size",
    "AppTest run ms",
]
