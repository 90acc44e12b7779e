"""Checks the candidate's estimates against the numbers derived in code from the problem's scale facts.

A number gets a verdict only when it is clearly a whole-system estimate of something we derived: a rate, a data
rate, a storage total, a key space or a count named by its words. Anything else gets no verdict, because pushing
back on a correct statement is worse than staying quiet. For the same reason a byte total that follows from the
candidate's own count and item size in the same sentence is credited: the size is their design choice, and a figure
that follows from their own figures, or is one part's, gets none (`chains.py`). A figure they state as what their
own figures give, and more than 3x off it, is a slip (`arithmetic.py`), challenged whatever it counts.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass

from interview.problems.arithmetic import (
    COPIES,
    PEAK_WORDS,
    Slip,
    arithmetic_slip,
    clause_after,
    fleet_slip,
    placed,
    range_low,
    set_aside,
)
from interview.problems.chains import (
    MAX_PEAK_FACTOR,
    RESTATED,
    fair_readings,
    follows_from_their_figures,
    one_things_figure,
)
from interview.problems.given import Given, given_figures, heads, said_back
from interview.problems.load import Problem
from interview.problems.numbers import Quantity, parse_quantities
from interview.problems.scale import SECONDS_PER, Target
from interview.problems.terms import any_in, compile_patterns
from interview.problems.turn_down import rejects_an_alternative

TOLERANCE = 3.0  # within 3x either way is a fair back-of-the-envelope estimate
MIN_TOTAL_BYTES = 10e6  # smaller byte figures are sizes of one item, which are assumptions, not estimates
MAX_REPLICAS = 3  # "with three copies": stored bytes may be this many times the raw figure
MIN_COUNT = 1_000  # smaller counts are per-user figures or design choices, unless a target is that small
_HARDWARE = frozenset(
    "disk disks drive drives ssd ssds hdd nvme ram machine machines server servers node nodes box boxes instance "
    "instances host hosts nic nics card cards port ports uplink uplinks usable".split()
)  # "a 2 TB disk", "a 10 Gbps NIC", "65 TB usable": the size of one machine's part, not an estimate
# "I'd size the pipeline for 50K/s": a capacity they plan, judged like a peak
_CAPACITY = compile_patterns(["size|sized|sizing|target|capacity|provision*|headroom|design* for|plan* for|build for"])
_GENERIC_RATE_WORDS = compile_patterns(
    ["request*|req|reqs|quer*|qps|rps|tps|op|ops|operation*|call*|hit*|event*|transaction*|read*|write*|lookup*"]
)
# A product rule, limit or SLA states a requirement, not an estimate: "limits are 100 requests a minute per key".
_RULE_WORDS = compile_patterns(
    [
        "limit*|quota*|allow*|cap|caps|capped|throttl*|budget*|sla|slas|slo|slos|rule|rules|policy|policies|429"
        "|at most|no more than|maximum|max|burst*|timeout*|ttl|must|requirement*"
    ]
)
# Words that present a number as worked out ("that's about", "comes to"): such a number is an estimate even in a
# sentence that also states a rule.
_DERIVED_WORDS = compile_patterns(
    [
        "that's|that is|comes to|come to|works out|adds up|gives|gives us|means|roughly|about|around|approximately"
        "|approx|total|overall|in total|at peak|peak|on average|average|so|which is"
    ]
)
_ARITHMETIC = re.compile(r"(?<![a-z])x(?![a-z])|[×*=~≈]|\b(times|divided|multiplied)\b", re.IGNORECASE)

_QUESTIONS = {
    "rate": (
        "How did you get to {said}? Can you walk me through the arithmetic from the daily numbers?",
        "Can you walk me through the math behind {said}, step by step?",
        "Let's check {said} together: what did you start from, and how did you get to a rate per second?",
    ),
    "byte_rate": (
        "Walk me through {said}: which request rate and which size per item did you multiply?",
        "How did you arrive at {said}? Can you take me through the calculation?",
    ),
    "bytes": (
        "How did you arrive at {said}? Can you walk me through items per day, bytes per item and retention?",
        "Can you redo {said} out loud: how many items, how big each, and for how long?",
    ),
    "count": (
        "Can you show me how you got {said}?",
        "What arithmetic gets you to {said}?",
    ),
    "keyspace": (
        "How many distinct codes does {said} give you, and how many will you have handed out by the end of the "
        "retention period?",
    ),
}


@dataclass(frozen=True)
class EstimateCheck:
    verdict: str  # "ok" (within 3x) or "off"
    said: str  # the candidate's words for the number, e.g. "100 requests per second"
    quote: str  # the candidate's sentence, as evidence
    kind: str  # rate | byte_rate | bytes | count | keyspace
    stated: float  # in base units (per second, bytes, bytes per second)
    expected: float  # the number compared with (derived, or their own count x item size): for notes and feedback
    quantity: str  # what the derived number is, e.g. "new short links per second, peak"
    question: str  # for "off": asks them to walk through the arithmetic, without the answer; "" for "ok"
    slip: bool = False  # judged by the candidate's own figures, not by the problem's targets


_DAILY = re.compile(r"\b(a|per|each|every) day\b|\bdaily\b", re.IGNORECASE)
_A_FIELD = re.compile(r"\b(years?|ms|milliseconds?|timestamp|epoch)\b", re.IGNORECASE)
_A_YEAR = re.compile(r"\b(a|per|each|every) year$|/year$", re.IGNORECASE)  # "85M a year, 43 GB at 500 bytes each"
_ONE_PERIOD = re.compile(
    r"\b(over|in|for|per|each|every|a|one) (single |that |a |one )?(day|hour|minute)\b", re.IGNORECASE
)
_OPENS_ONE = re.compile(r"\s*(?:(?:over|in|for|per) )?(a|one|that|a single) (day|hour|minute)\b", re.IGNORECASE)
_KEPT_OVER = re.compile(r" over \d[\d.,]*[kmb]? (days|years)$| storage, replicated$")


def _named(target: Target, quantity: Quantity) -> bool:
    """True when the words right after the number name what the target counts ("116K redirects")."""
    return bool(target.terms) and any_in(target.terms, " ".join(quantity.nouns))


def _about(target: Target, quantity: Quantity) -> bool:
    """True when the number's words or its clause name what the target counts."""
    return _named(target, quantity) or (bool(target.terms) and any_in(target.terms, quantity.clause))


