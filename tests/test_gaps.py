"""With time left before the wrap-up, the interviewer goes back to open ground instead of ending early."""

from __future__ import annotations

from interview.core.notes import CoveredItem
from interview.core.state import Message
from interview.dialogue import gaps, moves
from tests.helpers import new_interview

# Fault tolerance, answered: a crashed worker's runs come back, a dead scheduler's partitions move, retries are bounded.
RELIABILITY = "Workers renew a lease every few seconds; when it lapses another worker picks the run up again."


def _in_reliability(problem_id: str | None = "job-scheduler", question: str = "Design a distributed job scheduler"):
    """An interview moved straight to fault tolerance, with that phase's checklist covered and a turn to answer."""
    interview = new_interview(question, problem_id=problem_id, curveballs=False)
    interview.add(Message("assistant", "What would you like to clarify first?", interview.phase))
    interview.move_to_phase("reliability", "next", interview.created_at + 60)
    if interview.problem is not None:
        for entry in interview.problem.evidence["reliability"]:
            interview.notes.covered.append(CoveredItem("reliability", entry.item, RELIABILITY))
    interview.add_user(RELIABILITY)
    return interview


def _planned(interview, minutes: float):
    now = interview.created_at + minutes * 60
    decided = moves.plan(interview, now)
    moves.apply(interview, decided, now)
    return decided.move


def test_with_time_left_the_interviewer_goes_back_to_the_deep_dive_before_the_wrap_up():
    interview = _in_reliability()
    move = _planned(interview, minutes=12)
    deep_dive = dict((entry.item, entry.probe) for entry in interview.problem.evidence["deep_dive"])
    assert interview.phase == "reliability"
    assert move.kind == "probe" and move.key in deep_dive and move.question == deep_dive[move.key]
    assert move.lead == "We still have time, so let me go back to the deep dive."
    interview.add(Message("assistant", f"{move.lead} {move.question}", interview.phase))
    interview.add_user("I'd start simple: one query every second over the whole jobs table, and measure from there.")
    again = _planned(interview, minutes=14)
    assert again.key != move.key and again.lead.startswith("Before we wrap up, one more thing from")


def test_near_the_end_the_wrap_up_comes_as_before():
    interview = _in_reliability()
    move = _planned(interview, minutes=38)
    assert interview.phase == "wrap_up" and move.kind == "advance"
    assert gaps.back_to_gap(interview, interview.created_at + 12 * 60) is None  # only from the phase before it


def test_outside_the_bank_the_gap_is_an_unasked_phase_question():
    interview = _in_reliability(None, "Design a pet adoption site")
    interview.notes.covered.clear()
    gap = gaps.back_to_gap(interview, interview.created_at + 12 * 60)
    assert gap is not None and gap.item == "" and gap.question.endswith("?")
    assert gap.lead == "We still have time, so let me go back to the deep dive."
