"""Reading and validating the problem TOML files; every error names the file, the entry and the field."""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Any

import rtoml

from interview.problems.terms import Pattern, compile_pattern

KNOWLEDGE_DIR = Path(__file__).parent
PROBLEMS_DIR = KNOWLEDGE_DIR / "bank"

# Every table of the problem files, with its (required, optional) fields; `[scale]` lists its own in scale.py.
FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "problem": (
        (
            "id",
            "order",
            "title",
            "category",
            "difficulty",
            "prompt",
            "scale_facts",
            "match",
            "checklist",
            "pitfall",
            "scale",
            "curveball",
        ),
        ("read_heavy",),
    ),
    "match": (("aliases", "keywords"), ("related",)),
    # `examples` and `near_misses` are the understanding data: phrasings the meaning classifier compares with
    "checklist item": (("item", "terms", "probe"), ("examples",)),
    "pitfall": (
        ("id", "question", "note", "concern", "example", "signal"),
        ("near_miss", "examples", "near_misses", "by_meaning"),
    ),
    "generic pitfall": (
        ("id", "question", "note", "concern", "example", "signal", "near_miss"),
        ("examples", "near_misses", "by_meaning"),
    ),
    # A requirement change the interviewer may bring in midway, and the words that show the design adapted to it
    "curveball": (("id", "after", "change", "question", "note", "adapted", "examples", "near_misses"), ()),
    "signal": ((), ("together", "unless", "cleared_by", "missing", "by_phase")),
    "generic file": (("pitfall", "curveball"), ()),
}


def read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML; rtoml (Rust) parses the bank's megabyte about ten times faster than the standard tomllib."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: invalid TOML: not UTF-8 ({error})") from error
    try:
        return rtoml.loads(text)
    except rtoml.TomlParsingError as error:
        raise ValueError(f"{path}: invalid TOML: {error}") from error


def problem_files(directory: Path | None = None) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Each problem id with its file and parsed content; the file name must be `<id>.toml`. Read once per folder."""
    return _problem_files(Path(directory or PROBLEMS_DIR).resolve())


@functools.cache  # keyed on the resolved folder, so the bank and the match tables share one read of the files
def _problem_files(directory: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    found: dict[str, tuple[Path, dict[str, Any]]] = {}
    for path in sorted(Path(directory).glob("*.toml")):
        data = read_toml(path)
        problem_id = data.get("id")
        if problem_id != path.stem:
            raise ValueError(f"{path}: field 'id' is {problem_id!r}, expected {path.stem!r} (the file name)")
        found[path.stem] = (path, data)
    if not found:
        raise ValueError(f"{directory}: no problem files (*.toml)")
    return found


def check_fields(raw: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """The table itself, after checking it is a table with all required and no unknown fields."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a table, got {type(raw).__name__}")
    unknown = sorted(set(raw) - set(required) - set(optional))
    if unknown:
        raise ValueError(f"{where}: unknown fields: {', '.join(unknown)}")
    missing = [name for name in required if name not in raw]
    if missing:
        raise ValueError(f"{where}: missing fields: {', '.join(missing)}")
    return raw


def check_table(raw: Any, where: str, table: str) -> dict[str, Any]:
    """`check_fields` with the fields `FIELDS` lists for this kind of table."""
    required, optional = FIELDS[table]
    return check_fields(raw, where, required, optional)


def text(raw: dict[str, Any], name: str, where: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: field {name!r} must be a non-empty string")
    return " ".join(value.split())


def question(raw: dict[str, Any], name: str, where: str) -> str:
    value = text(raw, name, where)
    if not value.endswith("?"):
        raise ValueError(f"{where}: field {name!r} must be a question ending in '?'")
    return value


def texts(raw: dict[str, Any], name: str, where: str, minimum: int = 1) -> tuple[str, ...]:
    value = raw.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValueError(f"{where}: field {name!r} must be a list of non-empty strings")
    if len(value) < minimum:
        raise ValueError(f"{where}: field {name!r} needs at least {minimum} entries, got {len(value)}")
    return tuple(" ".join(item.split()) for item in value)


def patterns(raw: dict[str, Any], name: str, where: str, minimum: int = 0) -> tuple[Pattern, ...]:
    compiled = []
    for source in texts(raw, name, where, minimum):
        try:
            compiled.append(compile_pattern(source))
        except ValueError as error:
            raise ValueError(f"{where}: field {name!r}: {error}") from error
    return tuple(compiled)


def position(raw: dict[str, Any], name: str, where: str) -> int:
    value = raw.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{where}: field {name!r} must be a whole number from 1")
    return value


def number(value: Any, name: str, where: str, allow_infinite: bool = False) -> float:
    """A positive number; a list of positive numbers means their product (e.g. `[10, 10]` for 10 x 10)."""
    factors = value if isinstance(value, list) and value else [value]
    result = 1.0
    for factor in factors:
        if isinstance(factor, bool) or not isinstance(factor, int | float):
            raise ValueError(f"{where}: field {name!r} must be a positive number or a list of them")
        if not (factor > 0) or (math.isinf(factor) and not allow_infinite):
            raise ValueError(f"{where}: field {name!r} must be positive and finite, got {factor!r}")
        result *= factor
    return result


def numbers_in(value: Any) -> tuple[float, ...]:
    """The individual numbers written for a field: the factors of a product, or the one number."""
    return tuple(float(v) for v in value) if isinstance(value, list) else (float(value),)


def flag(raw: dict[str, Any], name: str, where: str, default: bool) -> bool:
    """An optional true/false field."""
    value = raw.get(name, default)
    if not isinstance(value, bool):
        raise ValueError(f"{where}: field {name!r} must be true or false, got {value!r}")
    return value
