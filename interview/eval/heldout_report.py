"""Summary figures of a held-out interview run, against the aims of issue #25, and their text tables."""

from __future__ import annotations

from collections import Counter
from typing import Any

from interview.eval.report import table

AIM_CHALLENGED = 0.9  # planted mistakes challenged in the very next reply
AIM_NAMED = 0.9  # planted mistakes named by the feedback
AIM_NEAR_MISS_PUSHBACK = 0.02  # held-out near misses that get pushback


def fraction(passed: int, total: int) -> str:
    return f"{passed}/{total} ({100 * passed / total:.0f}%)" if total else "0/0"


def _share(passed: int, total: int) -> float | None:
    return passed / total if total else None


def _group(result: dict[str, Any]) -> str:
    return "outside" if result.get("problem_id") is None else "bank"


def _planted(results: list[dict[str, Any]], group: str | None = None) -> list[dict[str, Any]]:
    return [p for r in results if group in (None, _group(r)) for p in r["heldout"]["planted"]]


def _scripted(results: list[dict[str, Any]], group: str | None = None) -> list[dict[str, Any]]:
    return [reply for r in results if group in (None, _group(r)) for reply in r["replies"] if reply.get("turn")]


def _by_group(results: list[dict[str, Any]], count) -> dict[str, list[int]]:
    """[passed, total] overall and for bank and outside problems, by `count(results) -> (passed, total)`."""
    return {
        name: list(count([r for r in results if name == "all" or _group(r) == name]))
        for name in ("all", "bank", "outside")
    }


def _challenged(results: list[dict[str, Any]]) -> tuple[int, int]:
    planted = _planted(results)
    return sum(1 for p in planted if p["challenged_now"]), len(planted)


def _challenged_later(results: list[dict[str, Any]]) -> tuple[int, int]:
    planted = _planted(results)
    return sum(1 for p in planted if p["challenged_at_turn"] is not None), len(planted)


def _noted(results: list[dict[str, Any]]) -> tuple[int, int]:
    planted = _planted(results)
    return sum(1 for p in planted if p["noted"]), len(planted)


def _named(results: list[dict[str, Any]]) -> tuple[int, int]:
    judged = [p for p in _planted(results) if p["named"] is not None]
    return sum(1 for p in judged if p["named"][0]), len(judged)


def _numbers(results: list[dict[str, Any]]) -> tuple[int, int]:
    asked = [r["heldout"]["numbers"] for r in _scripted(results) if r["heldout"]["numbers"] is not None]
    return sum(1 for ok in asked if ok), len(asked)


def _refers(results: list[dict[str, Any]]) -> tuple[int, int]:
    replies = _scripted(results)
    return sum(1 for r in replies if r["heldout"]["refers"][0]), len(replies)


def _refers_strict(results: list[dict[str, Any]]) -> tuple[int, int]:
    """Refers by component, answer or challenge: the shared-word heuristic left out."""
    replies = _scripted(results)
    strict = [r for r in replies if r["heldout"]["refers"][0] and not r["heldout"]["refers"][1].startswith("word:")]
    return len(strict), len(replies)


def _false_pushback(results: list[dict[str, Any]]) -> tuple[int, int]:
    strong = [r for r in results if r["candidate"] == "strong"]
    return sum(len(r["heldout"]["false_pushback"]) for r in strong), len(_scripted(strong))


def _held(results: list[dict[str, Any]]) -> tuple[int, int]:
    return sum(1 for r in results if r["heldout"]["held_in_requirements"]), len(results)


FIGURES = (
    ("planted_challenged_next_reply", "Planted mistakes challenged in the very next reply", _challenged),
    ("planted_challenged_later", "Planted mistakes challenged at that reply or any later one", _challenged_later),
    ("planted_noted", "Planted mistakes noted by the interviewer at all", _noted),
    ("planted_named_in_feedback", "Planted mistakes named in the feedback's gaps", _named),
    ("false_pushback", "Challenges on strong scripts' replies (false pushback)", _false_pushback),
    ("numbers_when_asked", "Numbers when asked about scale", _numbers),
    ("refers_to_last_turn", "Replies that refer to the last turn (heuristic)", _refers),
    ("refers_strict", "... by component, answer or challenge (no shared-word rule)", _refers_strict),
    ("interviews_held_in_requirements", "Interviews held in Requirements after a design turn", _held),
)


def heldout_summary(results: list[dict[str, Any]], near_misses: list[int] | None = None) -> dict[str, Any]:
    """The held-out figures, overall and split bank / outside, and the aims of issue #25 they bear on.

    `near_misses`: [pushed back, total] held-out near misses from the sentence report, for the 2% aim.
    """
    summary: dict[str, Any] = {key: _by_group(results, count) for key, _title, count in FIGURES}
    replies = _scripted(results)
    summary["refers_how"] = dict(Counter(r["heldout"]["refers"][1].split(":")[0] for r in replies))
    summary["held_replies"] = sum(r["heldout"]["held_in_requirements"] for r in results)
    summary["replies_behind_content_phase"] = sum(r["heldout"]["behind_content"] for r in results)
    summary["unplanted_challenges_on_flawed"] = sum(len(r["heldout"]["unplanted_challenges"]) for r in results)
    summary["final_phases"] = {r["id"]: r["final_phase"] for r in results}
    summary["phase_moves_by_reason"] = dict(
        Counter(reason for r in results for reply in r["replies"] for reason in reply.get("phase_moves", []))
    )
    summary["aims"] = aims(summary, near_misses)
    return summary


