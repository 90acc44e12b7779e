"""Each turn's messages for the model: stable instructions, the conversation, then this turn's instructions."""

from __future__ import annotations

from dataclasses import dataclass

from interview.core.state import Interview
from interview.core.steering import CAPABLE, SteeringPolicy
from interview.dialogue.context import MESSAGE_OVERHEAD, fit_context
from interview.dialogue.moves import NextMove
from interview.dialogue.prompts import explain_system_prompt, interviewer_system_prompt, turn_prompt
from interview.problems.detect import common_mistakes
from interview.problems.estimates import derived_facts
from interview.problems.load import Problem
from interview.providers.base import Provider
from interview.whiteboard import board

MAX_COMMON_MISTAKES = 6  # the problem's own pitfalls come first, then the generic ones


@dataclass(frozen=True)
class BuiltMessages:
    """The messages to send, and the running summary that stands for older turns (the engine stores it)."""

    messages: list[dict]
    summary: str
    summarised: int  # how many older turns the summary replaces


def conversation(interview: Interview) -> list[dict]:
    """The chat history as the model sees it.

    Hints appear as the interviewer's own words. Incomplete replies stay in the log for the candidate
    but are not sent, so a retry asks the same question afresh.
    """
    turns, answers, boards = [], 0, board.turn_blocks(interview)
    for message in interview.messages:
        answers += message.role == "user" and message.kind == "chat"
        if not message.content or (message.role == "assistant" and not message.complete):
            continue
        content = f"Hint: {message.content}" if message.kind == "hint" else message.content
        if message.role == "user" and message.kind == "chat" and answers in boards:
            content = f"{content}\n\n{boards[answers]}"  # the diagram drawn with this answer, where it changed
        turns.append({"role": message.role, "content": content})
    return turns


def prompt_parts(
    interview: Interview, now: float | None = None, policy: SteeringPolicy = CAPABLE, move: NextMove | None = None
) -> tuple[str, str]:
    """(head, tail): the instructions that stay the same all interview, and this turn's, sent after the conversation."""
    problem = interview.problem
    if interview.mode == "explain":
        return explain_prompt(interview, problem), ""
    head = interviewer_system_prompt(
        question=problem.prompt if problem else interview.question,
        constraints=interview.constraints,
        level=interview.level,
        scale_facts=problem.scale_facts if problem else (),
        policy=policy,
    )
    tail = turn_prompt(
        phase_key=interview.phase,
        clock=interview.clock(now),
        opening=not interview.has_opened(),
        policy=policy,
        move=move.instruction() if move else "",
        whiteboard=board.tail_text(interview),
    )
    return head, tail


def explain_prompt(interview: Interview, problem: Problem | None) -> str:
    """The worked design, grounded in the same knowledge the interviewer uses."""
    if problem is None:
        return explain_system_prompt(interview.question, interview.constraints)
    return explain_system_prompt(
        interview.question,
        interview.constraints,
        scale_facts=problem.scale_facts,
        derived=derived_facts(problem),
        checklist=problem.all_items(),
        mistakes=common_mistakes(problem)[:MAX_COMMON_MISTAKES],
    )


def system_prompt(
    interview: Interview, now: float | None = None, policy: SteeringPolicy = CAPABLE, move: NextMove | None = None
) -> str:
    """Everything the model is told for this turn, head and tail together."""
    return "\n".join(part for part in prompt_parts(interview, now, policy, move) if part)


def build_messages(
    interview: Interview,
    provider: Provider,
    now: float | None = None,
    move: NextMove | None = None,
    policy: SteeringPolicy | None = None,
) -> BuiltMessages:
    """Stable instructions, the conversation, then this turn's instructions, within the context budget.

    The order lets a model server reuse the evaluated prompt up to the new turn. Changes nothing: the summary of
    older turns comes back for the engine to store.
    """
    head, tail = prompt_parts(interview, now, policy or provider.policy, move)  # the engine's: the style applied
    tail_cost = provider.count_tokens(tail) + MESSAGE_OVERHEAD if tail else 0
    messages, summary, dropped = fit_context(
        head,
        conversation(interview),
        provider.context_tokens,
        provider.count_tokens,
        after=tail_cost,
        summarised=interview.summary_turns,
    )
    if tail:
        messages.append({"role": "system", "content": tail})
    return BuiltMessages(messages, summary, dropped)
