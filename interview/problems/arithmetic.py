"""A turn's own arithmetic: where its figures sit, what its words say they were worked from, and slips in it.

"3.3M x 50 KB, about 165 TB" says its operands and its operation; a figure more than 3x off what they give is a slip,
whatever it counts. The operation is read from the words (x, times, divided, over, at, with, across) and the units
decide between a product and a ratio.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from interview.problems.numbers import Quantity
from interview.problems.scale import SECONDS_PER
from interview.problems.terms import any_in, compile_patterns

PEAK_WORDS = compile_patterns(["peak*|burst*|spike*|busiest|top of the hour"])
FACTOR = re.compile(r"^(\d+(?:\.\d+)?)\s*[x×]$", re.IGNORECASE)
FACTOR_IN = re.compile(r"\b\d+(?:\.\d+)?\s*[x×](?![a-z])", re.IGNORECASE)
COPIES = compile_patterns(["cop*|replica*|replicat*|rf|erasure|mirror*"])
# "thousands of points, not 8.6M raw samples": the figure they set aside, not one they estimate
_SET_ASIDE = re.compile(
    r"\b(not|rather than|instead of|versus|vs\.?|about to say|going to say)\s+(?:even\s+|about\s+|roughly\s+|around\s+)?"
    r"[~≈]?\s*$",
    re.IGNORECASE,
)
# "comfortable for 25 Gbps NICs": a figure compared with, not worked out
_COMPARED = re.compile(r"\b(for|than|under|below|within)\s*[~≈]?\s*$", re.IGNORECASE)
# "~35K a second — no wait, ~350K": a figure taken back at once
_CORRECTED = re.compile(
    r"^[^\w.;]{0,4}(no,? wait|wait,? no|sorry|i mean|scratch that|correction|oops)\b", re.IGNORECASE
)
# "62^6 ≈ 57B — not enough": a figure they rule out as too small
_RULED_OUT = re.compile(
    r"^[^.;]{0,40}?\b(not enough|too small|too few|too little|isn't enough|is not enough|wouldn't be enough|"
    r"insufficient|falls short|runs out|would run out|won't last|not worth)\b",
    re.IGNORECASE,
)
# "10 to 20K a second", "270 to 2.7K": the low end of a range, with the multiplier of the high end if it has none
_RANGE_LOW = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|m|b|bn|thousand|million|billion)?\s*(?:to|-|–)\s*[~≈]?\s*$",
    re.IGNORECASE,
)
_NEXT_IN_LIST = re.compile(r"\s*(?:,|and|or)\s*[~≈]?\s*\d[\d.,]*\s*[A-Za-z/]*\s+([^,;.]{0,30})", re.IGNORECASE)
_RANGE_START = re.compile(r"\s*(?:to|-|–)\s*[~≈]?\s*\d")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_ONE_IN = re.compile(r"\b1 in (\d+)\b", re.IGNORECASE)
_FRACTIONS = {"half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "a quarter": 0.25, "a tenth": 0.1, "one tenth": 0.1}
_FRACTION = re.compile(r"\b(" + "|".join(_FRACTIONS) + r")\b", re.IGNORECASE)
_SHORT = re.compile(
    r"[~≈]?\s*[\d.,^]+\s*(?:[kmbt]n?\b|thousand|million|billion|trillion)?\s*"
    r"(?:[kmgtpe]i?b(?:/s)?\b|bytes?\b|[kmgt]?bps\b|qps\b|rps\b|/s\b|%|x\b)?",
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


def clause_after(quantity: Quantity) -> str:
    """The words after the figure in its clause ("1.2 Tbps at a 3x peak" gives " at a 3x peak")."""
    return quantity.clause[quantity.clause.find(quantity.said) + len(quantity.said) :]


def set_aside(quantity: Quantity, start: int) -> bool:
    """True for a figure said as what it is not ("not 8.6M raw samples", "rather than 1 PB"), ruled out ("62^6 is
    57B, not enough"), or the low end of a range, which is judged with its high end ("35 to 46K at the hour")."""
    after = quantity.sentence[max(start, 0) + len(quantity.said) :]
    if _RANGE_START.match(after):
        return True
    if _CORRECTED.match(after):
        return True  # "~35K a second — no wait, ~350K": the next figure is the one they mean
    return (start > 0 and _SET_ASIDE.search(quantity.sentence[:start]) is not None) or bool(_RULED_OUT.search(after))


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


def shares_before(before: str) -> list[float]:
    """The fractions said before a figure ("5%", "half", "1 in 10"), and for a hit ratio the misses too."""
    shares = [float(percent) / 100 for percent in _PERCENT.findall(before)]
    shares += [1 / float(count) for count in _ONE_IN.findall(before)]
    shares += [_FRACTIONS[word.casefold()] for word in _FRACTION.findall(before)]
    if re.search(r"\bhit", before, re.IGNORECASE):
        shares += [1 - share for share in shares]  # a hit ratio leaves the misses for the tier behind it
    return [share for share in shares if 0 < share < 1]


def _number(text: str) -> float:
    return float(text.replace(",", ""))


# What a candidate's own arithmetic says: "a x b is c", "a over b is c", "a a day, that's c a second".
_TIMES = re.compile(r"(?<![a-z])x(?![a-z])|×|\*|\btimes\b|\bmultiplied\b", re.IGNORECASE)
_OVER = re.compile(r"\bdivided\b|/|\bspread\b|\bsplit\b", re.IGNORECASE)
# "a count at a size" is a product, "a total at a size" a ratio, "8 bytes across 10B IDs" a product: the units decide
_AT = re.compile(r"\b(at|with|each|over|across|among)\b", re.IGNORECASE)
# each kind's powers of bytes and of time: a byte rate is bytes per second
_DIMENSIONS = {
    "count": (0, 0),
    "number": (0, 0),
    "skip": (0, 0),
    "rate": (0, -1),
    "bytes": (1, 0),
    "byte_rate": (1, -1),
    "duration": (0, 0),  # only a period's seconds ("/ 86,400 seconds"): see `_usable`
}
_TOKENS = re.compile(r"[a-z0-9'’.]+|[=≈~→]|->", re.IGNORECASE)
_RESULT = {"is", "are", "=", "≈", "that's", "that’s", "gives", "comes", "works", "so", "means", "makes", "equals"}
_RESULT |= {"becomes", "become", "produce", "produces", "→", "->", "or", "which", "adds", "add"}
_FILLER = {"about", "roughly", "around", "approximately", "approx", "only", "just", "~", "us", "to", "out", "call"}
_FILLER |= {"it", "that", "i.e.", "ie", "then", "a", "total", "in", "of"}
A_DAY = re.compile(r"\b(a|per|each|every) day$|/day$|\bdaily\b", re.IGNORECASE)  # a figure said per day
_DURATION_SECONDS = {"ms": 0.001, "millisecond": 0.001, "s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60}
_DURATION_SECONDS |= {"h": 3_600, "hr": 3_600, "hour": 3_600, "day": 86_400, "week": 604_800}
_PERIODS = ("number", "duration")  # "/ 86,400" or "/ 86,400 seconds"
_IN_SECONDS = {60.0, 3_600.0, 86_400.0}  # a minute, an hour, a day
_PERIOD_COUNTS = {7.0, 12.0, 24.0, 30.0, 52.0, 60.0, 365.0, 1_440.0, 3_600.0, 86_400.0}  # one period in another
_OPERAND_BEFORE = re.compile(r"\b(at|with|x|times|over|across|among|per|each|by)\s*[~≈]?\s*$", re.IGNORECASE)
_APPROXIMATELY = {"about", "roughly", "around", "approximately", "approx", "~"}
_PERIODS_OF_ARITHMETIC = (1, 60, 3_600, SECONDS_PER["day"], SECONDS_PER["month"], SECONDS_PER["year"])
SLIP = 3.0  # their result is a slip when it is further than this from what their own figures give


def _tokens(text: str) -> list[str]:
    return [token.casefold() for token in _TOKENS.findall(text)]


def _a_result_cue(text: str, leading_nouns: tuple[str, ...] = ()) -> bool:
    """The words between two figures say the second is what the first comes to ("is about", ", that's ~", ", about")."""
    tokens = [token for token in _tokens(text) if token.strip(".")]  # "86,400... roughly 2,300": a pause, no word
    for noun in leading_nouns:  # the first figure's own trailing words ("2 MB per photo is")
        if tokens and tokens[0] == noun:
            tokens.pop(0)
    others = [t for t in tokens if t not in _RESULT and t not in _FILLER]
    if len(others) > 2:
        return False
    if any(t in _RESULT for t in tokens):
        return True
    restated = text.lstrip(" ").startswith((",", "—", "-", "=", "...", "…")) and tokens and not others
    return bool(restated) and any(t in _APPROXIMATELY for t in tokens)  # "3.3M x 50 KB, about 165 GB"


def _operation(a: Quantity, text: str) -> tuple[str, ...]:
    """The operations the words between two figures name: ("times",), ("over",), both for "at", or none."""
    tokens = _tokens(text)
    if len(tokens) > 6 or any(t in _RESULT for t in tokens) or ":" in text:
        return ()  # "1M a second over a minute is 60M": a result, not an operand; "200 KB each: 50M": a new clause
    if _TIMES.search(text):
        return ("times",)
    if _OVER.search(text):
        return ("over",)
    return ("times", "over", "into") if _AT.search(text) or _AT.search(" ".join(a.nouns)) else ()  # units decide


def _usable(quantity: Quantity) -> bool:
    if quantity.kind in ("skip", "duration"):  # a duration only as the seconds of a period: "/ 86,400 seconds"
        return bool(FACTOR.match(quantity.said)) if quantity.kind == "skip" else seconds_of(quantity) in _IN_SECONDS
    return quantity.value > 0 and quantity.kind in _DIMENSIONS


def _apply(value: float, power: int, b: Quantity, operation: str) -> tuple[float, int]:
    """One step of their arithmetic, with the result's power of bytes (time units are left to the periods)."""
    factor = FACTOR.match(b.said)
    operand, operand_power = (float(factor.group(1)), 0) if factor else (b.value, _DIMENSIONS[b.kind][0])
    if operation == "times":
        return value * operand, power + operand_power
    if operation == "over":
        return value / operand, power - operand_power
    return operand / value, operand_power - power  # "into": "4 MB chunks with a 50 GB file" is 50 GB / 4 MB


def seconds_of(duration: Quantity) -> float | None:
    """A duration in seconds ("7 minutes", "10 s"), or None for a unit not known here."""
    if not duration.nouns:
        return None
    noun = duration.nouns[0]
    unit = noun if noun in _DURATION_SECONDS else noun.rstrip("s")  # "ms" and "s" are units, "minutes" a plural
    return duration.value * _DURATION_SECONDS[unit] if unit in _DURATION_SECONDS else None


def working_rates(daily: Quantity, turn: Iterable[Quantity]) -> list[float]:
    """A day's figure per second of the shorter day the turn names ("a 6.5-hour session is 23,400 seconds")."""
    days = [s for s in (seconds_of(q) for q in turn if q.kind == "duration") if s and 3_600 <= s]
    return [rate for rate in (_over_a_shorter_day(daily, day) for day in days) if rate is not None]


def _over_a_shorter_day(daily: Quantity, seconds: float | None) -> float | None:
    """A day's figure per second of a shorter day of `seconds`; None when it is no day's rate or no shorter day."""
    if daily.kind != "rate" or not A_DAY.search(daily.said) or not seconds or seconds >= SECONDS_PER["day"]:
        return None
    return daily.value * SECONDS_PER["day"] / seconds


@dataclass(frozen=True)
class Slip:
    """A figure that does not follow from what the candidate said it comes from."""

    worked: str  # their words for what it comes from: "3.3M x 50 KB", or the figure it restates
    restated: bool  # "25B a day, that's 30K a second": the same figure in other units
    expected: float  # what their figures give, in the stated figure's base units


def arithmetic_slip(quantity: Quantity, places: list[tuple[Quantity, int]]) -> Slip | None:
    """When the number is stated as what the candidate's own figures right before it give and is over 3x off it: what
    they worked from and what those figures give; else None. `places`: the turn's figures and starts (`placed`)."""
    in_sentence = [(q, s) for q, s in places if q.sentence == quantity.sentence]
    index = next(i for i, (q, _) in enumerate(in_sentence) if q is quantity)
    if index == 0 or quantity.kind in ("skip", "duration") or not _usable(quantity):
        return None
    sentence, start = quantity.sentence, in_sentence[index][1]
    b, b_start = in_sentence[index - 1]
    between = sentence[b_start + len(b.said) : start]
    after = clause_after(quantity)
    if not _a_result_cue(between, b.nouns) or "(" in between or ")" in between or _COMPARED.search(between):
        return None  # a bracketed sum is more than the two figures before it; "comfortable for 25 Gbps NICs" compares
    listed = _NEXT_IN_LIST.match(sentence[start + len(quantity.said) :])
    after += f" {listed.group(1)}" if listed else ""  # "10K and 100K at peak": the list's tail says it for both
    if any_in(PEAK_WORDS, f"{quantity.around} {after}") or FACTOR_IN.search(after) or any_in(COPIES, after):
        return None  # "~70K at the 3x peak", "5.5 PB at 3x replication": a factor applied on top
    if A_DAY.search(quantity.said) and any_in(PEAK_WORDS, b.around):
        return None  # "35K at peak; at 500 KB each that's 500 TB a day": a day's total comes from the average
    worked = worked_operations(in_sentence, index - 1, quantity) if index >= 2 else None
    if worked == ():
        return None  # a chain of three or more, or an operand we cannot weigh: not checked
    over = None
    if b.kind == "duration" and index >= 2:  # "1B a day, which over 86,400 seconds is 1,200 a second" restates 1B
        b, b_start, over = _over_the_duration(in_sentence, index - 1)
    if worked:
        label, results = worked
        restated = False
    elif (
        quantity.kind in ("rate", "byte_rate")
        and b.kind == quantity.kind
        and not (b.per_entity or quantity.per_entity)
        and _same_thing(b, quantity)
        and not _OPERAND_BEFORE.search(sentence[:b_start])  # "8.3M streams; at 5 Mbps, ~42 Tbps": 5 Mbps is an operand
    ):
        label, restated = b.said, True
        results = [over] if over else [b.value, *working_rates(b, (q for q, _ in places))]
    else:
        return None
    results += [result * share for result in results for share in shares_before(sentence[:start])]
    if _fits(quantity, results):
        return None
    return Slip(label, restated, _nearest(quantity, results))


def _over_the_duration(in_sentence: list[tuple[Quantity, int]], index: int) -> tuple[Quantity, int, float | None]:
    """The figure before the durations that end at `index`, and its day's count over a shorter stated duration ("1B a
    day; the session is 6.5 hours, which is 23,400 seconds, so 42K a second"), or None for a whole day."""
    seconds = seconds_of(in_sentence[index][0])
    while index >= 1 and in_sentence[index][0].kind == "duration":
        index -= 1
    daily, start = in_sentence[index]
    return daily, start, _over_a_shorter_day(daily, seconds)


def worked_operations(places: list[tuple[Quantity, int]], b_index: int, result: Quantity) -> tuple | None:
    """What the figures joined by operations up to the one at b_index give: (label, results); None when no
    operation joins it to the one before; () for arithmetic this cannot check (brackets, an operand of another kind,
    a word such as "at" inside a longer chain, or results whose units cannot be the stated one's)."""
    sentence, chain, operations = result.sentence, [b_index], []
    while chain[0] >= 1:
        (a, a_start), b_start = places[chain[0] - 1], places[chain[0]][1]
        between = sentence[a_start + len(a.said) : b_start]
        operation = _operation(a, between)
        if FACTOR.match(places[chain[0]][0].said) and operation:
            operation = ("times",)  # "at 3x" scales up; "after 5x compression" is not an operation of this kind
        if not operation:
            break
        if "(" in between or ")" in between:
            return ()
        operations.insert(0, operation)
        chain.insert(0, chain[0] - 1)
    if not operations:
        return None
    operands = [places[i][0] for i in chain]
    if not all(_usable(q) for q in operands) or FACTOR.match(operands[0].said):
        return ()
    if len(operations) > 1 and any(len(operation) > 1 for operation in operations):
        return ()
    first = operands[0]
    steps = [_apply(first.value, _DIMENSIONS[first.kind][0], operands[1], op) for op in operations[0]]
    for operation, operand in zip(operations[1:], operands[2:], strict=True):
        steps = [_apply(value, power, operand, operation[0]) for value, power in steps]
    results = [value for value, power in steps if power == _DIMENSIONS[result.kind][0]]
    results += [value * mate.value / first.value for mate in _listed_with(places, chain[0]) for value in results]
    if result.kind in ("rate", "byte_rate") and any(q.kind in _PERIODS and q.value in _PERIOD_COUNTS for q in operands):
        # "50M a day times 365 is 18B a year", "2B a day divided by 86,400 is 23K a second": the same rate restated
        results = [q.value for q in operands if q.kind == result.kind] or results
    joiners = {("times",): " x ", ("over",): " / "}
    worked = _short(operands[0].said) + "".join(
        joiners.get(operation, " and ") + _short(operand.said)
        for operation, operand in zip(operations, operands[1:], strict=True)
    )  # their figures without their words around them, so the challenge does not read their sentence back
    return (worked, results) if results else ()


_LIST_JOIN = re.compile(r"\s*(?:,|and|or|,\s*and)\s*$", re.IGNORECASE)


def _listed_with(places: list[tuple[Quantity, int]], index: int) -> list[Quantity]:
    """The figures listed right before this one ("10K PUTs and 100K GETs a second; at 1 MB, 10 GB/s and 100 GB/s"):
    a result may be worked from any of them."""
    mates, sentence = [], places[index][0].sentence
    while index >= 1:
        (mate, start), next_start = places[index - 1], places[index][1]
        kind = places[index][0].kind
        listed = {kind, "count"} if kind == "rate" else {kind}  # "10K PUTs and 100K GETs a second": one period
        if mate.kind not in listed or not _LIST_JOIN.match(sentence[start + len(mate.said) : next_start]):
            break
        mates.append(mate)
        index -= 1
    return mates


def _short(said: str) -> str:
    """A figure as a number and its unit: "500M" for "500M registered users", "2 GB" for "2 GB"."""
    found = _SHORT.match(said)
    return found.group(0).strip() if found else said


def _same_thing(a: Quantity, b: Quantity) -> bool:
    nouns_a = {noun.rstrip("s") for noun in a.nouns}
    nouns_b = {noun.rstrip("s") for noun in b.nouns}
    return not nouns_a or not nouns_b or bool(nouns_a & nouns_b)


def _fits(quantity: Quantity, results: list[float]) -> bool:
    # every period for a per-second figure: it forgives operands misjoined ("each op goes to 2 others, so 40M/s")
    named = SECONDS_PER.get(quantity.period, 1)
    periods = (1, named) if named > 1 else _PERIODS_OF_ARITHMETIC
    return abs(math.log(quantity.value / _nearest(quantity, results, periods))) <= math.log(SLIP)


def _nearest(quantity: Quantity, results: list[float], periods: tuple[float, ...] = ()) -> float:
    """Their result closest to the stated figure, in its base units ("500M x 300 bytes is 150 MB a day" is per day)."""
    periods = periods or (1, SECONDS_PER.get(quantity.period, 1))
    readings = [reading for result in results for period in periods for reading in (result / period, result * period)]
    return min(readings, key=lambda reading: abs(math.log(quantity.value / reading)))


# Sizing a fleet: "2,000 cores ... with 16-core machines that's about 12 judges", "100K matches. At 50 matches per
# box we need about 200 machines": the machine count is their total over one machine's share.
_FLEET = frozenset(
    "machine machines server servers box boxes node nodes host hosts instance instances broker brokers worker "
    "workers judge judges gpu gpus".split()
)
_PER_MACHINE = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*(k|m)?\s*(?:-\s*core|\s+cores?)\s+(?:machines?|servers?|boxes|box|hosts?|nodes?)\b"
    r"|(\d[\d,]*(?:\.\d+)?)\s*(k|m)?\s+([a-z]+)\s+(?:per|on each|on one|a|each)\s+(?:box|machine|server|node|host)\b",
    re.IGNORECASE,
)


def fleet_slip(quantity: Quantity, found: list[Quantity]) -> Slip | None:
    """A machine count more than 3x off what their total over one machine's stated share gives; else None."""
    if quantity.kind != "count" or not _FLEET & {noun.lower() for noun in quantity.nouns}:
        return None
    share = _PER_MACHINE.search(quantity.sentence[: quantity.sentence.find(quantity.said)])
    if share is None:
        return None
    number, multiplier, thing = share.group(1) or share.group(3), share.group(2) or share.group(4), share.group(5)
    per_machine = _number(number) * _MULTIPLIER.get((multiplier or "").lower(), 1)
    unit = (thing or "cores").lower().rstrip("s")
    before = found[: next(i for i, q in enumerate(found) if q is quantity)]
    totals = [q for q in before if q.value > per_machine and any(n.lower().rstrip("s") == unit for n in q.nouns)]
    if not totals or per_machine <= 0:
        return None
    total = totals[-1]
    expected = total.value / per_machine
    if abs(math.log(quantity.value / expected)) <= math.log(SLIP):
        return None
    return Slip(f"{_short(total.said)} / {number}{multiplier or ''}", False, expected)
