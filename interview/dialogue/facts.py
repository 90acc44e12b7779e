"""The scale facts said in answer to a question about scale: those that share words with it, never a derived number."""

from __future__ import annotations

import re

MAX_FACTS = 3  # scale facts given in answer to one question
_COMMON = frozenset("the and how what per are for you should assume many much need with that this".split())


def facts_for(facts: tuple[str, ...], question: str) -> str:
    """The scale facts that share words with the question, then the first ones: never a derived number."""
    asked = _stems(question)
    ranked = sorted(facts, key=lambda fact: -len(asked & _stems(fact)))  # stable: ties keep bank order
    return "Assume " + "; ".join(_lower_first(fact) for fact in ranked[:MAX_FACTS]) + "."


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 3 and w not in _COMMON}


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") else word


def _lower_first(fact: str) -> str:
    """'Links are kept…' reads as 'links are kept…' mid-sentence; '100M…' and 'API…' stay as they are."""
    return fact[0].lower() + fact[1:] if fact[:2].istitle() else fact
