"""Drive scripted candidates through the real engine and score every interviewer reply."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from interview.core.phases import PHASE_KEYS, PHASES
from interview.core.scorecard import Scorecard
from interview.core.state import Interview
from interview.dialogue import engine
from interview.eval import card_checks, checks, pushback
from interview.eval.scenarios import LOW_KINDS, Scenario, Turn
from interview.problems import catalog
from interview.providers.base import Provider
from interview.whiteboard import board

# Simulated minutes per exchange: a realistic pace, so the phase clock in the prompt moves as in a real interview
# instead of staying at "45 minutes left" while the eval runs at machine speed.
MINUTES_PER_TURN = 2.0

Progress = Callable[[str], None]
MODEL_SOURCES = ("model", "repaired", "evidence")  # cards scored from the interview, as opposed to the rule card


class SimClock:
    """A clock that starts at the interview's creation and moves forward only when told."""

    def __init__(self, start: float):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


def instructions_only(
    system: str, problem: catalog.Problem | None, summary: str = "", said_by_move: tuple[str, ...] = ()
) -> str:
    """The system prompt without what the interviewer may quote: the problem's facts, phase questions, the move's words."""
    facts = [summary] if summary else []
    facts += [text for text in said_by_move if text]
    facts += [question for phase in PHASES for question in phase.questions]  # suggested to small models, to be asked
    if problem is not None:
        facts += [problem.prompt, problem.title, *problem.scale_facts]
        facts += [item for items in problem.checklist.values() for item in items]
    for fact in sorted(facts, key=len, reverse=True):  # longest first, so no fact is half-removed by a shorter one
        system = system.replace(fact, " | ")
    return system


def _reply(interview: Interview, provider: Provider, store: engine.Store, clock: SimClock) -> dict[str, Any]:
    """Stream one interviewer reply exactly as the page does, and describe it."""
    phase = interview.phase
    started = time.monotonic()
    with engine.reply(interview, provider, store, clock=clock) as turn:
        system = _without_drawing("\n".join(m["content"] for m in turn.messages if m["role"] == "system"))
        for _ in turn.chunks():
            pass
    message = turn.message
    return {
        "phase": phase,
        "phase_index": PHASE_KEYS.index(phase),
        "text": message.content,
        "complete": message.complete,
        "error": message.error,
        "advanced_phase": bool(turn.marker.seen and interview.phase != phase),
        "seconds": round(time.monotonic() - started, 2),
        "usage": dict(turn.info.usage or {}),
        "finish_reason": turn.info.finish_reason,
        "system": system,  # what the model saw, for debugging and for rescoring
        "summary": interview.summary,
        "move": asdict(turn.move) if turn.move else None,  # the next move code chose for this reply
    }


def _without_drawing(system: str) -> str:
    """The prompt without the candidate's drawing: their own components are not instructions a reply could echo."""
    start = system.find(board.TAIL_TITLE)
    end = system.find(board.TAIL_RULE, start)
    return system if start < 0 or end < 0 else system[:start] + system[end:]


def _move_words(reply: dict[str, Any]) -> tuple[str, ...]:
    move = reply.get("move") or {}
    return (move.get("question", ""), move.get("lead", ""), move.get("quote", ""))


def score_replies(replies: list[dict[str, Any]], problem_id: str) -> None:
    """Attach the per-reply checks ([passed, detail] or None) to each complete reply, in conversation order."""
    # Uses only what is stored with the replies, so a saved run can be rescored without the model.
    problem = catalog.find_problem(problem_id)
    said: list[str] = []
    earlier: list[str] = []
    for reply in replies:
        if reply["candidate"]:
            said.append(reply["candidate"] + (f"\n{reply['drew']}" if reply.get("drew") else ""))
        if not reply["complete"]:
            reply["checks"] = {}
            continue
        system = reply.get("system", "")
        # A challenge quotes the candidate's words on purpose; the pushback checks judge it instead.
        challenge = (reply.get("move") or {}).get("kind") == "challenge"
        results = checks.check_reply(
            reply["text"],
            last_candidate=said[-1] if said else "",
            earlier_answers=[] if challenge else list(said),
            candidate_text=" ".join(said),
            asked_scale=reply["asked_scale"],
            instructions=instructions_only(system, problem, reply.get("summary", ""), _move_words(reply))
            if system
            else "",
            earlier_replies=list(earlier),
            answer_key=[item for items in problem.checklist.values() for item in items] if problem else (),
            given=" ".join(problem.scale_facts) if problem else "",  # facts are handed over when asked: no leak
        )
        old = reply.get("checks") or {}
        reply["checks"] = {name: (list(result) if result else None) for name, result in results.items()}
        if not system and old.get("no_prompt_echo"):  # older results files did not store the prompt
            reply["checks"]["no_prompt_echo"] = old["no_prompt_echo"]
        reply["words"] = checks.word_count(reply["text"])
        earlier.append(reply["text"])


