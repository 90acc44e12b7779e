"""Run a held-out interview script through the real engine, as the scenario runner does, and record every reply."""

from __future__ import annotations

from typing import Any

from interview.core.state import Interview
from interview.dialogue import engine
from interview.eval import checks, runner
from interview.eval.heldout_checks import score_interview
from interview.eval.heldout_data import OUTSIDE, HeldOutInterview
from interview.problems import catalog
from interview.problems.detect import pitfalls_for
from interview.providers.base import Provider


def problem_label(script: HeldOutInterview) -> str:
    """The bank id, or "outside/<name>" so the three outside problems stay apart in the summary."""
    if script.problem != OUTSIDE:
        return script.problem
    name = script.id.removesuffix(f"-{script.kind}")
    return f"{OUTSIDE}/{name}"


def start(script: HeldOutInterview, store: engine.Store, provider: Provider) -> tuple[Interview, str]:
    """The interview as the page starts it; an outside problem the bank matcher claims is declined, as a user would."""
    interview = engine.start_interview(
        script.question,
        store,
        problem_id=script.problem_id,
        level="senior",
        provider=getattr(provider, "name", ""),
        model=getattr(provider, "model", ""),
        curveballs=False,  # scripts written before requirement changes existed; `--curveballs` measures those
    )
    declined = ""
    if script.problem == OUTSIDE and interview.problem_id is not None:
        declined = interview.problem_id
        engine.decline_bank_match(interview, store)
    return interview, declined


def _phase_moves(interview: Interview, seen: int) -> list[str]:
    """The reasons of the phase moves since the first `seen` entries of the history ("time", "covered", ...)."""
    return [entry.get("reason", "") for entry in interview.phase_history[seen:]]


def run_interview(
    script: HeldOutInterview,
    provider: Provider,
    *,
    store: engine.Store | None = None,
    minutes_per_turn: float = runner.MINUTES_PER_TURN,
    feedback: bool = True,
    progress: runner.Progress | None = None,
) -> dict[str, Any]:
    """Opening reply, then each scripted turn and its reply (the simulated clock moves per turn), then the scorecard."""
    store = store or engine.NullStore()
    say = progress or (lambda _text: None)
    interview, declined = start(script, store, provider)
    clock = runner.SimClock(interview.created_at)
    matched = catalog.match_problem(script.question)
    reply = runner._reply(interview, provider, store, clock)
    reply.update(turn=0, candidate="", asked_scale=False, pressed_next=0, phase_after=interview.phase)
    replies = [reply]
    for number, turn in enumerate(script.turns, 1):
        clock.advance(minutes_per_turn)
        text = engine.answer(interview, turn.text, store).content
        history = len(interview.phase_history)
        reply = runner._reply(interview, provider, store, clock)
        reply.update(
            turn=number,
            candidate=text,
            asked_scale=turn.asks_scale,
            asks=turn.asks,
            pressed_next=0,  # the held-out candidate never presses "Next phase": the interview must follow them
            content_phase=turn.phase,
            phase_after=interview.phase,
            phase_moves=_phase_moves(interview, history),
            component=turn.component,
            mistake=turn.mistake,
        )
        replies.append(reply)
        say(f"{script.id} turn {number}/{len(script.turns)}: {reply['seconds']}s")
    runner.score_replies(replies, interview.problem_id or "")
    result: dict[str, Any] = {
        "id": script.id,
        "problem": problem_label(script),
        "problem_id": interview.problem_id,
        "question": script.question,
        "bank_match": matched.id if matched else None,  # what the typed question matches, for the record
        "declined_bank_match": declined,
        "candidate": script.kind,
        "replies": replies,
        "phase_order": list(checks.phase_order([r["phase_index"] for r in replies])),
        "final_phase": interview.phase,
        "phase_history": list(interview.phase_history),
        "errors": sum(1 for r in replies if not r["complete"]),
        "feedback": {},
        # each planted pitfall's feedback line as the knowledge words it now, so the run can be rescored offline
        "pitfall_notes": {p.id: p.note for p in pitfalls_for(interview.problem)},
    }
    if feedback:
        result["feedback"] = runner.run_feedback(interview, provider, store, script.kind, say)
    result["notes"] = interview.notes.to_dict()
    score_interview(result)
    return result
