"""Our generator path vs iterating the raw openai stream, against the same loopback fake server.

Ours is what the page runs per reply: `make_provider` (a fresh OpenAI client), `engine.ReplyTurn` (system prompt,
`OpenAICompatibleProvider.stream`, `MarkerFilter`) and `BlockStreamer` on top. The raw path is the tutorial loop:
`openai.OpenAI(...)`, `chat.completions.create(stream=True)`, read `choices[0].delta.content`. Both send the same
messages. The fake server runs in its own process so its work is not billed to the client; we report wall time and
the client process's CPU time (which is where any per-token cost of ours shows up).
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
    from interview.config import settings_for

    return settings_for("custom", {"INTERVIEW_BASE_URL": base_url, "INTERVIEW_MODEL": "fake-model"})


def _interview():
    from interview import engine

    return engine.start_interview(QUESTION, engine.NullStore())


def _messages(base_url: str) -> list[dict]:
    """The exact messages our path sends for a fresh interview, so both paths make the same request."""
    from interview import engine
    from interview.providers.factory import make_provider

    return engine.ReplyTurn(_interview(), make_provider(_settings(base_url)), engine.NullStore()).messages


def _raw_chunks(base_url: str, messages: list[dict], client=None) -> Iterator[str]:
    """The tutorial loop over the openai stream."""
    import openai

    client = client or openai.OpenAI(api_key="not-needed", base_url=base_url)
    stream = client.chat.completions.create(model="fake-model", messages=messages, stream=True)
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta is not None and chunk.choices[0].delta.content:
            yield chunk.choices[0].delta.content


def _our_items(base_url: str, interview) -> tuple[Iterator, Callable[[], object]]:
    """What `stream_reply` feeds to st.write_stream, and the turn's finish()."""
    from interview import engine
    from interview.providers.factory import make_provider
    from interview.streaming import BlockStreamer

    turn = engine.ReplyTurn(interview, make_provider(_settings(base_url)), engine.NullStore())
    return iter(BlockStreamer(turn.chunks())), turn.finish


@dataclass
class Throughput:
    tokens: int
    repeats: int
    raw_wall: float  # median seconds for the whole reply
    ours_wall: float
    raw_cpu: float
    ours_cpu: float
    wall_overhead: float  # median over rounds of ours ÷ raw in the same round, minus 1
    cpu_overhead: float

    @property
    def wall_overhead_of_medians(self) -> float:
        return self.ours_wall / self.raw_wall - 1

    @property
    def cpu_overhead_of_medians(self) -> float:
        return self.ours_cpu / self.raw_cpu - 1


