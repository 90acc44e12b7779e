"""BlockStreamer and MarkerFilter: exact text, safe block boundaries, bounded update counts."""

import random

import pytest

from interview.streaming import (
    BlockStreamer,
    MarkerFilter,
    close_block,
    drop_stock_praise,
    joined_text,
    one_question_at_most,
)

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


def chunked(text, size):
    return [text[i : i + size] for i in range(0, len(text), size)]


@pytest.mark.parametrize("size", [1, 2, 3, 7, 50, 10_000])
def test_joined_text_equals_input_for_any_chunking(size):
    items = list(BlockStreamer(chunked(SAMPLE, size)))
    assert joined_text(items) == SAMPLE


def test_random_chunking_keeps_text_exact():
    rng = random.Random(7)
    for _ in range(50):
        cuts = sorted(rng.sample(range(1, len(SAMPLE)), 30))
        parts = [SAMPLE[a:b] for a, b in zip([0, *cuts], [*cuts, len(SAMPLE)], strict=True)]
        assert joined_text(BlockStreamer(parts)) == SAMPLE


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
    assert joined_text(streamer) == "".join(text.split(" "))
    assert streamer.updates < 40


def test_slow_stream_still_updates_at_least_every_max_wait():
    now = [0.0]

    def clock():
        now[0] += 1.0  # one chunk a second
        return now[0]

    streamer = BlockStreamer(["a"] * 200 + ["b"] * 200, clock=clock)
    list(streamer)
    assert streamer.updates == 400


@pytest.mark.parametrize("size", [1, 2, 5, 100])
def test_marker_filter_removes_split_marker(size):
    marker = "[[NEXT_PHASE]]"
    text = f"Good. Let's move on to estimates. {marker}"
    filt = MarkerFilter(marker)
    out = "".join(filt.filter(chunked(text, size)))
    assert out == "Good. Let's move on to estimates. "
    assert filt.seen


def test_marker_filter_passes_lookalikes_through():
    filt = MarkerFilter("[[NEXT_PHASE]]")
    text = "Use [[brackets]] and [[NEXT but not the marker"
    assert "".join(filt.filter(chunked(text, 3))) == text
    assert not filt.seen


def test_elements_never_start_mid_line_with_slow_chunks():
    """A split decided after text past the blank line was already shown must not cut a line in two."""
    now = [0.0]

    def clock():
        now[0] += 0.05  # slow enough that every chunk is flushed on its own
        return now[0]

    for size in (1, 2, 3, 5):
        items = list(BlockStreamer(chunked(SAMPLE, size), clock=clock))
        assert joined_text(items) == SAMPLE
        position = 0
        for item in items:
            if item is close_block:
                assert position == 0 or SAMPLE[position - 1] == "\n", (size, SAMPLE[position - 10 : position + 10])
            else:
                position += len(item)


@pytest.mark.parametrize("size", [1, 4, 37])
def test_trimming_old_text_changes_nothing_in_long_replies(size, monkeypatch):
    """Long replies drop text already sent; the items must be exactly those of a streamer that keeps it all."""
    import interview.streaming as streaming

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


PRAISE_CASES = [
    ("That's a good design. What happens when the cache fails?", "What happens when the cache fails?"),
    ("That's correct. How many writes per second?", "How many writes per second?"),
    ("Great! What would you do next?", "What would you do next?"),
    ("That's an excellent estimate.\n\nHow many redirects per second?", "How many redirects per second?"),
    ("That's a good start, but what about hot keys?", None),
    ("That's right, but you missed hot keys. Why does that matter?", None),
    ("It's a trade-off. Which side would you pick?", None),
    ("Understood. What is the write rate?", None),
    ("Which component is hardest to get right?", None),
    ("Good question? Maybe. What do you think?", None),
]


@pytest.mark.parametrize(("reply", "expected"), PRAISE_CASES)
@pytest.mark.parametrize("size", [1, 3, 500])
def test_stock_praise_opening_is_dropped_and_the_rest_kept_exactly(reply, expected, size):
    assert "".join(drop_stock_praise(chunked(reply, size))) == (reply if expected is None else expected)


def test_a_reply_that_cannot_be_praise_is_passed_on_at_once():
    chunks = iter(["What ", "breaks ", "first?"])
    out = drop_stock_praise(chunks)
    assert next(out) == "What "
    assert next(chunks) == "breaks ", "nothing was read ahead"


def test_a_reply_that_is_only_praise_becomes_empty():
    assert "".join(drop_stock_praise(chunked("That's a good design.", 4))) == ""


GUARD_CASES = [
    ("That is vague. What limit per key would you set? And how would you store it?",
     "That is vague. What limit per key would you set?"),
    ("To design it, we need several parts:\n1. A gateway\n2. Redis\nWhat next?", ""),
    ("Here is the design:\n\n```python\nlimit = 10\n```", ""),
    ("## Architecture\n\nA gateway in front. What next?", ""),
    (" ".join(["word"] * 70) + ". What?", ""),
    ("Fine.\n\nConsider this: what happens at 3.5x load? Next.", "Fine.\n\nConsider this: what happens at 3.5x load?"),
    ("Per-server counters undercount a global limit. How would you share", None),
]  # fmt: skip


@pytest.mark.parametrize(("reply", "expected"), GUARD_CASES)
@pytest.mark.parametrize("size", [1, 4, 1000])
def test_small_model_guard_keeps_one_question_and_no_design(reply, expected, size):
    assert "".join(one_question_at_most(chunked(reply, size))) == (reply if expected is None else expected)


def test_guard_closes_the_model_stream_when_it_stops():
    closed = []

    def model():
        try:
            yield "What is the peak rate? "
            yield "Also, here is my design:\n- a gateway\n"
            raise AssertionError("generation went on after the guard stopped")
        finally:
            closed.append(True)

    out = one_question_at_most(model())
    assert list(out) == ["What is the peak rate?"]
    assert closed == [True]


def test_guard_keeps_partial_text_when_the_stream_fails():
    def model():
        yield "Per-server counters undercount. "
        yield "A global limit needs a shared cou"
        raise RuntimeError("dropped")

    out = one_question_at_most(model())
    assert next(out) == "Per-server counters undercount. "
    assert next(out) == "A global limit needs a shared cou"
    with pytest.raises(RuntimeError):
        next(out)
