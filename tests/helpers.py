"""Helpers that tests import: the one fake provider, the page under AppTest, and what its downloads serve.

Fixtures live in `conftest.py`; everything a test imports by name lives here.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from interview.core.state import Interview
from interview.core.steering import CAPABLE, SMALL_MODEL, SteeringPolicy
from interview.dialogue import engine
from interview.providers.base import Provider, StreamInfo

ROOT = Path(__file__).resolve().parent.parent


class FakeProvider(Provider):
    """A scripted model on the real provider seam, like llm's `MockModel`: queue replies, then read what it was sent.

    Each `stream()` call sends the next queued reply and records its messages in `requests`; `open_streams` counts
    the streams still running, so a test can see that an abandoned reply stopped its model.
    """

    def __init__(
        self,
        *replies: str | Iterable[str] | Exception,
        policy: SteeringPolicy = CAPABLE,
        chunk_size: int | None = None,
        context_tokens: int = Provider.context_tokens,
        name: str = "fake",
        model: str = "scripted",
    ):
        self.policy = policy
        self.chunk_size = chunk_size
        self.context_tokens = context_tokens
        self.name, self.model = name, model
        self.queue: deque[tuple[list[str], Exception | None]] = deque()
        self.requests: list[list[dict]] = []
        self.open_streams = 0  # streams started and not yet ended or closed
        for reply in replies:
            self.enqueue(reply)

    def enqueue(self, reply: str | Iterable[str] | Exception = (), *, error: Exception | None = None) -> FakeProvider:
        """Queue one reply: a text (cut into `chunk_size` pieces, if set) or its chunks; `error` is raised after them.

        An exception in place of the reply is raised before any text.
        """
        if isinstance(reply, Exception):
            reply, error = (), reply
        if isinstance(reply, str):
            size = self.chunk_size or len(reply) or 1
            chunks = [reply[start : start + size] for start in range(0, len(reply), size)]
        else:
            chunks = list(reply)
        self.queue.append((chunks, error))
        return self

    def stream(self, messages: list[dict], info: StreamInfo) -> Iterator[str]:
        self.requests.append(messages)
        if not self.queue:
            raise LookupError(f"FakeProvider was asked for reply {len(self.requests)} but has no more queued")
        chunks, error = self.queue.popleft()
        self.open_streams += 1
        try:
            yield from chunks
            if error is not None:
                raise error
            info.finish_reason = "stop"
        finally:
            self.open_streams -= 1


def new_interview(question: str = "Design a URL shortener", **settings) -> Interview:
    """A started interview that is kept nowhere."""
    return engine.start_interview(question, engine.NullStore(), **settings)


def answer_and_reply(interview: Interview, text: str, provider: FakeProvider | None = None, now: float = 0.0):
    """The candidate says `text` and the interviewer replies (a small model that says "Noted.", unless given one);
    returns the reply's text and the move chosen in code behind it."""
    provider = provider or FakeProvider("Noted.", policy=SMALL_MODEL)
    engine.answer(interview, text, engine.NullStore())
    with engine.reply(interview, provider, engine.NullStore(), clock=lambda: now or interview.created_at) as turn:
        reply = "".join(turn.chunks())
    return reply, turn.move


def chunked(text: str, size: int) -> list[str]:
    """The text cut into pieces of `size` characters, as a model might stream it."""
    return [text[i : i + size] for i in range(0, len(text), size)]


def new_app(query: dict | None = None):
    """A fresh AppTest of the real page, with these query parameters, already run once."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


MEDIA: dict[str, bytes] = {}
DEFERRED: dict[str, Callable] = {}  # a deferred download's id -> the callable a click would run


def capture_media(monkeypatch) -> None:
    """Keep a copy of every file AppTest's in-memory media store receives, so tests can read downloads."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    original = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        MEDIA[file_id] = path_or_data.encode() if isinstance(path_or_data, str) else bytes(path_or_data)
        return file_id

    from streamlit.runtime.media_file_manager import MediaFileManager

    add_deferred = MediaFileManager.add_deferred

    def keep_deferred(self, data_callable, *args, **kwargs):
        file_id = add_deferred(self, data_callable, *args, **kwargs)
        DEFERRED[file_id] = data_callable
        return file_id

    MEDIA.clear()
    DEFERRED.clear()
    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    monkeypatch.setattr(MediaFileManager, "add_deferred", keep_deferred)


def shown_markdown(at) -> str:
    """The page's Markdown as a reader sees it: backslash escapes, hard-break spaces and kept indents undone."""
    source = "\n".join(m.value for m in at.markdown)
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source).replace("  \n", "\n").replace("\u00a0", " ")


def download_data(button) -> str:
    """The text a download button in an AppTest run would serve; a deferred one's file is built now, as a click
    would build it."""
    if button.proto.deferred_file_id:
        data = DEFERRED[button.proto.deferred_file_id]()
        return data.decode() if isinstance(data, bytes) else data
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
    return MEDIA[file_id].decode()


def seed_scored(
    store,
    problem_id: str | None,
    created_at: float,
    scores: dict[str, float] | float,
    mistakes: Iterable[tuple[str, str]] = (),
    evidence: str = "",
    question: str = "",
) -> Interview:
    """Save a finished, scored interview through the store API: one score for every dimension (or one per key),
    and the interviewer's raised mistakes as (key, note)."""
    from interview.core.notes import RaisedMistake
    from interview.core.scorecard import DIMENSIONS, DimensionScore, Scorecard
    from interview.problems import catalog

    problem = catalog.find_problem(problem_id or "")
    interview = new_interview(question or (problem.title if problem else "Design a photo sharing app"))
    interview.problem_id = problem_id
    interview.created_at = interview.updated_at = interview.phase_started_at = created_at
    for message in interview.messages:
        message.created_at = created_at
    per_key = scores if isinstance(scores, dict) else {key: scores for key, _ in DIMENSIONS}
    interview.scorecard = Scorecard(
        dimensions=[
            DimensionScore(
                name=name, score=per_key.get(key), key=key, evidence=[f"{evidence} ({name})"] if evidence else []
            )
            for key, name in DIMENSIONS
        ],
        source="model",
    )
    interview.notes.mistakes = [
        RaisedMistake(key=key, phase="deep_dive", quote="", question="", note=note) for key, note in mistakes
    ]
    store.save_interview(interview)
    for message in interview.messages:
        store.save_message(interview, message)
    return interview
