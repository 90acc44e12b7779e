"""How much code steers the interviewer model, and the text filters that shape what it says.

A capable model gets the rules in its prompt and says the rest in its own words. A small model echoes
instructions, re-asks what was answered and goes on to design the system itself, so code chooses its next
question, moves the phase on by time, writes its hardest turns and trims its replies. One `SteeringPolicy`
holds every such decision; a provider names its policy, and the engine asks the policy instead of branching
on the provider.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class SteeringPolicy:
    """Every choice of how far code steers the model. Add a field here rather than an `if` on the provider."""

    name: str
    # The prompt
    marker_in_prompt: bool  # ask the model to end a finished phase with the hidden marker
    # The next move (interview.moves), chosen in code for every model
    move_in_prompt: bool  # the model is told the move and phrases it in its own words
    code_voices_moves: bool  # the reply is the move written in code, after at most a one-sentence model reaction
    # Moving on
    advance_by_time: bool  # code moves to the next phase once its time is up
    fallback_question: bool  # a complete reply that asks nothing gets the move's question appended
    # Feedback: the scores always come from the notes (interview.feedback.evidence)
    model_words_feedback: bool  # the model words the strengths and gaps; a small model is slow and unreliable at it
    # Filters on the model's text
    drop_praise: bool  # drop a first sentence that only praises

    def in_mode(self, mode: str) -> SteeringPolicy:
        """The policy for this interview mode: an explanation is the model's own, with no steering at all."""
        return self if mode == "interview" else EXPLAIN

    def trim_model_stream(
        self, chunks: Iterable[str], echoes: Callable[[str], bool] = lambda _: False
    ) -> Iterable[str]:
        """The model's raw chunks, cut short where this policy stops a reply; `echoes` spots a reaction that repeats."""
        return short_reaction(chunks, reject=echoes) if self.code_voices_moves else chunks

    def trim_shown_text(self, chunks: Iterable[str]) -> Iterable[str]:
        """The text about to be shown (hidden marker already removed), without what this policy drops."""
        return drop_stock_praise(chunks) if self.drop_praise else chunks


# Models that follow instructions: the prompt carries the rules and the hidden marker; code only makes sure
# every reply asks something.
CAPABLE = SteeringPolicy(
    name="capable",
    marker_in_prompt=True,
    move_in_prompt=True,
    code_voices_moves=False,
    advance_by_time=False,
    fallback_question=True,
    model_words_feedback=True,
    drop_praise=False,
)

# 1.5B-class models (the embedded one): code writes their hardest turns and trims what they say.
SMALL_MODEL = SteeringPolicy(
    name="small model",
    marker_in_prompt=False,
    move_in_prompt=False,
    code_voices_moves=True,
    advance_by_time=True,
    fallback_question=True,
    model_words_feedback=False,
    drop_praise=True,
)

# Explain mode, whatever the model: it writes a full design, so nothing is scripted, trimmed or appended.
EXPLAIN = SteeringPolicy(
    name="explain",
    marker_in_prompt=False,
    move_in_prompt=False,
    code_voices_moves=False,
    advance_by_time=False,
    fallback_question=False,
    model_words_feedback=False,
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


_REACTION_END = re.compile(r"[.!?](?=\s)|\n")  # a full stop needs the space after it: "3.5x" goes on
_NOT_CONVERSATION = re.compile(r"\s*(?:[-*+•]\s|\d+[.)]\s|#|```|~~~|\|)")  # a list, heading, code or table line
REACTION_WORDS = 25


def short_reaction(
    chunks: Iterable[str], max_words: int = REACTION_WORDS, reject: Callable[[str], bool] = lambda _: False
) -> Iterator[str]:
    """At most the model's first sentence, and none that asks something or runs long: code asks the question next.

    For small models, which otherwise re-ask what was answered or go on to design the system themselves. The
    sentence is held until it ends (a few words), since a question shown and then withdrawn would confuse the
    candidate. Stopping closes the model's stream, so it stops generating.
    """
    iterator = iter(chunks)
    held, end = "", None
    try:
        for chunk in iterator:
            held += chunk
            end = _REACTION_END.search(held)
            if end or len(held.split()) > max_words:
                break
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
    sentence = (held[: end.end()] if end else held).strip()
    if not sentence or "?" in sentence or len(sentence.split()) > max_words or _NOT_CONVERSATION.match(sentence):
        return
    if sentence.endswith(":") or reject(sentence):  # a lead-in to a list or code, or an echo of what was said
        return
    yield sentence