def aims(summary: dict[str, Any], near_misses: list[int] | None = None) -> list[dict[str, Any]]:
    """Each aim of issue #25 this run measures: target, measured value and whether it is met."""

    def row(aim: str, target: str, passed_total: list[int], met) -> dict[str, Any]:
        share = _share(*passed_total)
        return {"aim": aim, "target": target, "measured": fraction(*passed_total), "met": met(share, passed_total)}

    found = [
        row(
            "planted mistakes challenged in the very next reply",
            f">= {AIM_CHALLENGED:.0%}",
            summary["planted_challenged_next_reply"]["all"],
            lambda share, _pt: share is not None and share >= AIM_CHALLENGED,
        ),
        row(
            "no pushback on correct statements (strong scripts)",
            "0",
            summary["false_pushback"]["all"],
            lambda _share, pt: pt[0] == 0,
        ),
        row(
            "feedback names the planted mistakes",
            f">= {AIM_NAMED:.0%}",
            summary["planted_named_in_feedback"]["all"],
            lambda share, _pt: share is not None and share >= AIM_NAMED,
        ),
    ]
    if near_misses is not None:
        found.append(
            row(
                "no pushback on held-out near misses (sentence report)",
                f"<= {AIM_NEAR_MISS_PUSHBACK:.0%}",
                near_misses,
                lambda share, _pt: share is not None and share <= AIM_NEAR_MISS_PUSHBACK,
            )
        )
    for group in ("bank", "outside"):
        found.append(
            row(
                f"numbers when asked, {group} problems",
                "every time",
                summary["numbers_when_asked"][group],
                lambda _share, pt: pt[1] > 0 and pt[0] == pt[1],
            )
        )
    found.append(
        row(
            "no interview held in Requirements after the candidate presents a design",
            "0 interviews",
            summary["interviews_held_in_requirements"]["all"],
            lambda _share, pt: pt[0] == 0,
        )
    )
    return found


def summary_tables(summary: dict[str, Any]) -> str:
    """The held-out figures (all / bank / outside), the aims, and the final phase of each interview."""
    rows = [[title, *(fraction(*summary[key][g]) for g in ("all", "bank", "outside"))] for key, title, _ in FIGURES]
    lines = ["== Held-out interviews", table(["figure", "all", "bank", "outside"], rows), ""]
    extra = [
        ["Replies held in Requirements after a design turn", summary["held_replies"]],
        ["Replies behind the phase of their turn's content", summary["replies_behind_content_phase"]],
        ["Challenges of unplanted pitfalls on flawed scripts", summary["unplanted_challenges_on_flawed"]],
        ["How replies refer to the turn", ", ".join(f"{k} {v}" for k, v in sorted(summary["refers_how"].items()))],
        ["Phase moves by reason", ", ".join(f"{k} {v}" for k, v in sorted(summary["phase_moves_by_reason"].items()))],
    ]
    lines += [table(["figure", "value"], extra), ""]
    aim_rows = [[a["aim"], a["target"], a["measured"], "met" if a["met"] else "NOT MET"] for a in summary["aims"]]
    lines += [table(["aim (issue #25)", "target", "measured", ""], aim_rows), ""]
    phases = [[name, phase] for name, phase in summary["final_phases"].items()]
    lines.append(table(["interview", "final phase"], phases))
    return "\n".join(lines)


def interview_notes(result: dict[str, Any]) -> str:
    """Lines under an interview's table: each planted mistake's fate, false pushback, phases."""
    found = result["heldout"]
    lines = []
    for p in found["planted"]:
        named = "-" if p["named"] is None else ("ok" if p["named"][0] else "FAIL")
        later = f"turn {p['challenged_at_turn']}" if p["challenged_at_turn"] else "never"
        lines.append(
            f"  held-out mistake {p['mistake']} (turn {p['turn']}): next reply {p['move_now']}; "
            f"challenged {later}; noted {'yes' if p['noted'] else 'no'}; named in gaps {named}"
        )
    for push in found["false_pushback"]:
        lines.append(f"  FALSE PUSHBACK ({push['key']}) on turn {push['turn']}")
    for reply in result["replies"]:
        checks = reply.get("heldout") or {}
        if checks.get("held_in_requirements"):
            lines.append(f"  turn {reply['turn']}: still in Requirements after {reply['content_phase']} content")
        if checks.get("refers") and not checks["refers"][0]:
            lines.append(f"  turn {reply['turn']}: reply has no link to the turn")
        if checks.get("numbers") is False:
            lines.append(f"  turn {reply['turn']}: asked about scale, the reply has no numbers")
    lines.append(f"  final phase: {found['final_phase']}")
    return "\n".join(lines)
