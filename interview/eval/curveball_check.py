"""`python -m interview.eval --curveballs`: every requirement change brought in, and answered by scripted candidates.

For each change of each bank problem (and the generic ones, on a typed question), a candidate reaches the change's
phase with a design, then answers it with a held-out answer written blind (`heldout/curveball-answers-*.toml`):
one that adapts the design and one that does not. The moves are made in code (`moves.plan`, then `moves.apply`), so
no model is needed. Checked: the change comes once, in an allowed phase and labelled; an adapting answer is
credited with a quote in the feedback; an ignoring one leaves a gap that names the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interview.core.phases import PHASE_KEYS
from interview.core.state import Interview
from interview.dialogue import curveballs, engine, moves
from interview.eval.heldout_data import HELDOUT_DIR
from interview.feedback.evidence import evidence_scorecard
from interview.problems import catalog
from interview.problems.load import CURVEBALL_PHASES, Curveball, Problem, generic_curveballs
from interview.problems.schema import read_toml

GENERIC = "generic"
GENERIC_QUESTION = "Design a system for booking climbing gym sessions"
GENERIC_DESIGN = (
    "Members book through a web app that calls a stateless booking service behind a load balancer.",
    "The booking service keeps sessions and bookings in Postgres, with a Redis cache for the timetable.",
    "Confirmation emails go onto a queue, and a worker sends them so booking stays fast.",
    "Each booking checks the session's capacity inside a database transaction, so a class is never overbooked.",
)
MAX_DESIGN_TURNS = 6  # turns in the change's phase before it must have come
START = 1_700_000_000.0


@dataclass(frozen=True)
class Answers:
    problem: str
    curveball: str
    adapts: tuple[str, ...]
    ignores: tuple[str, ...]


def load_answers(directory: Path = HELDOUT_DIR) -> dict[tuple[str, str], Answers]:
    """The held-out answers by (problem, curveball id)."""
    found = {}
    for path in sorted(directory.glob("curveball-answers-*.toml")):
        for row in read_toml(path).get("answer", []):
            answers = Answers(row["problem"], row["curveball"], tuple(row["adapts"]), tuple(row["ignores"]))
            found[(answers.problem, answers.curveball)] = answers
    return found


def _script(problem: Problem | None, phase: str) -> list[tuple[str, str]]:
    """(phase, words): a candidate who covers requirements and estimates, then presses "Next phase" up to the
    change's phase and designs there (the checklist's examples, one per turn), or a generic design."""
    if problem is None:
        return [(phase, text) for text in GENERIC_DESIGN]

    def said(key: str, count: int) -> list[str]:
        return [entry.examples[0] for entry in problem.evidence[key] if entry.examples][:count]

    design = said("high_level", 2) + (said(phase, MAX_DESIGN_TURNS) if phase != "high_level" else said(phase, 9)[2:])
    return [(key, text) for key in ("requirements", "estimates") for text in said(key, 2)] + [
        (phase, text) for text in design[:MAX_DESIGN_TURNS]
    ]


def _turn(interview: Interview, text: str, clock: list[float]) -> moves.NextMove:
    """The candidate says `text`; the move chosen in code is applied and returned."""
    clock[0] += 120
    engine.answer(interview, text, engine.NullStore())
    return _reply(interview, clock[0])


def _reply(interview: Interview, now: float) -> moves.NextMove:
    """The interviewer's move, planned and applied in code, and its words added to the chat."""
    decided = moves.plan(interview, now)
    moves.apply(interview, decided, now)
    interview.add(engine.Message("assistant", decided.move.text(), interview.phase))
    return decided.move


def run_one(problem: Problem | None, curveball: Curveball, answer: str, kind: str) -> dict[str, Any]:
    """One scripted interview: reach the change's phase, design until the change comes, answer it, score."""
    interview = Interview(question=problem.title if problem else GENERIC_QUESTION, problem_id=problem and problem.id)
    allowed = [c.id for c in curveballs.allowed_in(interview, curveball.after)]
    interview.id = f"{allowed.index(curveball.id):08x}" + "0" * 24  # `curveballs.due` then picks this change
    clock = [START]
    _reply(interview, clock[0])  # the opening
    came = None
    for phase, text in _script(problem, curveball.after):
        interview.move_to_phase(phase, "candidate", clock[0])  # "Next phase" pressed when the script moves on
        move = _turn(interview, text, clock)
        if move.kind == "curveball":
            came = move
            break
    result = {"problem": problem.id if problem else GENERIC, "curveball": curveball.id, "kind": kind, "answer": answer}
    if came is None:
        return result | {"introduced": 0, "phase": "", "allowed": False, "labelled": False}
    phase = interview.notes.changes[0].phase
    _turn(interview, answer, clock)
    change = interview.notes.changes[0]
    card = evidence_scorecard(interview)
    labelled = [m for m in interview.messages if m.role == "assistant" and m.content.startswith(curveballs.LABEL)]
    return result | {
        "introduced": len(labelled),
        "came_as": change.key,
        "phase": phase,
        "allowed": phase in CURVEBALL_PHASES and _index(phase) >= _index(curveball.after),
        "labelled": came.text().startswith(curveballs.LABEL),
        "adapted": change.adapted,
        "quote": change.quote,
        "credited": bool(change.quote) and any(change.quote in line for line in card.strengths),
        "gap_named": change.note in card.gaps,
    }


def _index(phase: str) -> int:
    return PHASE_KEYS.index(phase)


def run_all(answers: dict[tuple[str, str], Answers], problem_ids: list[str] | None = None) -> dict[str, Any]:
    """Every change with held-out answers, each answer in its own interview; the per-change rows and the totals."""
    rows = []
    problems = [*catalog.all_problems().values(), None]
    for problem in problems:
        name = problem.id if problem else GENERIC
        if problem_ids and name not in problem_ids:
            continue
        for curveball in problem.curveballs if problem else generic_curveballs():
            found = answers.get((name, curveball.id))
            if found is None:
                continue
            rows += [run_one(problem, curveball, text, "adapts") for text in found.adapts]
            rows += [run_one(problem, curveball, text, "ignores") for text in found.ignores]
    return {"rows": rows, "summary": summarize(rows)}


def summarize(rows: list[dict[str, Any]]) -> dict[str, str]:
    """The figures: introduced once in an allowed phase, adapting answers credited, ignoring ones named as gaps."""
    adapts = [r for r in rows if r["kind"] == "adapts"]
    ignores = [r for r in rows if r["kind"] == "ignores"]

    def share(part: list, whole: list) -> str:
        return f"{len(part)}/{len(whole)}"

    return {
        "interviews": str(len(rows)),
        "introduced once, labelled, in an allowed phase": share(
            [r for r in rows if r["introduced"] == 1 and r["labelled"] and r["allowed"]], rows
        ),
        "the intended change came": share([r for r in rows if r.get("came_as") == r["curveball"]], rows),
        "adapting answers credited with a quote": share([r for r in adapts if r.get("credited")], adapts),
        "ignoring answers named in the gaps": share([r for r in ignores if r.get("gap_named")], ignores),
        "ignoring answers wrongly credited": share([r for r in ignores if r.get("adapted")], ignores),
    }
