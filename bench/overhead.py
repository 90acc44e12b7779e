"""Our generator path vs iterating the raw openai stream, against the same loopback fake server.

Ours is what the page runs per reply: `make_provider` (a fresh OpenAI client), `engine.reply` (system prompt,
`OpenAICompatibleProvider.stream`, `MarkerFilter`) and `BlockStreamer` on top. Our provider sends the request with the
openai client and reads the SSE body itself (`with_streaming_response`), so it skips the pydantic object the client
builds per chunk. The raw path is the tutorial loop: `openai.OpenAI(...)`, `chat.completions.create(stream=True)`,
read `choices[0].delta.content`. A third path puts our layers on top of that same client stream, which isolates what
our layers cost. All send the same messages. The fake server runs in its own process so its work is not billed to
the client; we report wall time and the client process's CPU time (where any per-token cost of ours shows up).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bench.common import ROOT, markdown_reply, median, token_chunks

QUESTION = "Design a URL shortener"


@contextmanager
def fake_server_process() -> Iterator[str]:
    """A standalone fake server in a child process; yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_llm_server", "--port", "0", "--chunk-size", "4"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if "ready at" not in line:
            raise RuntimeError(f"the fake server did not start: {line!r}")
        yield line.rsplit(" ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def enqueue(base_url: str, entry: dict) -> None:
    url = base_url.removesuffix("/v1") + "/_control/enqueue"
    request = urllib.request.Request(url, json.dumps(entry).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def _settings(base_url: str):
    from interview.providers.config import settings_for

    return settings_for("custom", {"INTERVIEW_BASE_URL": base_url, "INTERVIEW_MODEL": "fake-model"})


def _interview():
    from interview.dialogue import engine

    return engine.start_interview(QUESTION, engine.NullStore())


def _messages(base_url: str) -> list[dict]:
    """The exact messages our path sends for a fresh interview, so both paths make the same request."""
    from interview.dialogue import prompting
    from interview.providers.factory import make_provider

    return prompting.build_messages(_interview(), make_provider(_settings(base_url))).messages


def _raw_chunks(base_url: str, messages: list[dict], client=None) -> Iterator[str]:
    """The tutorial loop over the openai stream."""
    import openai

    client = client or openai.OpenAI(api_key="not-needed", base_url=base_url)
    stream = client.chat.completions.create(model="fake-model", messages=messages, stream=True)
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta is not None and chunk.choices[0].delta.content:
            yield chunk.choices[0].delta.content


@contextmanager
def _our_items(base_url: str, interview) -> Iterator[Iterator]:
    """What `stream_reply` feeds to st.write_stream, inside the reply's `with` block as the page has it."""
    from interview.dialogue import engine
    from interview.providers.factory import make_provider
    from ui.streaming import BlockStreamer

    with engine.reply(interview, make_provider(_settings(base_url)), engine.NullStore()) as turn:
        yield iter(BlockStreamer(turn.chunks()))


class _ClientStream:
    """A provider that iterates the openai client's own stream, to measure our layers on top of it."""

    name, model, context_tokens = "custom", "fake-model", 32_000

    def __init__(self, base_url: str):
        from interview.core.steering import CAPABLE

        self.base_url = base_url
        self.policy = CAPABLE

    def count_tokens(self, text: str) -> int:
        return len(text) // 3

    def stream(self, messages, info):
        yield from _raw_chunks(self.base_url, messages)  # exactly the raw path, so only our layers differ


@dataclass
class PathResult:
    label: str
    wall: float  # median seconds for the whole reply
    cpu: float
    wall_overhead: float  # median over rounds of this ÷ raw in the same round, minus 1
    cpu_overhead: float
    wall_of_medians: float  # ratio of the two medians, minus 1
    cpu_of_medians: float


@dataclass
class Throughput:
    tokens: int
    repeats: int
    paths: dict[str, PathResult]  # "raw", "ours", "layers"


THROUGHPUT_LABELS = {
    "raw": "Raw openai stream (tutorial loop)",
    "ours": "Ours, as the page runs it (our SSE reading → ReplyTurn → MarkerFilter → BlockStreamer)",
    "layers": "Our layers on the raw openai stream (client stream → ReplyTurn → MarkerFilter → BlockStreamer)",
}


def measure_throughput(base_url: str, tokens: int, repeats: int) -> Throughput:
    from interview.dialogue import engine
    from ui.streaming import BlockStreamer

    text = markdown_reply(tokens)
    entry = {"text": text, "chunk_size": 4}
    messages = _messages(base_url)

    def raw() -> None:
        got = "".join(_raw_chunks(base_url, messages))
        assert got == text, "raw stream lost text"

    def through_turn(provider) -> None:
        with engine.reply(_interview(), provider, engine.NullStore()) as turn:
            got = "".join(item for item in BlockStreamer(turn.chunks()) if isinstance(item, str))
        assert got == text and turn.message.complete, "our stream lost text"

    def ours() -> None:
        from interview.providers.factory import make_provider

        through_turn(make_provider(_settings(base_url)))

    runs = {"raw": raw, "ours": ours, "layers": lambda: through_turn(_ClientStream(base_url))}
    names = list(runs)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for index in range(repeats + 1):  # the first round warms up every path
        for name in names[index % 3 :] + names[: index % 3]:  # rotate the order so no path always goes first
            enqueue(base_url, entry)
            sample = _timed(runs[name])
            if index:
                samples[name].append(sample)

    def path(name: str) -> PathResult:
        mine, raw_samples = samples[name], samples["raw"]
        pairs = list(zip(raw_samples, mine, strict=True))  # paired by round: drifting load cancels out
        wall, cpu = median([s[0] for s in mine]), median([s[1] for s in mine])
        raw_wall, raw_cpu = median([s[0] for s in raw_samples]), median([s[1] for s in raw_samples])
        return PathResult(
            THROUGHPUT_LABELS[name],
            wall,
            cpu,
            median([b[0] / a[0] for a, b in pairs]) - 1,
            median([b[1] / a[1] for a, b in pairs]) - 1,
            wall / raw_wall - 1,
            cpu / raw_cpu - 1,
        )

    return Throughput(tokens, repeats, {name: path(name) for name in names})


def _timed(run: Callable[[], None]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


@dataclass
class FirstToken:
    repeats: int
    raw_fresh: float  # median seconds: new client, request, first content
    raw_reused: float  # same with one client reused (connection kept alive)
    ours: float  # make_provider + ReplyTurn + BlockStreamer's first string, as the page does per reply

    @property
    def added(self) -> float:
        return self.ours - self.raw_fresh


def measure_first_token(base_url: str, repeats: int) -> FirstToken:
    import openai

    client = openai.OpenAI(api_key="not-needed", base_url=base_url)
    samples: dict[str, list[float]] = {"raw_fresh": [], "raw_reused": [], "ours": []}

    def raw(reuse: bool) -> float:
        messages = _messages(base_url)  # what the raw app would send; not timed
        start = time.perf_counter()
        chunks = _raw_chunks(base_url, messages, client if reuse else None)
        next(chunks)
        first = time.perf_counter() - start
        for _ in chunks:
            pass
        return first

    def ours() -> float:
        interview = _interview()
        start = time.perf_counter()
        with _our_items(base_url, interview) as items:
            item = next(items)
            first = time.perf_counter() - start
            assert isinstance(item, str) and item, "the first item should be text"
            for _ in items:
                pass
        return first

    runs = {"raw_fresh": lambda: raw(False), "raw_reused": lambda: raw(True), "ours": ours}
    names = list(runs)
    for index in range(repeats + 2):  # two warm-up rounds
        for name in names[index % 3 :] + names[: index % 3]:
            value = runs[name]()
            if index >= 2:
                samples[name].append(value)
    return FirstToken(repeats, *(median(samples[name]) for name in names))


@dataclass
class Layers:
    """CPU µs per token of our layers alone, replaying the server's chunks from memory (no network, no noise from it)."""

    tokens: int
    repeats: int
    marker_filter: float
    reply_turn: float  # provider replay + MarkerFilter + ReplyTurn.chunks bookkeeping
    full: float  # ReplyTurn.chunks through BlockStreamer


def measure_layers(tokens: int, repeats: int) -> Layers:
    from interview.dialogue import engine
    from interview.dialogue.filters import MarkerFilter
    from interview.dialogue.prompts import NEXT_PHASE_MARKER
    from interview.providers.base import Provider
    from ui.streaming import BlockStreamer

    chunks = token_chunks(markdown_reply(tokens))

    class Replay(Provider):
        name, model = "replay", "replay"

        def stream(self, messages, info):
            yield from chunks
            info.finish_reason = "stop"

    def consume(items) -> None:
        for _ in items:
            pass

    def turn(streamer: bool) -> None:
        with engine.reply(_interview(), Replay(), engine.NullStore()) as reply:
            consume(BlockStreamer(reply.chunks()) if streamer else reply.chunks())

    runs = {
        "list": lambda: consume(iter(chunks)),
        "marker": lambda: consume(MarkerFilter(NEXT_PHASE_MARKER).filter(iter(chunks))),
        "turn": lambda: turn(False),
        "full": lambda: turn(True),
    }
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for index in range(repeats + 1):
        for name, run in runs.items():
            cpu = time.process_time()
            run()
            if index:
                samples[name].append(time.process_time() - cpu)
    base = median(samples["list"])
    per_token = {name: (median(values) - base) / tokens * 1e6 for name, values in samples.items()}
    return Layers(tokens, repeats, per_token["marker"], per_token["turn"], per_token["full"])


def run(quick: bool = False) -> tuple[Throughput, FirstToken, Layers]:
    tokens, repeats, ttft_repeats = (2000, 3, 10) if quick else (20_000, 21, 60)
    with fake_server_process() as base_url:
        throughput = measure_throughput(base_url, tokens, repeats)
        first = measure_first_token(base_url, ttft_repeats)
    layers = measure_layers(tokens, 5 if quick else 21)
    return throughput, first, layers


def layer_rows(layers: Layers, raw_cpu_per_token: float) -> list[list[str]]:
    """Each layer's µs per token, and as a share of the raw client's CPU per token."""
    raw = raw_cpu_per_token * 1e6
    return [
        [name, f"{value:.2f}", f"{value / raw * 100:.1f}%"]
        for name, value in (
            ("MarkerFilter alone", layers.marker_filter),
            ("ReplyTurn.chunks (provider generator + MarkerFilter + text bookkeeping)", layers.reply_turn),
            ("ReplyTurn.chunks → BlockStreamer (everything we add per token)", layers.full),
        )
    ]


LAYER_HEADERS = ["Layer (replayed chunks, no network)", "CPU µs/token", "% of raw client CPU per token"]


def throughput_rows(t: Throughput) -> list[list[str]]:
    rows = []
    for name, p in t.paths.items():
        wall_overhead = "—" if name == "raw" else f"{p.wall_overhead * 100:+.1f}%"
        cpu_overhead = "—" if name == "raw" else f"{p.cpu_overhead * 100:+.1f}%"
        per_token = 1e6 / t.tokens
        rows.append(
            [
                p.label,
                f"{p.wall:.3f}",
                f"{p.wall * per_token:.1f}",
                f"{p.cpu * per_token:.1f}",
                wall_overhead,
                cpu_overhead,
            ]
        )
    return rows


THROUGHPUT_HEADERS = [
    "Path",
    "Wall s (median)",
    "Wall µs/token",
    "Client CPU µs/token",
    "Wall overhead",
    "CPU overhead",
]


def first_token_rows(f: FirstToken) -> list[list[str]]:
    return [
        ["Raw openai, new client per reply", f"{f.raw_fresh * 1e3:.2f}", "—"],
        ["Raw openai, one client reused", f"{f.raw_reused * 1e3:.2f}", f"{(f.raw_reused - f.raw_fresh) * 1e3:+.2f}"],
        [
            "Ours (as the page: new provider + ReplyTurn + BlockStreamer)",
            f"{f.ours * 1e3:.2f}",
            f"{f.added * 1e3:+.2f}",
        ],
    ]


FIRST_TOKEN_HEADERS = ["Path", "TTFT ms (median)", "vs raw new client, ms"]
