"""Pure detectors over the candidate's words: which checklist items are covered, which pitfalls are signalled."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from interview.core.phases import PHASE_KEYS
from interview.problems.load import Pitfall, Problem, Signal, generic_pitfalls
from interview.problems.terms import any_in, covering_quote, matches, sentences


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


def covered_items(problem: Problem | None, phase: str, candidate_text: str) -> list[Coverage]:
    """The phase's checklist items that the text covers, each with the quote that covered it (bank order)."""
    _check_phase(phase)
    if problem is None:
        return []
    covered = []
    for entry in problem.evidence[phase]:
        quote = covering_quote(entry.terms, candidate_text)
        if quote is not None:
            covered.append(Coverage(phase, entry.index, entry.item, quote))
    return covered


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
            return sentence.text
    return None


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
    already = set(raised)
    hits: list[PitfallHit] = []
    for pitfall in pitfalls_for(problem):
        if pitfall.id in already:
            continue
        for signal in pitfall.signals:
            quote = _signalled(signal, turn_text, transcript, phase)
            if quote is None:
                continue
            hits.append(PitfallHit(pitfall.id, pitfall.question, pitfall.note, quote, pitfall.generic))
            break
    return sorted(hits, key=lambda hit: not hit.quote)
