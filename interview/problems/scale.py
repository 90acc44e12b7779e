"""A problem's numeric scale inputs and the numbers derived from them in code: rates, storage, bandwidth, key space.

The inputs live in the `[scale]` part of a problem file, as tables:
- `[[scale.flow]]`: a stream of events (writes, reads, messages...) with a rate, optional peak, size and retention;
- `[[scale.crowd]]`: a number of people or connections, optionally streaming at a bit rate;
- `[[scale.store]]`: a data set of `count` entries of `bytes` each;
- `[[scale.fleet]]`: machines needed for a flow's peak, a store's bytes or a crowd, at `per_node` each;
- `[scale.keys]`: a key alphabet and length, and the flow whose items the keys must outnumber.
Numbers may be written as a list of factors (`[10, 10]` is 100). `assumed` names the fields that the bank states
in its estimates checklist rather than its scale facts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from interview.problems import schema
from interview.problems.terms import Pattern

SECONDS_PER = {
    "millisecond": 0.001,
    "second": 1,
    "minute": 60,
    "hour": 3_600,
    "day": 86_400,
    "month": 86_400 * 365 / 12,
    "year": 86_400 * 365,
}
KINDS = ("rate", "byte_rate", "bytes", "count", "keyspace")
_RATE_FIELDS = {
    "per_second": 1,
    "per_minute": 60,
    "per_hour": 3_600,
    "per_day": 86_400,
    "per_month": SECONDS_PER["month"],
}
_PER_USER_FIELDS = ("per_user_per_day", "per_user_per_second", "every_seconds")
_FLOW_NUMBERS = (*_RATE_FIELDS, *_PER_USER_FIELDS, "ratio", "peak_factor", "peak_per_second", "bytes", "replicas")
_FLOW_FIELDS = (*_FLOW_NUMBERS, "users", "of", "retention_years", "retention_days", "check_rate", "assumed")
_TABLES = {
    "flow": (("name", "terms"), _FLOW_FIELDS),
    "crowd": (("name", "terms"), ("count", "of", "minutes_per_day", "bits_per_second", "assumed")),
    "store": (("name", "terms", "bytes"), ("count", "replicas", "assumed")),
    "fleet": (("name", "terms", "load", "per_node"), ("replicas", "assumed")),
}
_KEYS_FIELDS = (("alphabet", "length", "need", "terms"), ("assumed",))
_NOT_INPUTS = {"name", "terms", "users", "of", "load", "need", "check_rate", "assumed"}


@dataclass(frozen=True)
class Target:
    """A derived number that the candidate's estimate of the same kind is compared with."""

    kind: str  # one of KINDS; rates are per second, byte_rate is bytes per second
    value: float  # for "keyspace": how many keys are needed
    label: str
    terms: tuple[Pattern, ...] = ()  # words that say what is counted


@dataclass(frozen=True)
class Input:
    """One numeric input as written in the file, for checking it against the bank's facts."""

    where: str
    field: str
    numbers: tuple[float, ...]
    assumed: bool


@dataclass(frozen=True)
class Scale:
    targets: tuple[Target, ...] = ()
    facts: tuple[str, ...] = ()  # the derived numbers in words
    inputs: tuple[Input, ...] = ()


