"""Sentence-level figures on the held-out set: each sentence as a candidate's turn, through the pitfall detection.

Every sentence is a fresh turn: it is the whole transcript, nothing was raised before, and the phase is
`requirements` by default, so a signal of something never said (which waits for its phase to be over) does not
fire. A bank pitfall is measured on its own problem, a generic pitfall on a free-typed question (problem id None).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from interview.eval.heldout_data import GENERIC, HeldOutPitfall
from interview.eval.report import table
from interview.problems import catalog
from interview.problems.detect import detect_pitfalls
from interview.problems.estimates import check_estimates

SENTENCE_PHASE = "requirements"

Detect = Callable[[str | None, str, str], list[str]]  # (problem id, sentence, phase) -> pitfall ids, in order
Estimate = Callable[[str | None, str], list[str]]  # (problem id, sentence) -> estimates it would challenge


def detect_ids(problem_id: str | None, sentence: str, phase: str) -> list[str]:
    """The pitfalls the project's detection signals for one sentence said as a fresh turn, first first."""
    problem = catalog.find_problem(problem_id)
    return [hit.id for hit in detect_pitfalls(problem, sentence, sentence, phase, ())]


def estimates_off(problem_id: str | None, sentence: str) -> list[str]:
    """The quantities an estimate check would challenge in the sentence (off by more than 3x)."""
    return [
        check.quantity
        for check in check_estimates(catalog.find_problem(problem_id), sentence)
        if check.verdict == "off"
    ]


@dataclass(frozen=True)
class Verdict:
    """One sentence, detected in one problem's context."""

    context: str  # the problem id the detection ran with, or "generic"
    owner: str  # the held-out pitfall it was written for
    role: str  # commit | near_miss
    text: str
    fired: tuple[str, ...]
    estimates: tuple[str, ...] = ()


def _contexts(pitfalls: list[HeldOutPitfall]) -> dict[str, list[HeldOutPitfall]]:
    """Per detection context, the sentences it runs on: a bank problem's own pitfalls plus the generic ones."""
    generic = [p for p in pitfalls if p.problem == GENERIC]
    contexts = {GENERIC: generic} if generic else {}
    for problem in dict.fromkeys(p.problem for p in pitfalls if p.problem != GENERIC):
        contexts[problem] = [p for p in pitfalls if p.problem == problem] + generic
    return contexts


def run_detection(pitfalls: list[HeldOutPitfall], phase: str, detect: Detect, estimate: Estimate) -> list[Verdict]:
    """Every sentence through the detection, once per context it belongs to."""
    verdicts = []
    for context, members in _contexts(pitfalls).items():
        problem_id = None if context == GENERIC else context
        for pitfall in members:
            for role, sentences in (("commit", pitfall.commits), ("near_miss", pitfall.near_misses)):
                for text in sentences:
                    fired = tuple(detect(problem_id, text, phase))
                    off = tuple(estimate(problem_id, text)) if role == "near_miss" else ()
                    verdicts.append(Verdict(context, pitfall.id, role, text, fired, off))
    return verdicts


def _share(count: int, total: int) -> float | None:
    return round(count / total, 3) if total else None


