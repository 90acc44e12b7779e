"""Tests for the estimate-turn eval: its files are validated, and its figures count what they say."""

from __future__ import annotations

import argparse
import io
from collections import Counter
from pathlib import Path

import pytest

from interview.eval import estimate_turns
from interview.eval.cli import main
from interview.eval.heldout_data import HELDOUT_DIR

ROUND7 = HELDOUT_DIR / "estimates-round7.toml"
ROUND8 = Path(estimate_turns.__file__).parent / "tuning" / "estimates-round8.toml"
MAX_ROUND8_STRONG_PUSHED = (
    21  # of 160: 21 on 2026-12-07 (74 before the round's rules, 61 after the first ones, 22 before "86,400,")
)
MIN_ROUND8_FLAWED_CAUGHT = 68  # of 80, reached on 2026-12-06 (56 before)

STRONG = "100M new links a day is about 1,160 new links a second, maybe 3K at peak."
FLAWED = "100M new links a day is about 12 new links a second on average."


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "turns.toml"
    path.write_text(body, encoding="utf-8")
    return path


def _turn(problem: str, kind: str, text: str, wrong: str = "") -> str:
    return f'[[turn]]\nproblem = "{problem}"\nkind = "{kind}"\ntext = "{text}"\nwrong = "{wrong}"\n\n'


def test_a_strong_turn_is_not_pushed_and_a_flawed_turns_wrong_figure_is_caught(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _turn("url-shortener", "strong", STRONG) + _turn("url-shortener", "flawed", FLAWED, "12 new links a second"),
    )
    figures = estimate_turns.score_turns(estimate_turns.load_turns(path))
    assert (figures["strong_pushed"], figures["flawed_caught"], figures["flawed_caught_first"]) == (0, 1, 1)


def test_a_strong_turn_with_a_wrong_figure_counts_as_pushed(tmp_path: Path) -> None:
    path = _write(tmp_path, _turn("url-shortener", "strong", FLAWED))
    figures = estimate_turns.score_turns(estimate_turns.load_turns(path))
    assert figures["strong_pushed"] == 1
    assert figures["pushed"] == [{"problem": "url-shortener", "off": ["12 new links a second"]}]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_turn("no-such-problem", "strong", STRONG), "turn 1: problem 'no-such-problem' is not a bank problem"),
        (_turn("url-shortener", "weak", STRONG), "turn 1: kind must be one of strong, flawed"),
        (_turn("url-shortener", "flawed", FLAWED, "9 links"), "turn 1: a flawed turn needs `wrong`"),
        (_turn("url-shortener", "strong", STRONG, "1,160"), "turn 1: a flawed turn needs `wrong`"),
        ("title = 'no turns'\n", "no [[turn]] tables"),
        ("[[turn]\n", "turns.toml"),
    ],
)
def test_a_bad_turns_file_is_refused_with_the_turn_and_field(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        estimate_turns.load_turns(_write(tmp_path, body))


def test_the_held_out_round_has_three_strong_and_two_flawed_turns_for_every_bank_problem() -> None:
    counts = Counter((turn.problem, turn.kind) for turn in estimate_turns.load_turns(ROUND7))
    assert len({problem for problem, _ in counts}) == 40
    assert all(count == (3 if kind == "strong" else 2) for (_, kind), count in counts.items())


def test_the_tuning_round_holds_its_figures() -> None:
    figures = estimate_turns.score_turns(estimate_turns.load_turns(ROUND8))
    assert (figures["strong"], figures["flawed"]) == (160, 80)
    assert figures["strong_pushed"] <= MAX_ROUND8_STRONG_PUSHED, figures["pushed"]
    assert figures["flawed_caught"] >= MIN_ROUND8_FLAWED_CAUGHT, figures["missed"]


def test_the_command_line_prints_the_figures_and_saves_them(tmp_path: Path, capsys) -> None:
    path = _write(tmp_path, _turn("url-shortener", "flawed", FLAWED, "12 new links a second"))
    out = tmp_path / "out.json"
    assert main(["--estimate-turns", str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "flawed turns whose wrong figure is challenged: 1/1" in printed
    assert '"flawed_caught": 1' in out.read_text(encoding="utf-8")


def test_a_bad_file_on_the_command_line_is_an_error_message_not_a_traceback(tmp_path: Path, capsys) -> None:
    assert main(["--estimate-turns", str(tmp_path / "missing.toml")]) == 2
    assert "error:" in capsys.readouterr().err


def test_run_writes_nothing_without_out(tmp_path: Path) -> None:
    path = _write(tmp_path, _turn("url-shortener", "strong", STRONG))
    args = argparse.Namespace(estimate_turns=path, out=None)
    figures = estimate_turns.run_estimate_turns(args, io.StringIO())
    assert figures["strong"] == 1 and list(tmp_path.iterdir()) == [path]