def _states_a_rule(quantity: Quantity) -> bool:
    """True when the number is a limit, quota or SLA the candidate states, not a quantity they worked out."""
    clause = quantity.clause.replace(quantity.said, " ")
    if any_in(_RULE_WORDS, clause):
        return True
    worked_out = any_in(_DERIVED_WORDS, clause) or bool(_ARITHMETIC.search(clause))
    return not worked_out and any_in(_RULE_WORDS, quantity.sentence.replace(quantity.said, " "))


def _names_something_else(quantity: Quantity, targets: tuple[Target, ...]) -> bool:
    """True when the figure's own words name a thing (not a generic "requests") that none of the targets counts."""
    specific = [noun for noun in quantity.nouns if not any_in(_GENERIC_RATE_WORDS, noun)]
    return bool(specific) and not any(_named(target, quantity) for target in targets)


def _candidates(quantity: Quantity, targets: tuple[Target, ...]) -> list[Target]:
    if quantity.operand or quantity.per_entity or _states_a_rule(quantity):
        return []
    if quantity.kind in ("bytes", "count") and (
        _ONE_PERIOD.search(quantity.clause) or _OPENS_ONE.match(quantity.sentence)
    ):
        targets = tuple(t for t in targets if not _KEPT_OVER.search(t.label))  # "over a day, 43 TB" is no 7 days' total
    if quantity.kind == "keyspace":  # "2^41 ms" is one field's range, not the IDs' key space
        keyspaces = [t for t in targets if t.kind == "keyspace"]
        if not quantity.nouns and _A_FIELD.search(quantity.sentence):
            return []  # "2^41 is 2.2 x 10^12, about 69 years": the timestamp field's range
        return [t for t in keyspaces if _named(t, quantity)] if quantity.nouns else keyspaces
    if quantity.kind == "count":  # a bare count needs its own noun to say what it counts ("3B reads" is not users)
        countable = [t for t in targets if t.kind in ("count", "keyspace")]
        if not any(_named(t, quantity) for t in countable):
            return []
        named = [t for t in countable if _about(t, quantity)]
        if _DAILY.search(quantity.sentence[: quantity.sentence.find(quantity.said)]):
            named = [t for t in named if "concurrent" not in t.label]  # "50M a day, so 5M matches": a day's count
        if quantity.value < MIN_COUNT and all(t.value >= MIN_COUNT for t in named):
            return []
        return named
    if quantity.kind == "bytes" and quantity.value < MIN_TOTAL_BYTES:
        return []
    if quantity.kind in ("bytes", "byte_rate") and _HARDWARE & set(quantity.nouns):
        return []
    if quantity.kind not in ("rate", "byte_rate", "bytes"):
        return []
    if quantity.kind == "rate" and not quantity.nouns and quantity.value < 1:
        return []  # "a batch every 15 seconds, so 4 a minute": one client's pace, not the system's
    pool = [t for t in targets if t.kind == quantity.kind]
    if _names_something_else(quantity, targets):
        return []  # "20B feed inserts a day" beside "100M posts": the clause's posts are not what it counts
    named = [t for t in pool if _about(t, quantity)]
    if named:
        return named
    if quantity.kind == "rate" and not all(any_in(_GENERIC_RATE_WORDS, noun) for noun in quantity.nouns):
        return []  # a rate of something we derived nothing for ("2 servers a second", "3.4 trillion computations")
    return pool


