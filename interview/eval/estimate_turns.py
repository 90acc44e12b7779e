"""`python -m interview.eval --estimate-turns FILE`: the estimate checker on single turns dense with numbers.

Each turn is a strong candidate's (every figure right) or a flawed one's (one figure, `wrong`, off by 10x or more).
A strong turn with any figure judged off is false pushback; a flawed turn is caught when its wrong figure is.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from interview.eval.scripts_check import read_tables, save_figures
from interview.problems import catalog
from interview.problems.estimates import check_estimates

KINDS = ("strong", "flawed")


@dataclass(frozen=True)
class EstimateTurn:
    problem: str
    kind: str  # strong | flawed
    text: str
    wrong: str  # the flawed turn's wrong figure, as written in text; "" for a strong turn


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--estimate-turns", type=Path, help="strong and flawed estimate turns to check one by one")


def load_turns(path: Path) -> list[EstimateTurn]:
    """The file's turns, or ValueError naming the turn and field that is wrong."""
    raw = read_tables(path, "turn")
    turns = []
    for number, entry in enumerate(raw, start=1):
        where = f"{path}, turn {number}"
        if catalog.find_problem(entry.get("problem")) is None:
            raise ValueError(f"{where}: problem {entry.get('problem')!r} is not a bank problem")
        if entry.get("kind") not in KINDS:
            raise ValueError(f"{where}: kind must be one of {', '.join(KINDS)}")
        text, wrong = str(entry.get("text", "")).strip(), str(entry.get("wrong", "")).strip()
        if not text:
            raise ValueError(f"{where}: text is empty")
        if (entry["kind"] == "flawed") != bool(wrong) or (wrong and wrong not in text):
            raise ValueError(f"{where}: a flawed turn needs `wrong`, as written in its text; a strong one none")
        turns.append(EstimateTurn(entry["problem"], entry["kind"], text, wrong))
    if not turns:
        raise ValueError(f"{path}: no [[turn]] tables")
    return turns


def score_turns(turns: list[EstimateTurn]) -> dict[str, Any]:
    """Strong turns pushed back on, and flawed turns whose wrong figure is challenged (first, or at all)."""
    strong = [t for t in turns if t.kind == "strong"]
    flawed = [t for t in turns if t.kind == "flawed"]
    pushed, caught, first, missed = [], 0, 0, []
    for turn in turns:
        offs = [c.said for c in check_estimates(catalog.find_problem(turn.problem), turn.text) if c.verdict == "off"]
        if turn.kind == "strong" and offs:
            pushed.append({"problem": turn.problem, "off": offs})
        elif turn.kind == "flawed":
            hits = [said for said in offs if said in turn.wrong or turn.wrong in said]
            caught += bool(hits)
            first += bool(offs) and offs[0] in hits
            if not hits:
                missed.append({"problem": turn.problem, "wrong": turn.wrong, "off": offs})
    return {
        "strong": len(strong),
        "strong_pushed": len(pushed),
        "flawed": len(flawed),
        "flawed_caught": caught,
        "flawed_caught_first": first,
        "pushed": pushed,
        "missed": missed,
    }


def run_estimate_turns(args: argparse.Namespace, out: TextIO) -> dict[str, Any]:
    figures = score_turns(load_turns(args.estimate_turns))
    print(f"strong turns with a figure challenged: {figures['strong_pushed']}/{figures['strong']}", file=out)
    print(f"flawed turns whose wrong figure is challenged: {figures['flawed_caught']}/{figures['flawed']}", file=out)
    print(f"  ... as the turn's first challenge: {figures['flawed_caught_first']}/{figures['flawed']}", file=out)
    save_figures(args.out, {"turns": str(args.estimate_turns), **figures}, out)
    return figures
