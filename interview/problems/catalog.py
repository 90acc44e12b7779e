"""The interview question bank: problems and per-phase checklists loaded from `bank.toml`."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interview.problems.match import match_question
from interview.core.phases import PHASE_KEYS

DIFFICULTIES = ("easy", "medium", "hard")
DEFAULT_BANK_PATH = Path(__file__).with_name("bank.toml")

_MIN_SCALE_FACTS = 3
_MIN_PHASE_ITEMS = 2


@dataclass(frozen=True)
class Problem:
    """One system design problem with the facts and checklist the interviewer uses."""

    id: str
    title: str
    category: str
    difficulty: str
    prompt: str
    scale_facts: tuple[str, ...]
    checklist: dict[str, tuple[str, ...]] = field(hash=False)  # dicts aren't hashable; the other fields still are


def _label(index: int, raw: dict[str, Any]) -> str:
    problem_id = raw.get("id")
    return f"problem {problem_id!r}" if isinstance(problem_id, str) and problem_id else f"problem #{index + 1}"


def _text(raw: dict[str, Any], name: str, where: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: field {name!r} must be a non-empty string")
    return value.strip()


def _items(value: Any, name: str, where: str, minimum: int) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{where}: field {name!r} must be a list of strings")
    items = tuple(item.strip() for item in value if item.strip())
    if len(items) < minimum:
        raise ValueError(f"{where}: field {name!r} needs at least {minimum} non-empty items, got {len(items)}")
    return items


def _parse_problem(index: int, raw: Any) -> Problem:
    if not isinstance(raw, dict):
        raise ValueError(f"problem #{index + 1}: expected a table, got {type(raw).__name__}")
    where = _label(index, raw)
    difficulty = _text(raw, "difficulty", where)
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"{where}: field 'difficulty' is {difficulty!r}, expected one of {', '.join(DIFFICULTIES)}")
    checklist_raw = raw.get("checklist")
    if not isinstance(checklist_raw, dict):
        raise ValueError(f"{where}: field 'checklist' must be a table with keys {', '.join(PHASE_KEYS)}")
    unknown = sorted(set(checklist_raw) - set(PHASE_KEYS))
    if unknown:
        raise ValueError(f"{where}: field 'checklist' has unknown phase keys: {', '.join(unknown)}")
    missing = [key for key in PHASE_KEYS if key not in checklist_raw]
    if missing:
        raise ValueError(f"{where}: field 'checklist' is missing phase keys: {', '.join(missing)}")
    checklist = {key: _items(checklist_raw[key], f"checklist.{key}", where, _MIN_PHASE_ITEMS) for key in PHASE_KEYS}
    return Problem(
        id=_text(raw, "id", where),
        title=_text(raw, "title", where),
        category=_text(raw, "category", where),
        difficulty=difficulty,
        prompt=_text(raw, "prompt", where),
        scale_facts=_items(raw.get("scale_facts"), "scale_facts", where, _MIN_SCALE_FACTS),
        checklist=checklist,
    )


def _parse_bank(path: Path) -> tuple[Problem, ...]:
    with open(path, "rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{path}: invalid TOML: {error}") from error
    raw_problems = data.get("problem")
    if not isinstance(raw_problems, list) or not raw_problems:
        raise ValueError(f"{path}: expected at least one [[problem]] table")
    problems = tuple(_parse_problem(index, raw) for index, raw in enumerate(raw_problems))
    seen: set[str] = set()
    for problem in problems:
        if problem.id in seen:
            raise ValueError(f"problem {problem.id!r}: field 'id' is duplicated")
        seen.add(problem.id)
    return problems


@functools.lru_cache(maxsize=1)
def _default_bank() -> tuple[Problem, ...]:
    return _parse_bank(DEFAULT_BANK_PATH)


def load_bank(path: Path | None = None) -> list[Problem]:
    """Load and validate the bank; the default file is parsed once and cached."""
    problems = _default_bank() if path is None else _parse_bank(Path(path))
    return list(problems)  # a fresh list so callers can't mutate the cached bank


def find_problem(problem_id: str) -> Problem | None:
    """The default-bank problem with this id, or None."""
    return next((problem for problem in _default_bank() if problem.id == problem_id), None)


def _normalize(text: str) -> str:
    return " ".join(text.split()).casefold()


def match_problem(text: str) -> Problem | None:
    """The default-bank problem a typed question asks for: its exact title, else its aliases and keywords."""
    wanted = _normalize(text)
    if not wanted:
        return None
    exact = next((problem for problem in _default_bank() if _normalize(problem.title) == wanted), None)
    if exact is not None:
        return exact
    found = match_question(text, {problem.id: problem.title for problem in _default_bank()})
    return find_problem(found.problem_id) if found else None
