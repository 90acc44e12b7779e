"""The eval's requirement-change check: every change comes once, adapting answers are credited, ignoring ones named."""

from __future__ import annotations

from interview.eval import cli, curveball_check

ANSWERS = """
[[answer]]
problem = "url-shortener"
curveball = "links-expire"
adapts = ["Each row gets a last-used timestamp and a nightly job deletes links idle for 30 days, returning codes to the pool later."]
ignores = ["Makes sense.", "Each row gets a last-used timestamp and a nightly job deletes links idle for 30 days."]

[[answer]]
problem = "generic"
curveball = "data-residency"
adapts = ["EU members get a home region: we route them to a separate EU deployment with its own database cluster."]
ignores = ["Sure, we can do that."]
"""


def test_each_change_comes_once_and_the_answers_are_judged(tmp_path):
    (tmp_path / "curveball-answers-test.toml").write_text(ANSWERS, encoding="utf-8")
    found = curveball_check.run_all(curveball_check.load_answers(tmp_path))
    rows = {(r["problem"], r["kind"], r["answer"][:12]): r for r in found["rows"]}
    assert len(found["rows"]) == 5
    assert all(r["introduced"] == 1 and r["labelled"] and r["allowed"] for r in found["rows"])
    assert all(r["came_as"] == r["curveball"] for r in found["rows"])
    assert rows[("url-shortener", "adapts", "Each row get")]["credited"]
    assert rows[("url-shortener", "ignores", "Makes sense.")]["gap_named"]
    # The second "ignores" answer really adapts: the check reports it as wrongly credited, it does not hide it.
    assert rows[("url-shortener", "ignores", "Each row get")]["adapted"]
    summary = found["summary"]
    assert summary["introduced once, labelled, in an allowed phase"] == "5/5"
    assert summary["adapting answers credited with a quote"] == "2/2"
    assert summary["ignoring answers wrongly credited"] == "1/3"


def test_the_command_line_prints_and_saves_the_figures(tmp_path, capsys):
    (tmp_path / "curveball-answers-test.toml").write_text(ANSWERS, encoding="utf-8")
    out = tmp_path / "out.json"
    code = cli.main(["--curveballs", "--heldout-dir", str(tmp_path), "--problems", "generic", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0 and out.exists()
    assert "adapting answers credited with a quote: 1/1" in printed
