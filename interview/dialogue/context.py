"""Keep each prompt inside the model's context window, so no server truncates it silently.

Token counts come from the provider: the embedded model's own tokenizer, or for remote models one
token per 3 characters, which overestimates English prose and code and so errs on the safe side.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from interview.core.state import speaker

MESSAGE_OVERHEAD = 4  # role markers and separators per message in chat templates
SUMMARY_SHARE = 0.15  # of the budget, for the running summary of dropped turns
REFILL_SHARE = 0.6  # a summarising step keeps this share of the room, so the next turns fit without another


def reply_reserve(context_tokens: int) -> int:
    """Tokens left free for the reply itself."""
    return min(2048, max(256, context_tokens // 4))


def _cost(message: dict, count: Callable[[str], int]) -> int:
    return count(message["content"]) + MESSAGE_OVERHEAD


def _first_sentence(text: str, words: int = 25) -> str:
    sentence = re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]
    parts = sentence.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


SUMMARY_HEADING = "\nSummary of earlier turns (oldest first): "


def summarise(dropped: list[dict], max_tokens: int, count: Callable[[str], int]) -> str:
    """An extractive summary of dropped turns: the gist of each, newest kept when space runs out."""
    lines: list[str] = []
    for message in reversed(dropped):
        lines.insert(0, f"{speaker(message['role'])}: {_first_sentence(message['content'])}")
        if count(SUMMARY_HEADING + " | ".join(lines)) > max_tokens:
            lines.pop(0)
            break
    return " | ".join(lines)


class PromptTooLong(ValueError):
    """Even the question and the latest message do not fit in the context window."""


def fit_context(
    system: str,
    turns: list[dict],
    context_tokens: int,
    count: Callable[[str], int],
    after: int = 0,
    summarised: int = 0,
) -> tuple[list[dict], str, int]:
    """The messages to send, the summary of older turns (or ""), and how many turns were summarised.

    Always kept: the system prompt, the first turn (the question) and the newest turns that fit. `after` is what
    the caller sends after them, in tokens. `summarised` is how many turns the last call summarised: that cut is
    kept while the rest still fits, so the summary (at the head of the prompt) changes only at a summarising step
    and a model server can keep reusing its evaluation of the prompt. A new step frees room for several turns.
    """
    budget = context_tokens - reply_reserve(context_tokens) - after
    fixed = [{"role": "system", "content": system}, *turns[:1]]
    used = sum(_cost(m, count) for m in fixed)
    rest = turns[1:]
    costs = [_cost(m, count) for m in rest]
    if not summarised and used + sum(costs) <= budget:
        return [*fixed, *rest], "", 0
    # Sized without `after`, which changes every turn: the same cut must give the same summary, word for word.
    summary_budget = int((context_tokens - reply_reserve(context_tokens)) * SUMMARY_SHARE)
    room = budget - used - summary_budget
    cut = min(summarised, len(rest))
    if sum(costs[cut:]) > room:  # the previous cut no longer fits: summarise more, leaving room to grow
        target = room * REFILL_SHARE
        cut = len(rest)
        kept_cost = 0
        while cut > 0 and kept_cost + costs[cut - 1] <= target:
            cut -= 1
            kept_cost += costs[cut]
        if cut == len(rest) and rest and costs[-1] <= room:
            cut = len(rest) - 1  # the newest turn always goes, even if it alone is over the refill share
    kept = rest[cut:]
    if not kept and rest:
        raise PromptTooLong(
            "Your latest message is too long for this model's context window. Shorten it, or use a model "
            "with a longer context (INTERVIEW_CONTEXT_TOKENS)."
        )
    summary = summarise(rest[:cut], summary_budget, count)
    system_with_summary = system + SUMMARY_HEADING + summary
    return [{"role": "system", "content": system_with_summary}, *turns[:1], *kept], summary, cut
