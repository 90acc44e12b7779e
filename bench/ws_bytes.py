"""Websocket bytes while a reply streams: the naive `st.write_stream(raw chunks)` pattern vs our BlockStreamer.

Every ForwardMsg a script sends goes through `ScriptRunContext.enqueue`; we wrap it and sum `msg.ByteSize()`. That
is an upper bound on the wire: a live server may coalesce queued deltas to the same element before a flush (never
in AppTest), and sends the bytes inside a websocket frame (a few bytes of framing each).

"Reply bytes" counts only the Markdown elements that carry the reply (their body is a piece of the reply text);
"all bytes" is every ForwardMsg of the run, including the page around the reply.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from bench.common import ROOT, markdown_reply, token_chunks

STREAM_TIMEOUT = 600.0


@dataclass
class ByteCount:
    """Forward messages seen while counting."""

    messages: int = 0
    total: int = 0
    markdown_bodies: list[tuple[str, int]] = field(default_factory=list)  # (body, message bytes)

    def reply_bytes(self, reply: str) -> tuple[int, int]:
        """Bytes and count of the Markdown messages whose body is a non-empty piece of `reply`."""
        hits = [size for body, size in self.markdown_bodies if body and body in reply]
        return sum(hits), len(hits)


@contextlib.contextmanager
def count_forward_msgs() -> Iterator[ByteCount]:
    """Sum the size of every ForwardMsg enqueued by any script run while the block is active."""
    from streamlit.runtime.scriptrunner import ScriptRunContext

    count = ByteCount()
    lock = threading.Lock()
    original = ScriptRunContext.enqueue

    def enqueue(self, msg):
        original(self, msg)  # fills in the hash and metadata, as sent
        size = msg.ByteSize()
        body = None
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "markdown":
                body = element.markdown.body
        with lock:
            count.messages += 1
            count.total += size
            if body is not None:
                count.markdown_bodies.append((body, size))

    ScriptRunContext.enqueue = enqueue
    try:
        yield count
    finally:
        ScriptRunContext.enqueue = original


def _stream_script(chunks: list[str], interval: float, ours: bool) -> None:
    """A standalone AppTest page: stream `chunks`, one every `interval` seconds (0: as fast as possible)."""
    import time

    import streamlit as st

    from ui.streaming import BlockStreamer

    def generate():
        start = time.perf_counter()
        for index, chunk in enumerate(chunks):
            if interval:
                wait = start + index * interval - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
            yield chunk

    st.write_stream(BlockStreamer(generate()) if ours else generate())


def mid_line_splits(elements: list[str], reply: str) -> int:
    """How many of the reply's Markdown elements start mid-line (a word or table row cut between two elements)."""
    cursor, broken = 0, 0
    for element in elements:
        index = reply.find(element, cursor)
        if index < 0:
            continue
        if index > 0 and reply[index - 1] != "\n":
            broken += 1
        cursor = index + len(element)
    return broken


@dataclass
class StreamResult:
    label: str
    pattern: str  # "naive" or "ours"
    reply_chars: int
    reply_bytes: int
    tokens: int
    bytes_reply: int  # ForwardMsg bytes of the reply's Markdown elements
    updates: int  # Markdown messages carrying the reply
    bytes_all: int
    seconds: float
    elements: int = 0  # Markdown elements the reply ended up in
    mid_line: int = 0  # of which start mid-line

    @property
    def ratio(self) -> float:
        return self.bytes_reply / self.reply_bytes


def measure_standalone(reply: str, interval: float, ours: bool, label: str = "") -> StreamResult:
    """Stream `reply` in 4-character tokens through a minimal AppTest page and count its bytes."""
    from streamlit.testing.v1 import AppTest

    chunks = token_chunks(reply)
    at = AppTest.from_function(_stream_script, args=(chunks, interval, ours), default_timeout=STREAM_TIMEOUT)
    with count_forward_msgs() as count:
        start = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"stream script failed: {at.exception[0].message}")
    elements = [m.value for m in at.markdown]
    if "".join("".join(elements).split()) != "".join(reply.split()):  # st.markdown strips outer whitespace
        raise RuntimeError("the streamed page does not show the whole reply")
    reply_bytes, updates = count.reply_bytes(reply)
    return StreamResult(
        label,
        "ours" if ours else "naive",
        len(reply),
        len(reply.encode()),
        len(chunks),
        reply_bytes,
        updates,
        count.total,
        seconds,
        len(elements),
        mid_line_splits(elements, reply),
    )


