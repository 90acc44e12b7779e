"""The steering filters: the hidden marker never shows, stock praise is dropped, a small model asks one question."""

import pytest

from interview.steering import MarkerFilter, drop_stock_praise, one_question_at_most
from tests.helpers import chunked


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
