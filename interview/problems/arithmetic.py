"""Figures a turn works out from its own earlier figures, and figures it says only to set aside.

A strong candidate's turn is a chain: a daily total, its rate per second, a peak a few times that, the share of one
shard or server, the number of servers it takes. Each link follows from the one before, and is about whatever that
one counts, which may be nothing the problem's targets count. Such a figure is judged by its inputs, which get their
own verdicts, so a chain built on a wrong figure is still challenged at that figure.
"""

from __future__ import annotations

import math
import re

from interview.problems.numbers import Quantity
from interview.problems.scale import SECONDS_PER
from interview.problems.terms import any_in, compile_patterns

RESTATED = 1.3  # "about 11.6K" for 11,574: a figure within this of their own arithmetic follows from it
MAX_PEAK_FACTOR = 20  # a peak the candidate derives from their own average, up to this factor
_PERIODS = (1, SECONDS_PER["day"], SECONDS_PER["year"])  # "50M a day" and "50M" are one figure in other units
_DIVIDED = re.compile(r"\b(divided|over|across|among|per|every|split|spread|into)\b|/", re.IGNORECASE)
_MULTIPLIED = re.compile(r"\b(times|multiplied|at|each|with)\b|(?<![a-z])x(?![a-z])|[×*]", re.IGNORECASE)
PEAK_WORDS = compile_patterns(["peak*|burst*|spike*|busiest|top of the hour"])
# What a system is split into: a figure that is a total over so many of these is one part's share.
_PARTS = frozenset(
    "shard partition node server machine host pop region broker worker instance box cluster datacenter dc zone "
    "cell replica pod".split()
)
_FACTOR = re.compile(r"^(\d+(?:\.\d+)?)\s*[x×]$", re.IGNORECASE)
_PERCENT_OF = re.compile(r"^\s*%\s*of\b", re.IGNORECASE)
# "thousands of points, not 8.6M raw samples": the figure they set aside, not one they estimate
_SET_ASIDE = re.compile(r"\b(not|rather than|instead of|versus|vs\.?)\s+(?:even\s+)?[~≈]?\s*$", re.IGNORECASE)
# "10 to 20K a second", "270 to 2.7K": the low end of a range, with the multiplier of the high end if it has none
_RANGE_LOW = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|m|b|bn|thousand|million|billion)?\s*(?:to|-|–)\s*[~≈]?\s*$",
    re.IGNORECASE,
)
_MULTIPLIER = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
_WRITTEN = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|m|b|bn|thousand|million|billion)?\b", re.IGNORECASE)


def placed(found: list[Quantity]) -> list[tuple[Quantity, int]]:
    """Each quantity with where its words start in its sentence (found is in reading order)."""
    starts, cursor = [], {}
    for q in found:
        start = q.sentence.find(q.said, cursor.get(q.sentence, 0))
        cursor[q.sentence] = max(start, 0) + len(q.said)
        starts.append((q, start))
    return starts


def set_aside(quantity: Quantity, start: int) -> bool:
    """True for a figure said as what it is not ("not 8.6M raw samples", "rather than 1 PB")."""
    return start > 0 and _SET_ASIDE.search(quantity.sentence[:start]) is not None


