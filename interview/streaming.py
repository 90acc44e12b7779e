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


def joined_text(items: Iterable[str | Callable[[], None]]) -> str:
    """The text a BlockStreamer produced, without its block markers."""
    return "".join(item for item in items if isinstance(item, str))


class MarkerFilter:
    """Remove a hidden marker from a chunk stream, even when it arrives split across chunks."""

    def __init__(self, marker: str):
        self.marker = marker
        self.seen = False

    def filter(self, chunks: Iterable[str]) -> Iterator[str]:
        held = ""
        first = self.marker[0]
        for chunk in chunks:
            if not held and first not in chunk:  # the common case, kept cheap: nothing held, no marker start
                yield chunk
                continue
            held += chunk
            while self.marker in held:
                self.seen = True
                before, _, held = held.partition(self.marker)
                if before:
                    yield before
            keep = self._partial_suffix(held)
            if len(held) > keep:
                yield held[: len(held) - keep]
                held = held[len(held) - keep :]
        if held:
            yield held

    def _partial_suffix(self, text: str) -> int:
        """Length of the longest end of `text` that could start the marker."""
        start = text.find(self.marker[0], max(0, len(text) - (len(self.marker) - 1)))
        if start < 0:  # the common case: no marker's first character in the tail, nothing to hold back
            return 0
        for size in range(len(text) - start, 0, -1):
            if self.marker.startswith(text[-size:]):
                return size
        return 0


# A first sentence that only grades the answer ("That's a good design.", "Great!", "That's correct."); one that
# goes on to a "but" or ends in a question is kept.
PRAISE_SENTENCE = re.compile(
    r"\s*(?:(?:yes|ok|okay|sure|great|good|excellent|perfect|nice|correct|exactly|absolutely|right)[,!.]*\s+)?"
    r"(?:(?:that|this|it)(?:'s|’s|\s+is|\s+was|\s+sounds|\s+seems|\s+looks)\s+(?:like\s+)?)?"
    r"(?:an?\s+)?(?:(?:very|really|quite|pretty|an?)\s+)*"
    r"(?:good|great|excellent|correct|nice|solid|perfect|fantastic|awesome|reasonable|right|exactly|well done|"
    r"spot on|smart|clever|thoughtful)\b"
    r"(?![^.!?\n]*\b(?:but|however|though|although|missing|except|yet)\b)[^.!?\n]{0,80}[.!]+(?:\s+|$)",
    re.IGNORECASE,
)
_OPENERS = frozenset(
    "yes ok okay sure great good excellent perfect nice correct exactly absolutely right that that's that’s this "
    "it it's it’s very really well spot solid".split()
)
_FIRST_WORD = re.compile(r"\s*([^\s,.!?]+)(?=[\s,.!?])")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_DECIDE_BY = 200  # characters: a first sentence longer than this is not a stock compliment


def drop_stock_praise(chunks: Iterable[str]) -> Iterator[str]:
    """Drop a reply's first sentence when it only praises; everything else passes through unchanged.

    Small models open nearly every reply with "That's a good design." whatever the answer was, which tells a
    weak candidate they are doing well. Text is held only while the first words could still be such a sentence.
    """
    held = ""
    iterator = iter(chunks)
    for chunk in iterator:
        held += chunk
        first = _FIRST_WORD.match(held)
        if first and first.group(1).lower() not in _OPENERS:
            break  # not an opener: nothing to drop
        end = _SENTENCE_END.search(held)
        if end and end.end() < len(held) or len(held) >= _DECIDE_BY:
            break
    match = PRAISE_SENTENCE.match(held)  # also when the stream ended while deciding
    rest = held[match.end() :] if match else held
    if rest:
        yield rest
    yield from iterator


_UNIT_END = re.compile(r"[.!?:]+\s+|\n")
_NOT_CONVERSATION = re.compile(r"\s*(?:[-*+•]\s|\d+[.)]\s|#|```|~~~|\|)")  # a list, heading, code or table line


def one_question_at_most(chunks: Iterable[str], max_words: int = 60) -> Iterator[str]:
    """Pass whole sentences until the first question; stop at a list, heading, code block or the word limit.

    For small models, which otherwise follow a good answer with a full design of their own. Text is released a
    sentence at a time; a lead-in ending in ":" is kept only when a sentence, not a list, follows it. Stopping
    closes the model's stream, so it stops generating.
    """
    iterator = iter(chunks)
    held = ""
    lead_in = ""
    words = 0
    line_start = True

    def accept(unit: str) -> tuple[str, bool]:
        """(text to release, whether to stop after it)."""
        nonlocal lead_in, words, line_start
        starts_line, line_start = line_start, unit.endswith("\n")
        if not unit.strip():  # blank lines go with the lead-in, if one waits
            if lead_in:
                lead_in += unit
                return "", False
            return unit, False
        if starts_line and _NOT_CONVERSATION.match(unit):
            return "", True
        words += len(unit.split())
        if words > max_words:
            return "", True
        if unit.rstrip().endswith(":"):
            lead_in += unit
            return "", False
        released, lead_in = lead_in + unit, ""
        if unit.rstrip().endswith("?"):
            return released.rstrip(), True
        return released, False

    try:
        for chunk in iterator:
            held += chunk
            while match := _UNIT_END.search(held):
                unit, held = held[: match.end()], held[match.end() :]
                released, stop = accept(unit)
                if released:
                    yield released
                if stop:
                    return
    except Exception:
        if tail := (accept(held)[0] if held.strip() else ""):  # keep what the model said before its stream broke
            yield tail
        raise
    else:
        if tail := (accept(held)[0] if held.strip() else ""):
            yield tail
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
