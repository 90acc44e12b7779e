"""The scale facts said in answer to a question about scale: those that share words with it, never a derived number.

A question for a number the candidate should derive ("How many devices are online at peak?") is handed back, with the
facts to derive it from: a real interviewer lets the candidate do the estimate.
"""

from __future__ import annotations

import re

from interview.core.heuristics import questions_in

MAX_FACTS = 3  # scale facts given in answer to one question
_COMMON = frozenset("the and how what per are for you should assume many much need with that this".split())


_RATE_WORDS = r"per second|a second|/s|qps|rps|tps|peaks?|concurrent\w*|at once|online|simultaneous\w*"
# Words that ask for a number worked out from the facts: a rate, a peak, how many at once, a total.
_DERIVED = re.compile(
    rf"\b(?:{_RATE_WORDS}|at the same time|bandwidth|throughput|in total|total)\b",
    re.IGNORECASE,
)
# A fact that states such a number itself ("peaks of 50K clicks per second"); "1M rooms in total" is a given count.
_STATES_A_RATE = re.compile(rf"\b(?:{_RATE_WORDS})\b", re.IGNORECASE)
_DERIVED_STEMS = frozenset("second peak concurrent concurrently once same time online simultaneou bandwidth".split())
_DAILY = r"daily|per day|a day|per month|a month"
_GIVEN = re.compile(rf"\b(?:users?|dau|mau|{_DAILY}|registered|ratio)\b", re.IGNORECASE)
_PER_DAY = re.compile(rf"\b(?:{_DAILY}|each day)\b", re.IGNORECASE)
_HOW_MANY = re.compile(r"\b(?:how (?:many|much)|number of)\b", re.IGNORECASE)
# Not "That one is yours": a question may ask for given facts too, and then the facts that follow read as a contradiction.
YOURS = "Anything you derive, such as rates and totals, is yours to work out; here is what we know."


def answer_to_scale_question(facts: tuple[str, ...], turn: str) -> str:
    """The facts for the turn's questions; handed back to the candidate, with every fact to work from, when it asks
    only for a number they derive."""
    question = questions_in(turn) or turn  # what they asked, not the answer it follows
    if _asks_for_a_derived_number(facts, question):
        return f"{YOURS} {facts_for(facts, question, len(facts))}"
    return facts_for(facts, question)


def _asks_for_a_derived_number(facts: tuple[str, ...], question: str) -> bool:
    """Asks for a rate, peak or total and nothing given, and no fact states that number about the same thing; or
    asks how many a day where no fact gives a daily count ("bookings per day" from rooms, occupancy and stay)."""
    if _GIVEN.search(question):
        if not (_HOW_MANY.search(question) and _PER_DAY.search(question)):
            return False
        return not any(_PER_DAY.search(fact) and re.search(r"\d", fact) for fact in facts)
    if not _DERIVED.search(question):
        return False
    asked = _stems(question) - _DERIVED_STEMS
    return not any(_STATES_A_RATE.search(fact) and asked & (_stems(fact) - _DERIVED_STEMS) for fact in facts)


def facts_for(facts: tuple[str, ...], question: str, most: int = MAX_FACTS) -> str:
    """The scale facts that share words with the question, then the first ones: never a derived number."""
    asked = _stems(question)
    ranked = sorted(facts, key=lambda fact: -len(asked & _stems(fact)))  # stable: ties keep bank order
    return "Assume " + "; ".join(_lower_first(fact) for fact in ranked[:most]) + "."


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 3 and w not in _COMMON}


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") else word


def _lower_first(fact: str) -> str:
    """'Links are kept…' reads as 'links are kept…' mid-sentence; '100M…' and 'API…' stay as they are."""
    return fact[0].lower() + fact[1:] if fact[:2].istitle() else fact