def range_low(quantity: Quantity, start: int) -> float | None:
    """The low end of a range the number ends ("10 to 20K a second"), in the number's own units, or None."""
    found = _RANGE_LOW.search(quantity.sentence[: max(start, 0)])
    said = _WRITTEN.match(quantity.said)
    if found is None or said is None or quantity.written <= 0:
        return None
    high = _number(said.group(1)) * _MULTIPLIER.get((said.group(2) or "").casefold(), 1)
    low = _number(found.group(1))
    if found.group(2):
        low *= _MULTIPLIER[found.group(2).casefold()]
    elif said.group(2) and low < _number(said.group(1)) * 10:  # "10 to 20K" is 10K; "300 to 2K" stays 300
        low *= _MULTIPLIER[said.group(2).casefold()]
    if not 0 < low < high:
        return None
    return quantity.value * low / high


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def follows_from_their_figures(quantity: Quantity, found: list[Quantity]) -> bool:
    """True when the number (or the low end of its range) is what the candidate's own figures give.

    That is one of its kind restated in other units ("50 GB a day is 18 TB a year"); two multiplied or divided as
    their words say ("100M posts a day at 500 bytes is 50 GB a day"), by a factor ("plan for 10x") or a share ("5% of
    290K"); a total spread over the shards or servers they named, or one part's figure times them; the servers a
    total needs at one server's capacity; or a peak a few times their own average.
    """
    places = placed(found)
    index = next(i for i, (q, _) in enumerate(places) if q is quantity)
    start = places[index][1]
    low = range_low(quantity, start)
    values = [quantity.value] + ([low] if low else [])
    sentences = list(dict.fromkeys(q.sentence for q in found))
    position = sentences.index(quantity.sentence)
    previous = sentences[position - 1] if position else ""
    nearby = [(q, s) for q, s in places[:index] if q.value > 0 and q.sentence in (quantity.sentence, previous)]
    same_kind = [q for q, _ in nearby if q.kind == quantity.kind]
    shares = _shares_of_parts(quantity, nearby) + _capacity_counts(quantity, places)
    if _any_close(values, [q.value for q in same_kind] + shares, periods=False):
        return True
    here = [(q, s) for q, s in nearby if q.sentence == quantity.sentence]
    if _any_close(values, _said_operations(quantity.sentence, here), periods=True):
        return True
    averages = [q.value for q in same_kind if not q.per_entity]
    return _a_peak_of_their_average(quantity, start, values, averages)


def _any_close(values: list[float], worked: list[float], periods: bool) -> bool:
    spans = _PERIODS if periods else (1,)
    return any(
        abs(math.log(value * period / result)) <= math.log(RESTATED)
        or abs(math.log(value / (result * period))) <= math.log(RESTATED)
        for value in values
        for result in worked
        if result > 0
        for period in spans
    )


def _said_operations(sentence: str, here: list[tuple[Quantity, int]]) -> list[float]:
    """Products and ratios of two earlier figures in the sentence, as the words between them say."""
    results = []
    for i, (a, a_start) in enumerate(here):
        if _FACTOR.match(a.said):
            continue  # "plan for 10x, so 12K": a factor applies to the figure before it
        after_a = sentence[a_start + len(a.said) :]
        for b, b_start in here[i + 1 :]:
            factor = _FACTOR.match(b.said)
            between = " ".join((*a.nouns, sentence[a_start + len(a.said) : b_start]))  # a's trailing words may cue
            if factor:
                results.append(a.value * float(factor.group(1)))
            elif _PERCENT_OF.match(after_a):
                results.append(b.value * a.value / 100)
            elif _DIVIDED.search(between):
                results.append(a.value / b.value)
            elif _MULTIPLIED.search(between):
                results.append(a.value * b.value)
    return results


def _is_parts(quantity: Quantity) -> bool:
    return quantity.value > 1 and any(noun.rstrip("s") in _PARTS for noun in quantity.nouns[:1])


def _shares_of_parts(quantity: Quantity, nearby: list[tuple[Quantity, int]]) -> list[float]:
    """An earlier total over, or one part's figure times, the shards, servers or PoPs named nearby."""
    parts = [q.value for q, _ in nearby if _is_parts(q)]
    totals = [q.value for q, _ in nearby if q.kind == quantity.kind and not _is_parts(q)]
    return [total / count for total in totals for count in parts] + [
        total * count for total in totals for count in parts
    ]


def _capacity_counts(quantity: Quantity, places: list[tuple[Quantity, int]]) -> list[float]:
    """How many servers a total needs at one server's figure, anywhere in the sentence ("at 3K QPS per server we
    need 6 at a 17K peak")."""
    if quantity.value > 100_000:
        return []
    here = [q for q, _ in places if q.sentence == quantity.sentence and q is not quantity and q.value > 0]
    per_part, totals = [q for q in here if q.per_entity], [q for q in here if not q.per_entity]
    return [total.value / part.value for part in per_part for total in totals if total.kind == part.kind]


def _a_peak_of_their_average(quantity: Quantity, start: int, values: list[float], averages: list[float]) -> bool:
    """ "29K a second, maybe 90K at peak": a peak named before it in the sentence or after it in its clause."""
    clause_after = quantity.clause[quantity.clause.find(quantity.said) + len(quantity.said) :]
    if not (any_in(PEAK_WORDS, quantity.sentence[: max(start, 0)]) or any_in(PEAK_WORDS, clause_after)):
        return False
    return any(1 < value / average <= MAX_PEAK_FACTOR for value in values for average in averages)
