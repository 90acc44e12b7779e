"""The fresh tuning scripts (#26): planted mistakes are challenged at once and named, strong candidates rarely pushed.

Tuning data: the challenge wording and pitfall signals were tuned on these, so the floors only stop a silent
regression; the held-out measures are heldout/scripts-round10.toml and heldout/scripts-round18.toml.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview.eval import cli
from interview.eval.scenarios import load_scripts, planted_pitfalls
from interview.eval.scripts_check import score_scripts

MIN_CHALLENGED = 72  # of 77 scored planted mistakes: 71 on 2026-12-05 (15 of 37 in round 3 before; 32 of 40 in round
# 4); 72 on 2026-12-06 after the round-11 rule fixes
MAX_STRONG_CHALLENGES = 3  # 26 before the 2026-12-06 denial, rejection, term-rule and after-the-estimates fixes; 50
# before figures that follow from the candidate's own arithmetic got no verdict and one recheck per turn (#26)
TUNING = Path(__file__).resolve().parent.parent / "interview" / "eval" / "tuning"
ROUND_11 = TUNING / "scripts-round11.toml"


def test_the_tuning_scripts_hold_their_floors() -> None:
    scripts = load_scripts()
    assert {s.kind for s in scripts} == {"strong", "flawed"} and len(scripts) == 44
    figures = score_scripts(scripts)
    assert figures["planted"] == 77
    assert figures["challenged"] >= MIN_CHALLENGED, figures["misses"]
    assert figures["strong_challenges"] <= MAX_STRONG_CHALLENGES, figures["pushed"]
    assert len(figures["misses"]) == figures["planted"] - figures["challenged"]


def test_tuning_round_11_holds_its_floors() -> None:
    # Strong candidates who name the naive option and reject it (2026-12-06): 71 challenges of them before tuning
    scripts = load_scripts(ROUND_11)
    assert len(scripts) == 52
    figures = score_scripts(scripts, planted_pitfalls(ROUND_11))
    assert figures["planted"] == 133
    assert figures["challenged_as_planted"] >= 125, figures["misses"]  # 127 when tuned
    assert figures["challenged"] >= 85  # 87 in the writers' words (73 before)
    assert figures["strong_challenges"] <= 17, figures["pushed"]  # 21 when tuned, 17 after round 20's rules


@pytest.mark.parametrize(
    ("name", "planted", "as_planted", "strong"),
    [
        # retired held-out rounds: 41/46/31, 45/50/48, 34/42/25, 70/88/57 and 72/97/32 (writers' words / as planted /
        # strong) when retired
        ("scripts-round12.toml", 65, 46, 7),
        ("scripts-round13.toml", 76, 54, 10),
        ("scripts-round14.toml", 65, 43, 12),  # 11 before self-answered questions were no longer answered with facts
        ("scripts-round15.toml", 134, 88, 23),
        ("scripts-round17.toml", 136, 105, 14),
        # strong scripts only, written fresh for tuning: 45 wrong challenges in 200 turns when written
        ("scripts-round16-strong.toml", 0, 0, 21),
        # the structured voice, written for tuning: 12 of 44 as planted when written
        ("scripts-round19-structured.toml", 44, 23, 6),
        # four voices (non-native, thinking aloud, casual, terse), written for tuning: 63 of 86 as planted and 15
        # strong challenges when written
        ("scripts-round20-voices.toml", 86, 78, 2),
    ],
)
def test_retired_rounds_hold_their_floors(name: str, planted: int, as_planted: int, strong: int) -> None:
    figures = score_scripts(load_scripts(TUNING / name), planted_pitfalls(TUNING / name))
    assert figures["planted"] == planted
    assert (figures["challenged_as_planted"] or 0) >= as_planted, figures["misses"]
    assert figures["strong_challenges"] <= strong, figures["pushed"]


def test_the_scripts_command_prints_and_saves_the_figures(tmp_path, capsys) -> None:
    one = tmp_path / "one.toml"
    one.write_text(
        '[[problem]]\nid = "url-shortener"\n[[problem.candidate]]\nkind = "flawed"\n'
        "[[problem.candidate.turn]]\ntext = \"I'll use a random 3-letter code; collisions probably won't happen.\"\n"
        'mistake = "tiny key space"\npitfall = "tiny-key-space"\nchallenge_terms = ["code", "key space"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "figures.json"
    assert cli.main(["--scripts", str(one), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "planted mistakes challenged at once: 1/1" in printed
    saved = json.loads(out.read_text())
    assert saved["challenged"] == 1
    # the move is checked against the pitfall the script names, not only against the writer's words
    assert "... as the planted pitfall: 1/1" in printed and saved["challenged_as_planted"] == 1
    one.write_text(one.read_text().replace('"tiny-key-space"', '"ignored-collisions"'), encoding="utf-8")
    assert cli.main(["--scripts", str(one), "--out", str(out)]) == 0
    assert "... as the planted pitfall: 0/1" in capsys.readouterr().out
