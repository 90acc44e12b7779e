"""BlockStreamer: exact text, safe block boundaries, bounded update counts."""

import contextlib
import random

import pytest

from tests.helpers import chunked
from ui.streaming import BlockStreamer, after_waiting, close_block

SAMPLE = """## Requirements

Shorten a URL and redirect fast.

- create short links
- redirect with 301 or 302

- custom aliases

```python
def encode(n):

    return base62(n)
```

| QPS | Storage |
|-----|---------|

| 1k  | 5 TB    |

1. first
2. second

    indented continuation

Final paragraph."""


def blocks_of(items):
    """Split the yielded stream into the Markdown elements write_stream would render."""
    blocks, current = [], ""
    for item in items:
        if item is close_block:
            blocks.append(current)
            current = ""
        else:
            current += item
    blocks.append(current)
    return [b for b in blocks if b]


def text_of(items):
    """The text a BlockStreamer produced, without its block markers."""
    return "".join(item for item in items if isinstance(item, str))


@pytest.mark.parametrize("size", [1, 2, 3, 7, 50, 10_000])
def test_text_equals_input_for_any_chunking(size):
    items = list(BlockStreamer(chunked(SAMPLE, size)))
    assert text_of(items) == SAMPLE


def test_random_chunking_keeps_text_exact():
    rng = random.Random(7)
    for _ in range(50):
        cuts = sorted(rng.sample(range(1, len(SAMPLE)), 30))
        parts = [SAMPLE[a:b] for a, b in zip([0, *cuts], [*cuts, len(SAMPLE)], strict=True)]
        assert text_of(BlockStreamer(parts)) == SAMPLE


def test_never_splits_inside_code_fence_list_or_table():
    blocks = blocks_of(BlockStreamer(chunked(SAMPLE, 1)))
    fence = next(b for b in blocks if "```python" in b)
    assert fence.count("```") == 2, "the code fence and its blank line stay in one element"
    table = next(b for b in blocks if "| QPS" in b)
    assert "| 1k" in table
    bullets = next(b for b in blocks if "- create" in b)
    assert "- custom aliases" in bullets
    numbered = next(b for b in blocks if "1. first" in b)
    assert "indented continuation" in numbered


def test_splits_at_paragraph_boundaries():
    blocks = blocks_of(BlockStreamer(chunked(SAMPLE, 1)))
    assert blocks[0].startswith("## Requirements")
    assert any(b.startswith("Shorten a URL") for b in blocks)
    assert blocks[-1] == "Final paragraph."
    assert len(blocks) >= 5


def test_first_chunk_is_yielded_immediately():
    stream = iter(BlockStreamer(iter(["Hello", " world"])))
    assert next(stream) == "Hello"


def test_updates_are_coalesced_when_chunks_arrive_fast():
    text = "word " * 4000
    now = [0.0]

    def clock():
        now[0] += 0.0001  # 4,000 chunks in 0.4 s
        return now[0]

    streamer = BlockStreamer(text.split(" "), clock=clock)
    assert text_of(streamer) == "".join(text.split(" "))
    assert streamer.updates < 40


def test_slow_stream_still_updates_at_least_every_max_wait():
    now = [0.0]

    def clock():
        now[0] += 1.0  # one chunk a second
        return now[0]

    streamer = BlockStreamer(["a"] * 200 + ["b"] * 200, clock=clock)
    list(streamer)
    assert streamer.updates == 400


def test_elements_never_start_mid_line_with_slow_chunks():
    """A split decided after text past the blank line was already shown must not cut a line in two."""
    now = [0.0]

    def clock():
        now[0] += 0.05  # slow enough that every chunk is flushed on its own
        return now[0]

    for size in (1, 2, 3, 5):
        items = list(BlockStreamer(chunked(SAMPLE, size), clock=clock))
        assert text_of(items) == SAMPLE
        position = 0
        for item in items:
            if item is close_block:
                assert position == 0 or SAMPLE[position - 1] == "\n", (size, SAMPLE[position - 10 : position + 10])
            else:
                position += len(item)


@pytest.mark.parametrize("size", [1, 4, 37])
def test_trimming_old_text_changes_nothing_in_long_replies(size, monkeypatch):
    """Long replies drop text already sent; the items must be exactly those of a streamer that keeps it all."""
    import ui.streaming as streaming

    long_reply = "\n\n".join([SAMPLE] * 12) + "\n\nA last line."
    now = [0.0]

    def clock():
        now[0] += 0.01
        return now[0]

    def items():
        now[0] = 0.0
        return [i if isinstance(i, str) else "<close>" for i in BlockStreamer(chunked(long_reply, size), clock=clock)]

    trimmed = items()
    monkeypatch.setattr(streaming, "_TRIM_AT", 10**9)
    kept = items()
    assert trimmed == kept
    assert "".join(i for i in trimmed if i != "<close>") == long_reply
    assert trimmed.count("<close>") > 12


def test_the_wait_for_the_first_chunk_is_shown_and_ends_before_it():
    events = []

    @contextlib.contextmanager
    def waiting():
        events.append("shown")
        yield
        events.append("gone")

    def chunks():
        events.append("asked")
        yield "Hello"
        yield " there"

    for piece in after_waiting(chunks(), waiting):
        events.append(piece)
    assert events == ["shown", "asked", "gone", "Hello", " there"]
    assert list(after_waiting(iter(()), waiting)) == []  # nothing arrives: the wait still ends
    assert events[-2:] == ["shown", "gone"]