def _press_next_phase(interview: Interview, target: int, clock: SimClock, store: engine.Store) -> int:
    """Press "Next phase" until the script's phase is reached; the interviewer may already have moved on."""
    presses = 0
    while interview.phase_index < target and engine.advance_phase(interview, store, clock()):
        presses += 1
    return presses


def run_scenario(
    scenario: Scenario,
    provider: Provider,
    *,
    store: engine.Store | None = None,
    max_turns: int | None = None,
    minutes_per_turn: float = MINUTES_PER_TURN,
    feedback: bool = True,
    level: str = "senior",
    progress: Progress | None = None,
    style: str = "standard",
) -> dict[str, Any]:
    """Run one scripted interview: opening reply, then each candidate turn and its reply, then the scorecard."""
    store = store or engine.NullStore()
    problem = catalog.find_problem(scenario.problem_id)
    if problem is None:
        raise ValueError(f"{scenario.problem_id!r} is not a question-bank id")
    say = progress or (lambda _text: None)
    interview = engine.start_interview(
        problem.title,
        store,
        problem_id=problem.id,
        level=level,
        style=style,
        provider=getattr(provider, "name", ""),
        model=getattr(provider, "model", ""),
        curveballs=False,  # scripts written before requirement changes existed; `--curveballs` measures those
    )
    clock = SimClock(interview.created_at)
    turns = scenario.turns[:max_turns] if max_turns else scenario.turns
    replies: list[dict[str, Any]] = []
    reply = _reply(interview, provider, store, clock)
    reply.update(turn=0, candidate="", asked_scale=False, pressed_next=0)
    replies.append(reply)
    say(f"{scenario.name} opening: {reply['seconds']}s")
    target = 0  # the phase index the script has reached; "Next phase" is pressed only when the interview is behind it
    for number, turn in enumerate(turns, 1):
        clock.advance(minutes_per_turn)
        pressed = 0
        if turn.next_phase:
            target += 1
            pressed = _press_next_phase(interview, target, clock, store)
        replies.append(_candidate_turn(interview, provider, store, clock, turn, number, pressed))
        say(f"{scenario.name} turn {number}/{len(turns)}: {replies[-1]['seconds']}s")
    score_replies(replies, scenario.problem_id)
    order = checks.phase_order([r["phase_index"] for r in replies])
    result: dict[str, Any] = {
        "problem": scenario.problem_id,
        "candidate": scenario.kind,
        "replies": replies,
        "phase_order": list(order),
        "final_phase": interview.phase,
        "errors": sum(1 for r in replies if not r["complete"]),
        "feedback": {},
    }
    if feedback:
        result["feedback"] = run_feedback(interview, provider, store, scenario.kind, say)
    result["pushback"] = pushback.scenario_pushback(result)
    result.update(notes=interview.notes.to_dict(), phase_history=[dict(change) for change in interview.phase_history])
    return result


def _candidate_turn(
    interview: Interview,
    provider: Provider,
    store: engine.Store,
    clock: SimClock,
    turn: Turn,
    number: int,
    pressed: int,
) -> dict[str, Any]:
    """One scripted turn (a drawing, then the answer) and the interviewer's reply to it."""
    if turn.diagram:  # drawn before the answer is sent, as on the page; with it, so the reply challenges it
        engine.update_diagram(interview, turn.diagram, store, clock(), react=False)
    text = engine.answer(interview, turn.text, store).content
    reply = _reply(interview, provider, store, clock)
    reply.update(turn=number, candidate=text, asked_scale=turn.asks_scale, pressed_next=pressed)
    if turn.diagram:  # what the candidate drew counts as named by them (design-dump and echo checks)
        reply["drew"] = board.compact_summary(engine.current_diagram(interview))
        reply["drawn_lines"] = board.quoted_lines(interview)  # for rescoring quoted evidence
    if turn.mistake:  # this reply is the one that must challenge it
        reply.update(mistake=turn.mistake, challenge_terms=list(turn.challenge_terms))
    return reply


