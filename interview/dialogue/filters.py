"""The text filters that shape what the model says: the hidden phase marker, a small model's short reaction, and
a first sentence of stock praise. Which of them apply is the `SteeringPolicy`'s choice."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from interview.core.steering import SteeringPolicy


def trim_model_stream(
    policy: SteeringPolicy, chunks: Iterable[str], echoes: Callable[[str], bool] = lambda _: False
) -> Iterable[str]:
    """The model's raw chunks, cut short where the policy stops a reply; `echoes` spots a reaction that repeats."""
    return short_reaction(chunks, reject=echoes) if policy.code_voices_moves else chunks


def trim_shown_text(policy: SteeringPolicy, chunks: Iterable[str]) -> Iterable[str]:
    """The text about to be shown (hidden marker already removed), without what the policy drops."""
    return drop_stock_praise(chunks) if policy.drop_praise else chunks


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
    r"(?![^.!?\n]*\b(?:but|however|though|although|missing|except|yet)\b)[^.!?\n]{0,80}[.!]+(?:\s+|$)"
    # a courtesy nobody asked for: "You're welcome!" when no one thanked it, "Thank you for your detailed design."
    r"|\s*(?:you(?:'re|’re|\s+are)\s+(?:very\s+|most\s+)?welcome|thank(?:s|\s+you)\s+(?:so\s+much\s+)?for\b"
    # cheer that tells a candidate their design is fine whatever it was: "I'm happy to hear that.", "I'm glad you asked."
    r"|i(?:'m|’m|\s+am)\s+(?:so\s+|very\s+|really\s+)?(?:glad|happy|pleased)\s+(?:to\s+hear|you)\b)"
    r"[^.!?\n]{0,80}[.!]+(?:\s+|$)",
    re.IGNORECASE,
)
_OPENERS = frozenset(
    "yes ok okay sure great good excellent perfect nice correct exactly absolutely right that that's that’s this "
    "it it's it’s very really well spot solid you're you’re you thank thanks i i'm i’m".split()
)
_FIRST_WORD = re.compile(r"\s*([^\s,.!?]+)(?=[\s,.!?])")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_DECIDE_BY = 200  # characters: a first sentence longer than this is not a stock compliment
_PRAISE_WORDS = frozenset(
    "good great excellent correct nice solid perfect fantastic awesome reasonable right exactly well spot smart "
    "clever thoughtful welcome thank thanks glad happy pleased".split()
)
_CONTRAST_WORDS = frozenset("but however though although missing except yet".split())
_PRAISE_WITHIN = 8  # words: the longest opening before the praise word is "Yes, that sounds like a really good"


def _cannot_be_praise(held: str) -> bool:
    """The words so far rule a stock compliment out, so nothing more need be held (a small model streams on)."""
    words = [word.strip(",.!?;:'\"’").lower() for word in held.split()[:-1]]  # the last word may be partial
    return bool(_CONTRAST_WORDS.intersection(words)) or (
        len(words) >= _PRAISE_WITHIN and not _PRAISE_WORDS.intersection(words[:_PRAISE_WITHIN])
    )


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
        if end and end.end() < len(held) or len(held) >= _DECIDE_BY or _cannot_be_praise(held):
            break
    match = PRAISE_SENTENCE.match(held)  # also when the stream ended while deciding
    rest = held[match.end() :] if match else held
    if rest:
        yield rest
    yield from iterator


_REACTION_END = re.compile(r"[.!?](?=\s)|\n")  # a full stop needs the space after it: "3.5x" goes on
_NOT_CONVERSATION = re.compile(r"\s*(?:[-*+•]\s|\d+[.)]\s|#|```|~~~|\|)")  # a list, heading, code or table line
# First words that open a question ("What's", "Isn't" are cut at the apostrophe) or announce a design of its own.
_QUESTION_OPENERS = frozenset(
    "what how why when where which who whom whose can could would will shall should do does did is are was were "
    "have has may might isn aren don doesn didn wouldn couldn won shouldn haven hasn".split()
)
_DESIGN_LEAD = re.compile(
    r"\s*(?:here(?:'s|’s|\s+is|\s+are)\b|to\s+(?:design|build|implement)\b|"
    r"let(?:'s|’s|\s+us|\s+me)\s+(?:design|break|start|outline|sketch)\b|"
    r"(?:final|proposed|my|our|the)\s+(?:design|architecture)\s*:)",
    re.IGNORECASE,
)
# A clause that may still turn into a question; it is held whole until the sentence ends.
_QUESTION_CUE = re.compile(
    r"\b(?:how|what|why|which|where|when|who|whether|(?:would|could|can|do|did|have|are|will|should)\s+(?:you|we))\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[,;:–—]|\s(?=(?:but|and|so|or)\b)", re.IGNORECASE)
