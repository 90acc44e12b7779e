"""Compare two eval results files: every reply's text and every scorecard must be identical (timings may differ).

Usage: python scripts/compare_eval.py before.json after.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPLY_FIELDS = ("text", "complete", "error", "phase", "advanced_phase", "move", "system", "summary", "checks")
TIMING = ("seconds", "elapsed_seconds", "date")


def _without_timing(value):
    if isinstance(value, dict):
        return {key: _without_timing(item) for key, item in value.items() if key not in TIMING}
    if isinstance(value, list):
        return [_without_timing(item) for item in value]
    return value


def compare(before: dict, after: dict) -> tuple[dict[str, int], list[str]]:
    """Counts of what was compared, and a line for every difference."""
    counts = {"scenarios": 0, "replies": 0, "scorecards": 0}
    differences = []
    if len(before["scenarios"]) != len(after["scenarios"]):
        differences.append(f"{len(before['scenarios'])} scenarios before, {len(after['scenarios'])} after")
    for old, new in zip(before["scenarios"], after["scenarios"], strict=False):
        name = f"{old['problem']}/{old['candidate']}"
        counts["scenarios"] += 1
        if len(old["replies"]) != len(new["replies"]):
            differences.append(f"{name}: {len(old['replies'])} replies before, {len(new['replies'])} after")
        for number, (was, now) in enumerate(zip(old["replies"], new["replies"], strict=False)):
            counts["replies"] += 1
            for field in REPLY_FIELDS:
                if _without_timing(was.get(field)) != _without_timing(now.get(field)):
                    differences.append(f"{name} reply {number}: {field} differs")
        card_before, card_after = old["feedback"].get("card"), new["feedback"].get("card")
        counts["scorecards"] += card_before is not None
        if card_before != card_after:
            differences.append(f"{name}: scorecard differs")
        for field in ("notes", "final_phase", "phase_order", "pushback"):
            if _without_timing(old.get(field)) != _without_timing(new.get(field)):
                differences.append(f"{name}: {field} differs")
    if _without_timing(before["summary"]) != _without_timing(after["summary"]):
        differences.append("summary differs")
    return counts, differences


def main(argv: list[str]) -> int:
    before, after = (json.loads(Path(path).read_text()) for path in argv[:2])
    counts, differences = compare(before, after)
    print(", ".join(f"{value} {key}" for key, value in counts.items()) + " compared")
    for line in differences:
        print(line)
    print("identical" if not differences else f"{len(differences)} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
