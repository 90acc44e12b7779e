"""Figures a turn works out from its own earlier figures, or says about one part or one thing only.

A strong candidate's turn is a chain: a daily total, its rate per second, a peak a few times that, the share of one
shard or server, the number of servers it takes. Each link follows from the one before, and is about whatever that
one counts, which may be nothing the problem's targets count. Such a figure is judged by its inputs, which get their
own verdicts, so a chain built on a wrong figure is still challenged at that figure.
"""

from __future__ import annotations

import math
import re

from interview.problems.arithmetic import (
    FACTOR,
    FACTOR_IN,
    PEAK_WORDS,
    clause_after,
    range_low,
    seconds_of,
    shares_before,
    worked_operations,
    working_rates,
)
from interview.problems.numbers import Quantity
from interview.problems.scale import SECONDS_PER
from interview.problems.terms import any_in

RESTATED = 1.3  # "about 11.6K" for 11,574: a figure within this of their own arithmetic follows from it
MAX_PEAK_FACTOR = 20  # a peak the candidate derives from their own average, up to this factor
_PERIODS = (1, SECONDS_PER["day"], SECONDS_PER["year"])  # "50M a day" and "50M" are one figure in other units
_DIVIDED = re.compile(r"\b(divided|over|across|among|per|every|split|spread|into)\b|/", re.IGNORECASE)
_MULTIPLIED = re.compile(r"\b(times|multiplied|at|each|with)\b|(?<![a-z])x(?![a-z])|[×*]", re.IGNORECASE)
# What a system is split into: a figure that is a total over so many of these is one part's share.
_PARTS = frozenset(
    "shard partition node server machine host pop region broker worker instance box cluster datacenter dc zone "
    "cell replica pod".split()
)
_PERCENT_OF = re.compile(r"^\s*%\s*of\b", re.IGNORECASE)
# "over 90 nodes it's 11K reads/s ... per node", "16 partitions, so each sees 3K/s": one part's share of a total
_PER_PART = re.compile(r"\b(each|per|apiece|a piece|on its own)\b", re.IGNORECASE)
_SPREAD_OVER = re.compile(r"\b(over|across|among|into|between)\s+[~≈]?\s*$", re.IGNORECASE)
_ONE_THING = re.compile(
    r"\b(a|an|one|each|single|the hottest|the worst|the busiest|the biggest|the largest|the top|a big|a hot)"
    r"\s+([a-z][\w-]*)(?:\s+(?!every\b)[\w-]+){0,5}?\s+(does|do|doing|handles|handle|absorbs|gives|pushes|"
    r"receives|takes|serves|processes|holds|sustains|manages|can do|can handle|can take|is|has|sees|gets)\s+[~≈]?\s*"
    r"(?:about|roughly|around|only|maybe|up to|under|over)?\s*[~≈]?\s*$",
    re.IGNORECASE,
)  # words only between the thing and its verb: "one ping every 4 seconds is 125K a second" is the whole fleet
_ONE_PART = re.compile(
    r"\b(average|typical|one|a single|the busiest|the biggest)\s+("
    + "|".join(sorted(_PARTS))
    + r")s?\s+(at|is|does|handles|serves)\s+[~≈]?\s*$",
    re.IGNORECASE,
)
_EACH_AFTER = re.compile(
    r"^\s*(each|apiece|a piece|on its own|per (?!day|second|sec|minute|hour|week|month|year)[a-z]+)\b", re.IGNORECASE
)
_NOT_A_THING = {"day", "second", "sec", "minute", "hour", "week", "month", "year", "total", "lot", "few", "bit"}
_PARTS_AT = re.compile(
    r"\b\d[\d,.]*\s*[kmb]?\s+(?:[\w-]+\s+)?(" + "|".join(sorted(_PARTS)) + r")s?\s+(at|of|with)\s+[~≈]?\s*$",
    re.IGNORECASE,
)
_PER_THING = re.compile(r"\b(?:per|each|a|every)\s+([a-z]+)")
_COMPRESSION = re.compile(
    r"compress|zstd|gzip|snappy|lz4|columnar|parquet|dedup|delta.encod|quanti[sz]", re.IGNORECASE
)  # "51 GB, or 12.8 GB with 8-bit quantisation": judged as what it was before


def one_things_figure(quantity: Quantity) -> bool:
    """True for what one thing does or holds: "a GPU does ~1M scores/s", "the hottest auction is ~17 bids/s", "a
    machine with 500 players pushes ~7.5 MB/s", "4 cache nodes at 64 GB"."""
    before = quantity.clause[: max(quantity.clause.find(quantity.said), 0)]
    one = _ONE_THING.search(before)
    after = quantity.sentence[quantity.sentence.find(quantity.said) + len(quantity.said) :]
    if one is not None and one.group(2).casefold() not in _NOT_A_THING:
        return True
    return bool(_PARTS_AT.search(before) or _ONE_PART.search(before) or _EACH_AFTER.match(after))


