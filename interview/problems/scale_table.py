"""Scale facts for a typed question outside the bank, from a table of product kinds (scale_table.toml)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from interview.problems import schema
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
    table = schema.check_fields(raw, where, ("id", "name", "words", "facts"), ("default",))
    words = schema.texts(table, "words", where)
    alternatives = [word.strip() for pattern in words for word in pattern.split("|")]  # counted one by one
    return ProductKind(
        schema.text(table, "id", where),
        schema.text(table, "name", where),
        compile_patterns(alternatives),
        schema.texts(table, "facts", where),
        bool(table.get("default")),
    )


def parse_table(path: Path) -> tuple[ProductKind, ...]:
    """The validated kinds of a scale table file; a mistake raises ValueError naming the file and entry."""
    data = schema.read_toml(path)
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