_CLAUSE_MARKS = ",;:–—-"
# Words a shown text must not end on, since a cut there would leave it dangling ("… and the.").
_CONNECTORS = frozenset(
    "a an the and or but so of to for with that which in on at by as is are was be from into than then".split()
)
_WORD = re.compile(r"\S+")
# First words of a clause that cannot stand alone ("Given these requirements", "If the cache fails"): a cut that
# kept only that clause would show a fragment, so nothing shows or is cut before the main clause has begun.
_SUBORDINATE_OPENERS = frozenset(
    "given if since because as although though while once unless until before after with without for in on at by "
    "from based considering assuming regarding now to during despite whenever whereas".split()
)
MAIN_CLAUSE_WORDS = 2  # words of the main clause that must exist before anything of such a sentence shows
REACTION_WORDS = 25
LOOK_BEHIND_WORDS = 3  # held back behind the model, so a sentence can still be cut cleanly
# The echo check (`reject`) is decided on the first words: an echo restates from its start ("You said …",
# "Design a service that …"), and waiting for the whole sentence would hide every reaction until it ends. Eight
# words (about a quarter second of the embedded model) leave the check enough key words to be fair.
ECHO_WORDS = 8


def _rejected_at_start(text: str) -> bool:
    """A list, heading, code, a question or a design of its own, visible in the first word or two."""
    first = _FIRST_WORD.match(text)
    if first is None:
        return bool(_NOT_CONVERSATION.match(text)) and bool(text.strip())
    opener = re.split(r"['’]", first.group(1))[0].lower()
    return bool(_NOT_CONVERSATION.match(text) or _DESIGN_LEAD.match(text)) or opener in _QUESTION_OPENERS


def _main_clause_start(text: str) -> int:
    """Where the sentence's main clause has begun (0 for most); past the end of `text` while it has not yet."""
    first = _FIRST_WORD.match(text)
    if first is None or first.group(1).lower().strip("'\"(") not in _SUBORDINATE_OPENERS:
        return 0
    opening_break = _CLAUSE_BREAK.search(text)
    if opening_break is None:
        return len(text) + 1
    main_words = list(_WORD.finditer(text, opening_break.end()))
    if len(main_words) < MAIN_CLAUSE_WORDS:
        return len(text) + 1
    return main_words[MAIN_CLAUSE_WORDS - 1].end()


def _showable(text: str, echo_free: bool) -> int:
    """How much of this unfinished sentence may be shown: all but its last few words, and never a possible question.

    A pure function of the text, so a cut shows the same words however the model's chunks fell.
    """
    words = list(_WORD.finditer(text))
    if not echo_free or len(words) < ECHO_WORDS or len(words) <= LOOK_BEHIND_WORDS:
        return 0
    end = words[-LOOK_BEHIND_WORDS - 1].end()
    cue = _QUESTION_CUE.search(text)
    if cue is not None and cue.start() < end:
        end = _last_clause_break(text, cue.start())
    end = _without_dangling_end(text, end)
    return end if end >= _main_clause_start(text) else 0


def _clause_cut(text: str, echo_free: bool) -> int:
    """Where a sentence cut at its end stops: its last clause break before anything that may ask, or 0 for none.

    Once the trouble is known there is nothing left to look behind for, so "… of the database, for example:"
    keeps "… of the database" rather than stopping three words short at "… in front".
    """
    if not echo_free:
        return 0
    cue = _QUESTION_CUE.search(text)
    end = _without_dangling_end(text, _last_clause_break(text, cue.start() if cue else len(text)))
    return end if end >= _main_clause_start(text) else 0