def transcript_text(interview: Interview) -> str:
    """Everything said and drawn in the interview, for checking quoted evidence."""
    return "\n".join([m.content for m in interview.messages if m.content] + board.quoted_lines(interview))


def run_feedback(
    interview: Interview, provider: Provider, store: engine.Store, kind: str, say: Progress
) -> dict[str, Any]:
    """Generate the scorecard through the app's own code and run the feedback checks on it."""
    started = time.monotonic()
    try:
        card = engine.end_and_score(interview, provider, store)
    except Exception as exc:  # a failing scorecard is a finding, not a reason to lose the run
        return {"error": f"{type(exc).__name__}: {exc}", "checks": {"parses": [False, "end_and_score raised"]}}
    seconds = round(time.monotonic() - started, 2)
    say(f"scorecard: {seconds}s")
    return {"card": card.to_dict(), "seconds": seconds, **feedback_checks(card, transcript_text(interview), kind)}


def feedback_checks(card: Scorecard, transcript: str, kind: str) -> dict[str, Any]:
    """The feedback checks on one scorecard: its source, mean score and check results."""
    found: dict[str, list | None] = {"parses": list(card_checks.scorecard_parses(card))}
    if found["parses"][0]:
        evidence = card_checks.evidence_verbatim(card, transcript)
        found["evidence_verbatim"] = list(evidence) if evidence else None
        found["lowest_scores"] = list(card_checks.lowest_scores(card)) if kind in LOW_KINDS else None
    return {
        "source": card.source or "prose",
        "mean": card_checks.mean_score(card) if found["parses"][0] else None,
        "assessed": card_checks.assessed_dimensions(card) if found["parses"][0] else None,
        "checks": found,
    }


def attach_mistakes(result: dict[str, Any], scenarios: list[Scenario]) -> None:
    """Mark the replies that follow a planted mistake, for results saved before the runner recorded them."""
    scenario = next((s for s in scenarios if (s.problem_id, s.kind) == (result["problem"], result["candidate"])), None)
    for reply in result["replies"] if scenario else []:
        number = reply.get("turn", 0)
        if 0 < number <= len(scenario.turns) and scenario.turns[number - 1].mistake and not reply.get("mistake"):
            turn = scenario.turns[number - 1]
            reply.update(mistake=turn.mistake, challenge_terms=list(turn.challenge_terms))


def rescore(result: dict[str, Any]) -> None:
    """Re-run every check on a stored scenario result (after a check changed), without calling any model."""
    score_replies(result["replies"], result["problem"])
    result["phase_order"] = list(checks.phase_order([r["phase_index"] for r in result["replies"]]))
    feedback = result.get("feedback") or {}
    if "card" in feedback:
        problem = catalog.find_problem(result["problem"])
        lines = [problem.title if problem else ""]
        for reply in result["replies"]:
            lines += [reply["candidate"], reply["text"], *reply.get("drawn_lines", [])]
        card = Scorecard.from_dict(feedback["card"])
        feedback.update(feedback_checks(card, "\n".join(line for line in lines if line), result["candidate"]))
    result["pushback"] = pushback.scenario_pushback(result)


def compare_strong_weak(results: list[dict[str, Any]]) -> dict[str, list]:
    """strong_above_weak per problem where both scorecards parsed."""
    cards: dict[str, dict[str, Scorecard]] = {}
    for result in results:
        feedback = result.get("feedback") or {}
        if (feedback.get("checks") or {}).get("parses", [False])[0]:
            cards.setdefault(result["problem"], {})[result["candidate"]] = Scorecard.from_dict(feedback["card"])
    return {
        problem: list(card_checks.strong_above_weak(by_kind["strong"], by_kind["weak"]))
        for problem, by_kind in cards.items()
        if "strong" in by_kind and "weak" in by_kind
    }