OPENING = "Let us begin. Who are the users, and what must the system do?"
QUESTION = "Design a URL shortener"
ANSWER = "Anyone can shorten a link; redirects must be fast and links never change."


def measure_page(reply: str, delay: float, label: str = "") -> StreamResult:
    """Our real page end to end: a started interview; the candidate answers and the fake server streams `reply`.

    The measured turn is a follow-up (the first answer of an interview also reruns the page to draw its controls),
    so the run's bytes are the streamed reply plus the page around it.
    """
    from streamlit.testing.v1 import AppTest

    from bench.common import app_environment, wait_for_page
    from tests.fake_llm_server import FakeLLMServer, Reply

    wait_for_page()
    with FakeLLMServer() as server, app_environment(server.base_url):
        server.enqueue(Reply(text=OPENING, chunk_size=4))
        server.enqueue(Reply(text=reply, chunk_size=4, delay=delay))
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=STREAM_TIMEOUT)
        at.run()
        at.chat_input[0].set_value(QUESTION).run()
        if at.exception:
            raise RuntimeError(f"the page failed: {at.exception[0].message}")
        with count_forward_msgs() as count:
            start = time.perf_counter()
            at.chat_input[0].set_value(ANSWER).run()
            seconds = time.perf_counter() - start
        if at.exception:
            raise RuntimeError(f"the page failed: {at.exception[0].message}")
        answer = at.session_state["interview"].messages[-1]
        if not answer.complete or answer.content != reply.strip():
            raise RuntimeError(f"the page did not record the whole reply (error: {answer.error!r})")
        elements = [m.value for m in at.markdown if m.value and m.value in reply]
    reply_bytes, updates = count.reply_bytes(reply)
    return StreamResult(
        label, "ours (page)", len(reply), len(reply.encode()), len(token_chunks(reply)), reply_bytes, updates,
        count.total, seconds, len(elements), mid_line_splits(elements, reply),
    )  # fmt: skip


def run(quick: bool = False, page: bool = True) -> list[StreamResult]:
    """(a) a 2,000-token reply at 100 tok/s; (b) 4,000 chunks as fast as possible. Quick: 200 and 400 tokens."""
    slow_tokens, fast_tokens = (200, 400) if quick else (2000, 4000)
    slow = markdown_reply(slow_tokens)
    fast = markdown_reply(fast_tokens)
    slow_label = f"(a) {slow_tokens:,} tokens at 100 tok/s"
    fast_label = f"(b) {fast_tokens:,} chunks, no delay"
    results = []
    for label, reply, interval in ((slow_label, slow, 0.01), (fast_label, fast, 0.0)):
        results.append(measure_standalone(reply, interval, ours=False, label=label))
        results.append(measure_standalone(reply, interval, ours=True, label=label))
        if page:
            results.append(measure_page(reply, interval, label=label))
    return results


def rows(results: list[StreamResult]) -> list[list[str]]:
    return [
        [
            r.label,
            r.pattern,
            f"{r.reply_bytes:,}",
            f"{r.updates:,}",
            f"{r.bytes_reply:,}",
            f"{r.ratio:,.1f}×",
            f"{r.bytes_all:,}",
            f"{r.elements} / {r.mid_line}",
            f"{r.seconds:.1f}",
        ]
        for r in results
    ]


HEADERS = [
    "Case",
    "Pattern",
    "Reply bytes",
    "Updates",
    "Reply ForwardMsg bytes",
    "× reply",
    "All bytes",
    "Elements / cut mid-line",
    "Run s",
]
