"""Pure detectors over the candidate's words: which checklist items are covered, which pitfalls are signalled."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from interview.core.phases import PHASE_KEYS
from interview.problems import meaning
from interview.problems.declined_fix import turned_down_remedy
from interview.problems.load import Pitfall, Problem, Signal, generic_pitfalls
from interview.problems.terms import any_in, any_mentioned, covering_quote, matches, sentences
from interview.problems.turn_down import turned_down
from interview.understanding.clauses import (
    Clause,
    clauses,
    declines_outright,
    denied_words,
    is_negated,
    waved_away,
)


@dataclass(frozen=True)
class Coverage:
    phase: str
    index: int  # position in the bank's checklist for the phase
    item: str
    quote: str  # the candidate's sentences that covered it


@dataclass(frozen=True)
class PitfallHit:
    id: str
    question: str  # pushback to ask next
    note: str  # one line for the feedback
    quote: str  # the candidate's sentence that signalled it; "" when signalled by something never said
    generic: bool


def _check_phase(phase: str) -> None:
    if phase not in PHASE_KEYS:
        raise ValueError(f"unknown phase {phase!r}; expected one of {', '.join(PHASE_KEYS)}")


def covered_items(problem: Problem | None, phase: str, candidate_text: str, drawn: bool = False) -> list[Coverage]:
    """The phase's checklist items that the text covers, each with the quote that covered it (bank order); a
    `drawn` diagram line is read by its terms alone (an edge's few words are far from any sentence by meaning)."""
    _check_phase(phase)
    if problem is None:
        return []
    # A sentence model does not see "not": "There's no end-to-end encryption" sits near "End-to-end encryption blocks
    # server-side search", so a claim said with a "not" covers by meaning only an item said with one.
    found = meaning.understand(problem, candidate_text)
    by_meaning = {m.label: m.quote for m in found if m.kind == "item" and _fits_polarity(m.quote, m.label)}
    covered = []
    for entry in problem.evidence[phase]:
        quote = covering_quote(entry.terms, candidate_text)
        if quote and not drawn and not meaning.fits_item(problem, entry.item, quote):
            quote = None  # its words, another point: "run record is 500 bytes (status, worker)" is no worker design
        quote = quote or by_meaning.get(entry.item)
        if quote:
            covered.append(Coverage(phase, entry.index, entry.item, quote))
    return covered


# What comes after these is what the claim gives: "…a client-generated ID, so a retry doesn't create a duplicate" is no
# negated claim.
_CONSEQUENCE = re.compile(r",?\s+\b(?:so|because|since|which means|meaning)\b\s+", re.IGNORECASE)


def _fits_polarity(quote: str, item: str) -> bool:
    """The quote's claim, before any consequence, is not negated, or the item is said with a "not" too."""
    return not is_negated(_CONSEQUENCE.split(quote)[0]) or is_negated(item)


def _phase_over(by_phase: str, phase: str) -> bool:
    return PHASE_KEYS.index(phase) > PHASE_KEYS.index(by_phase)


def _signalled(signal: Signal, turn_text: str, transcript: str, phase: str) -> str | None:
    """The quote that signals it ("" for something never said), or None when the signal is not there."""
    if signal.cleared_by and any_in(signal.cleared_by, transcript):
        return None
    if signal.missing and (not _phase_over(signal.by_phase, phase) or any_in(signal.missing, transcript)):
        return None
    if not signal.together:
        return ""
    for sentence in sentences(turn_text):
        if all(matches(p, sentence) for p in signal.together) and not any(matches(p, sentence) for p in signal.unless):
            if not _denied(signal, sentence.text):
                return sentence.text
    return None


def addressed(pitfall: Pitfall, text: str) -> str:
    """The sentence that takes up the pitfall's topic the right way (its terms, cancelled by an "unless"), or ""."""
    for signal in pitfall.signals:
        for sentence in sentences(text) if signal.together and signal.unless else ():
            if _STILL_AT_RISK.search(sentence.text):
                continue  # "they'd be charged twice, but we retry the charge anyway" names the risk, not a fix
            if all(matches(p, sentence) for p in signal.together) and any(matches(p, sentence) for p in signal.unless):
                return sentence.text
    return ""


def clearing_sentence(pitfall: Pitfall, text: str) -> str:
    """The first statement with the words that clear the pitfall ("we send an idempotency key"), outside a question
    and outside words that decline them ("I didn't say we need a cache")."""
    clearing = [p for signal in pitfall.signals for p in (*signal.cleared_by, *signal.missing)]
    for sentence in sentences(text) if clearing else ():
        denied = denied_words(sentence.text)
        said = sentence.text.replace(denied, " ") if denied else sentence.text
        if sentence.text.rstrip().endswith("?") or turned_down_remedy(pitfall, sentence.text, sentence.text):
            continue  # "Skip containers -> start-up cost" names the remedy to turn it down
        if any_in(clearing, said):
            return sentence.text
    return ""


_STILL_AT_RISK = re.compile(r"\b(twice|double\w*|duplicat\w*|los[et]\w*|anyway|still|i guess|whatever)\b", re.I)


# "What scale should I design for: how many users...?" asks; "Is it fine to keep it all in one MySQL?" proposes.
_ASKS_FOR_FACTS = re.compile(
    r"^\s*(?:what|how(?! about)|which|who|when|where|why)\b.*\?\s*$"
    r"|^(?=.*\bhow (?:many|much|long|big|large|often|fast)\b).*\?\s*$",  # "Message sizes, how many groups read…?"
    re.IGNORECASE | re.DOTALL,
)


# "Instead, each like is a row…" is the way chosen over one just turned down: its words are that option's, not a mistake
_THE_OTHER_WAY = re.compile(r"^\s*(?:so )?instead\b(?! of)", re.IGNORECASE)


# A signal whose own words decline something ("no ~ dedup*") is about saying no; the others can be denied.
_DECLINING_WORDS = re.compile(
    r"\b(?:no|not|never|without|skip\w*|need\w*|bother|overkill|unnecessary|avoid\w*)\b|n't\b"
)


def _denied(signal: Signal, sentence: str) -> bool:
    """True when a pattern of the signal is said only inside words a negation reaches: "file bytes never go into
    the metadata DB" denies the practice rather than committing it."""
    if any(_DECLINING_WORDS.search(pattern.source) for pattern in signal.together):
        return False
    for clause in clauses(sentence):
        words = "" if _REQUIRED.search(clause.text) else denied_words(clause.text)
        if words and any(
            any_mentioned([pattern], words) and not any_in([pattern], sentence.replace(words, " "))
            for pattern in signal.together
        ):
            return True
    return False


def pitfalls_for(problem: Problem | None) -> tuple[Pitfall, ...]:
    """The problem's own pitfalls first, then the generic ones (only those for a free-typed question)."""
    return (*(problem.pitfalls if problem else ()), *generic_pitfalls())


def common_mistakes(problem: Problem | None) -> tuple[str, ...]:
    """One line per pitfall of the problem, then the generic ones: for explain mode's "common mistakes"."""
    return tuple(pitfall.note for pitfall in pitfalls_for(problem))


def detect_pitfalls(
    problem: Problem | None, turn_text: str, transcript_text: str, phase: str, raised: Iterable[str] = ()
) -> list[PitfallHit]:
    """Pitfalls signalled now and not yet raised: those quoting the turn first, each group problem-specific first.

    `turn_text` is the candidate's latest turn: terms said together must be in one of its sentences.
    `transcript_text` is everything the candidate said (the turn is added if missing): it is searched for
    terms that clear a pitfall and for terms never said. One sentence can hold several mistakes ("a random
    3-letter code in one MySQL server"), so several hits may quote it; ask about the first, keep the rest.
    Something never said comes after what the turn said: an interviewer reacts to the words just spoken first.
    """
    _check_phase(phase)
    transcript = transcript_text if turn_text in transcript_text else f"{transcript_text}\n{turn_text}"
    # An alternative weighed only to reject it, or a question for facts, commits to nothing.
    raw_turn, said = turn_text, [s.text for s in sentences(turn_text)]
    turn_text = " ".join(
        text
        for text, down in zip(said, turned_down(said), strict=True)
        if not (down or _ASKS_FOR_FACTS.match(text) or _THE_OTHER_WAY.match(text))
    )
    already = set(raised)
    hits: list[PitfallHit] = []
    by_meaning = {m.label: m for m in meaning.understand(problem, turn_text) if m.kind == "pitfall"}
    waving = _waving_clauses(turn_text)  # once per turn, for every pitfall a decline could raise
    for pitfall in pitfalls_for(problem):
        if pitfall.id in already:
            continue
        said, absent = _by_terms(pitfall, turn_text, transcript, phase)
        if said and not pitfall.generic and meaning.reads_as_correct(problem, pitfall.id, said):
            said = None  # the words match the mistake's terms, but the sentence reads like a correct design
        # What the turn says comes first, then words that decline it or refuse its remedy aloud, then its absence now due.
        quote = said or _declined(pitfall, waving, transcript) or turned_down_remedy(pitfall, raw_turn, transcript)
        quote = quote or ("" if absent else None)
        if quote is None:
            quote = _by_meaning(pitfall, by_meaning.get(pitfall.id), transcript)
        if quote is not None:
            hits.append(PitfallHit(pitfall.id, pitfall.question, pitfall.note, quote, pitfall.generic))
    return sorted(hits, key=lambda hit: not hit.quote)


def _by_terms(pitfall: Pitfall, turn_text: str, transcript: str, phase: str) -> tuple[str | None, bool]:
    """The quote of the first signal the turn says (or None), and whether something never said is signalled."""
    found = [_signalled(signal, turn_text, transcript, phase) for signal in pitfall.signals]
    return next((quote for quote in found if quote), None), "" in found


def _cleared(pitfall: Pitfall, transcript: str) -> bool:
    """True when the candidate said, anywhere, what clears the pitfall."""
    return any(signal.cleared_by and any_in(signal.cleared_by, transcript) for signal in pitfall.signals)


_REQUIRED = re.compile(r"\b(must|should|shall|can|may)\s+(never|not)\b|\b(cannot|can't|mustn't)\b", re.IGNORECASE)


def _waving_clauses(turn_text: str) -> list[Clause]:
    """The turn's negated clauses, except a requirement ("payments must never double charge" does not decline)."""
    return [clause for clause in clauses(turn_text) if clause.negated and not _REQUIRED.search(clause.text)]


def _declined(pitfall: Pitfall, waving: list[Clause], transcript: str) -> str | None:
    """A clause that declines or defers what the pitfall says must be there ("I wouldn't bother with monitoring").

    Only for pitfalls about something never said: declining it aloud is the same mistake, stated at once. The
    thing named inside the declining words ("I don't think we need a cache") does not count as said.
    `waving` is the turn's negated clauses (`_waving_clauses`).
    """
    needed = [pattern for signal in pitfall.signals for pattern in signal.missing]
    if not needed:
        return None
    declining = [clause for clause in waving if any_mentioned(needed, clause.text)]
    if not declining:
        return None
    rest = transcript
    for clause in declining:
        words = waved_away(clause.text)
        if any_mentioned(needed, words):
            rest = rest.replace(words, " ")
    # What clears it counts only outside words that decline it outright ("we don't need to track what was sent").
    outright = any(declines_outright(clause.text) for clause in declining)
    if any_in(needed, rest) or _cleared(pitfall, rest if outright else transcript):  # said it somewhere else
        return None
    return declining[0].text


MIN_MEANING_WORDS = 5  # a shorter clause is too little to read a mistake into by meaning alone


def _by_meaning(pitfall: Pitfall, found: meaning.Meaning | None, transcript: str) -> str | None:
    """The clause that commits the pitfall by meaning, unless the transcript clears it.

    Something that is only a mistake when never said by the end of a phase ("no cache") is not raised by meaning
    on a statement that merely leaves it out: only when the candidate declines it ("we won't need a cache").
    """
    if found is None or len(found.quote.split()) < MIN_MEANING_WORDS:
        return None  # "Scaling." heads a section; it claims nothing
    if _cleared(pitfall, transcript):
        return None
    only_absence = all(not signal.together for signal in pitfall.signals)
    if only_absence and not found.declined:
        return None
    return found.quote