def _rate(passed: int, total: int) -> float | None:
    return round(100 * passed / total, 1) if total else None


def _tally(replies: list[dict[str, Any]], name: str) -> tuple[int, int]:
    """(passed, applicable) for one check over these replies."""
    outcomes = [r["checks"].get(name) for r in replies if r["complete"]]
    applicable = [o for o in outcomes if o is not None]
    return sum(1 for o in applicable if o[0]), len(applicable)


def reply_summary(replies: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate per-reply figures for a group of replies."""
    complete = [r for r in replies if r["complete"]]
    summary: dict[str, Any] = {"replies": len(replies), "errors": len(replies) - len(complete)}
    asked, total = _tally(replies, "asks_question")
    summary["asks_question_pct"] = _rate(asked, total)
    summary["median_words"] = statistics.median(r["words"] for r in complete) if complete else None
    brief, total = _tally(replies, "brief")
    summary["over_word_limit"] = total - brief
    for name, key in (
        ("no_design_dump", "design_dumps"),
        ("no_parroting", "parroting"),
        ("no_reask", "reasks"),
        ("no_marker", "marker_leaks"),
        ("no_prompt_echo", "prompt_echoes"),
        ("no_self_repeat", "self_repeats"),
        ("speaks_to_candidate", "third_person"),
        ("no_answer_leak", "answer_leaks"),
        ("no_stock_praise", "praise_openers"),
    ):
        passed, total = _tally(replies, name)
        summary[key] = total - passed
    passed, total = _tally(replies, "numbers_when_asked")
    summary["numbers_when_asked"] = f"{passed}/{total}"
    summary["numbers_when_asked_pct"] = _rate(passed, total)
    summary["interviewer_phase_moves"] = sum(1 for r in replies if r.get("advanced_phase"))
    return summary


def summarize(results: list[dict[str, Any]], strong_weak: dict[str, list]) -> dict[str, Any]:
    """The run's headline figures, overall and per candidate kind."""
    replies = [r for result in results for r in result["replies"]]
    summary = reply_summary(replies)
    summary["phase_order_violations"] = sum(1 for result in results if not result["phase_order"][0])
    by_kind: dict[str, Any] = {}
    for kind in dict.fromkeys(result["candidate"] for result in results):
        by_kind[kind] = reply_summary(
            [r for result in results if result["candidate"] == kind for r in result["replies"]]
        )
    summary["by_candidate"] = by_kind
    feedback: dict[str, Any] = {}
    ran = [result["feedback"] for result in results if result.get("feedback")]
    skipped = [f for f in ran if "skipped" in f]
    if skipped:
        feedback["skipped"] = skipped[0]["skipped"]
    for name in ("parses", "evidence_verbatim", "lowest_scores"):
        outcomes = [(f.get("checks") or {}).get(name) for f in ran if "skipped" not in f]
        applicable = [o for o in outcomes if o is not None]
        if applicable or name == "parses" and ran and not skipped:
            feedback[name] = f"{sum(1 for o in applicable if o[0])}/{len(applicable)}"
    sources = [f.get("source") for f in ran if f.get("source")]
    if sources:
        feedback["card_sources"] = ", ".join(f"{name} {sources.count(name)}" for name in dict.fromkeys(sources))
    means: dict[str, list[float]] = {}
    for result in results:
        mean = (result.get("feedback") or {}).get("mean")
        if mean is not None:
            means.setdefault(result["candidate"], []).append(mean)
    for kind, values in means.items():
        feedback[f"mean_score_{kind}"] = round(statistics.fmean(values), 2)
    assessed = [f["assessed"] for f in ran if f.get("assessed") is not None and f.get("source") in MODEL_SOURCES]
    if assessed:
        dims = len(Scorecard.from_dict(ran[0]["card"]).dimensions) if ran and ran[0].get("card") else 0
        feedback["model_cards_assessed_dims"] = f"{statistics.fmean(assessed):.1f} of {dims} on average"
    if strong_weak:
        feedback["strong_above_weak"] = f"{sum(1 for o in strong_weak.values() if o[0])}/{len(strong_weak)}"
    summary["feedback"] = feedback
    summary["pushback"] = pushback.pushback_summary(results)
    return summary
