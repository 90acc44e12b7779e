"""The steering filters: the hidden marker never shows, stock praise is dropped, a small model asks one question."""

import pytest

from interview.dialogue.filters import MarkerFilter, drop_stock_praise, short_reaction
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
    # a small model answered a thank-you nobody gave (seen playing the page)
    (
        "You're welcome! Next, wrap-up. What would you do with more time?",
        "Next, wrap-up. What would you do with more time?",
    ),
    ("Thank you for your detailed design and explanation. What breaks first?", "What breaks first?"),
    ("You mentioned a queue. What happens when it backs up?", None),
    # a small model's cheer for a design that drops billing runs, and for a question it never answered (a play)
    ("I'm happy to hear that. You mentioned the worker. What breaks?", "You mentioned the worker. What breaks?"),
    ("I'm glad you asked. Do you have any questions for me?", "Do you have any questions for me?"),
    ("I am glad you asked, but first: how do retries work?", None),
    ("I'd shard by tenant. Why?", None),
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


REACTION_CASES = [
    ("That is vague. What limit per key would you set? And how would you store it?", "That is vague."),
    ("What limit per key would you set? And how would you store it?", ""),
    ("To design it, we need several parts:\n1. A gateway\n2. Redis\nWhat next?", ""),
    ("Here is the design:\n\n```python\nlimit = 10\n```", ""),
    ("Final design: The API service writes job definitions into a Postgres jobs table.", ""),
    ("## Architecture\n\nA gateway in front. What next?", ""),
    # Cut at the last clause break before the trouble; with none, where a word-by-word stream stood (three words
    # behind). Either way closed with a full stop.
    (" ".join(["word"] * 70) + ". What?", " ".join(["word"] * 22) + "."),
    ("That works for one server, but how would you keep the counters in sync?", "That works for one server."),
    ("Sharding by user spreads the load evenly across all of the nodes, doesn't it?", "Sharding by user spreads the load evenly across all of the nodes."),
    ("You will need a cache in front of the database, for example:\n- Redis", "You will need a cache in front of the database."),
    ("Counters live in Redis, so each server reads the same count for every key in the system:\n- one", "Counters live in Redis, so each server reads the same count for every key."),
    ("Redis works well for reads here (is it Redis?) and also for writes across the fleet. More", "Redis works well for reads here."),
    ("Here is how I would do it. First a gateway.", ""),
    ("Isn't that too slow for redirects at peak?", ""),
    ("A 3.5x peak is reasonable for launches. Next.", "A 3.5x peak is reasonable for launches."),
    ("Per-server counters undercount a global limit", "Per-server counters undercount a global limit"),
    # A cut never leaves an opening clause that cannot stand alone: the main clause must have begun (issue 25)
    ("Given these requirements, what happens to a message sent to someone whose phone is off?", ""),
    ("If the primary fails while writes are in flight, how do you recover them?", ""),
    ("With one Redis node, the counters vanish on a restart, so what happens to the limits then?", "With one Redis node, the counters vanish on a restart."),
    ("Given the read ratio, a cache in front of the store takes most of the load.", "Given the read ratio, a cache in front of the store takes most of the load."),
]  # fmt: skip


@pytest.mark.parametrize(("reply", "expected"), REACTION_CASES)
@pytest.mark.parametrize("size", [1, 4, 1000])
def test_small_model_reacts_in_one_short_sentence_without_a_question(reply, expected, size):
    assert "".join(short_reaction(chunked(reply, size))) == expected


def test_reaction_words_show_while_the_model_is_still_writing_the_sentence():
    written = []

    def model():
        for word in "Redis counters with a TTL keep the limit exact across servers at this scale. More".split(" "):
            written.append(word)
            yield word + " "

    reaction = short_reaction(model())
    first = next(reaction)
    assert first == "Redis counters with a TTL"
    assert len(written) == 8, "shown three words behind the model, once eight words allow the echo check"
    assert first + "".join(reaction) == "Redis counters with a TTL keep the limit exact across servers at this scale."


def test_a_list_start_is_dropped_before_anything_shows_and_stops_the_model():
    pulled = []

    def model():
        for chunk in ["- ", "a ", "gateway ", "in ", "front ", "of ", "Redis ", "and ", "a ", "database\n"]:
            pulled.append(chunk)
            yield chunk

    assert list(short_reaction(model())) == []
    assert pulled == ["- "], "decided on the first mark"


def test_a_sentence_that_turns_into_a_question_ends_where_it_was_shown():
    chunks = [word + " " for word in "That covers the write path well, so would you cache the redirects too?".split()]
    shown = []
    for piece in short_reaction(chunks):
        shown.append(piece)
    assert "".join(shown) == "That covers the write path well."
    assert shown[-1] == ".", "the clause that became a question was never shown"
    assert not any("would" in piece for piece in shown)


@pytest.mark.parametrize("size", [1, 4, 1000])
def test_an_echo_is_decided_on_the_first_eight_words_however_the_chunks_fall(size):
    echo = "You said Redis with a TTL for every counter, which keeps memory bounded. "
    assert list(short_reaction(chunked(echo, size), reject=lambda s: s.startswith("You said Redis"))) == []
    late = "Counters with a TTL keep memory bounded, as you said about Redis. "
    assert "".join(short_reaction(chunked(late, size), reject=lambda s: "Redis" in s)) == late.strip()


def test_reaction_closes_the_model_stream_after_its_first_sentence():
    closed = []

    def model():
        try:
            yield "Counters per key need a TTL. "
            yield "Also, here is my design:\n- a gateway\n"
            raise AssertionError("generation went on after the first sentence")
        finally:
            closed.append(True)

    assert list(short_reaction(model())) == ["Counters per key need a TTL."]
    assert closed == [True]


def test_reaction_shows_nothing_when_the_stream_fails_mid_sentence():
    def model():
        yield "Per-server counters under"
        raise RuntimeError("dropped")

    with pytest.raises(RuntimeError):
        list(short_reaction(model()))


def test_a_rejected_reaction_is_not_shown():
    assert list(short_reaction(["You said Redis. ", "More"], reject=lambda s: "Redis" in s)) == []
    assert list(short_reaction(["You said Redis. ", "More"], reject=lambda s: False)) == ["You said Redis."]
