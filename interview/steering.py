"""How much code steers the interviewer model, and the text filters that shape what it says.

A capable model gets the rules in its prompt and says the rest in its own words. A small model echoes
instructions, re-asks what was answered and goes on to design the system itself, so code chooses its next
question, moves the phase on by time, writes its hardest turns and trims its replies. One `SteeringPolicy`
holds every such decision; a provider names its policy, and the engine asks the policy instead of branching
on the provider.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class SteeringPolicy:
    """Every choice of how far code steers the model. Add a field here rather than an `if` on the provider."""

    name: str
    # The prompt
    marker_in_prompt: bool  # ask the model to end a finished phase with the hidden marker
    checklist_hint: bool  # name the first uncovered checklist item (small models read it out, giving the answer)
    next_question_in_prompt: bool  # hand the model the next phase question to ask
    # Moving on
    advance_by_time: bool  # code moves to the next phase once its time is up
    # Turns written in code instead of by the model
    scripted_opening: bool  # restate the bank problem and ask what to clarify
    scale_redirect: bool  # a question about numbers gets the bank's scale facts and a fresh question
    substance_redirect: bool  # a turn with no technical substance gets "Let's stay on the design." and a question
    fallback_question: bool  # a complete reply that asks nothing gets the next phase question appended
    # Filters on the model's text
    one_question: bool  # stop at the first question, or at a list, heading, code block or the word limit
    drop_praise: bool  # drop a first sentence that only praises

    def in_mode(self, mode: str) -> SteeringPolicy:
        """The policy for this interview mode: an explanation is the model's own, with no steering at all."""
        return self if mode == "interview" else EXPLAIN

    def trim_model_stream(self, chunks: Iterable[str]) -> Iterable[str]:
        """The model's raw chunks, cut short where this policy stops a reply."""
        return one_question_at_most(chunks) if self.one_question else chunks

    def trim_shown_text(self, chunks: Iterable[str]) -> Iterable[str]:
        """The text about to be shown (hidden marker already removed), without what this policy drops."""
        return drop_stock_praise(chunks) if self.drop_praise else chunks


# Models that follow instructions: the prompt carries the rules and the hidden marker; code only makes sure
# every reply asks something.
CAPABLE = SteeringPolicy(
    name="capable",
    marker_in_prompt=True,
    checklist_hint=True,
    next_question_in_prompt=False,
    advance_by_time=False,
    scripted_opening=False,
    scale_redirect=False,
    substance_redirect=False,
    fallback_question=True,
    one_question=False,
    drop_praise=False,
)

# 1.5B-class models (the embedded one): code writes their hardest turns and trims what they say.
SMALL_MODEL = SteeringPolicy(
    name="small model",
    marker_in_prompt=False,
    checklist_hint=False,
    next_question_in_prompt=True,
    advance_by_time=True,
    scripted_opening=True,
    scale_redirect=True,
    substance_redirect=True,
    fallback_question=True,
    one_question=True,
    drop_praise=True,
)

# Explain mode, whatever the model: it writes a full design, so nothing is scripted, trimmed or appended.
EXPLAIN = SteeringPolicy(
    name="explain",
    marker_in_prompt=False,
    checklist_hint=False,
    next_question_in_prompt=False,
    advance_by_time=False,
    scripted_opening=False,
    scale_redirect=False,
    substance_redirect=False,
    fallback_question=False,
    one_question=False,
    drop_praise=False,
)


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