def _timed(run: Callable[[], None]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure_throughput(base_url: str, tokens: int, repeats: int) -> Throughput:

    text = markdown_reply(tokens)
    entry = {"text": text, "chunk_size": 4}
    messages = _messages(base_url)
    samples: dict[str, list[tuple[float, float]]] = {"raw": [], "ours": []}

    def raw() -> None:
        got = "".join(_raw_chunks(base_url, messages))
        assert got == text, "raw stream lost text"

    def ours() -> None:
        items, finish = _our_items(base_url, interview)
        got = "".join(item for item in items if isinstance(item, str))
        message = finish()
        assert got == text and message.complete, "our stream lost text"

    for index in range(repeats + 1):  # the first round warms up both paths
        order = [("raw", raw), ("ours", ours)] if index % 2 else [("ours", ours), ("raw", raw)]
        for name, run in order:
            interview = _interview()
            enqueue(base_url, entry)
            sample = _timed(run)
            if index:
                samples[name].append(sample)
    pairs = list(zip(samples["raw"], samples["ours"], strict=True))  # paired by round: drifting load cancels out
    return Throughput(
        tokens,
        repeats,
        median([s[0] for s in samples["raw"]]),
        median([s[0] for s in samples["ours"]]),
        median([s[1] for s in samples["raw"]]),
        median([s[1] for s in samples["ours"]]),
        median([ours[0] / raw[0] for raw, ours in pairs]) - 1,
        median([ours[1] / raw[1] for raw, ours in pairs]) - 1,
    )


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
        items, finish = _our_items(base_url, interview)
        item = next(items)
        first = time.perf_counter() - start
        assert isinstance(item, str) and item, "the first item should be text"
        for _ in items:
            pass
        finish()
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
    from interview import engine
    from interview.prompts import NEXT_PHASE_MARKER
    from interview.providers.base import Provider
    from interview.streaming import BlockStreamer, MarkerFilter

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
        reply = engine.ReplyTurn(_interview(), Replay(), engine.NullStore())
        consume(BlockStreamer(reply.chunks()) if streamer else reply.chunks())
        reply.finish()

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


@dataclass
class InSitu:
    """CPU µs per token spent outside the openai stream iterator, measured during real streams."""

    tokens: int
    repeats: int
    raw_outside: float  # the tutorial loop's own body (plus the timing probe)
    ours_outside: float  # provider.stream's body, MarkerFilter, ReplyTurn, BlockStreamer (plus the same probe)
    raw_total: float

    @property
    def added(self) -> float:
        return self.ours_outside - self.raw_outside


def _probe(iterator, spent: list[float]) -> Iterator:
    """Yield from `iterator`, adding the thread CPU time spent inside it to spent[0]."""
    iterator = iter(iterator)
    while True:
        start = time.thread_time()
        try:
            item = next(iterator)
        except StopIteration:
            spent[0] += time.thread_time() - start
            return
        spent[0] += time.thread_time() - start
        yield item


def measure_in_situ(base_url: str, tokens: int, repeats: int) -> InSitu:
    """Both paths with the openai stream iterator timed from inside, so the rest is what each path adds around it."""
    import openai

    from interview import engine
    from interview.providers.factory import make_provider
    from interview.streaming import BlockStreamer

    text = markdown_reply(tokens)
    messages = _messages(base_url)
    spent = [0.0]

    def raw() -> None:
        client = openai.OpenAI(api_key="not-needed", base_url=base_url)
        stream = client.chat.completions.create(model="fake-model", messages=messages, stream=True)
        for chunk in _probe(stream, spent):
            if chunk.choices and chunk.choices[0].delta is not None and chunk.choices[0].delta.content:
                chunk.choices[0].delta.content  # noqa: B018 - the tutorial loop reads it

    def ours() -> None:
        provider = make_provider(_settings(base_url))
        completions = provider.client().chat.completions
        create = completions.create
        completions.create = lambda **kwargs: _probe(create(**kwargs), spent)
        turn = engine.ReplyTurn(_interview(), provider, engine.NullStore())
        for _ in BlockStreamer(turn.chunks()):
            pass
        turn.finish()

    samples: dict[str, list[tuple[float, float]]] = {"raw": [], "ours": []}
    for index in range(repeats + 1):
        order = [("raw", raw), ("ours", ours)] if index % 2 else [("ours", ours), ("raw", raw)]
        for name, run in order:
            enqueue(base_url, {"text": text, "chunk_size": 4})
            spent[0] = 0.0
            start = time.thread_time()
            run()
            total = time.thread_time() - start
            if index:
                samples[name].append((total, total - spent[0]))
    per_token = 1e6 / tokens
    return InSitu(
        tokens,
        repeats,
        median([s[1] for s in samples["raw"]]) * per_token,
        median([s[1] for s in samples["ours"]]) * per_token,
        median([s[0] for s in samples["raw"]]) * per_token,
    )


def run(quick: bool = False) -> tuple[Throughput, FirstToken, Layers, InSitu]:
    tokens, repeats, ttft_repeats = (2000, 3, 10) if quick else (20_000, 21, 60)
    with fake_server_process() as base_url:
        throughput = measure_throughput(base_url, tokens, repeats)
        first = measure_first_token(base_url, ttft_repeats)
        in_situ = measure_in_situ(base_url, tokens, 3 if quick else 11)
    layers = measure_layers(tokens, 5 if quick else 21)
    return throughput, first, layers, in_situ


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


def in_situ_rows(s: InSitu) -> list[list[str]]:
    return [
        ["Raw: the tutorial loop around the stream", f"{s.raw_outside:.2f}", "—"],
        ["Ours: provider.stream body + MarkerFilter + ReplyTurn + BlockStreamer", f"{s.ours_outside:.2f}", "—"],
        ["Ours minus raw: what we add per token, in situ", f"{s.added:.2f}", f"{s.added / s.raw_total * 100:.1f}%"],
    ]


IN_SITU_HEADERS = ["CPU outside the openai stream iterator", "µs/token", "% of raw client CPU per token"]

LAYER_HEADERS = ["Layer (replayed chunks, no network)", "CPU µs/token", "% of raw client CPU per token"]


def throughput_rows(t: Throughput) -> list[list[str]]:
    return [
        ["Raw openai stream", f"{t.raw_wall:.3f}", f"{t.raw_wall / t.tokens * 1e6:.1f}", f"{t.raw_cpu / t.tokens * 1e6:.1f}", "—", "—"],
        [
            "Ours (ReplyTurn → MarkerFilter → BlockStreamer)",
            f"{t.ours_wall:.3f}",
            f"{t.ours_wall / t.tokens * 1e6:.1f}",
            f"{t.ours_cpu / t.tokens * 1e6:.1f}",
            f"{t.wall_overhead * 100:+.1f}%",
            f"{t.cpu_overhead * 100:+.1f}%",
        ],
    ]  # fmt: skip


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
