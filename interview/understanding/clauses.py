"""A candidate's turn cut into sentences and clauses, and each clause's polarity (said, or waved away)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Sentence ends, semicolons, and contrast words start a new clause: "we shard it, but the index stays on one box".
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|;\s*|\n+")
_CONTRAST = re.compile(r",?\s+\b(?:but|however|whereas|although|though)\b\s+", re.IGNORECASE)
_LEADING_INTERJECTION = re.compile(r"^\s*(?:no|yes|yeah|ok|okay|right|so|well)\b\s*[,:\-]\s*", re.IGNORECASE)
MIN_CLAUSE_WORDS = 3

# Cues that the speaker declines or defers the thing the clause names. Each match flips the polarity once, so
# "we can't skip monitoring" is affirmative again.
_NEGATION_CUES = (
    r"\bnot\b",
    r"n't\b",
    r"\bnever\b",
    r"\bno\b",
    r"\bnone\b",
    r"\bnothing\b",
    r"\bwithout\b",
    r"\bskip(?:s|ped|ping)?\b",
    r"\bno need\b",
    r"\bunnecessary\b",
    r"\boverkill\b",
    r"\bcan wait\b",
    r"\b(?:later|eventually|someday)\b",
    r"\bdrop(?:s|ped)? the idea\b",
    r"\bforget about\b",
)
# "not needed" and "no need" are one cue, not two; the pairs below are collapsed before counting.
_ONE_CUE = (
    (re.compile(r"\b(?:do|does|did|will|would|should)n't need\b", re.IGNORECASE), " declines "),
    (re.compile(r"\b(?:won't|wouldn't|will not|would not) bother(?: with)?\b", re.IGNORECASE), " declines "),
    (re.compile(r"\b(?:is|are|isn't|aren't) not (?:needed|necessary)\b", re.IGNORECASE), " declines "),
    (re.compile(r"\bno need\b", re.IGNORECASE), " declines "),
)
_DECLINE = re.compile(r"\bdeclines\b")
_NEGATION = re.compile("|".join(_NEGATION_CUES), re.IGNORECASE)
# What follows "instead of" is the road not taken: it does not negate the clause's own claim.
_ALTERNATIVE = re.compile(r"\b(?:instead of|rather than)\b[^,;]*", re.IGNORECASE)
# Dismissals that come after what they dismiss: "a cache is overkill", "monitoring can wait".
_DISMISSED_BEFORE = re.compile(
    r"\b(?:unnecessary|overkill|can wait)\b|\b(?:is|are)(?:n't| not)? (?:needed|necessary)\b", re.IGNORECASE
)
# Saying outright that something is not needed, as opposed to describing a state ("hasn't sent a heartbeat").
_OUTRIGHT = re.compile(
    r"\b(?:don't|do not|won't|wouldn't|will not|would not|no|not)\s+(?:\w+\s+){0,3}?(?:need|bother|worry|care)\b"
    r"|\bno need\b|\bskip(?:s|ping)?\b|\bnot worth\b|\boverkill\b|\bunnecessary\b",
    re.IGNORECASE,
)
_SCOPE_END = re.compile(r"[,:]|\s(?:so|because|since|as|and then|if|when|unless|once|until)\s", re.IGNORECASE)
_HEDGES = re.compile(
    r"\b(?:probably|maybe|perhaps|might|i think|i guess|i suppose|should be fine|for now|at first|to start)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Clause:
    """One clause of a turn, with the sentence it came from."""

    text: str
    sentence: str
    negated: bool
    hedged: bool


def negation_count(text: str) -> int:
    """How many negation or deferral cues the text holds."""
    collapsed = text
    for pattern, replacement in _ONE_CUE:
        collapsed = pattern.sub(replacement, collapsed)
    return len(_DECLINE.findall(collapsed)) + len(_NEGATION.findall(collapsed))


def is_negated(text: str) -> bool:
    """True when the text declines or defers what it names (an odd number of cues)."""
    claim = _ALTERNATIVE.sub("", _LEADING_INTERJECTION.sub("", text))
    return negation_count(claim) % 2 == 1


def waved_away(text: str) -> str:
    """The words a clause's negation waves away: from its first cue to the next comma or "so"; "" if none."""
    dismissal = _DISMISSED_BEFORE.search(text)
    if dismissal:
        return _SCOPE_END.split(text[: dismissal.end()])[-1]
    cue = _NEGATION.search(text)
    return _SCOPE_END.split(text[cue.start() :])[0] if cue else ""


# A plain negation, without the deferrals ("eventually consistent" defers nothing); a dash or a new subject ends
# its reach: "if it doesn't hear back in 2 s it resubmits".
_PLAIN_NEGATION = re.compile(r"\b(?:not|never|no|none|nothing|without)\b|n't\b", re.IGNORECASE)
_NEW_SUBJECT = re.compile(r"\s[—–-]\s|—|\s(?:it|we|they|i|you|then)\s", re.IGNORECASE)


def denied_words(text: str) -> str:
    """The words a plain negation reaches ("never go into the metadata DB"), to the next comma, "so", dash or
    new subject; "" if none."""
    cue = _PLAIN_NEGATION.search(text)
    return _NEW_SUBJECT.split(_SCOPE_END.split(text[cue.start() :])[0])[0] if cue else ""


def declines_outright(text: str) -> bool:
    """True when the text says in so many words that something is not needed ("I don't think we need X")."""
    return _OUTRIGHT.search(text) is not None


def is_hedged(text: str) -> bool:
    return bool(_HEDGES.search(text))


def sentences(turn: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(turn or "") if part and part.strip()]


def clauses(turn: str) -> list[Clause]:
    """The turn's sentences, and for a sentence with a contrast word, also each side of it."""
    found: list[Clause] = []
    for sentence in sentences(turn):
        parts = [sentence] + [p for p in _CONTRAST.split(sentence) if p.strip() and p.strip() != sentence]
        for part in dict.fromkeys(p.strip(" ,") for p in parts):
            if len(part.split()) >= MIN_CLAUSE_WORDS:
                found.append(Clause(part, sentence, is_negated(part), is_hedged(part)))
    return found
