"""What the problem's scale facts state, so a fact said back is told apart from an estimate worked out from it."""

from __future__ import annotations

import functools
import math
import re

from interview.problems.numbers import Quantity, parse_quantities
from interview.problems.scale import SECONDS_PER

Given = tuple[tuple[str, float, frozenset[str]], ...]  # kind, value in base units, what it counts

# Short forms a candidate uses for the scale facts' words, and words too common to say two figures count one thing.
_SHORT_FORMS = {"dau": ("daily", "active", "users"), "daus": ("daily", "active", "users"), "mau": ("monthly", "users")}
_QUALIFIERS = {"daily", "monthly", "active", "new", "a", "across", "within", "send", "created", "distinct", "hot"}
_PER_PERIOD = re.compile(r"\b(?:per|a|each) (second|minute|hour|day|month|year)\b")  # keys of SECONDS_PER


def heads(nouns: tuple[str, ...]) -> frozenset[str]:
    """What a figure counts, without its qualifiers: "50M DAU" and "500M daily active users" both count users."""
    words = [word for noun in nouns for word in _SHORT_FORMS.get(noun, (noun,))]
    return frozenset(word.removesuffix("s") for word in words if word not in _QUALIFIERS)


@functools.cache
def given_figures(scale_facts: tuple[str, ...]) -> Given:
    """The quantities the problem's scale facts state: kind, value and what each counts; a daily rate also as its
    day's count ("1M edits a day" said back as "1M business adds", "5 matches a day")."""
    stated = [(q.kind, q.value, heads(q.nouns)) for fact in scale_facts for q in parse_quantities(fact)]
    stated += [("rate", value, heads(nouns)) for value, _, nouns in _counts_per_period(scale_facts)]
    return tuple(
        stated + [("count", value * SECONDS_PER["day"], nouns) for kind, value, nouns in stated if kind == "rate"]
    )


def said_back(quantity: Quantity, scale_facts: tuple[str, ...]) -> bool:
    """A figure the scale facts state, said in the fact's own period for a rate: "100M a day" after "100M … per day"
    is said back, "1,160 writes per second" worked out from it is an estimate."""
    periods = _fact_periods(scale_facts)
    for kind, value, _ in given_figures(scale_facts):
        if kind == quantity.kind and math.isclose(value, quantity.value, rel_tol=0.01):
            if kind != "rate" or not quantity.period or periods.get(value, "") in ("", quantity.period):
                return True
    return False


@functools.cache
def _counts_per_period(scale_facts: tuple[str, ...]) -> tuple[tuple[float, str, tuple[str, ...]], ...]:
    """ "100M new short URLs created per day" reads as a count (a verb stands between): it is also a daily rate.
    Each as (value per second, period, nouns)."""
    found = []
    for fact in scale_facts:
        period = _PER_PERIOD.search(fact)
        counts = [q for q in parse_quantities(fact) if q.kind == "count"] if period else []
        found += [(q.value / SECONDS_PER[period.group(1)], period.group(1), q.nouns) for q in counts[:1]]
    return tuple(found)


@functools.cache
def _fact_periods(scale_facts: tuple[str, ...]) -> dict[float, str]:
    """Each rate the scale facts state (per second), with the period the fact says it per."""
    periods = {q.value: q.period for fact in scale_facts for q in parse_quantities(fact) if q.kind == "rate"}
    periods.update({value: period for value, period, _ in _counts_per_period(scale_facts)})
    return periods