def pitfall_figures(pitfall: HeldOutPitfall, verdicts: list[Verdict]) -> dict[str, Any]:
    """Recall, near-miss false positives and precision of one pitfall, in its own problem's context."""
    mine = [v for v in verdicts if v.context == pitfall.problem]
    own = [v for v in mine if v.owner == pitfall.id]
    commits = [v for v in own if v.role == "commit"]
    near = [v for v in own if v.role == "near_miss"]
    hits = [v for v in commits if pitfall.id in v.fired]
    firing = [v for v in mine if pitfall.id in v.fired]
    false_hits = [v for v in firing if not (v.owner == pitfall.id and v.role == "commit")]
    figures: dict[str, Any] = {
        "problem": pitfall.problem,
        "id": pitfall.id,
        "commits": len(commits),
        "recalled": len(hits),
        "recall": _share(len(hits), len(commits)),
        "first": sum(1 for v in commits if v.fired[:1] == (pitfall.id,)),  # what the interviewer would challenge
        "near_misses": len(near),
        "near_miss_fired": sum(1 for v in near if pitfall.id in v.fired),
        "near_miss_any_pushback": sum(1 for v in near if v.fired or v.estimates),
        "fired_total": len(firing),
        "precision": _share(len(hits), len(firing)),
        "false_hits": [{"owner": v.owner, "role": v.role, "text": v.text} for v in false_hits],
        "missed": [v.text for v in commits if pitfall.id not in v.fired],
    }
    figures["near_miss_fp_rate"] = _share(figures["near_miss_fired"], len(near))
    if pitfall.problem == GENERIC:  # how often it fires on bank problems' sentences (information, not precision)
        figures["fired_on_bank_sentences"] = sum(
            1 for v in verdicts if v.context != GENERIC and v.owner != pitfall.id and pitfall.id in v.fired
        )
    return figures


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Pooled figures over the given pitfalls' rows."""
    commits = sum(r["commits"] for r in rows)
    near = sum(r["near_misses"] for r in rows)
    recalled = sum(r["recalled"] for r in rows)
    fired = sum(r["fired_total"] for r in rows)
    return {
        "pitfalls": len(rows),
        "commits": commits,
        "recalled": recalled,
        "recall": _share(recalled, commits),
        "first": sum(r["first"] for r in rows),
        "first_rate": _share(sum(r["first"] for r in rows), commits),
        "near_misses": near,
        "near_miss_fired": sum(r["near_miss_fired"] for r in rows),
        "near_miss_fp_rate": _share(sum(r["near_miss_fired"] for r in rows), near),
        "near_miss_any_pushback": sum(r["near_miss_any_pushback"] for r in rows),
        "near_miss_any_pushback_rate": _share(sum(r["near_miss_any_pushback"] for r in rows), near),
        "fired_total": fired,
        "precision": _share(recalled, fired),
        "pitfalls_never_recalled": sum(1 for r in rows if r["recalled"] == 0),
    }


def sentence_report(
    pitfalls: list[HeldOutPitfall],
    phase: str = SENTENCE_PHASE,
    detect: Detect = detect_ids,
    estimate: Estimate = estimates_off,
) -> dict[str, Any]:
    """Per-pitfall and pooled figures (all, bank problems, generic) on the held-out sentences."""
    verdicts = run_detection(pitfalls, phase, detect, estimate)
    rows = [pitfall_figures(p, verdicts) for p in pitfalls]
    bank_rows = [r for r in rows if r["problem"] != GENERIC]
    generic_rows = [r for r in rows if r["problem"] == GENERIC]
    return {
        "phase": phase,
        "pitfalls": rows,
        "totals": {"all": totals(rows), "bank": totals(bank_rows), "generic": totals(generic_rows)},
    }


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def sentence_table(report: dict[str, Any]) -> str:
    """One row per pitfall, then the pooled rows."""
    headers = ["problem", "pitfall", "recall", "first", "near-miss FP", "precision", "any pushback on near"]
    rows = [
        [
            r["problem"],
            r["id"],
            f"{r['recalled']}/{r['commits']}",
            f"{r['first']}/{r['commits']}",
            f"{r['near_miss_fired']}/{r['near_misses']}",
            f"{_pct(r['precision'])} of {r['fired_total']}",
            f"{r['near_miss_any_pushback']}/{r['near_misses']}",
        ]
        for r in report["pitfalls"]
    ]
    for name, t in report["totals"].items():
        rows.append(
            [
                f"TOTAL {name}",
                f"{t['pitfalls']} pitfalls",
                f"{t['recalled']}/{t['commits']} ({_pct(t['recall'])})",
                f"{t['first']}/{t['commits']} ({_pct(t['first_rate'])})",
                f"{t['near_miss_fired']}/{t['near_misses']} ({_pct(t['near_miss_fp_rate'])})",
                f"{_pct(t['precision'])} of {t['fired_total']}",
                f"{t['near_miss_any_pushback']}/{t['near_misses']} ({_pct(t['near_miss_any_pushback_rate'])})",
            ]
        )
    return table(headers, rows)
