"""Turn a model's text chunks into cheap `st.write_stream` updates.

`st.write_stream` re-sends the whole current Markdown element on every string it receives, and
closes that element when it receives a callable. So we close each finished Markdown block at a
blank line (never inside a code fence, list or table) and coalesce updates to the open block,
which keeps websocket traffic roughly linear in the reply's length.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_OR_TABLE = re.compile(r"^\s*([-*+]\s|\d+[.)]\s|\|)")


def after_waiting(chunks: Iterable[str], waiting: Callable[[], AbstractContextManager]) -> Iterator[str]:
    """The chunks, inside `waiting` (a spinner) until the first arrives: a local model can take a minute to start."""
    stream = iter(chunks)
    with waiting():
        first = next(stream, None)
    if first is not None:
        yield first
        yield from stream


def close_block() -> None:
    """Yielded to `st.write_stream` to finish the current Markdown element."""


_TRIM_AT = 1024


class BlockStreamer:
    """Iterate to get text deltas and `close_block` markers; joined text equals the input exactly."""

    def __init__(
        self,
        chunks: Iterable[str],
        *,
        min_interval: float = 1 / 15,
        max_wait: float = 0.5,
        growth: float = 0.15,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.chunks = chunks
        self.min_interval = min_interval
        self.max_wait = max_wait
        self.growth = growth
        self.clock = clock
        self.updates = 0  # strings yielded; for tests and benchmarks

    def __iter__(self) -> Iterator[str | Callable[[], None]]:
        state = _State()
        for chunk in self.chunks:
            if not chunk:
                continue
            state.trim()
            state.text += chunk
            yield from self._classify_lines(state)
            yield from self._coalesced(state)
        if state.sent < len(state.text):
            yield state.text[state.sent :]
            self.updates += 1

    def _classify_lines(self, state: _State) -> Iterator[str | Callable[[], None]]:
        """Classify every complete line, and look one character past a blank line to decide a split."""
        while True:
            newline = state.text.find("\n", state.line_start)
            if state.after_blank and state.in_fence is None and state.line_start < len(state.text):
                yield from self._split_after_blank(state, newline)
            if newline < 0:
                break
            state.classify(state.text[state.line_start : newline])
            state.line_start = newline + 1

    def _split_after_blank(self, state: _State, newline: int) -> Iterator[str | Callable[[], None]]:
        """Close the open element before the line after a blank one, unless it continues a list or is indented."""
        next_line = state.text[state.line_start : newline if newline >= 0 else len(state.text)]
        ready = newline >= 0 or len(next_line) >= 4
        if state.text[state.line_start] in " \t":
            state.after_blank = False  # indented continuation: keep it in the block
        elif ready:
            is_list = bool(_LIST_OR_TABLE.match(next_line))
            if not (is_list and state.prev_kind == "list") and state.sent <= state.line_start:
                if state.sent < state.line_start:
                    yield state.text[state.sent : state.line_start]
                    self.updates += 1
                    state.sent = state.line_start
                yield close_block
                state.block_start = state.line_start
                state.last_emit = None
            state.after_blank = False

    def _coalesced(self, state: _State) -> Iterator[str]:
        """The text not yet sent, once enough time passed or the open element grew enough since the last update."""
        # While a split after a blank line is undecided, hold back the next line so it can open a new element.
        limit = state.line_start if state.after_blank and state.in_fence is None else len(state.text)
        pending = limit - state.sent
        if pending <= 0:
            return
        now = self.clock()
        block_sent = state.sent - state.block_start
        due = state.last_emit is None or (
            now - state.last_emit >= self.min_interval
            and (pending >= self.growth * block_sent or now - state.last_emit >= self.max_wait)
        )
        if due:
            yield state.text[state.sent : limit]
            self.updates += 1
            state.sent = limit
            state.last_emit = now


@dataclass
class _State:
    """Where a reply's stream stands; positions are relative to `text`, the recent text from the last trim on."""

    text: str = ""
    block_start: int = 0  # where the open Markdown element starts in `text` (negative once trimmed past)
    sent: int = 0  # how much of `text` has been yielded
    line_start: int = 0  # start of the first line not yet classified
    in_fence: str | None = None
    after_blank: bool = False
    prev_kind: str = ""  # "list" when the last non-blank line was a list item or table row
    last_emit: float | None = None

    def trim(self) -> None:
        """Drop text that is sent and classified: appending to a long string can copy it on every chunk."""
        done = min(self.sent, self.line_start)
        if done >= _TRIM_AT:
            self.text = self.text[done:]
            self.sent, self.line_start, self.block_start = (
                self.sent - done,
                self.line_start - done,
                self.block_start - done,
            )

    def classify(self, line: str) -> None:
        """Note a complete line: a code fence opening or closing, a list or table row, or a blank line."""
        fence = _FENCE.match(line)
        if fence:
            marker = fence.group(1)
            if self.in_fence is None:
                self.in_fence = marker[0] * len(marker)
            elif marker[0] == self.in_fence[0] and len(marker) >= len(self.in_fence) and not line.strip(" `~"):
                self.in_fence = None
        if line.strip():
            if self.in_fence is None and not fence:
                self.prev_kind = "list" if _LIST_OR_TABLE.match(line) else ""
            self.after_blank = False
        elif self.in_fence is None:
            self.after_blank = True
