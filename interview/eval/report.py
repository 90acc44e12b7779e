"""Plain-text tables for the eval: one per scenario and a summary."""

from __future__ import annotations

from typing import Any

# Column title -> check name; a reply shows "ok", "FAIL" or "-" (not applicable) under each.
CHECK_COLUMNS = {
    "Q?": "asks_question",
    "brief": "brief",
    "dump": "no_design_dump",
    "parrot": "no_parroting",
    "nums": "numbers_when_asked",
    "reask": "no_reask",
    "marker": "no_marker",
    "echo": "no_prompt_echo",
    "repeat": "no_self_repeat",
    "2nd": "speaks_to_candidate",
    "leak": "no_answer_leak",
    "praise": "no_stock_praise",
}


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A fixed-width text table."""
    cells = [[str(c) for c in headers], *[[("" if c is None else str(c)) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _mark(outcome: list | None) -> str:
    if outcome is None:
        return "-"
    return "ok" if outcome[0] else "FAIL"


def _snippet(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def scenario_table(result: dict[str, Any]) -> str:
    """One row per interviewer reply, then the scenario's failures and feedback checks spelled out."""
    headers = ["#", "phase", "words", *CHECK_COLUMNS, "sec", "reply"]
    rows = []
    notes = []
    for reply in result["replies"]:
        found = reply.get("checks") or {}
        phase = reply["phase"] + (" →" if reply.get("advanced_phase") else "")
        if not reply["complete"]:
            rows.append([reply["turn"], phase, "", *["" for _ in CHECK_COLUMNS], reply["seconds"], "ERROR"])
            notes.append(f"  turn {reply['turn']}: incomplete reply: {reply['error']}")
            continue
        marks = [_mark(found.get(name)) for name in CHECK_COLUMNS.values()]
        rows.append([reply["turn"], phase, reply.get("words", ""), *marks, reply["seconds"], _snippet(reply["text"])])
        for title, name in CHECK_COLUMNS.items():
            outcome = found.get(name)
            if outcome is not None and not outcome[0]:
                notes.append(f"  turn {reply['turn']} {title}: {outcome[1]}")
    lines = [f"== {result['problem']} / {result['candidate']}", table(headers, rows)]
    if not result["phase_order"][0]:
        notes.append(f"  phase order: {result['phase_order'][1]}")
    feedback = result.get("feedback") or {}
    if "error" in feedback:
        notes.append(f"  feedback error: {feedback['error']}")
    if "skipped" in feedback:
        notes.append(f"  feedback: skipped ({feedback['skipped']})")
    for name, outcome in (feedback.get("checks") or {}).items():
        if outcome is not None:
            notes.append(f"  feedback {name}: {_mark(outcome)} ({outcome[1]})")
    if feedback.get("mean") is not None:
        notes.append(f"  feedback mean score: {feedback['mean']:.2f} (card from {feedback.get('source')})")
    found = result.get("pushback") or {}
    for planted in found.get("planted", []):
        named = f"; gaps: {_mark(planted['named'])}" if planted["named"] else ""
        notes.append(f"  planted mistake ({planted['mistake']}): challenged {_mark(planted['challenged'])}{named}")
    for said in found.get("false_pushback", []):
        notes.append(f"  FALSE PUSHBACK on: {_snippet(said)}")
    if found.get("templates") and not found["templates"][0]:
        notes.append(f"  template overused: {found['templates'][1]}")
    for key, verdict in (result.get("judge") or {}).items():
        good = {True: "good", False: "BAD", None: "unclear"}[verdict["good"]]
        notes.append(f"  judge {key}: {verdict['answer']} ({good})")
    return "\n".join(lines + notes)


SUMMARY_ROWS = (
    ("replies", "Interviewer replies"),
    ("errors", "Incomplete replies (errors)"),
    ("asks_question_pct", "Replies asking a question (%)"),
    ("median_words", "Median words per reply"),
    ("over_word_limit", "Replies over the word limit"),
    ("design_dumps", "Design dumps"),
    ("parroting", "Parroting (≥6 copied words)"),
    ("numbers_when_asked", "Numbers when asked about scale"),
    ("reasks", "Re-asks of covered ground"),
    ("marker_leaks", "Hidden-marker leaks"),
    ("prompt_echoes", "Instruction echoes (≥6 words)"),
    ("self_repeats", "Repeats of its own earlier reply"),
    ("third_person", 'Says "the candidate" to the candidate'),
    ("answer_leaks", "Checklist items spelled out (answer leaks)"),
    ("praise_openers", 'Opens by grading the answer ("That\'s a good design.")'),
    ("interviewer_phase_moves", "Phase moves by the interviewer"),
)


def summary_table(summary: dict[str, Any]) -> str:
    """Overall figures and one column per candidate kind, then the feedback checks."""
    kinds = list(summary.get("by_candidate") or {})
    rows = []
    for key, title in SUMMARY_ROWS:
        rows.append([title, summary.get(key), *[summary["by_candidate"][k].get(key) for k in kinds]])
    rows.append(["Phase-order violations", summary.get("phase_order_violations"), *["" for _ in kinds]])
    lines = ["== Summary", table(["metric", "all", *kinds], rows)]
    feedback = summary.get("feedback") or {}
    if feedback:
        lines.append("")
        lines.append(table(["feedback check", "passed"], [[name, value] for name, value in feedback.items()]))
    found = {k: v for k, v in (summary.get("pushback") or {}).items() if not k.endswith("_detail")}
    if found:
        lines.append("")
        lines.append(table(["pushback check", "result"], [[name, value] for name, value in found.items()]))
    for key, details in (summary.get("pushback") or {}).items():
        if key.endswith("_detail"):
            lines += [f"  {detail}" for detail in details if "is not above" in detail]
    if summary.get("judge"):
        lines.append("")
        lines.append(table(["judge question", "good"], [[k, v] for k, v in summary["judge"].items()]))
    return "\n".join(lines)
