"""Several interviews on one embedded model: each conversation's evaluated prompt is saved and restored."""

from __future__ import annotations

import pytest

from interview.providers import embedded
from interview.providers.base import ProviderError, StreamInfo
from interview.providers.config import settings_for
from interview.providers.embedded import EmbeddedProvider
from interview.providers.llama_states import BUDGET_ENV

pytest_plugins = ["tests.conftest_embedded"]
pytestmark = pytest.mark.slow

HEAD = {
    "role": "system",
    "content": "You are interviewing a candidate on designing a URL shortener. React to each answer in one sentence.",
}
FIRST_ANSWERS = {
    "a": "I would store every short code in PostgreSQL with an index on the code, and cache hot codes in Redis.",
    "b": "Codes come from a counter in base62, so two links never collide and no lookup is needed before writing.",
    "c": "Redirects should be 301s served from the edge, with analytics written to Kafka off the request path.",
}
SECOND_ANSWER = "Reads outnumber writes a hundred to one, so the cache takes almost all of the load."


@pytest.fixture
def provider(use_cache, monkeypatch):
    monkeypatch.delenv(BUDGET_ENV, raising=False)
    provider = EmbeddedProvider(settings_for("embedded", env={}), max_tokens=24, temperature=0.0, seed=7)
    llm = provider.llm()
    llm.reset()
    embedded.prompt_states(llm).saved.clear()
    return provider


def first_turn(name: str) -> list[dict]:
    return [HEAD, {"role": "user", "content": FIRST_ANSWERS[name]}]


def ask(provider: EmbeddedProvider, messages: list[dict]) -> tuple[str, dict]:
    info = StreamInfo()
    try:
        text = "".join(provider.stream(messages, info))
    except ProviderError as exc:
        assert exc.kind == "length", exc.message  # max_tokens cuts the reply short, which is all these tests need
        text = ""
    return text, info.usage


def second_turn(name: str, reply: str) -> list[dict]:
    return [*first_turn(name), {"role": "assistant", "content": reply}, {"role": "user", "content": SECOND_ANSWER}]


def test_switching_back_evaluates_only_the_new_turn_and_replies_the_same(provider):
    llm = provider.llm()
    states = embedded.prompt_states(llm)
    reply_a, _ = ask(provider, first_turn("a"))
    staying, stayed_usage = ask(provider, second_turn("a", reply_a))  # no other session in between
    assert not states.saved, "one conversation going on saves nothing"

    llm.reset()
    assert ask(provider, first_turn("a"))[0] == reply_a
    ask(provider, first_turn("b"))  # another session takes the model
    assert len(states.saved) == 1
    switched, switched_usage = ask(provider, second_turn("a", reply_a))

    assert switched == staying, "a restored state replies exactly as a kept one"
    assert switched_usage["prompt_tokens_evaluated"] == stayed_usage["prompt_tokens_evaluated"]
    new_turn = switched_usage["prompt_tokens"] - provider.prompt_tokens(first_turn("a"))
    assert switched_usage["prompt_tokens_evaluated"] <= new_turn + 2, "only the reply and the new answer"
    assert [provider.prompt_tokens(first_turn("b")) <= len(state.tokens) for state in states.saved] == [True]


def test_without_a_budget_switching_back_evaluates_the_whole_conversation(provider, monkeypatch):
    monkeypatch.setenv(BUDGET_ENV, "0")
    reply_a, _ = ask(provider, first_turn("a"))
    ask(provider, first_turn("b"))
    assert not embedded.prompt_states(provider.llm()).saved
    _, usage = ask(provider, second_turn("a", reply_a))
    head_only = usage["prompt_tokens"] - provider.prompt_tokens([HEAD]) + 3  # the shared head is still held
    assert usage["prompt_tokens_evaluated"] >= head_only - 5


def test_the_budget_evicts_the_least_recently_left_conversation(provider, monkeypatch):
    states = embedded.prompt_states(provider.llm())
    replies = {"a": ask(provider, first_turn("a"))[0]}
    replies["b"] = ask(provider, first_turn("b"))[0]  # leaves a: saved
    one_state = states.saved[0].size
    monkeypatch.setenv(BUDGET_ENV, str(1.5 * one_state / 1_000_000))  # room for one saved conversation only
    replies["c"] = ask(provider, first_turn("c"))[0]  # leaves b: saved, and a is evicted
    assert len(states.saved) == 1 and states.size <= 1.5 * one_state
    held_first = provider.llm().tokenize(embedded.chatml_prompt(first_turn("b")).encode(), add_bos=False, special=True)
    assert states.saved[0].tokens[: len(held_first)].tolist() == held_first

    _, usage_b = ask(provider, second_turn("b", replies["b"]))  # still saved: only the new turn
    new_turn = usage_b["prompt_tokens"] - provider.prompt_tokens(first_turn("b"))
    assert usage_b["prompt_tokens_evaluated"] <= new_turn + 2
    _, usage_a = ask(provider, second_turn("a", replies["a"]))  # evicted: evaluated again after the shared head
    assert usage_a["prompt_tokens_evaluated"] > usage_a["prompt_tokens"] - provider.prompt_tokens([HEAD]) - 5


def test_switching_back_to_any_saved_conversation_restores_it(provider):
    """The state restored need not be the first saved one (a `list.remove` by value once compared token arrays)."""
    states = embedded.prompt_states(provider.llm())
    replies = {name: ask(provider, first_turn(name))[0] for name in ("a", "b", "c")}  # a and b are saved, in order
    assert len(states.saved) == 2
    _, usage = ask(provider, second_turn("b", replies["b"]))  # the second saved state, not the first
    new_turn = usage["prompt_tokens"] - provider.prompt_tokens(first_turn("b"))
    assert usage["prompt_tokens_evaluated"] <= new_turn + 2
    _, usage = ask(provider, second_turn("a", replies["a"]))
    assert usage["prompt_tokens_evaluated"] <= usage["prompt_tokens"] - provider.prompt_tokens(first_turn("a")) + 2


def test_a_malformed_budget_is_a_clear_error_before_generating(provider, monkeypatch):
    monkeypatch.setenv(BUDGET_ENV, "lots")
    with pytest.raises(ProviderError) as caught:
        "".join(provider.stream(first_turn("a"), StreamInfo()))
    assert caught.value.kind == "config" and BUDGET_ENV in caught.value.message and "'lots'" in caught.value.message
    assert not embedded._generate_lock.locked()