def format_count(value: float) -> str:
    """1157 -> "1.2K", 115740 -> "116K", 3.5e12 -> "3.5T"."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"), (1, "")):
        if value >= size or size == 1:
            scaled = value / size
            digits = 1 if scaled < 10 and not (suffix == "" and scaled == int(scaled)) else 0
            text = f"{scaled:.{digits}f}".removesuffix(".0")
            return f"{text}{suffix}"
    raise AssertionError("unreachable")


def format_bytes(value: float) -> str:
    for size, unit in ((1e18, "EB"), (1e15, "PB"), (1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")):
        if value >= size:
            return f"{format_count(value / size)} {unit}"
    return f"{format_count(value)} B"


def format_bits_rate(bytes_per_second: float) -> str:
    bits = bytes_per_second * 8
    for size, unit in ((1e12, "Tbps"), (1e9, "Gbps"), (1e6, "Mbps"), (1e3, "Kbps")):
        if bits >= size:
            return f"{format_count(bits / size)} {unit}"
    return f"{format_count(bits)} bps"


class _Builder:
    """Resolves one file's scale tables into targets and facts; errors name the file and table."""

    def __init__(self, raw: dict[str, Any], where: str):
        self.where = where
        self.tables: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        names: set[str] = set()
        for kind, (required, optional) in _TABLES.items():
            entries = raw.get(kind, [])
            if not isinstance(entries, list):
                raise ValueError(f"{where}: [[scale.{kind}]] must be an array of tables")
            self.tables[kind] = []
            for index, entry in enumerate(entries):
                label = f"{where}: scale.{kind} #{index + 1}"
                schema.check_fields(entry, label, required, optional)
                name = schema.text(entry, "name", label)
                if name in names:
                    raise ValueError(f"{label}: name {name!r} is used twice")
                names.add(name)
                self._check_assumed(entry, f"{where}: scale.{kind} {name!r}")
                self.tables[kind].append((name, entry))
        self.targets: list[Target] = []
        self.facts: list[str] = []
        self.inputs: list[Input] = []
        self.rates: dict[str, tuple[float | None, float | None]] = {}  # flow -> (average, peak) per second
        self.crowds: dict[str, float] = {}
        self.stores: dict[str, float] = {}
        self.items: dict[str, float] = {}  # flow -> items kept over its retention

    def _check_assumed(self, entry: dict[str, Any], label: str) -> None:
        assumed = schema.texts(entry, "assumed", label, minimum=0)
        unknown = [name for name in assumed if name not in entry or name in _NOT_INPUTS]
        if unknown:
            raise ValueError(f"{label}: 'assumed' names fields that are not numeric inputs here: {', '.join(unknown)}")

    def number(self, entry: dict[str, Any], field: str, label: str, allow_infinite: bool = False) -> float | None:
        if field not in entry:
            return None
        value = schema.number(entry[field], field, label, allow_infinite)
        assumed = field in entry.get("assumed", [])
        if not math.isinf(value):
            self.inputs.append(Input(label, field, schema.numbers_in(entry[field]), assumed))
        return value

    def reference(self, entry: dict[str, Any], field: str, label: str, known: dict[str, Any]) -> str | None:
        if field not in entry:
            return None
        name = schema.text(entry, field, label)
        if name not in known:
            raise ValueError(f"{label}: field {field!r} names {name!r}, which is not defined (or defined in a cycle)")
        return name

    def build(self) -> Scale:
        self._crowds()
        self._flows()
        self._stores()
        self._fleets()
        return Scale(tuple(self.targets), tuple(self.facts), tuple(self.inputs))

    def _in_order(self, kind: str, depends_on: str, known: dict[str, Any]):
        """Entries of one table kind, each after the same-kind entry it refers to."""
        pending = list(self.tables[kind])
        while pending:
            ready = [(n, e) for n, e in pending if e.get(depends_on) is None or _names_known(e[depends_on], known)]
            if not ready:
                name, entry = pending[0]
                self.reference(entry, depends_on, f"{self.where}: scale.{kind} {name!r}", known)
            for item in ready:
                pending.remove(item)
                yield item

    def _crowds(self) -> None:
        for name, entry in self._in_order("crowd", "of", self.crowds):
            label = f"{self.where}: scale.crowd {name!r}"
            terms = schema.patterns(entry, "terms", label, 1)
            count = self.number(entry, "count", label)
            source = self.reference(entry, "of", label, self.crowds)
            minutes = self.number(entry, "minutes_per_day", label)
            if (count is None) == (source is None) or (source is None) != (minutes is None):
                raise ValueError(f"{label}: give either 'count', or 'of' with 'minutes_per_day'")
            if source is not None:
                count = self.crowds[source] * minutes / (24 * 60)
            self.crowds[name] = count
            self.targets.append(Target("count", count, name, terms))
            fact = f"{name}: ~{format_count(count)}"
            bits = self.number(entry, "bits_per_second", label)
            if bits is not None:
                self.targets.append(Target("byte_rate", count * bits / 8, f"{name} streaming egress", terms))
                fact += f", streaming ~{format_bits_rate(count * bits / 8)} in total"
            self.facts.append(fact)

    def _flow_rate(self, name: str, entry: dict[str, Any], label: str) -> float | None:
        given = [field for field in _RATE_FIELDS if field in entry]
        users = self.reference(entry, "users", label, self.crowds)
        source = self.reference(entry, "of", label, self.rates)
        per_user = [field for field in _PER_USER_FIELDS if field in entry]
        ways = len(given) + (users is not None) + (source is not None)
        if ways > 1 or len(given) > 1:
            raise ValueError(f"{label}: give the rate one way only (per_<period>, 'users', or 'of' with 'ratio')")
        if (users is None) != (not per_user) or len(per_user) > 1:
            raise ValueError(f"{label}: 'users' needs exactly one of {', '.join(_PER_USER_FIELDS)}")
        if (source is None) != ("ratio" not in entry):
            raise ValueError(f"{label}: 'of' and 'ratio' go together")
        if given:
            return self.number(entry, given[0], label) / _RATE_FIELDS[given[0]]
        if users is not None:
            amount = self.number(entry, per_user[0], label)
            per_second = {
                "per_user_per_day": amount / 86_400,
                "per_user_per_second": amount,
                "every_seconds": 1 / amount,
            }
            return self.crowds[users] * per_second[per_user[0]]
        if source is not None:
            base = self.rates[source][0]
            if base is None:
                raise ValueError(f"{label}: flow {source!r} has no average rate to take a ratio of")
            return base * self.number(entry, "ratio", label)
        return None

    def _flows(self) -> None:
        for name, entry in self._in_order("flow", "of", self.rates):
            label = f"{self.where}: scale.flow {name!r}"
            terms = schema.patterns(entry, "terms", label, 1)
            average = self._flow_rate(name, entry, label)
            factor = self.number(entry, "peak_factor", label)
            peak = self.number(entry, "peak_per_second", label)
            if factor is not None and peak is not None:
                raise ValueError(f"{label}: give 'peak_factor' or 'peak_per_second', not both")
            if average is None and peak is None:
                raise ValueError(f"{label}: needs a rate (per_<period>, 'users', or 'of' with 'ratio') or a peak")
            if factor is not None:
                peak = average * factor
            self.rates[name] = (average, peak)
            check_rate = entry.get("check_rate", True)
            if not isinstance(check_rate, bool):
                raise ValueError(f"{label}: field 'check_rate' must be true or false")
            self._flow_targets(name, entry, label, terms, average, peak, check_rate)

    def _flow_targets(self, name, entry, label, terms, average, peak, check_rate) -> None:
        rates = [(value, when) for value, when in ((average, "average"), (peak, "peak")) if value is not None]
        if check_rate:
            self.targets += [Target("rate", value, f"{name} per second, {when}", terms) for value, when in rates]
        parts = [f"~{format_count(value)}/s {when}" for value, when in rates] if check_rate else []
        if average is not None:
            parts.append(f"~{format_count(average * 86_400)} a day")
        size = self.number(entry, "bytes", label)
        replicas = self.number(entry, "replicas", label)
        years = self.number(entry, "retention_years", label, allow_infinite=True)
        days = self.number(entry, "retention_days", label)
        if years is not None and days is not None:
            raise ValueError(f"{label}: give 'retention_years' or 'retention_days', not both")
        if (years or days) and size is None:
            raise ValueError(f"{label}: a retention needs 'bytes' per item")
        if size is not None:
            for value, when in rates:
                self.targets.append(Target("byte_rate", value * size, f"{name} data per second, {when}", terms))
                if replicas:
                    self.targets.append(Target("byte_rate", value * size * replicas, f"{name} data, replicated"))
            base = average if average is not None else peak
            if years or days:
                parts.append(f"~{format_bytes(base * size * 86_400)} of new data a day")
            else:
                parts.append(f"~{format_bytes(base * size)}/s of data")
        retention = years * SECONDS_PER["year"] if years is not None else days * SECONDS_PER["day"] if days else None
        if retention is not None and average is not None and size is not None:
            if math.isinf(retention):
                parts.append(f"kept forever: ~{format_bytes(average * size * SECONDS_PER['year'])} a year")
            else:
                span = f"{format_count(years)} years" if years is not None else f"{format_count(days)} days"
                items, total = average * retention, average * retention * size
                self.items[name] = items
                self.targets.append(Target("bytes", total, f"{name} storage over {span}", terms))
                self.targets.append(Target("count", items, f"{name} kept over {span}", terms))
                if replicas:
                    self.targets.append(Target("bytes", total * replicas, f"{name} storage, replicated"))
                parts.append(f"~{format_bytes(total)} over {span} (~{format_count(items)} items)")
        self.facts.append(f"{name}: " + ", ".join(parts))

    def _stores(self) -> None:
        for name, entry in self.tables["store"]:
            label = f"{self.where}: scale.store {name!r}"
            terms = schema.patterns(entry, "terms", label, 1)
            count = self.number(entry, "count", label) or 1
            size = self.number(entry, "bytes", label)
            replicas = self.number(entry, "replicas", label)
            total = count * size
            self.stores[name] = total * (replicas or 1)
            self.targets.append(Target("bytes", total, name, terms))
            fact = f"{name}: ~{format_bytes(total)}"
            if count > 1:
                self.targets.append(Target("count", count, name, terms))
                fact += f" ({format_count(count)} x {format_bytes(size)})"
            if replicas:
                self.targets.append(Target("bytes", total * replicas, f"{name}, replicated", terms))
                fact += f", ~{format_bytes(total * replicas)} with {format_count(replicas)} replicas"
            self.facts.append(fact)

    def _fleets(self) -> None:
        loads = {name: peak or average for name, (average, peak) in self.rates.items()}
        loads |= self.stores | self.crowds
        for name, entry in self.tables["fleet"]:
            label = f"{self.where}: scale.fleet {name!r}"
            terms = schema.patterns(entry, "terms", label, 1)
            load = self.reference(entry, "load", label, loads)
            per_node = self.number(entry, "per_node", label)
            replicas = self.number(entry, "replicas", label) or 1
            nodes = math.ceil(loads[load] * replicas / per_node)
            self.targets.append(Target("count", nodes, name, terms))
            self.facts.append(f"{name}: ~{format_count(nodes)}")

    def keys(self, raw: Any) -> None:
        label = f"{self.where}: scale.keys"
        schema.check_fields(raw, label, *_KEYS_FIELDS)
        self._check_assumed(raw, label)
        terms = schema.patterns(raw, "terms", label, 1)
        alphabet = self.number(raw, "alphabet", label)
        length = self.number(raw, "length", label)
        need = self.reference(raw, "need", label, self.items)
        space = alphabet**length
        self.targets.append(Target("keyspace", self.items[need], f"keys needed for {need}", terms))
        self.facts.append(
            f"Key space: {format_count(alphabet)}^{format_count(length)} = ~{format_count(space)} keys, "
            f"for ~{format_count(self.items[need])} {need}"
        )


def _names_known(value: Any, known: dict[str, Any]) -> bool:
    return isinstance(value, str) and value in known


def parse_scale(raw: Any, where: str) -> Scale:
    """Validate a file's `[scale]` table and derive its targets and facts."""
    if raw is None:
        return Scale()
    schema.check_fields(raw, f"{where}: [scale]", (), (*_TABLES, "keys"))
    builder = _Builder(raw, where)
    scale = builder.build()
    if "keys" in raw:
        builder.keys(raw["keys"])
        scale = Scale(tuple(builder.targets), tuple(builder.facts), tuple(builder.inputs))
    return scale
