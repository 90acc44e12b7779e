"""`python -m interview.eval --rebuttals FILE`: answers to a challenge, and whether the interviewer takes it back.

Each case is a turn the interviewer challenged as a pitfall (`earlier`) and the candidate's answer (`reply`): a
rebuttal, where the challenge misread them (the option was named only to reject it, or already handled), which should
be withdrawn; or a concession, a defence or a question back, which never should. The moves are planned in code
(`moves.plan`), so no model is needed.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from interview.core.notes import Move, RaisedMistake
from interview.core.state import Interview, Message
from interview.dialogue import challenges, engine, moves
from interview.eval.scripts_check import read_tables, save_figures
from interview.problems import catalog
from interview.problems.detect import pitfalls_for

KINDS = ("rebut", "concede", "defend", "question")
PHASE = "deep_dive"
START = 1_700_000_000.0


@dataclass(frozen=True)
class Case:
    problem: str
    pitfall: str
    kind: str
    earlier: str
    reply: str


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rebuttals", type=Path, help="answers to challenges: which ones take the challenge back")


def load_cases(path: Path) -> list[Case]:
    """The file's cases, or ValueError naming the case and field that is wrong."""
    raw = read_tables(path, "case")
    cases = []
    for number, entry in enumerate(raw, start=1):
        where = f"{path}, case {number}"
        problem = catalog.find_problem(entry.get("problem"))
        if problem is None:
            raise ValueError(f"{where}: problem {entry.get('problem')!r} is not a bank problem")
        if all(pitfall.id != entry.get("pitfall") for pitfall in pitfalls_for(problem)):
            raise ValueError(f"{where}: {problem.id} has no pitfall {entry.get('pitfall')!r}")
        if entry.get("kind") not in KINDS:
            raise ValueError(f"{where}: kind must be one of {', '.join(KINDS)}")
        earlier, reply = str(entry.get("earlier", "")).strip(), str(entry.get("reply", "")).strip()
        if not (earlier and reply):
            raise ValueError(f"{where}: `earlier` and `reply` must both be set")
        cases.append(Case(problem.id, entry["pitfall"], entry["kind"], earlier, reply))
    if not cases:
        raise ValueError(f"{path}: no [[case]] tables")
    return cases


def run_case(case: Case) -> dict[str, Any]:
    """The challenge raised on `earlier`, then `reply`: the notes and the move the interviewer plans next."""
    problem = catalog.find_problem(case.problem)
    pitfall = next(p for p in pitfalls_for(problem) if p.id == case.pitfall)
    interview = Interview(question=problem.title, problem_id=problem.id)
    interview.curveballs = False
    interview.move_to_phase(PHASE, "candidate", START)
    engine.answer(interview, case.earlier, engine.NullStore())
    lead = challenges.FRESH_OPENINGS[0].format(pitfall.concern)
    interview.notes.mistakes.append(RaisedMistake(pitfall.id, PHASE, case.earlier, pitfall.question, pitfall.note))
    interview.notes.moves.append(Move("challenge", pitfall.id, pitfall.question, 1, lead, case.earlier))
    interview.add(Message("assistant", f"{lead} {pitfall.question}", PHASE))
    engine.answer(interview, case.reply, engine.NullStore())
    decided = moves.plan(interview, START + 120)
    mistake = decided.notes.raised(pitfall.id)
    return {
        "problem": case.problem,
        "pitfall": case.pitfall,
        "kind": case.kind,
        "withdrawn": mistake.withdrawn,
        "fixed": mistake.fixed and not mistake.withdrawn,
        "said": decided.move.lead.startswith(challenges.WITHDRAWN),
        "next": decided.move.kind,
    }


def score_cases(cases: list[Case]) -> dict[str, Any]:
    """Per kind: how many cases, how many the interviewer withdrew (and said so), and how many it marked fixed."""
    rows = [run_case(case) for case in cases]
    figures: dict[str, Any] = {}
    for kind in KINDS:
        mine = [row for row in rows if row["kind"] == kind]
        figures[kind] = {
            "cases": len(mine),
            "withdrawn": sum(row["withdrawn"] for row in mine),
            "said": sum(row["withdrawn"] and row["said"] for row in mine),
            "fixed": sum(row["fixed"] for row in mine),
        }
    return {"figures": figures, "rows": rows}


def run_rebuttals(args: argparse.Namespace, out: TextIO) -> dict[str, Any]:
    scored = score_cases(load_cases(args.rebuttals))
    for kind, counts in scored["figures"].items():
        print(
            f"{kind}: withdrawn {counts['withdrawn']}/{counts['cases']} (said so: {counts['said']}), "
            f"marked fixed {counts['fixed']}",
            file=out,
        )
    save_figures(args.out, {"cases": str(args.rebuttals), **scored}, out)
    return scored
