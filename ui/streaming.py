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

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_OR_TABLE = re.compile(r"^\s*([-*+]\s|\d+[.)]\s|\|)")


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
        text = ""  # the recent text: everything from the last trim on; positions below are relative to it
        block_start = 0  # where the open Markdown element starts in `text` (negative once trimmed past)
        sent = 0  # how much of `text` has been yielded
        line_start = 0  # start of the first line not yet classified
        in_fence: str | None = None
        after_blank = False
        prev_kind = ""  # "list" when the last non-blank line was a list item or table row
        last_emit = None
        for chunk in self.chunks:
            if not chunk:
                continue
            done = min(sent, line_start)
            if done >= _TRIM_AT:
                # Drop text that is sent and classified: appending to a long string can copy it on every chunk.
                text = text[done:]
                sent, line_start, block_start = sent - done, line_start - done, block_start - done
            text += chunk
            # Classify every complete line, and look one character past a blank line to decide a split.
            while True:
                newline = text.find("\n", line_start)
                if after_blank and in_fence is None and line_start < len(text):
                    next_line = text[line_start : newline if newline >= 0 else len(text)]
                    ready = newline >= 0 or len(next_line) >= 4
                    if text[line_start] in " \t":
                        after_blank = False  # indented continuation: keep it in the block
                    elif ready:
                        is_list = bool(_LIST_OR_TABLE.match(next_line))
                        if not (is_list and prev_kind == "list") and sent <= line_start:
                            if sent < line_start:
                                yield text[sent:line_start]
                                self.updates += 1
                                sent = line_start
                            yield close_block
                            block_start = line_start
                            last_emit = None
                        after_blank = False
                if newline < 0:
                    break
                line = text[line_start:newline]
                fence = _FENCE.match(line)
                if fence:
                    marker = fence.group(1)
                    if in_fence is None:
                        in_fence = marker[0] * len(marker)
                    elif marker[0] == in_fence[0] and len(marker) >= len(in_fence) and not line.strip(" `~"):
                        in_fence = None
                if line.strip():
                    if in_fence is None and not fence:
                        prev_kind = "list" if _LIST_OR_TABLE.match(line) else ""
                    after_blank = False
                elif in_fence is None:
                    after_blank = True
                line_start = newline + 1
            # While a split after a blank line is undecided, hold back the next line so it can open a new element.
            limit = line_start if after_blank and in_fence is None else len(text)
            pending = limit - sent
            if pending <= 0:
                continue
            now = self.clock()
            block_sent = sent - block_start
            due = last_emit is None or (
                now - last_emit >= self.min_interval
                and (pending >= self.growth * block_sent or now - last_emit >= self.max_wait)
            )
            if due:
                yield text[sent:limit]
                self.updates += 1
                sent = limit
                last_emit = now
        if sent < len(text):
            yield text[sent:]
            self.updates += 1