def fair_readings(quantity: Quantity, start: int, places: list[tuple[Quantity, int]]) -> list[float]:
    """What the number stands for as a whole-system figure when its sentence makes it a part or a share of one:
    one part's figure times the parts ("16 partitions, so each sees 3K/s"), a share divided by its fraction ("half
    of inbound is spam, so 8B spam messages a day", "with a 90% hit rate, origin sees 10 Tbps")."""
    sentence, before = quantity.sentence, quantity.sentence[: max(start, 0)]
    readings = []
    clause_at = sentence.find(quantity.clause)
    clause_end = clause_at + len(quantity.clause) if clause_at >= 0 else len(sentence)
    for part, part_start in places:
        if part is quantity or part.sentence != sentence or not _is_parts(part):
            continue
        cue = _PER_PART.search(sentence[part_start:clause_end]) or _SPREAD_OVER.search(sentence[:part_start])
        if cue:
            readings.append(quantity.value * part.value)
    if _COMPRESSION.search(sentence):  # "~7 TB after 5x compression": judged as what it was before
        factors = [float(f.rstrip("xX× ")) for f in FACTOR_IN.findall(sentence)] or [4.0]
        readings += [quantity.value * factor for factor in factors if factor > 1]
    shares = shares_before(before)
    readings += [quantity.value / share for share in shares]
    return readings


def _over_a_duration(quantity: Quantity, here: list[Quantity]) -> list[float]:
    """A pace and a total that a duration in the sentence ties together ("400M entries at 1M rows/s is under 7
    minutes", "5,800 posts/s for 10 s is 58K posts"): the pace is one job's or one window's, not the system's."""
    seconds = [s for s in (seconds_of(q) for q in here if q.kind == "duration") if s]
    others = [q for q in here if q is not quantity and q.kind not in ("duration", "skip") and q.value > 0]
    if quantity.kind in ("rate", "byte_rate"):
        return [q.value / s for q in others if q.kind in ("count", "number", "bytes") for s in seconds]
    return [q.value * s for q in others if q.kind in ("rate", "byte_rate") for s in seconds]


def _over_a_shorter_day(quantity: Quantity, nearby: list[tuple[Quantity, int]], turn: list[Quantity]) -> list[float]:
    """A day's figure over the working day the turn named: trading days and business hours are shorter than 24h."""
    if quantity.kind != "rate":
        return []
    return [rate for q, _ in nearby if q.kind == "rate" for rate in working_rates(q, turn)]


def _one_times_how_many(quantity: Quantity, nearby: list[tuple[Quantity, int]]) -> list[float]:
    """One thing's figure times how many of those things ("86 Mbps per subscriber; to 10,000 subscribers, 860 Gbps")."""
    results = []
    for one, _ in nearby:
        if one.kind == quantity.kind and one.per_entity:
            things = {word.removesuffix("s") for word in _PER_THING.findall(one.around)}
            results += [
                one.value * q.value
                for q, _ in nearby
                if q.kind == "count" and q.nouns[:1] and q.nouns[0].removesuffix("s") in things
            ]
    return results


def follows_from_their_figures(quantity: Quantity, places: list[tuple[Quantity, int]]) -> bool:
    """True when the number (or the low end of its range) is what the candidate's own figures give.

    That is one of its kind restated in other units ("50 GB a day is 18 TB a year"); two multiplied or divided as
    their words say ("100M posts a day at 500 bytes is 50 GB a day"), by a factor ("plan for 10x") or a share ("5% of
    290K"); a total spread over the shards or servers they named, or one part's figure times them; the servers a
    total needs at one server's capacity; or a peak a few times their own average. `places` is the turn's figures
    with where each starts in its sentence (`placed`).
    """
    index = next(i for i, (q, _) in enumerate(places) if q is quantity)
    start = places[index][1]
    low = range_low(quantity, start)
    values = [quantity.value] + ([low] if low else [])
    sentences = list(dict.fromkeys(q.sentence for q, _ in places))
    position = sentences.index(quantity.sentence)
    previous = sentences[position - 1] if position else ""
    nearby = [(q, s) for q, s in places[:index] if q.value > 0 and q.sentence in (quantity.sentence, previous)]
    same_kind = [q for q, _ in nearby if q.kind == quantity.kind]
    shares = _shares_of_parts(quantity, nearby) + _capacity_counts(quantity, places)
    shares += _over_a_duration(quantity, [q for q, _ in places if q.sentence == quantity.sentence])
    shares += _over_a_shorter_day(quantity, nearby, [q for q, _ in places])
    shares += _one_times_how_many(quantity, nearby)
    if _any_close(values, [q.value for q in same_kind] + shares, periods=False):
        return True
    here = [(q, s) for q, s in nearby if q.sentence == quantity.sentence]
    worked = _said_operations(quantity.sentence, here)
    if len(here) >= 2:  # a chain such as "100 GB x 7 x 3 = 2.1 TB"
        chained = worked_operations([*here, places[index]], len(here) - 1, quantity)
        worked += chained[1] if chained else []
    if _any_close(values, worked, periods=True):
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
        if FACTOR.match(a.said):
            continue  # "plan for 10x, so 12K": a factor applies to the figure before it
        after_a = sentence[a_start + len(a.said) :]
        for b, b_start in here[i + 1 :]:
            factor = FACTOR.match(b.said)
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
    if not (any_in(PEAK_WORDS, quantity.sentence[: max(start, 0)]) or any_in(PEAK_WORDS, clause_after(quantity))):
        return False
    return any(1 < value / average <= MAX_PEAK_FACTOR for value in values for average in averages)
