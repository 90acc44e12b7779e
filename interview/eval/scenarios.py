"""Scripted-candidate scenarios loaded and validated from `scenarios.toml`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from interview.problems import catalog
from interview.whiteboard.diagram import DiagramError
from interview.whiteboard.parse import parse

DEFAULT_SCENARIOS_PATH = Path(__file__).with_name("scenarios.toml")
CANDIDATE_KINDS = ("strong", "weak", "silent", "gibberish", "flawed")
LOW_KINDS = ("silent", "gibberish")  # candidates that should get the lowest score everywhere
MIN_PROBLEMS = 6
MIN_TURNS, MAX_TURNS = 6, 10
MIN_PLANTED_MISTAKES = 4
ESTIMATE_MISTAKE = "estimate"  # the label prefix of a planted wrong estimate


@dataclass(frozen=True)
class Turn:
    text: str
    next_phase: bool = False  # press "Next phase" before sending this turn
    asks_scale: bool = False  # the candidate asks about scale, so the reply should give numbers
    mistake: str = ""  # a planted mistake, in words; the very next reply must challenge it
    challenge_terms: tuple[str, ...] = ()  # a reply or a feedback gap that names the mistake uses one of these
    diagram: str = ""  # Mermaid drawn on the whiteboard (engine.update_diagram) before this turn is sent


@dataclass(frozen=True)
class Scenario:
    problem_id: str
    kind: str
    turns: tuple[Turn, ...]
    blind: bool = False  # written from the pitfall notes alone: measured by the eval, never asserted on by a test

    @property
    def name(self) -> str:
        return f"{self.problem_id}/{self.kind}"


def _turn(raw: object, where: str) -> Turn:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: a turn must be a table")
    unknown = sorted(set(raw) - {"text", "next_phase", "asks_scale", "mistake", "challenge_terms", "diagram"})
    if unknown:
        raise ValueError(f"{where}: unknown turn fields: {', '.join(unknown)}")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{where}: 'text' must be a non-empty string")
    flags = {name: raw.get(name, False) for name in ("next_phase", "asks_scale")}
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise ValueError(f"{where}: '{name}' must be true or false")
    if flags["asks_scale"] and "?" not in text:
        raise ValueError(f"{where}: a scale question must contain '?'")
    mistake = raw.get("mistake", "")
    terms = raw.get("challenge_terms", [])
    if not isinstance(mistake, str) or not isinstance(terms, list) or not all(isinstance(t, str) and t for t in terms):
        raise ValueError(f"{where}: 'mistake' must be a string and 'challenge_terms' a list of non-empty strings")
    if bool(mistake.strip()) != bool(terms):
        raise ValueError(f"{where}: a planted mistake needs both 'mistake' and 'challenge_terms'")
    diagram = raw.get("diagram", "")
    if not isinstance(diagram, str):
        raise ValueError(f"{where}: 'diagram' must be Mermaid text")
    if diagram.strip():
        try:
            parse(diagram)
        except DiagramError as error:
            raise ValueError(f"{where}: the diagram cannot be read: {error}") from error
    terms = tuple(t.lower() for t in terms)
    return Turn(text.strip(), **flags, mistake=mistake.strip(), challenge_terms=terms, diagram=diagram.strip())


def _check_mistakes(kind: str, turns: tuple[Turn, ...], where: str) -> None:
    """Only the flawed candidate plants mistakes: at least four, one of them a wrong estimate."""
    planted = [turn.mistake for turn in turns if turn.mistake]
    if kind != "flawed":
        if planted:
            raise ValueError(f"{where}: only the flawed candidate plants mistakes")
        return
    if len(planted) < MIN_PLANTED_MISTAKES:
        raise ValueError(f"{where}: needs at least {MIN_PLANTED_MISTAKES} planted mistakes, got {len(planted)}")
    if not any(label.startswith(ESTIMATE_MISTAKE) for label in planted):
        raise ValueError(f"{where}: one planted mistake must be a wrong estimate (label starting 'estimate')")


def parse_scenarios(data: dict) -> list[Scenario]:
    """Scenarios from parsed TOML, validated: known bank ids, five candidate kinds, 6-10 turns, a scale question."""
    problems = data.get("problem")
    if not isinstance(problems, list):
        raise ValueError("expected [[problem]] tables")
    scenarios: list[Scenario] = []
    seen_ids: set[str] = set()
    for raw_problem in problems:
        problem_id = raw_problem.get("id") if isinstance(raw_problem, dict) else None
        if not isinstance(problem_id, str) or catalog.find_problem(problem_id) is None:
            raise ValueError(f"problem {problem_id!r}: not a question-bank id")
        if problem_id in seen_ids:
            raise ValueError(f"problem {problem_id!r}: listed twice")
        seen_ids.add(problem_id)
        blind = raw_problem.get("blind", False)
        if not isinstance(blind, bool):
            raise ValueError(f"problem {problem_id!r}: 'blind' must be true or false")
        candidates = raw_problem.get("candidate") or []
        kinds = [c.get("kind") for c in candidates if isinstance(c, dict)]
        if sorted(kinds) != sorted(CANDIDATE_KINDS):
            raise ValueError(
                f"problem {problem_id!r}: needs exactly one each of {', '.join(CANDIDATE_KINDS)}; got {kinds}"
            )
        for candidate in sorted(candidates, key=lambda c: CANDIDATE_KINDS.index(c["kind"])):
            where = f"{problem_id}/{candidate['kind']}"
            raw_turns = candidate.get("turn") or []
            if not MIN_TURNS <= len(raw_turns) <= MAX_TURNS:
                raise ValueError(f"{where}: needs {MIN_TURNS}-{MAX_TURNS} turns, got {len(raw_turns)}")
            turns = tuple(_turn(raw, f"{where} turn {i + 1}") for i, raw in enumerate(raw_turns))
            if not any(turn.asks_scale for turn in turns):
                raise ValueError(f"{where}: needs one turn with asks_scale = true")
            _check_mistakes(candidate["kind"], turns, where)
            scenarios.append(Scenario(problem_id, candidate["kind"], turns, blind))
    if len(seen_ids) < MIN_PROBLEMS:
        raise ValueError(f"needs at least {MIN_PROBLEMS} problems, got {len(seen_ids)}")
    return scenarios


def load_scenarios(path: Path | None = None) -> list[Scenario]:
    """Load and validate the scenario file (the packaged one by default)."""
    with open(path or DEFAULT_SCENARIOS_PATH, "rb") as handle:
        return parse_scenarios(tomllib.load(handle))


def select(
    scenarios: list[Scenario], problems: list[str] | None = None, kinds: list[str] | None = None
) -> list[Scenario]:
    """The scenarios for the given problem ids and candidate kinds (all when a filter is empty)."""
    known_problems = {s.problem_id for s in scenarios}
    for name in problems or []:
        if name not in known_problems:
            raise ValueError(f"unknown problem {name!r}; choose from {', '.join(sorted(known_problems))}")
    for kind in kinds or []:
        if kind not in CANDIDATE_KINDS:
            raise ValueError(f"unknown candidate {kind!r}; choose from {', '.join(CANDIDATE_KINDS)}")
    return [s for s in scenarios if (not problems or s.problem_id in problems) and (not kinds or s.kind in kinds)]


TUNING_SCRIPTS_PATH = Path(__file__).with_name("tuning") / "scripts.toml"


def planted_pitfalls(path: Path = TUNING_SCRIPTS_PATH) -> dict[tuple[str, str, int], str]:
    """Each planted mistake's pitfall id by (problem, candidate kind, turn number); "estimate" for a wrong figure."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    return {
        (problem["id"], candidate["kind"], number): raw.get("pitfall") or "estimate"
        for problem in data["problem"]
        for candidate in problem["candidate"]
        for number, raw in enumerate(candidate["turn"], 1)
        if raw.get("mistake") and raw.get("challenge_terms")
    }


def load_scripts(path: Path = TUNING_SCRIPTS_PATH) -> list[Scenario]:
    """Strong and flawed scripts outside the matrix (the tuning rounds, or a held-out round); a turn's intended
    `pitfall` is for reading only, and an estimate mistake written without challenge terms is not scored."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    scenarios = []
    for problem in data["problem"]:
        for candidate in problem["candidate"]:
            where = f"{problem['id']}/{candidate['kind']}"
            turns = []
            for number, raw in enumerate(candidate["turn"], 1):
                turn = {key: value for key, value in raw.items() if key != "pitfall"}
                if turn.get("mistake") and not turn.get("challenge_terms"):
                    del turn["mistake"]
                turns.append(_turn(turn, f"{where} turn {number}"))
            scenarios.append(Scenario(problem["id"], candidate["kind"], tuple(turns)))
    return scenarios
