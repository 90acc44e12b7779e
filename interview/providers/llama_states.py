"""Saved llama.cpp states, so interviews sharing the embedded model do not re-evaluate each other's prompts.

One model holds one evaluated prompt at a time. When a reply belongs to another conversation than the one held,
the held one's KV cache is saved first, and the saved state sharing the longest prefix with the new prompt is
restored if it beats what is held. A state is known by its tokens, not by an interview id, so the provider seam
stays `stream(messages, info)`: the same conversation, one turn later, still starts with the saved tokens.
"""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from interview.providers.base import ProviderError

if TYPE_CHECKING:
    from llama_cpp import Llama

BUDGET_ENV = "INTERVIEW_EMBEDDED_STATE_MB"
# About 28.7 KB per token for Qwen2.5 1.5B: 256 MB keeps seven 1,300-token interviews warm.
DEFAULT_BUDGET_MB = 256
SEQUENCE = 0  # llama-cpp-python evaluates everything in sequence 0


def budget_bytes() -> int:
    """The memory saved states may take, from INTERVIEW_EMBEDDED_STATE_MB (0 turns saving off)."""
    raw = (os.environ.get(BUDGET_ENV) or "").strip()
    if not raw:
        return DEFAULT_BUDGET_MB * 1_000_000
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = -1.0
    if not megabytes >= 0:  # also refuses NaN
        raise ProviderError(
            "config",
            f"{BUDGET_ENV} must be a number of megabytes (0 or more), not {raw!r}. "
            f"Unset it to use the default of {DEFAULT_BUDGET_MB}.",
        )
    return int(megabytes * 1_000_000)


def shared_prefix(held: np.ndarray, wanted: list[int]) -> int:
    """How many leading tokens the two sequences share."""
    size = min(len(held), len(wanted))
    if size == 0:
        return 0
    differ = np.flatnonzero(held[:size] != np.asarray(wanted[:size], dtype=held.dtype))
    return int(differ[0]) if len(differ) else size


@dataclass(eq=False)  # compared by identity: `==` on the token arrays is elementwise, and fails on unequal lengths
class SavedState:
    """One conversation's evaluated tokens and the KV cache that holds them."""

    tokens: np.ndarray
    prompt_tokens: int  # the leading tokens that were prompt; after them come generated ones
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data) + self.tokens.nbytes


class PromptStates:
    """Saved states of the conversations not held by one model, least recently used first, within a byte budget."""

    def __init__(self) -> None:
        self.saved: list[SavedState] = []
        self.held_prompt_tokens = 0  # the prompt part of what the model holds now
        self.saves = self.restores = 0

    @property
    def size(self) -> int:
        return sum(state.size for state in self.saved)

    def prepare(self, llm: Llama, prompt_ids: list[int]) -> None:
        """Make `llm` hold the longest evaluated prefix of `prompt_ids` on hand; call with the model's lock held."""
        held = llm.input_ids[: llm.n_tokens]
        live = shared_prefix(held, prompt_ids)
        best = max(self.saved, key=lambda state: shared_prefix(state.tokens, prompt_ids), default=None)
        if best is not None and shared_prefix(best.tokens, prompt_ids) <= live:
            best = None
        if best is not None:
            self.saved.remove(best)  # the model is about to hold it; it is saved again when left
        if live < min(self.held_prompt_tokens, llm.n_tokens):  # leaving a conversation: keep it for its next turn
            self._save(llm)
        if best is not None:
            self._restore(llm, best)
        self.held_prompt_tokens = len(prompt_ids)

    def _save(self, llm: Llama) -> None:
        import llama_cpp

        budget = budget_bytes()
        context = llm._ctx.ctx
        size = llama_cpp.llama_state_seq_get_size(context, SEQUENCE)
        if size > budget:
            return
        buffer = (ctypes.c_uint8 * size)()
        written = llama_cpp.llama_state_seq_get_data(context, buffer, size, SEQUENCE)
        if not written:
            return
        state = SavedState(
            llm.input_ids[: llm.n_tokens].copy(), self.held_prompt_tokens, ctypes.string_at(buffer, written)
        )
        # An older turn of the same conversation is superseded: its whole prompt starts the new state.
        self.saved = [old for old in self.saved if shared_prefix(state.tokens, old.tokens) < old.prompt_tokens]
        self.saved.append(state)
        self.saves += 1
        while self.size > budget:
            self.saved.pop(0)

    def _restore(self, llm: Llama, state: SavedState) -> None:
        import llama_cpp

        llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        buffer = (ctypes.c_uint8 * len(state.data)).from_buffer_copy(state.data)
        if not llama_cpp.llama_state_seq_set_data(llm._ctx.ctx, buffer, len(state.data), SEQUENCE):
            llm.reset()  # nothing usable is held: the prompt is evaluated whole
            return
        count = len(state.tokens)
        llm.input_ids[:count] = state.tokens
        llm.n_tokens = count
        llm._requires_eval = True  # the logits are not restored; generate() re-evaluates the last token
        self.restores += 1