def _a_peak_above_average(quantity: Quantity, start: int, check: EstimateCheck) -> bool:
    """ "Even at a 10x peak, 27 a second" against the average: the peak factor is the candidate's own assumption.

    The peak may be named anywhere before the number in its sentence ("Peaks around holidays maybe 5 to 10x, so
    roughly 15 to 30 bookings a second") or after it in its clause ("1.2 Tbps at a 3x peak").
    """
    after = clause_after(quantity)
    before = quantity.sentence[: max(start, 0)]
    said_peak = any(any_in(PEAK_WORDS, words) or any_in(_CAPACITY, words) for words in (quantity.around, before, after))
    if not said_peak or not check.quantity.endswith(", average"):
        return False
    return 1 < check.stated / check.expected <= MAX_PEAK_FACTOR


# The figure's own label, right after it ("1,150/s at peak") or right before it ("the average is 1.2K/s").
_LABEL_AFTER = re.compile(r"^[^\d,;.]{0,25}?\b(?:at|during|in|on) (?:the |an? )?(peak|average)\b", re.IGNORECASE)
_LABEL_BEFORE = re.compile(r"\b(peak|average)\b(?: (?:is|of|at|around|about|rate))*\W{0,3}$", re.IGNORECASE)


def _labelled_otherwise(quantity: Quantity, start: int, check: EstimateCheck) -> bool:
    """True when the figure is called a peak but matched the average target, or the other way round."""
    after = quantity.sentence[max(start, 0) + len(quantity.said) :]
    label = _LABEL_AFTER.search(after) or _LABEL_BEFORE.search(quantity.sentence[: max(start, 0)])
    matched = check.quantity.rpartition(", ")[2]
    return label is not None and matched in ("peak", "average") and label.group(1).lower() != matched


def _replicated(quantity: Quantity, check: EstimateCheck) -> bool:
    """ "110 TB with three copies": stored bytes the candidate multiplied by their replication, up to 3x."""
    if check.kind not in ("bytes", "byte_rate") or not any_in(COPIES, quantity.clause):
        return False
    return 1 < check.stated / check.expected <= TOLERANCE * MAX_REPLICAS


def _distance(stated: float, target: Target) -> float:
    return abs(math.log(stated / target.value))


def _question(kind: str, said: str) -> str:
    templates = _QUESTIONS[kind]
    return templates[sum(map(ord, said)) % len(templates)].format(said=f'"{said}"')


