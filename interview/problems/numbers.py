"""Numbers with units in free text: "1.2K", "1,160 writes/s", "100M a day", "3 TB", "62^7", "1.6 × 10^12", "5 years".

Each number becomes a Quantity in base units: events per second for rates, bytes, bytes per second, or a plain
count. Operands of arithmetic ("100M x 365"), ratios ("100:1"), factors ("3x"), percentages, durations and ordinals
are kept but marked, so that no estimate verdict is drawn from them."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from interview.core.sentences import split_sentences
from interview.problems.lists import respective
from interview.problems.number_tokens import Token, clause_bounds, tokens
from interview.problems.scale import SECONDS_PER

_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
_MULTIPLIERS |= {"t": 1e12, "tn": 1e12, "trillion": 1e12}
_SPACED_MULTIPLIERS = {"K", "k", "M", "thousand", "million", "billion", "trillion", "mn", "bn", "tn"}


def _spaced_multiplier(word: str) -> bool:
    """ "K" or "thousand" after a number; a scale word may be capitalised ("A Million users")."""
    return word in _SPACED_MULTIPLIERS or word.casefold() in ("thousand", "million", "billion", "trillion")


_BYTE_UNITS = {"b": 1, "byte": 1, "bytes": 1, "kb": 1e3, "kib": 1024, "mb": 1e6, "mib": 1024**2, "gb": 1e9}
_BYTE_UNITS |= {"gib": 1024**3, "tb": 1e12, "tib": 1024**4, "pb": 1e15, "eb": 1e18, "kilobytes": 1e3}
_BYTE_UNITS |= {"megabytes": 1e6, "gigabytes": 1e9, "terabytes": 1e12, "petabytes": 1e15, "exabytes": 1e18}
_BIT_RATE_UNITS = {"bps": 1 / 8, "kbps": 1e3 / 8, "mbps": 1e6 / 8, "gbps": 1e9 / 8, "tbps": 1e12 / 8}
_DURATIONS = {"ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "h", "hr", "hrs"}
_DURATIONS |= {"hour", "hours", "day", "days", "d", "week", "weeks", "month", "months", "year", "years", "yr", "yrs"}
_PERIOD_WORDS = {"s": "second", "sec": "second", "second": "second", "min": "minute", "minute": "minute"}
_PERIOD_WORDS |= {"h": "hour", "hr": "hour", "hour": "hour", "d": "day", "day": "day", "mo": "month", "month": "month"}
_PERIOD_WORDS |= {"yr": "year", "year": "year", "millisecond": "millisecond"}  # "2,048 IDs per millisecond"
_PERIOD_ADVERBS = {"hourly": "hour", "daily": "day", "monthly": "month", "yearly": "year", "annually": "year"}
_RATE_ACRONYMS = {"qps", "rps", "tps"}
_PERIOD_LEADS = {"per", "a", "an", "each", "every"}
_OPERATORS = {"x", "×", "*", "times", "multiplied", "divided"}
_STOP_WORDS = set(
    "is are was were be that which at on of for with to in so and or but about roughly around we i it".split()
)
_STOP_WORDS |= set(
    "would will could should this then than into from as by if when our their its the peak average before after".split()
)
_FILLERS = set("and or to roughly about around maybe perhaps nearly almost up say approximately approx some".split())
_FILLERS |= set("at peak with on average a the which is so i.e. e.g. rising going".split())
_ENTITIES = set(
    "node server gateway shard machine instance host worker box core broker partition user key client driver rider "
    "device document doc conversation event seat page post link url message video account merchant follower region "
    "zone site domain viewer editor search query person customer member group channel file item object value entry "
    "record photo op operation request stream chunk part block segment piece series panel dashboard tenant dc "
    "symbol ticker auction player match game room hotel restaurant store team topic hashtag ad campaign listing "
    "batch snapshot packet frame tick".split()
)
_PEOPLE = set(
    "active user player rider driver customer visitor viewer member reader buyer seller courier guest listener "
    "subscriber creator bidder trader advertiser shopper learner student".split()
)
_HYPHENS = ("-", "–")
_EACH_VERBS = set("takes holds handles sees gets adds serves stores receives returns sends carries needs does".split())
AROUND_WORDS = 6  # words before a number that can say which figure it is ("at a 10x peak"), and half as many after
_QUALIFIERS = {"per", "each", "every", "one", "single", "any", "a"}
_TOTAL_WORDS = {"total", "overall", "altogether", "combined", "fleet", "systemwide"}
_TOTAL_PAIRS = {("in", "all"), ("across", "all"), ("the", "whole"), ("the", "entire"), ("all", "servers")}
_LIST_GLUE = {"and", "plus", "about", "roughly", "around", "maybe", "nearly", "almost", "up", "to"} | _EACH_VERBS


# A count said in words before a noun and its period: the period is that count's ("hundred million rows a day").
_MAGNITUDE_WORDS = frozenset("hundred hundreds thousand thousands million millions billion billions few dozen".split())


@dataclass(frozen=True)
class Quantity:
    value: float  # base units: events/s (rate), bytes, bytes/s (byte_rate), or a plain number
    written: float  # the number as written, with its K/M/B multiplier: 1 for "1 KB", 62 for "62^7"
    kind: str  # rate | byte_rate | bytes | count | keyspace | number | duration | skip
    said: str  # the candidate's words for it, e.g. "100M a day"
    clause: str  # the part of the sentence it sits in, for telling what is counted
    sentence: str
    nouns: tuple[str, ...] = ()  # words right after it naming what is counted
    per_entity: bool = False  # "per node", "each", "one gateway holds": not a whole-system figure
    operand: bool = False  # part of arithmetic such as "100M x 365" or "1B / 2.6M s"
    around: str = ""  # a few words either side of it, lowercase: "even at a 10x peak, 27 a second"
    period: str = ""  # the period a rate was said per ("day" for "150 MB of text a day"); empty when unknown


def _qualified(tokens: list[Token], nearby: range, skip: range) -> bool:
    """True when the words around a number say "per node", "each user", "one gateway": a per-entity figure."""
    for index in nearby:
        if index in skip or tokens[index].lower not in _QUALIFIERS:
            continue
        for after in tokens[index + 1 : min(index + 3, nearby.stop)]:
            word = after.lower.removesuffix("'s").removesuffix("s")  # "a user's 50 messages"
            if after.kind == "word" and word in _ENTITIES:
                return True
    return False


class _Reader:
    """Reads the quantities of one sentence, token by token."""

    def __init__(self, sentence: str):
        self.sentence = sentence
        self.tokens = tokens(sentence)
        self.skipped: set[int] = set()
        self.consumed = -1  # last token that belongs to the previous number, e.g. its "per op"
        self.per_ends: set[int] = set()  # last tokens of per-entity numbers, for the range "each takes 10 to 20 MB/s"
        self.list_ends: set[int] = set()  # last tokens of "each takes 50K a second" figures, for the rest of the list

    def word(self, index: int) -> str:
        return self.tokens[index].lower if 0 <= index < len(self.tokens) else ""

    def read(self) -> list[Quantity]:
        found: list[tuple[int, int, Quantity]] = []
        linked, bare = [], []  # for lists said in parallel ("5K PUTs and 50K GETs a second, so 10K and 100K")
        for index, token in enumerate(self.tokens):
            if token.kind == "num" and index not in self.skipped:
                end, quantity = self._quantity(index)
                between = {t.lower for t in self.tokens[found[-1][1] + 1 : index]} if found else {"start"}
                linked.append(bool(between) and between <= {"and", ",", "or"})
                bare.append(not quantity.nouns)
                found.append((index, end, self._inherit(found, index, quantity)))
        return respective([quantity for _, _, quantity in found], linked, bare)

    def _inherit(self, found: list[tuple[int, int, Quantity]], index: int, quantity: Quantity) -> Quantity:
        """A bare number right after a rate ("1,160 writes/s, roughly 3,500 at peak") is the same kind of rate,
        and a rate that names nothing ("3B feed loads a day, about 35K per second") counts the same thing."""
        bare_rate = quantity.kind == "rate" and not quantity.nouns and not quantity.per_entity
        if (quantity.kind != "number" and not bare_rate) or quantity.operand or not found:
            return quantity
        previous_start, previous_end, previous = found[-1]
        between = [t.lower for t in self.tokens[previous_end + 1 : index]]
        if previous.kind != "rate" or previous.operand or previous.per_entity or len(between) > 6:
            return quantity
        if not all(word in _FILLERS or word in {",", ";", "~", "(", "-"} for word in between):
            return quantity
        if bare_rate:
            if not previous.nouns or not self._names_nothing(quantity, previous):
                return quantity
            return dataclasses.replace(quantity, nouns=previous.nouns)
        period = previous.value / previous.written
        return dataclasses.replace(
            quantity, value=quantity.written * period, kind="rate", nouns=previous.nouns, period=previous.period
        )

    @staticmethod
    def _names_nothing(quantity: Quantity, previous: Quantity) -> bool:
        """True when the number's clause has no words of its own besides fillers, its period and the rate before it."""
        rest = quantity.clause.replace(quantity.said, " ").replace(previous.said, " ")
        return all(
            word in _FILLERS or word in _STOP_WORDS or word in _PERIOD_LEADS or word.removesuffix("s") in _PERIOD_WORDS
            for word in re.findall(r"[a-z]+", rest.casefold())
        )

    def _raw_value(self, index: int) -> float:
        token = self.tokens[index]
        mantissa, exponent = [*re.split(r"\s*[×x*·]\s*10\^", token.text.replace(",", "")), "0"][:2]
        value = float(mantissa) * 10 ** int(exponent)
        suffix = token.suffix.lower()
        if suffix in _MULTIPLIERS:
            value *= _MULTIPLIERS[suffix]
        elif self.word(index + 1) and _spaced_multiplier(self.tokens[index + 1].text) and not suffix:
            value *= _MULTIPLIERS[self.word(index + 1)]
        return value

    def _quantity(self, index: int) -> tuple[int, Quantity]:
        tokens = self.tokens
        token = tokens[index]
        first, last = clause_bounds(tokens, index)
        clause = self.sentence[tokens[first].start : tokens[last].end]
        kind, value, position, unit = "number", self._raw_value(index), index + 1, None
        written = value
        suffix = token.suffix.lower()
        if suffix and suffix not in _MULTIPLIERS:
            if suffix in _BYTE_UNITS or suffix in _BIT_RATE_UNITS:
                unit = suffix
            elif suffix[0] in "kmbt" and (suffix[1:] in _BYTE_UNITS or suffix[1:] in _BIT_RATE_UNITS):
                value, unit = value * _MULTIPLIERS[suffix[0]], suffix[1:]
            else:
                kind = "duration" if suffix in _DURATIONS else "skip"  # "10s", "3x", "64bit", "1st"
        elif not suffix and tokens[position:] and _spaced_multiplier(tokens[position].text):
            position += 1
        if kind == "number" and self.word(position) == "^" and position + 1 < len(tokens):
            exponent = tokens[position + 1]
            if exponent.kind == "num" and not exponent.suffix:
                self.skipped.add(position + 1)
                kind, value, position = "keyspace", value ** float(exponent.text.replace(",", "")), position + 2
        if kind == "number" and unit is None and self.word(position) in (*_BYTE_UNITS, *_BIT_RATE_UNITS):
            unit, position = self.word(position), position + 1
        if kind == "number" and unit is None and self.word(position) in _DURATIONS:
            kind = "duration"
        if (
            kind == "number"
            and unit is None
            and self.word(position) in _HYPHENS
            and self.word(position + 1) in _BYTE_UNITS
        ):
            unit, position = self.word(position + 1), position + 2  # "a 100-byte counter"
        if kind == "number" and self.word(position) in {":", "%", "percent", *(_HYPHENS if unit is None else ())}:
            if self.word(position) == ":":
                self.skipped.add(position + 1)
            kind = "skip"  # a ratio, a percentage, or the start of a range
        if unit in _BYTE_UNITS:
            value, kind = value * _BYTE_UNITS[unit], "bytes"
        elif unit in _BIT_RATE_UNITS:
            value, kind = value * _BIT_RATE_UNITS[unit], "byte_rate"
        nouns, period, position, operand, per = self._after(position, last)
        if period is None and kind in ("number", "bytes"):
            period = self._period_before(first, index)  # "A day at the average rate is about 43 TB"
        operand = operand or self._after_operator(index)
        if period is None and kind == "number" and any(self.word(i) in _RATE_ACRONYMS for i in range(first, index)):
            period = "second"
        if period is not None and kind in ("number", "bytes"):
            value /= SECONDS_PER[period]
            kind = "rate" if kind == "number" else "byte_rate"
        elif kind == "number" and nouns:
            kind = "count"
        per = self._per_entity(index, position, range(max(first, self.consumed + 1), last + 1), per)
        if self.word(position) in _HYPHENS and self.word(position + 1).removesuffix("s") in _PERIOD_WORDS:
            kind = "skip"  # "5B navigation-minutes a day": a product of people and time, not a count
        self.consumed = self._qualifier_end(position) if per else position - 1
        said, around = self._words(index, position)
        per_period = period if kind in ("rate", "byte_rate") and period else ""
        quantity = Quantity(value, written, kind, said, clause, self.sentence, tuple(nouns), per, operand, around)
        return max(index, position - 1), dataclasses.replace(quantity, period=per_period)

    def _words(self, index: int, position: int) -> tuple[str, str]:
        """The number as said ("20 TB", not "20 TB of originals per day"), and a few lowercase words around it."""
        said = self.sentence[self.tokens[index].start : self.tokens[max(index, position - 1)].end].split(" of ")[0]
        nearby = self.tokens[max(0, index - AROUND_WORDS) : position + AROUND_WORDS // 2]
        return said, " ".join(t.lower for t in nearby)

    def _after_operator(self, index: int) -> bool:
        """The number is an operand: "x 3", "/ 86,400", "divided by 2", "* ~5"."""
        before, earlier = self.word(index - 1), self.word(index - 2)
        if before in _OPERATORS or before == "/":
            return True
        return (before == "by" and earlier in _OPERATORS) or (before == "~" and earlier in (_OPERATORS | {"/"}))

    def _per_entity(self, index: int, position: int, nearby: range, said: bool) -> bool:
        """A figure for one node, user or chunk, not the whole system (`said`: a "per node" right after it); `nearby`
        leaves out an earlier number's "per op"."""
        per = said or _qualified(self.tokens, nearby, range(index, position)) or self._range_end_of_per(index)
        listed = (
            self._one_of_many(nearby, index) or self._continues_a_per_entity_list(index)
        ) and not self._whole_system(nearby, index, position)
        if listed:
            self.list_ends.add(position - 1)
        if per or listed or self._entity_of(index):
            self.per_ends.add(position - 1)
            return True
        return False

    def _period_before(self, first: int, index: int) -> str | None:
        """A period said earlier in the clause and not taken by another number: "over a day, that's 4 TB"."""
        for position in range(max(first, self.consumed + 1), index - 1):
            following = self.word(position + 1)
            leads = self.word(position) in _PERIOD_LEADS and not self._joined_hyphen(position + 2)
            counted = self.word(position - 2) in _MAGNITUDE_WORDS  # "a few hundred million rows a day at 50 bytes"
            if leads and following in _PERIOD_WORDS and not self._ordinal(position) and not counted:
                return _PERIOD_WORDS[following]
        return None

    def _joined_hyphen(self, index: int) -> bool:
        """A hyphen joining two words ("day-window"), not a dash between clauses ("a day - so")."""
        tokens = self.tokens
        return self.word(index) in _HYPHENS and (
            index + 1 >= len(tokens) or tokens[index + 1].start == tokens[index].end
        )

    def _entity_of(self, index: int) -> bool:
        """The size of one thing: "chunks of around 64 MB"."""
        before = index - 1
        while before > 0 and self.word(before) in _FILLERS:
            before -= 1
        return self.word(before) == "of" and self.word(before - 1).removesuffix("s") in _ENTITIES

    def _one_of_many(self, nearby: range, index: int) -> bool:
        """A sentence about one of many ("Per host: …", "Each shard's …") or "each takes 50K a second"."""
        first = self.word(0) if self.word(0) not in ("for", "on", "in") else self.word(1)
        second = self.word(1) if first == self.word(0) else self.word(2)
        if first in ("per", "each") and second.removesuffix("'s").removesuffix("s") in _ENTITIES:
            return True
        return any(
            self.word(i) == "each" and self.word(i + 1) in _EACH_VERBS
            for i in range(nearby.start, min(index, nearby.stop))
        )

    def _whole_system(self, nearby: range, index: int, position: int) -> bool:
        """A total said in a sentence about one part: "Each server handles 10K a second, 1M a second in total"."""
        words = [self.word(i) for i in (*range(nearby.start, index), *range(position, position + 4))]
        pairs = set(zip(words, words[1:], strict=False))
        return bool(_TOTAL_WORDS & set(words)) or bool(_TOTAL_PAIRS & pairs)

    def _continues_a_per_entity_list(self, index: int) -> bool:
        """The next figure of one part's list: "each takes 50K samples a second and 500K series and holds 180 GB"."""
        ends = [end for end in self.list_ends if end < index]
        if not ends:
            return False
        between = [self.word(i) for i in range(max(ends) + 1, index)]
        return bool(between) and all(word in _LIST_GLUE for word in between)

    def _range_end_of_per(self, index: int) -> bool:
        """The upper end of a range whose lower end is per entity: "each partition takes 10 to 20 MB/s"."""
        return self.word(index - 1) in ("to", *_HYPHENS) and (index - 2) in self.per_ends

    def _qualifier_end(self, position: int) -> int:
        """The last token of a "per Redis shard" or "each" right after a number."""
        if self.word(position) not in ("per", "each", "/"):
            return position - 1
        end = position
        while end + 1 < len(self.tokens) and end < position + 3 and self.tokens[end + 1].kind == "word":
            if self.word(end + 1) in _STOP_WORDS:
                break
            end += 1
        return end

    def _after(self, position: int, last: int) -> tuple[list[str], str | None, int, bool, bool]:
        """Words after the number: what it counts, per which period, and whether it is an operand or per-entity."""
        nouns: list[str] = []
        period = None
        while position <= last and len(nouns) < 4:
            word, following = self.word(position), self.word(position + 1)
            if word == "/":
                if following in _PERIOD_WORDS or following in ("sec", "second"):
                    return nouns, _PERIOD_WORDS.get(following, "second"), position + 2, False, False
                if following in ("~",) or (position + 1 <= last and self.tokens[position + 1].kind == "num"):
                    return nouns, None, position, True, False
                return nouns, None, position, False, True  # "4 TB/node"
            if word in _RATE_ACRONYMS or (word == "ps" and not nouns):
                nouns.append("requests")
                period = "second"
                position += 1
                break
            if (
                word in _PERIOD_LEADS
                and following.removesuffix("s") in _PERIOD_WORDS
                and (bool(nouns) or not self._ordinal(position))  # "12K bids a second system-wide" is a rate
                and not self._joined_hyphen(position + 2)  # "per day-window" names a window; "a day - about" no
            ):
                period, position = _PERIOD_WORDS[following.removesuffix("s")], position + 2
                break
            if (
                word in _PERIOD_ADVERBS and following.removesuffix("s") not in _PEOPLE
            ):  # "500M daily users" counts people
                period, position = _PERIOD_ADVERBS[word], position + 1
                break
            if word in ("per", "each") or word in _OPERATORS:
                return nouns, None, position, word in _OPERATORS, word in ("per", "each")
            if word == "of" and not nouns and following and following not in _STOP_WORDS:
                position += 1  # "100 GB of raw data a day": what it measures, then its period
                continue
            if self.tokens[position].kind != "word" or word in _STOP_WORDS:
                break
            nouns.append(word)
            position += 1
        per = self.word(position) in ("per", "each") or (self.word(position) == "/" and self.word(position + 1) != "~")
        return nouns, period, position, self.word(position) in _OPERATORS, per

    def _ordinal(self, position: int) -> bool:
        """True for "a second replica": "second" meaning the next one, not a period."""
        after = self.tokens[position + 2] if position + 2 < len(self.tokens) else None
        return (
            self.word(position) in ("a", "an")
            and self.word(position + 1) == "second"
            and after is not None
            and (after.kind == "word" and after.lower not in _STOP_WORDS | {"on", "during", "at"})
        )


def parse_quantities(text: str) -> list[Quantity]:
    """Every number in the text with what it measures, in order."""
    result: list[Quantity] = []
    for sentence in split_sentences(text):
        result.extend(_Reader(sentence).read())
    return result