def _last_clause_break(text: str, before: int) -> int:
    """Where the last clause break before `before` starts, or 0 when there is none."""
    breaks = [mark.start() for mark in _CLAUSE_BREAK.finditer(text, 0, before)]
    return breaks[-1] if breaks else 0


def _without_dangling_end(text: str, end: int) -> int:
    """`end` moved back past clause marks and connecting words, so the shown text does not dangle."""
    while end > 0:
        shown = text[:end].rstrip().rstrip(_CLAUSE_MARKS).rstrip()
        last = shown.rsplit(None, 1)[-1] if shown else ""
        if last.lower().strip("\"'()") in _CONNECTORS:
            shown = shown[: len(shown) - len(last)]
        if len(shown) == end:
            break
        end = len(shown)
    return end


def short_reaction(
    chunks: Iterable[str], max_words: int = REACTION_WORDS, reject: Callable[[str], bool] = lambda _: False
) -> Iterator[str]:
    """At most the model's first sentence, streamed a few words behind it; none that asks something: code asks next.

    For small models, which otherwise re-ask what was answered or go on to design the system themselves. What
    shows is final: a sentence that turns into a question or runs long is cut at the last clean point shown and
    closed with a full stop, and a clause that may become a question is held until the sentence ends. Stopping
    closes the model's stream, so it stops generating.
    """
    iterator = iter(chunks)
    text, shown, end, echo_free = "", 0, None, None
    try:
        for chunk in iterator:
            text += chunk
            if not shown and _rejected_at_start(text):
                return
            end = _REACTION_END.search(text)
            words = list(_WORD.finditer(text))
            if end is not None or "?" in text or len(words) > max_words:
                break  # a "?" with no space after it ("(is it?)") still asks: nothing past it may show
            complete = len(words) if text[-1:].isspace() else len(words) - 1  # the last word may go on
            if echo_free is None and complete >= ECHO_WORDS:
                echo_free = not reject(text[: words[ECHO_WORDS - 1].end()])
            upto = _showable(text, bool(echo_free))
            if upto > shown:
                yield text[shown:upto]
                shown = upto
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
    yield from _finish_reaction(text[: end.end()] if end else text, shown, max_words, reject)


def _finish_reaction(text: str, shown: int, max_words: int, reject: Callable[[str], bool]) -> Iterator[str]:
    """The rest of a finished (or cut) first sentence, after the `shown` characters already streamed."""
    sentence = text.rstrip()
    words = list(_WORD.finditer(sentence))
    if not words or (not shown and _rejected_at_start(sentence)):
        return
    echo_free = not reject(sentence[: words[min(ECHO_WORDS, len(words)) - 1].end()])
    if len(words) > max_words:
        trouble = words[max_words - 1].end()
    elif "?" in sentence:
        trouble = sentence.index("?")
    elif sentence.endswith(":"):  # a lead-in to a list or code
        trouble = len(sentence) - 1
    else:
        if echo_free or shown:
            yield sentence[shown:]
        return
    # Cut: what a word-by-word stream would have shown before the trouble, closed with a full stop.
    before = sentence[:trouble]
    # The later of the two, so the result does not depend on how far the stream had got (how the chunks fell).
    upto = max(shown, _showable(before, echo_free), _clause_cut(before, echo_free))
    if upto > shown:
        yield sentence[shown:upto]
    if upto:
        yield "."


_LABEL_AT_START = re.compile(r"\s*\**\s*requirement change\s*:?\s*\**:?\s*", re.IGNORECASE)
LABEL_LOOKAHEAD = 40  # characters held back to see whether the model wrote the label itself


def after_label(label: str, chunks: Iterable[str]) -> Iterator[str]:
    """`label` first, then the model's text without a label of its own at the start, so it shows exactly once."""
    yield f"{label} "
    held, stream = "", iter(chunks)
    for chunk in stream:
        held += chunk
        if len(held) >= LABEL_LOOKAHEAD:
            break
    yield _LABEL_AT_START.sub("", held, count=1) if _LABEL_AT_START.match(held) else held.lstrip()
    yield from stream