def _verdict(quantity: Quantity, targets: list[Target]) -> EstimateCheck | None:
    keyspaces = [t for t in targets if t.kind == "keyspace"]
    if keyspaces:
        target = keyspaces[0]
        # enough keys for every item kept is what matters; "we need ~180B codes" for 182B says the need
        kind, ok = "keyspace", quantity.value * RESTATED >= target.value
    else:
        target = min(targets, key=lambda t: _distance(quantity.value, t))
        kind, ok = target.kind, _distance(quantity.value, target) <= math.log(TOLERANCE)
    return EstimateCheck(
        verdict="ok" if ok else "off",
        said=quantity.said,
        quote=quantity.sentence,
        kind=kind,
        stated=quantity.value,
        expected=target.value,
        quantity=target.label,
        question="" if ok else _question(kind, quantity.said),
    )


SLIP_LABEL = "what "  # a slip's quantity is "what 3.3M x 50 KB gives": what their own figures give


def _slip_check(quantity: Quantity, slip: Slip) -> EstimateCheck:
    """An "off" verdict on a slip in their own arithmetic, asking them to redo it from their own figures."""
    kind = quantity.kind if quantity.kind in _QUESTIONS else "count"
    if slip.restated:  # the lead names what they worked from; the question asks for the step, not the answer
        label, question = (
            f"{SLIP_LABEL}{slip.worked} comes to",
            f'How do you get from that to "{quantity.said}"? Walk me through the arithmetic.',
        )
    else:
        verb = "give" if " and " in slip.worked else "gives"
        label, question = (
            f"{SLIP_LABEL}{slip.worked} {verb}",
            f'Can you redo that step out loud and check "{quantity.said}"?',
        )
    return EstimateCheck(
        "off", quantity.said, quantity.sentence, kind, quantity.value, slip.expected, label, question, slip=True
    )


def _reconsidered(
    quantity: Quantity,
    start: int,
    check: EstimateCheck,
    places: list[tuple[Quantity, int]],
    targets: list[Target],
    facts: Given,
) -> EstimateCheck | None:
    """An "off" verdict looked at again: None when the figure follows from their own (unless one of those misreads a
    scale fact) or is one part's or one share's (judged as the whole), "ok" when their range, count times size or
    replication fits, else as it was."""
    if _a_peak_above_average(quantity, start, check):
        return None
    own = _own_arithmetic(quantity, [q for q, _ in places])
    if own is not None:
        return dataclasses.replace(check, verdict="ok", expected=own, question="")
    if follows_from_their_figures(quantity, places):
        return check if _misreads_a_fact(quantity, places, facts) else None
    if any(
        _verdict(dataclasses.replace(quantity, value=v), targets).verdict == "ok"
        for v in fair_readings(quantity, start, places)
    ):
        return None
    low = range_low(quantity, start)
    if low is not None and _verdict(dataclasses.replace(quantity, value=low), targets).verdict == "ok":
        return dataclasses.replace(check, verdict="ok", question="")
    if _replicated(quantity, check):
        return dataclasses.replace(check, verdict="ok", question="")
    return check


def _own_arithmetic(quantity: Quantity, found: list[Quantity]) -> float | None:
    """A byte total or byte rate that the sentence's own count or rate times its own item size gives ("50M keys with
    a 100-byte counter each is about 5 GB", "12K edits a second at 100 KB changed per edit is 1.2 GB/s"): the item
    size is their design choice, so the figure is judged by their arithmetic."""
    if quantity.kind not in ("bytes", "byte_rate"):
        return None
    here = [q for q in found if q.sentence == quantity.sentence and q is not quantity]
    sizes = [q.value for q in here if q.kind == "bytes" and 0 < q.value < MIN_TOTAL_BYTES]
    if quantity.kind == "bytes":
        counts = [q.value for q in here if q.kind in ("count", "number") and q.value > 1]
        counts += [q.value * SECONDS_PER["year"] for q in here if q.kind == "rate" and _A_YEAR.search(q.said)]
    else:  # a rate may come from the sentence before: "... about 12K a second. At 100 KB per edit, 1.2 GB/s"
        sentences = list(dict.fromkeys(q.sentence for q in found))
        nearby = sentences[max(sentences.index(quantity.sentence) - 1, 0) : sentences.index(quantity.sentence) + 1]
        counts = [q.value for q in found if q.sentence in nearby and q.kind == "rate" and q.value > 1]
    products = [count * size for count in counts for size in sizes]
    fitting = [p for p in products if abs(math.log(quantity.value / p)) <= math.log(TOLERANCE)]
    return min(fitting, key=lambda p: abs(math.log(quantity.value / p))) if fitting else None


