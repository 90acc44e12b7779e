"""Which checklist items are open, whether a quote covers an estimate item, and which questions have been asked."""

from __future__ import annotations

from collections.abc import Sequence

from interview.core.heuristics import asked_in_other_words
from interview.core.phases import PHASE_KEYS, phase_by_key
from interview.core.quotes import overlaps_any
from interview.core.state import Interview
from interview.problems.detect import Coverage
from interview.problems.numbers import parse_quantities
from interview.problems.terms import covering_quote

LAST_ESTIMATING_PHASE = "estimates"  # figures said before or during it are judged against the problem's targets


def candidate_text(interview: Interview) -> str:
    return "\n".join(m.content for m in interview.candidate_messages())


def open_items(interview: Interview, phase: str, unsaid: bool = False) -> list[tuple[str, str]]:
    """(item, probe) for the phase's checklist items not yet covered, in bank order; with `unsaid`, also none whose
    terms were said (in an earlier phase: not credited), except an estimate's (said with a wrong figure, still open)."""
    problem = interview.problem
    if problem is None:
        return []
    said = candidate_text(interview) if unsaid and phase != LAST_ESTIMATING_PHASE else ""
    covered = interview.notes.covered_items(phase)
    entries = [entry for entry in problem.evidence[phase] if entry.item not in covered]
    return [(entry.item, entry.probe) for entry in entries if not (said and covering_quote(entry.terms, said))]


def covers_an_estimate(cover: Coverage, wrong_sentences: set[str]) -> bool:
    """A quote covers an estimate item only with a figure of the kind the item works out ("~23K downloads/s" needs a
    rate, not "4 MB chunks"; an item with no figure, such as "throughput is modest", needs none), and none found off
    by more than 3x."""
    wanted = _figure_kinds(cover.item)
    wrong = overlaps_any(cover.quote, wrong_sentences)
    return not wrong and (not wanted or bool(wanted & _figure_kinds(cover.quote)))


def _figure_kinds(text: str) -> set[str]:
    kinds = {q.kind for q in parse_quantities(text)} - {"skip", "duration"}
    return {"count" if kind == "number" else kind for kind in kinds}


def asked_questions(interview: Interview) -> set[str]:
    """Questions asked so far: the moves' own, and any probe or phase question found in an interviewer reply."""
    said = {m.content for m in interview.messages if m.role == "assistant"}
    return interview.notes.asked() | {q for q in _all_questions(interview) if any(q in text for text in said)}


def unasked(interview: Interview, questions: Sequence[str]) -> list[str]:
    """The questions not asked so far, in these words or in others."""
    asked = asked_questions(interview)
    replies = [m.content for m in interview.messages if m.role == "assistant" and m.content]
    return [q for q in questions if q not in asked and not asked_in_other_words(q, replies)]


def _all_questions(interview: Interview) -> list[str]:
    problem = interview.problem
    probes = [entry.probe for key in PHASE_KEYS for entry in (problem.evidence[key] if problem else ())]
    return probes + [q for key in PHASE_KEYS for q in phase_by_key(key).questions]
