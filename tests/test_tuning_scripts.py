"""The fresh tuning scripts (#26): planted mistakes are challenged at once and named, strong candidates rarely pushed.

Tuning data: the challenge wording and pitfall signals were tuned on these, so the floors only stop a silent
regression; the held-out measure is the blind scripts in scenarios.toml (`python -m interview.eval`).
"""

from __future__ import annotations

from interview.eval import runner
from interview.eval.pushback import challenged
from interview.eval.scenarios import load_tuning_scripts
from interview.eval.styles import CodeMovesProvider

SCRIPTS = load_tuning_scripts()
MIN_CHALLENGED = (
    71  # of 77 scored planted mistakes, reached on 2026-12-05 (round 3: 15 of 37 before; round 4: 32 of 40)
)
MAX_STRONG_CHALLENGES = 7  # reached on 2026-12-05 (round 3: 13 before; round 4: 11)


def _run_all() -> tuple[int, int, int]:
    planted = named = pushed = 0
    for scenario in SCRIPTS:
        result = runner.run_scenario(scenario, CodeMovesProvider(), feedback=False)
        for reply in result["replies"][1:]:
            turn = scenario.turns[reply["turn"] - 1]
            if turn.mistake:
                planted += 1
                named += challenged(reply["text"], turn.challenge_terms)[0]
            if scenario.kind == "strong" and (reply.get("move") or {}).get("kind") == "challenge":
                pushed += 1
    return planted, named, pushed


def test_the_tuning_scripts_hold_their_floors() -> None:
    assert {s.kind for s in SCRIPTS} == {"strong", "flawed"} and len(SCRIPTS) == 32
    planted, named, pushed = _run_all()
    assert planted == 77
    assert named >= MIN_CHALLENGED, f"planted mistakes challenged at once: {named}/{planted}"
    assert pushed <= MAX_STRONG_CHALLENGES, f"challenges of strong candidates: {pushed}"
