"""The eval's style comparison: the same scripts under each style, moves made in code, scores equal across styles."""

from __future__ import annotations

import json

from interview.eval.cli import main
from interview.eval.styles import CodeMovesProvider


def test_the_styles_run_reports_how_the_moves_differ_and_that_the_scores_do_not(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .env, and no results written outside the test
    out = tmp_path / "styles.json"
    argv = ["--styles", "--problems", "chat-system", "--candidates", "strong,weak,flawed", "--quiet", "--out", str(out)]
    assert main(argv) == 0
    data = json.loads(out.read_text())
    coach, standard, bar_raiser = (data["figures"][style] for style in ("coach", "standard", "bar_raiser"))
    assert data["meta"]["provider"] == CodeMovesProvider.name  # no model: every reply is the move written in code
    assert all(standard[kind] == 0 for kind in ("hint_offer", "quantify", "alternative", "praise"))
    # The weak candidate's two thin answers in a row: Standard pushes again, the coach offers a hint, not charged.
    assert coach["hint_offer"] == 1 and coach["follow_up"] == standard["follow_up"] - 1 and coach["hints_charged"] == 0
    assert coach["praise"] >= 1 and bar_raiser["praise"] == 0
    assert bar_raiser["quantify"] >= 1 and bar_raiser["challenges_per_turn"] > standard["challenges_per_turn"]
    # A mistake is challenged first whatever the style.
    assert coach["challenge"] == standard["challenge"] == bar_raiser["challenge"]
    assert data["scores_equal"] == {"equal": "3/3", "differ": []}
    printed = capsys.readouterr().out
    assert "== Styles" in printed and "scores equal across styles: 3/3 scripts" in printed
