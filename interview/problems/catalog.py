"""The question bank: one file per problem in `bank/`, each loaded once into a validated `Problem`."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from interview.core import state
from interview.core.phases import PHASE_KEYS
from interview.problems import schema
from interview.problems.load import Problem, generic_pitfalls, parse_problem
from interview.problems.match import match_question

__all__ = ["PHASE_KEYS", "Listing", "Problem", "all_problems", "find_problem", "listings", "load_bank", "match_problem"]


@dataclass(frozen=True)
class Listing:
    """What the question picker shows of a bank problem, read from its file without validating the rest."""

    id: str
    order: int
    title: str
    category: str
    difficulty: str
    aliases: tuple[str, ...]  # the [match] aliases as written, for the picker's search


def _parse_bank(directory: Path) -> tuple[Problem, ...]:
    generic_ids = {pitfall.id for pitfall in generic_pitfalls()}
    files = schema.problem_files(directory)
    problems = sorted((parse_problem(data, str(path), generic_ids) for path, data in files.values()), key=_order)
    for before, after in zip(problems, problems[1:], strict=False):
        if before.order == after.order:
            raise ValueError(f"{directory}: problems {before.id!r} and {after.id!r} have the same 'order'")
    return tuple(problems)


def _order(problem: Problem) -> int:
    return problem.order


@functools.cache
def all_problems() -> dict[str, Problem]:
    """Every bank problem by id, parsed on first use; raises ValueError naming the file, entry and field."""
    return {problem.id: problem for problem in _parse_bank(schema.PROBLEMS_DIR)}


def load_bank(directory: Path | None = None) -> list[Problem]:
    """The bank's problems (a fresh list; the default bank is parsed once and cached)."""
    return list(all_problems().values() if directory is None else _parse_bank(Path(directory)))


@functools.cache
def listings() -> tuple[Listing, ...]:
    """Every bank problem's listing, in the bank's order: the first page needs no more than this, so it neither
    validates the bank nor compiles its patterns (`all_problems` does, when a problem is first used)."""
    found = []
    for problem_id, (path, data) in schema.problem_files().items():
        where = f"{path}: problem {problem_id!r}"
        match = data.get("match") if isinstance(data.get("match"), dict) else {}
        found.append(
            Listing(
                id=problem_id,
                order=schema.position(data, "order", where),
                title=schema.text(data, "title", where),
                category=schema.text(data, "category", where),
                difficulty=schema.text(data, "difficulty", where),
                aliases=schema.texts(match, "aliases", where, minimum=0),
            )
        )
    return tuple(sorted(found, key=lambda listing: listing.order))


def find_problem(problem_id: str | None) -> Problem | None:
    """The bank problem with this id, or None (for a free-typed question)."""
    return all_problems().get(problem_id or "")


def _normalize(text: str) -> str:
    return " ".join(text.split()).casefold()


def match_problem(text: str) -> Problem | None:
    """The bank problem a typed question asks for: its exact title, else its aliases and keywords."""
    wanted = _normalize(text)
    if not wanted:
        return None
    problems = all_problems().values()
    exact = next((problem for problem in problems if _normalize(problem.title) == wanted), None)
    if exact is not None:
        return exact
    found = match_question(text, {problem.id: problem.title for problem in problems})
    return find_problem(found.problem_id) if found else None


state.register_problem_lookup(find_problem)
