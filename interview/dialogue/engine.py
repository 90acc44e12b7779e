"""The UI-free interview loop: every operation the page performs, each turn's messages, and the streamed reply.

The page calls these operations and never saves anything itself; each operation saves what it changes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from interview.core.scorecard import Scorecard
from interview.core.state import MAX_DIAGRAM_VERSIONS, DiagramVersion, Interview, Message
from interview.dialogue import moves
from interview.dialogue.context import PromptTooLong
from interview.dialogue.hints import next_hint_text
from interview.dialogue.prompting import build_messages
from interview.dialogue.reply import INTERRUPTED, ReplyTurn, Store, record
from interview.feedback.generate import generate_scorecard
from interview.problems import browse, catalog, meaning
from interview.problems.load import Problem
from interview.providers.base import Provider, ProviderError
from interview.transcripts.importer import parse_import
from interview.whiteboard import board, checks, reactions
from interview.whiteboard.diagram import Diagram, DiagramError
from interview.whiteboard.parse import parse

if TYPE_CHECKING:
    from interview.store import SQLStore

__all__ = ["INTERRUPTED", "MAX_DIAGRAM_VERSIONS", "InputError", "Message", "NullStore", "ReplyTurn", "Store"]

MAX_INPUT_CHARS = 20_000


class NullStore:
    """Keeps nothing: for tests and for running without a database."""

    def save_interview(self, interview: Interview) -> None:
        pass

    def save_message(self, interview: Interview, message: Message) -> None:
        pass

    def refresh(self, interview: Interview) -> Interview:
        return interview

    def save_diagram(self, interview: Interview, version: DiagramVersion) -> None:
        pass


class InputError(ValueError):
    """Candidate input we will not send, with the reason in plain words."""


def clean_input(text: str) -> str:
    """Strip control and zero-width characters; refuse empty or oversized input."""
    cleaned = "".join(
        ch for ch in text if ch in "\n\t" or (ch.isprintable() and ch not in "\u200b\u200c\u200d\u2060\ufeff")
    ).strip()
    if len(cleaned) > MAX_INPUT_CHARS:
        raise InputError(
            f"That message is {len(cleaned):,} characters; the limit is {MAX_INPUT_CHARS:,}. "
            "Shorten it and send it again. Nothing was sent."
        )
    return cleaned


def start_interview(question: str, store: Store, **settings) -> Interview:
    """Create an interview whose first message is the question."""
    question = clean_input(question)
    if not question:
        raise InputError("Type a design question first, or pick one from the question bank.")
    problem = catalog.find_problem(settings.pop("problem_id", None) or "") or catalog.match_problem(question)
    interview = Interview(question=question, problem_id=problem.id if problem else None, **settings)
    store.save_interview(interview)
    record(interview, interview.add_user(question, kind="question"), store)
    return interview


def warm_up(interview: Interview) -> None:
    """Encode the problem's phrasings in the background while the candidate reads the first question, so their first
    answer does not wait seconds for it (a turn that comes sooner waits only for the rest)."""
    meaning.prepare_in_background(interview.problem)


def answer(interview: Interview, text: str, store: Store) -> Message:
    """Record the candidate's message after taking in what other tabs added, so no tab's turns are lost."""
    text = clean_input(text)
    if not text:
        raise InputError("Type an answer first. Nothing was sent.")
    store.refresh(interview)
    return record(interview, interview.add_user(text), store)


def update_diagram(
    interview: Interview, source: str, store: Store, now: float | None = None, *, react: bool = True
) -> Diagram:
    """Save a new version of the whiteboard when it parses and changed; its graph either way.

    A diagram that cannot be read raises InputError naming the line, and the last good version stays in use. A new
    version that draws a new pitfall may draw the interviewer's reaction in the chat (`react_to_board`), unless
    `react` is False: a drawing sent together with an answer is challenged by the reply to that answer.
    """
    source = "\n".join(line.rstrip() for line in source.replace("\r\n", "\n").split("\n")).strip("\n")
    graph = board.graph_of(source)  # parsed into the cache the next reply reads it from
    if graph is None:
        try:
            parse(source)  # only to say why
        except DiagramError as exc:
            kept = " The last good diagram is still the one the interviewer sees." if interview.diagrams else ""
            raise InputError(f"The diagram could not be read. {exc}{kept}") from exc
    store.refresh(interview)  # another tab's answers and versions first, so this one is numbered after them
    if source == interview.diagram_source():
        return graph
    turn = max(len(interview.candidate_messages()) + 1, interview.diagrams[-1].turn if interview.diagrams else 1)
    version = DiagramVersion(source, turn, now or time.time())
    if len(interview.diagrams) >= MAX_DIAGRAM_VERSIONS:
        version.id = interview.diagrams[-1].id  # the store overwrites that row
        interview.diagrams[-1] = version
    else:
        interview.diagrams.append(version)
    store.save_diagram(interview, version)
    if checks.note_diagram_fixes(interview):  # a fix drawn after the last answer still counts
        store.save_interview(interview)
    if react:
        react_to_board(interview, store, version.created_at)
    return graph


def react_to_board(interview: Interview, store: Store, now: float) -> Message | None:
    """The interviewer's reaction to a new pitfall on the saved board, added and saved; None when there is none."""
    reaction = reactions.plan_reaction(interview)
    if reaction is None:
        return None
    message = record(interview, reactions.apply_reaction(interview, reaction, now), store)
    store.save_interview(interview)
    return message