def check_estimates(problem: Problem | None, text: str) -> list[EstimateCheck]:
    """Verdicts on the estimates in the text, in order: slips in the candidate's own arithmetic for any question, and
    for a bank problem each whole-system figure against its targets; none for an unclassified number."""
    checks, seen = [], set()
    found = parse_quantities(text)
    all_targets = problem.scale.targets if problem else ()
    given = given_figures(problem.scale_facts) if problem else ()
    # "if feeds used originals, that would be 50 PB a day": judged once per sentence, not once per number in it
    rejected = {sentence for sentence in {q.sentence for q in found} if rejects_an_alternative(sentence)}
    places = placed(found)  # once per turn: every rule below reads where each figure sits
    for quantity, start in places:
        if quantity.sentence in rejected or set_aside(quantity, start) or (quantity.said, quantity.sentence) in seen:
            continue
        slip = arithmetic_slip(quantity, places) or fleet_slip(quantity, [q for q, _ in places])
        if slip is not None:  # "3.3M x 50 KB is 165 TB": wrong by their own figures, whatever it counts
            seen.add((quantity.said, quantity.sentence))
            checks.append(_slip_check(quantity, slip))
            continue
        targets = _candidates(quantity, all_targets)
        if not targets or quantity.value <= 0 or one_things_figure(quantity):
            continue
        if problem is not None and said_back(quantity, problem.scale_facts):
            continue  # a scale fact said back ("a scan of all 10M jobs") is no estimate
        seen.add((quantity.said, quantity.sentence))
        check = _verdict(quantity, targets)
        if check.verdict == "ok" and _labelled_otherwise(quantity, start, check):
            continue  # "~1,150/s at peak" beside the 1,160/s average: no credit for the average, and 10x low at peak
        if check.verdict == "off":
            check = _reconsidered(quantity, start, check, places, targets, given)
        if check is not None:
            checks.append(check)
    return checks


def _misreads_a_fact(quantity: Quantity, places: list[tuple[Quantity, int]], facts: Given) -> bool:
    """True when a count the total is worked from counts what a scale fact counts but is a slipped zero or three
    away from it ("50M DAU times 40 messages" after "500M daily active users"): the total follows from a misread fact,
    not from an assumption of theirs ("~20 comments/s per viewer" is a design choice, "10 players" a match's)."""
    operands = [q for q, _ in places if q.sentence == quantity.sentence and q.operand and q.kind == "count"]
    for operand in operands:
        counts = heads(operand.nouns)
        # the scale facts counting the same thing ("10M viewers in all", "1M on the biggest stream")
        ratios = [operand.value / value for kind, value, heads in facts if kind == "count" and heads & counts]
        fits = any(abs(math.log(ratio)) < math.log(TOLERANCE) for ratio in ratios if ratio > 0)
        if not fits and any(_slipped_zeros(ratio) for ratio in ratios if ratio > 0):
            return True
    return False


def _slipped_zeros(ratio: float) -> bool:
    """10x, 100x or 1,000x either way, within 5%."""
    return any(math.isclose(abs(math.log10(ratio)), power, abs_tol=0.02) for power in (1, 2, 3))


def derived_facts(problem: Problem | None) -> tuple[str, ...]:
    """The problem's derived numbers in words (rates, storage, bandwidth, key space), for explain mode and notes."""
    return problem.scale.facts if problem else ()
