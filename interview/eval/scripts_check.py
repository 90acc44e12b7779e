"""`python -m interview.eval --scripts FILE`: strong and flawed scripts outside the matrix, moves made in code.

For the tuning rounds (`interview/eval/tuning/scripts.toml`) and held-out rounds (`heldout/scripts-round10.toml`):
each planted mistake must be challenged in the very next reply, naming it; a strong candidate should never be
challenged. No model is called, so the figures are exact and take seconds.
"""

from __future__ import annotations

import argparse
import json
import tomllib
from pathlib import Path
from typing import Any, TextIO

from interview.eval import runner
from interview.eval.pushback import challenged
from interview.eval.scenarios import Scenario, load_scripts, planted_pitfalls
from interview.eval.styles import CodeMovesProvider


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scripts", type=Path, help="strong and flawed scripts to run with the moves made in code")


def _as_planted(move: dict, pitfall: str) -> bool:
    """The move challenges the planted pitfall itself (any wrong figure, for a planted estimate)."""
    key = move.get("key") or ""
    return move.get("kind") == "challenge" and (
        key == pitfall or (pitfall == "estimate" and key.startswith("estimate:"))
    )


def score_scripts(
    scenarios: list[Scenario], planted_ids: dict[tuple[str, str, int], str] | None = None
) -> dict[str, Any]:
    """Planted mistakes challenged at once (naming them in the writer's words, and, when the scripts name their
    pitfalls, as that pitfall), and challenges of strong candidates, with each miss and push."""
    planted, named, as_planted, pushed, misses = 0, 0, 0, [], []
    for scenario in scenarios:
        result = runner.run_scenario(scenario, CodeMovesProvider(), feedback=False)
        for reply in result["replies"][1:]:
            turn, move = scenario.turns[reply["turn"] - 1], reply.get("move") or {}
            where = f"{scenario.name} turn {reply['turn']}"
            if turn.mistake:
                planted += 1
                outcome = challenged(reply["text"], turn.challenge_terms)
                named += outcome[0]
                pitfall = (planted_ids or {}).get((scenario.problem_id, scenario.kind, reply["turn"]), "")
                as_planted += bool(pitfall) and _as_planted(move, pitfall)
                if not outcome[0]:
                    misses.append({"turn": where, "move": move.get("kind"), "key": move.get("key"), "why": outcome[1]})
            if scenario.kind == "strong" and move.get("kind") == "challenge":
                pushed.append({"turn": where, "key": move.get("key")})
    return {
        "planted": planted,
        "challenged": named,
        "challenged_as_planted": as_planted if planted_ids else None,
        "strong_challenges": len(pushed),
        "misses": misses,
        "pushed": pushed,
    }


def run_scripts(args: argparse.Namespace, out: TextIO) -> dict[str, Any]:
    figures = score_scripts(load_scripts(args.scripts), planted_pitfalls(args.scripts))
    print(f"planted mistakes challenged at once: {figures['challenged']}/{figures['planted']}", file=out)
    print(f"  ... as the planted pitfall: {figures['challenged_as_planted']}/{figures['planted']}", file=out)
    print(f"challenges of strong candidates: {figures['strong_challenges']}", file=out)
    save_figures(args.out, {"scripts": str(args.scripts), **figures}, out)
    return figures


def read_tables(path: Path, name: str) -> list[dict[str, Any]]:
    """The file's `[[name]]` tables, or ValueError naming the file when it cannot be read."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get(name, [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from exc


def save_figures(path: Path | None, figures: dict[str, Any], out: TextIO) -> None:
    """Write the figures as JSON when an --out path was given, and say where."""
    if path:
        path.write_text(json.dumps(figures, indent=1), encoding="utf-8")
        print(f"results saved to {path}", file=out)
