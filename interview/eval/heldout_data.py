"""The held-out set of issue #25, loaded and validated: candidate sentences per pitfall, and scripted interviews.

Written blind from the pitfall notes; see interview/eval/heldout/README.md. Nothing may be tuned on it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interview.core.phases import PHASE_KEYS
from interview.problems import catalog
from interview.problems.detect import pitfalls_for

HELDOUT_DIR = Path(__file__).with_name("heldout")
# Round 9 (2026-12-06) replaced the first sentence files, which were measured and tuned on too often to stay held out.
# Round 9 (every pitfall of the time), then pitfalls added later, each with their own blind sentences.
SENTENCE_FILES = (
    *(f"sentences-round9-{part}.toml" for part in range(1, 6)),
    "sentences-round12-generic.toml",
    "sentences-round13-new.toml",
    "sentences-round14-chat.toml",
)
INTERVIEWS_FILE = "interviews.toml"
GENERIC = "generic"  # a sentence pitfall that applies to every problem
OUTSIDE = "outside"  # an interview on a problem that is not in the bank
KINDS = ("flawed", "strong")
MIN_COMMITS, MIN_NEAR_MISSES = 5, 3  # issue #25: at least 5 phrasings and 3 near misses per pitfall
MIN_TURNS, MAX_TURNS = 4, 10
_PITFALL_FIELDS = {"problem", "id", "commits", "near_misses"}
_INTERVIEW_FIELDS = {"id", "problem", "question", "kind", "turn"}
_TURN_FIELDS = {"text", "phase", "mistake", "asks_scale", "asks", "component"}


@dataclass(frozen=True)
class HeldOutPitfall:
    problem: str  # a bank id, or "generic"
    id: str
    commits: tuple[str, ...]  # sentences that make the mistake
    near_misses: tuple[str, ...]  # correct sentences close to it

    @property
    def problem_id(self) -> str | None:
        """The id the detectors take: None for a generic pitfall (a free-typed question)."""
        return None if self.problem == GENERIC else self.problem


@dataclass(frozen=True)
class HeldOutTurn:
    text: str
    phase: str  # the phase the content belongs to
    mistake: str = ""  # a planted pitfall id
    asks_scale: bool = False
    asks: bool = False  # asks the interviewer some other question
    component: str = ""  # the component the turn is about, which a reply on topic may name


@dataclass(frozen=True)
class HeldOutInterview:
    id: str
    problem: str  # a bank id, or "outside"
    question: str
    kind: str
    turns: tuple[HeldOutTurn, ...]

    @property
    def problem_id(self) -> str | None:
        return None if self.problem == OUTSIDE else self.problem


def _strings(value: Any, where: str, name: str, minimum: int) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}: '{name}' must be a list of non-empty strings")
    if len(value) < minimum:
        raise ValueError(f"{where}: '{name}' needs at least {minimum} entries, got {len(value)}")
    return tuple(v.strip() for v in value)


def _known_pitfalls(problem_id: str | None) -> set[str]:
    return {pitfall.id for pitfall in pitfalls_for(catalog.find_problem(problem_id))}


def _check_problem(problem: Any, where: str, other: str) -> str:
    if problem != other and (not isinstance(problem, str) or catalog.find_problem(problem) is None):
        raise ValueError(f"{where}: 'problem' must be a question-bank id or {other!r}, got {problem!r}")
    return problem


def parse_sentences(data: dict, where: str, minimums: tuple[int, int] = (MIN_COMMITS, MIN_NEAR_MISSES)) -> list:
    """The `[[pitfall]]` tables of one sentence file, validated; every id is one the detectors know."""
    raw_pitfalls = data.get("pitfall")
    if not isinstance(raw_pitfalls, list) or not raw_pitfalls:
        raise ValueError(f"{where}: expected [[pitfall]] tables")
    pitfalls = []
    for number, raw in enumerate(raw_pitfalls, 1):
        spot = f"{where}: pitfall {number}"
        if not isinstance(raw, dict):
            raise ValueError(f"{spot}: must be a table")
        unknown = sorted(set(raw) - _PITFALL_FIELDS)
        if unknown:
            raise ValueError(f"{spot}: unknown fields: {', '.join(unknown)}")
        problem = _check_problem(raw.get("problem"), spot, GENERIC)
        pitfall_id = raw.get("id")
        spot = f"{where}: {problem}/{pitfall_id}"
        known = _known_pitfalls(None if problem == GENERIC else problem)
        if pitfall_id not in known:
            raise ValueError(f"{spot}: not a pitfall id of {problem} (known: {', '.join(sorted(known))})")
        commits = _strings(raw.get("commits"), spot, "commits", minimums[0])
        near_misses = _strings(raw.get("near_misses"), spot, "near_misses", minimums[1])
        pitfalls.append(HeldOutPitfall(problem, pitfall_id, commits, near_misses))
    return pitfalls


def load_sentences(directory: Path = HELDOUT_DIR, names: tuple[str, ...] = SENTENCE_FILES) -> list[HeldOutPitfall]:
    """Every held-out pitfall from the sentence files; one pitfall listed twice is an error."""
    pitfalls: list[HeldOutPitfall] = []
    for name in names:
        pitfalls += parse_sentences(_read(directory / name), name)
    seen: set[tuple[str, str]] = set()
    for pitfall in pitfalls:
        if (pitfall.problem, pitfall.id) in seen:
            raise ValueError(f"{pitfall.problem}/{pitfall.id}: listed twice in the held-out sentences")
        seen.add((pitfall.problem, pitfall.id))
    return pitfalls


def _flag(raw: dict, name: str, where: str) -> bool:
    value = raw.get(name, False)
    if not isinstance(value, bool):
        raise ValueError(f"{where}: '{name}' must be true or false")
    return value


def _text(raw: dict, name: str, where: str, required: bool = True) -> str:
    value = raw.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(
            f"{where}: '{name}' must be a non-empty string" if required else f"{where}: '{name}' must be a string"
        )
    return value.strip()


def _turn(raw: Any, where: str, known: set[str]) -> HeldOutTurn:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: a turn must be a table")
    unknown = sorted(set(raw) - _TURN_FIELDS)
    if unknown:
        raise ValueError(f"{where}: unknown turn fields: {', '.join(unknown)}")
    text, phase = _text(raw, "text", where), _text(raw, "phase", where)
    if phase not in PHASE_KEYS:
        raise ValueError(f"{where}: 'phase' must be one of {', '.join(PHASE_KEYS)}, got {phase!r}")
    mistake = _text(raw, "mistake", where, required=False)
    if mistake and mistake not in known:
        raise ValueError(f"{where}: mistake {mistake!r} is not a pitfall id of this problem")
    asks_scale, asks = _flag(raw, "asks_scale", where), _flag(raw, "asks", where)
    if (asks_scale or asks) and "?" not in text:
        raise ValueError(f"{where}: a turn that asks something must contain '?'")
    component = _text(raw, "component", where, required=False)
    return HeldOutTurn(text, phase, mistake, asks_scale, asks, component)


def _interview(raw: Any, where: str) -> HeldOutInterview:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: must be a table")
    unknown = sorted(set(raw) - _INTERVIEW_FIELDS)
    if unknown:
        raise ValueError(f"{where}: unknown fields: {', '.join(unknown)}")
    interview_id = _text(raw, "id", where)
    where = f"interview {interview_id!r}"
    problem = _check_problem(raw.get("problem"), where, OUTSIDE)
    question, kind = _text(raw, "question", where), _text(raw, "kind", where)
    if kind not in KINDS:
        raise ValueError(f"{where}: 'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
    raw_turns = raw.get("turn")
    if not isinstance(raw_turns, list) or not MIN_TURNS <= len(raw_turns) <= MAX_TURNS:
        raise ValueError(f"{where}: needs {MIN_TURNS}-{MAX_TURNS} [[interview.turn]] tables")
    known = _known_pitfalls(None if problem == OUTSIDE else problem)
    turns = tuple(_turn(t, f"{where} turn {i}", known) for i, t in enumerate(raw_turns, 1))
    planted = [turn.mistake for turn in turns if turn.mistake]
    if kind == "strong" and planted:
        raise ValueError(f"{where}: a strong script plants no mistakes, got {', '.join(planted)}")
    if kind == "flawed" and not planted:
        raise ValueError(f"{where}: a flawed script needs at least one planted mistake")
    return HeldOutInterview(interview_id, problem, question, kind, turns)


def parse_interviews(data: dict, where: str = INTERVIEWS_FILE) -> list[HeldOutInterview]:
    """The `[[interview]]` tables, validated: known problems and pitfall ids, phases, flags, unique ids."""
    raw_interviews = data.get("interview")
    if not isinstance(raw_interviews, list) or not raw_interviews:
        raise ValueError(f"{where}: expected [[interview]] tables")
    interviews = [_interview(raw, f"{where}: interview {i}") for i, raw in enumerate(raw_interviews, 1)]
    ids = [interview.id for interview in interviews]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"{where}: interview ids listed twice: {', '.join(twice)}")
    return interviews


def load_interviews(path: Path = HELDOUT_DIR / INTERVIEWS_FILE) -> list[HeldOutInterview]:
    return parse_interviews(_read(path), path.name)


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ValueError(f"held-out file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path.name}: not valid TOML: {exc}") from exc


def uncovered_pitfalls(pitfalls: list[HeldOutPitfall]) -> list[str]:
    """Pitfalls the detectors know that the held-out sentences do not cover, as problem/id."""
    have = {(p.problem, p.id) for p in pitfalls}
    wanted = [(GENERIC, p.id) for p in pitfalls_for(None)]
    wanted += [(b.id, p.id) for b in catalog.load_bank() for p in b.pitfalls]
    return [f"{problem}/{pitfall_id}" for problem, pitfall_id in wanted if (problem, pitfall_id) not in have]
