"""Scale facts for a typed question outside the bank, from a table of product kinds (scale_table.toml)."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from interview.problems.terms import Pattern, any_in, compile_patterns

TABLE_PATH = Path(__file__).with_name("scale_table.toml")


@dataclass(frozen=True)
class ProductKind:
    id: str
    name: str
    words: tuple[Pattern, ...]
    facts: tuple[str, ...]
    default: bool


def _kind(raw: object, where: str) -> ProductKind:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a table")
    for name in ("id", "name"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise ValueError(f"{where}: field {name!r} must be a non-empty string")
    for name in ("words", "facts"):
        value = raw.get(name)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError(f"{where}: field {name!r} must be a non-empty list of strings")
    alternatives = [word.strip() for pattern in raw["words"] for word in pattern.split("|")]  # counted one by one
    return ProductKind(
        raw["id"], raw["name"], compile_patterns(alternatives), tuple(raw["facts"]), bool(raw.get("default"))
    )


def parse_table(path: Path) -> tuple[ProductKind, ...]:
    """The validated kinds of a scale table file; a mistake raises ValueError naming the file and entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: invalid TOML: {error}") from error
    kinds = tuple(_kind(raw, f"{path.name}: kind #{i + 1}") for i, raw in enumerate(data.get("kind") or []))
    if sum(kind.default for kind in kinds) != 1:
        raise ValueError(f"{path.name}: exactly one kind must have default = true")
    return kinds


@functools.cache
def _table() -> tuple[ProductKind, ...]:
    return parse_table(TABLE_PATH)


def _hits(kind: ProductKind, question: str) -> int:
    """How many of the kind's words the question uses."""
    return sum(1 for word in kind.words if any_in((word,), question))


def kind_for(question: str) -> ProductKind:
    """The kind of product a typed question is about: most distinct words matched, the default when none."""
    table = _table()
    scored = [(_hits(kind, question), -index, kind) for index, kind in enumerate(table)]
    best = max(scored, key=lambda row: row[:2])
    return best[2] if best[0] else next(kind for kind in table if kind.default)