def current_diagram(interview: Interview) -> Diagram | None:
    """The latest saved whiteboard this parser reads, as a graph; None when nothing readable has been drawn."""
    graphs = (board.graph_of(version.source) for version in reversed(interview.diagrams))
    return next((graph for graph in graphs if graph is not None), None)


def change_settings(
    interview: Interview,
    store: Store,
    *,
    mode: str | None = None,
    level: str | None = None,
    provider: str | None = None,
    model: str | None = None,
    style: str | None = None,
    curveballs: bool | None = None,
) -> bool:
    """Set any of the interview's settings (mode, level, provider, model, style, curveballs); saves, and returns
    True, when one changed."""
    wanted = {"mode": mode, "level": level, "provider": provider, "model": model, "style": style}
    wanted["curveballs"] = curveballs
    changed = {name: value for name, value in wanted.items() if value is not None and getattr(interview, name) != value}
    for name, value in changed.items():
        setattr(interview, name, value)
    if changed:
        store.save_interview(interview)
    return bool(changed)


def decline_bank_match(interview: Interview, store: Store) -> None:
    """The candidate says the matched bank problem is not what they meant: go on with their own question only."""
    interview.problem_id = None
    interview.notes.covered.clear()  # those were the bank problem's checklist items
    store.save_interview(interview)


def bank_match_to_confirm(interview: Interview) -> Problem | None:
    """The bank problem a typed question was matched to (not one picked from the bank), while it can still matter."""
    problem = interview.problem
    if problem is None or interview.question == problem.title or interview.scorecard is not None:
        return None
    return problem


def close_problems_to_offer(interview: Interview) -> tuple[Problem, ...]:
    """Bank problems near a typed question that matched none (nor was declined), to practise instead; () once scored."""
    if interview.problem_id is not None or interview.scorecard is not None:
        return ()
    return browse.close_problems(interview.question)


def advance_phase(interview: Interview, store: Store, now: float | None = None) -> bool:
    """The candidate's "Next phase": move on and save; False when already in the last phase."""
    if not interview.advance_phase("candidate", now):
        return False
    store.save_interview(interview)
    return True


def end_and_score(interview: Interview, provider: Provider, store: Store) -> Scorecard:
    """End the interview and score it; the scorecard is stored on the interview and saved."""
    return generate_scorecard(interview, provider, store)


def delete_interview(interview_id: str, store: SQLStore) -> bool:
    """Delete a stored interview and its messages; False when there was nothing to delete."""
    return store.delete(interview_id)


def import_interview(data: str | bytes, store: SQLStore) -> Interview:
    """Store an exported interview, under a new id if its id is taken; raises ImportFailed with the reason."""
    return store.add_imported(parse_import(data))


def reply(interview: Interview, provider: Provider, store: Store, clock: Callable[[], float] = time.time) -> ReplyTurn:
    """One interviewer reply, to use as `with reply(...) as turn:` and stream `turn.chunks()` inside the block.

    Before the reply: the phase moves on when its time is up, and every model gets its next move from code; the
    notes it keeps are saved before the reply starts.
    """
    policy = provider.policy.in_mode(interview.mode).with_style(interview.style)
    if policy.advance_by_time:
        advance_when_time_is_up(interview, store, clock())
    move = None
    if interview.mode == "interview":
        now = clock()
        decided = moves.plan(interview, now, policy)
        moves.apply(interview, decided, now)
        store.save_interview(interview)
        move = decided.move
    try:
        built = build_messages(interview, provider, clock(), move, policy)
    except PromptTooLong as exc:
        return ReplyTurn(interview, provider, store, clock, move=move, error=ProviderError("context_length", str(exc)))
    interview.summary, interview.summary_turns = built.summary, built.summarised
    return ReplyTurn(interview, provider, store, clock, move=move, messages=built.messages, summarised=built.summarised)


def advance_when_time_is_up(interview: Interview, store: Store, now: float) -> None:
    """Move to the next phase once its time is up and the candidate has spoken in it."""
    spoke = any(m.phase == interview.phase for m in interview.candidate_messages())
    if interview.clock(now).phase_over and spoke and interview.advance_phase("time", now):
        store.save_interview(interview)


def next_hint(interview: Interview, store: Store) -> Message:
    """Give the next hint tier for the current phase, and save it."""
    tier, text = next_hint_text(interview)
    now = time.time()
    interview.hints.append({"phase": interview.phase, "tier": tier, "text": text, "at": now})
    message = interview.add(Message("assistant", text, interview.phase, kind="hint", created_at=now))
    record(interview, message, store)
    store.save_interview(interview)
    return message


def last_user_turn_unanswered(interview: Interview) -> bool:
    """True when the latest candidate message still waits for a complete reply (so Retry makes sense)."""
    return interview.awaits_reply()
