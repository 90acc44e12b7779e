"""What counts as on topic in a candidate's turn, beyond general technical words: the question just asked, and the
problem's own vocabulary ("tenant", "timing wheel" for a job scheduler)."""

from __future__ import annotations

import functools
import re

from interview.core.state import Interview
from interview.core.substance import everyday
from interview.dialogue import pace
from interview.problems.load import Problem

# Verbs any question may use: "Tomatoes need a lot of sun" takes up no question's topic.
_ANY_QUESTION_WORDS = frozenset("need keep make use get want have do does did go happen think say see".split())
_SHORTEST = 5  # letters: shorter words in a problem's terms are mostly everyday ("time", "keep", "load")


def on_topic(interview: Interview, text: str) -> frozenset[str]:
    """Words that make this turn on topic here: the last question's content words, and the problem's words when the
    turn uses several of them (one, "a lease on the moon", is chance)."""
    asked = interview.notes.moves[-1].question if interview.notes.moves else ""
    question = frozenset(pace.content_words(asked)) - _ANY_QUESTION_WORDS
    own = vocabulary(interview.problem) if interview.problem is not None else frozenset()
    shared = {word for word in re.findall(r"[a-z0-9]+", text.lower()) if word in own or word.rstrip("s") in own}
    return question | frozenset(shared) if len(shared) >= PROBLEM_WORDS else question


PROBLEM_WORDS = 3  # distinct words of the problem's own a turn needs; gibberish in the eval has up to two by chance


@functools.cache
def vocabulary(problem: Problem) -> frozenset[str]:
    """The words of a problem's checklist and pitfall terms, stems included ("quota*" gives "quota")."""
    patterns = [p for entries in problem.evidence.values() for entry in entries for p in entry.terms]
    for pitfall in problem.pitfalls:
        patterns += [p for signal in pitfall.signals for p in (*signal.together, *signal.cleared_by)]
    words = {word for pattern in patterns for word in re.findall(r"[a-z0-9]+", pattern.source.lower())}
    return frozenset(word for word in words if len(word) >= _SHORTEST and not everyday(word))
