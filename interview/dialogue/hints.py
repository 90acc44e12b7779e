"""The wording of the next hint: three tiers per phase, built from the problem's checklist when there is one."""

from __future__ import annotations

from interview.core.phases import phase_by_key
from interview.core.state import HINT_TIERS, Interview
from interview.problems.detect import covered_items


def next_hint_text(interview: Interview, offered: int = 0, top: str = HINT_TIERS[-1]) -> tuple[str, str]:
    """(tier, text) of the next hint for the current phase, after `offered` hints given unasked, at most tier `top`;
    changes nothing."""
    tier_index = min(interview.hints_in_phase() + offered, HINT_TIERS.index(top))
    tier = HINT_TIERS[tier_index]
    phase = phase_by_key(interview.phase)
    problem = interview.problem
    items = list(problem.checklist.get(interview.phase, ())) if problem else []
    open_items = _items_not_covered(interview, items) or items
    if tier == "nudge":
        text = phase.nudge
    elif tier == "direction":
        text = f"Consider this area: {open_items[0]}." if open_items else f"Focus on this: {phase.goal}"
    else:
        text = ("A strong answer covers: " + "; ".join(open_items[:3]) + ".") if open_items else phase.goal
    return tier, text


def _items_not_covered(interview: Interview, items: list[str]) -> list[str]:
    """The phase's checklist items the candidate has not covered, judged by the same detectors as the feedback."""
    said = "\n".join(m.content for m in interview.candidate_messages())
    covered = {c.item for c in covered_items(interview.problem, interview.phase, said)}
    covered |= interview.notes.covered_items()
    return [item for item in items if item not in covered]
