"""The paraphrase set (`paraphrases.toml`) and how well typed questions find their bank problem."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from interview.problems import catalog, schema

PARAPHRASES_PATH = schema.KNOWLEDGE_DIR / "paraphrases.toml"
MIN_PER_PROBLEM = 3
MIN_UNMATCHED = 10


@dataclass(frozen=True)
class Paraphrases:
    typed: dict[str, tuple[str, ...]]  # problem id -> phrasings that must find it
    unmatched: tuple[str, ...]  # questions that must find nothing


@dataclass(frozen=True)
class MatchingReport:
    total: int  # bank phrasings tried
    matched: int  # found their own problem
    misses: tuple[tuple[str, str, str | None], ...]  # (phrasing, expected id, id found or None)
    unmatched_total: int
    false_matches: tuple[tuple[str, str], ...]  # (non-bank question, id it wrongly found)

    @property
    def accuracy(self) -> float:
        return self.matched / self.total if self.total else 0.0

    @property
    def wrong_problem(self) -> tuple[tuple[str, str, str | None], ...]:
        """Misses that found a different problem, which is worse than finding none."""
        return tuple(miss for miss in self.misses if miss[2] is not None)

    def summary(self) -> str:
        return (
            f"{self.matched}/{self.total} phrasings matched ({self.accuracy:.0%}), "
            f"{len(self.wrong_problem)} to a wrong problem; "
            f"{len(self.false_matches)}/{self.unmatched_total} non-bank questions matched something"
        )


def load_paraphrases(path: Path | None = None) -> Paraphrases:
    """Load and validate the set: every bank problem has enough phrasings, and there are enough non-bank ones."""
    where = str(path or PARAPHRASES_PATH)
    data = schema.check_fields(schema.read_toml(Path(where)), where, ("problem", "unmatched"))
    unmatched = schema.texts(data, "unmatched", where, MIN_UNMATCHED)
    known = {problem.id for problem in catalog.load_bank()}
    typed: dict[str, tuple[str, ...]] = {}
    for index, entry in enumerate(data["problem"] if isinstance(data["problem"], list) else []):
        label = f"{where}: problem #{index + 1}"
        schema.check_fields(entry, label, ("id", "typed"))
        problem_id = schema.text(entry, "id", label)
        if problem_id not in known:
            raise ValueError(f"{label}: id {problem_id!r} is not a bank problem")
        if problem_id in typed:
            raise ValueError(f"{label}: id {problem_id!r} is listed twice")
        typed[problem_id] = schema.texts(entry, "typed", f"{where}: problem {problem_id!r}", MIN_PER_PROBLEM)
    absent = sorted(known - set(typed))
    if absent:
        raise ValueError(f"{where}: no phrasings for bank problems: {', '.join(absent)}")
    return Paraphrases(typed, unmatched)


def measure_matching(
    matcher: Callable[[str], catalog.Problem | None] = catalog.match_problem, path: Path | None = None
) -> MatchingReport:
    """Run every phrasing through the matcher (the bank's by default) and count what it finds."""
    paraphrases = load_paraphrases(path)
    misses = []
    total = 0
    for problem_id, phrasings in paraphrases.typed.items():
        for text in phrasings:
            total += 1
            found = matcher(text)
            if found is None or found.id != problem_id:
                misses.append((text, problem_id, found.id if found else None))
    false_matches = [(text, found.id) for text in paraphrases.unmatched if (found := matcher(text)) is not None]
    return MatchingReport(total, total - len(misses), tuple(misses), len(paraphrases.unmatched), tuple(false_matches))
