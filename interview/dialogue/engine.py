"""The UI-free interview loop: every operation the page performs, each turn's messages, and the streamed reply.

The page calls these operations and never saves anything itself; each operation saves what it changes.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from interview.dialogue import moves
from interview.problems import catalog
from interview.whiteboard import board, checks
from interview.dialogue.context import MESSAGE_OVERHEAD, PromptTooLong, fit_context
from interview.whiteboard.diagram import Diagram, DiagramError, parse
from interview.core.scorecard import Scorecard
from interview.feedback.generate import generate_scorecard
from interview.core.heuristics import mostly_repeats
from interview.problems.detect import common_mistakes, covered_items
from interview.problems.estimates import derived_facts
from interview.core.state import HINT_TIERS, DiagramVersion, Interview, Message
from interview.dialogue.moves import NextMove
from interview.core.phases import phase_by_key
from interview.dialogue.prompts import (
    NEXT_PHASE_MARKER,
    explain_system_prompt,
    interviewer_system_prompt,
    turn_prompt,
)
from interview.providers.base import Provider, ProviderError, StreamInfo
from interview.core.steering import CAPABLE, MarkerFilter, SteeringPolicy

if TYPE_CHECKING:
    from interview.store import SQLiteStore

MAX_INPUT_CHARS = 20_000
MAX_COMMON_MISTAKES = 6  # the problem's own pitfalls come first, then the generic ones
MAX_DIAGRAM_VERSIONS = 300  # past this, a new version replaces the newest instead of adding one
SAVE_EVERY_SECONDS = 1.0  # how often a streaming reply's partial text is written ahead
INTERRUPTED = "Interrupted: the app stopped before this reply finished."


class Store(Protocol):
    def save_interview(self, interview: Interview) -> None: ...

    def save_message(self, interview: Interview, message: Message) -> None: ...

    def refresh(self, interview: Interview) -> Interview: ...

    def save_diagram(self, interview: Interview, version: DiagramVersion) -> None: ...


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


def record(interview: Interview, message: Message, store: Store) -> Message:
    store.save_message(interview, message)
    return message


def answer(interview: Interview, text: str, store: Store) -> Message:
    """Record the candidate's message after taking in what other tabs added, so no tab's turns are lost."""
    text = clean_input(text)
    if not text:
        raise InputError("Type an answer first. Nothing was sent.")
    store.refresh(interview)
    return record(interview, interview.add_user(text), store)


def update_diagram(interview: Interview, source: str, store: Store, now: float | None = None) -> Diagram:
    """Save a new version of the whiteboard when it parses and changed; its graph either way.

    A diagram that cannot be read raises InputError naming the line, and the last good version stays in use.
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
    return graph


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
) -> bool:
    """Set any of the interview's mode, level, provider and model; saves, and returns True, when one changed."""
    wanted = {"mode": mode, "level": level, "provider": provider, "model": model}
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


def bank_match_to_confirm(interview: Interview) -> catalog.Problem | None:
    """The bank problem a typed question was matched to (not one picked from the bank), while it can still matter."""
    problem = catalog.find_problem(interview.problem_id or "")
    if problem is None or interview.question == problem.title or interview.scorecard is not None:
        return None
    return problem


def advance_phase(interview: Interview, store: Store, now: float | None = None) -> bool:
    """The candidate's "Next phase": move on and save; False when already in the last phase."""
    if not interview.advance_phase("candidate", now):
        return False
    store.save_interview(interview)
    return True


def end_and_score(interview: Interview, provider: Provider, store: Store) -> Scorecard:
    """End the interview and score it; the scorecard is stored on the interview and saved."""
    return generate_scorecard(interview, provider, store)


def delete_interview(interview_id: str, store: SQLiteStore) -> bool:
    """Delete a stored interview and its messages; False when there was nothing to delete."""
    return store.delete(interview_id)


def import_interview(data: str | bytes, store: SQLiteStore) -> Interview:
    """Store an exported interview, under a new id if its id is taken; raises ImportFailed with the reason."""
    return store.import_json(data)


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
    problem = catalog.find_problem(interview.problem_id or "")
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


def explain_prompt(interview: Interview, problem: catalog.Problem | None) -> str:
    """The worked design, grounded in the same knowledge the interviewer uses."""
    if problem is None:
        return explain_system_prompt(interview.question, interview.constraints)
    return explain_system_prompt(
        interview.question,
        interview.constraints,
        scale_facts=problem.scale_facts,
        derived=derived_facts(problem.id),
        checklist=tuple(item for items in problem.checklist.values() for item in items),
        mistakes=common_mistakes(problem.id)[:MAX_COMMON_MISTAKES],
    )


def system_prompt(
    interview: Interview, now: float | None = None, policy: SteeringPolicy = CAPABLE, move: NextMove | None = None
) -> str:
    """Everything the model is told for this turn, head and tail together."""
    return "\n".join(part for part in prompt_parts(interview, now, policy, move) if part)


def build_messages(
    interview: Interview, provider: Provider, now: float | None = None, move: NextMove | None = None
) -> tuple[list[dict], int]:
    """Stable instructions, the conversation, then this turn's instructions, within the context budget.

    The order lets a model server reuse the evaluated prompt up to the new turn. Returns the messages and how many
    older turns were replaced by a summary.
    """
    head, tail = prompt_parts(interview, now, provider.policy, move)
    tail_cost = provider.count_tokens(tail) + MESSAGE_OVERHEAD if tail else 0
    messages, summary, dropped = fit_context(
        head,
        conversation(interview),
        provider.context_tokens,
        provider.count_tokens,
        after=tail_cost,
        summarised=interview.summary_turns,
    )
    interview.summary, interview.summary_turns = summary, dropped
    if tail:
        messages.append({"role": "system", "content": tail})
    return messages, dropped


def reply(interview: Interview, provider: Provider, store: Store, clock: Callable[[], float] = time.time) -> ReplyTurn:
    """One interviewer reply, to use as `with reply(...) as turn:` and stream `turn.chunks()` inside the block."""
    return ReplyTurn(interview, provider, store, clock)


class ReplyTurn:
    """One streamed interviewer reply, used as a context manager: the reply is recorded on leaving the block.

    Iterate `chunks()` inside the block; leaving it, normally or by an error or a stop, stops the stream if it
    still runs and records the reply once, marked incomplete when it did not finish.
    """

    def __init__(self, interview: Interview, provider: Provider, store: Store, clock: Callable[[], float] = time.time):
        self.interview = interview
        self.provider = provider
        self.store = store
        self.clock = clock
        self.policy = provider.policy.in_mode(interview.mode)
        if self.policy.advance_by_time:
            advance_when_time_is_up(interview, store, clock())
        # Every model gets its next move from code; the notes it updates are saved before the reply starts.
        self.move = moves.plan(interview, clock()) if interview.mode == "interview" else None
        if self.move is not None:
            store.save_interview(interview)
        # A small model does not voice the turns it handles worst: code writes the whole reply.
        self.voiced_in_code = bool(self.move and self.policy.code_voices_moves and self.move.written_in_code)
        self.phase = interview.phase
        self.info = StreamInfo()
        # One growing buffer: `+=` on an attribute copies the whole reply per chunk, and a list keeps every chunk alive.
        self.buffer = io.StringIO()
        self.error: ProviderError | None = None
        try:
            self.messages, self.summarised = build_messages(interview, provider, clock(), self.move)
        except PromptTooLong as exc:
            self.messages, self.summarised = [], 0
            self.error = ProviderError("context_length", str(exc))
        self.marker = MarkerFilter(NEXT_PHASE_MARKER)
        self.entered = False
        self.stream: Iterator[str] | None = None
        self.done = False
        self.finished = False
        # Written ahead as incomplete and saved as it grows, so a crash mid-reply leaves a marked partial.
        self.message = Message("assistant", "", self.phase, complete=False, error=INTERRUPTED, created_at=clock())
        self.saved_at = 0.0

    def __enter__(self) -> ReplyTurn:
        self.entered = True
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.finish()

    def _raw(self) -> Iterator[str]:
        if self.error is not None:
            return
        if self.voiced_in_code:
            self.info.finish_reason = "stop"
            yield self.move.text()
            return
        try:
            stream = self.provider.stream(self.messages, self.info)
            yield from self.policy.trim_model_stream(stream, echoes=self._echoes)
        except ProviderError as exc:
            self.error = exc
        except Exception as exc:  # a provider bug must not lose the conversation
            self.error = ProviderError("internal", f"The model backend failed unexpectedly ({type(exc).__name__}).")

    def _echoes(self, sentence: str) -> bool:
        """A small model's reaction that mostly restates the problem or the candidate's last turn says nothing.

        Asked about the reaction's first words only (`steering.ECHO_WORDS`), so the rest can stream.
        """
        problem = catalog.find_problem(self.interview.problem_id or "")
        said = [m.content for m in self.interview.candidate_messages()[-1:]]
        return mostly_repeats(sentence, [self.interview.question, problem.prompt if problem else "", *said])

    def chunks(self) -> Iterator[str]:
        """Display text: the hidden phase marker never appears. Only inside the `with` block, so it is recorded."""
        if not self.entered:
            raise RuntimeError("Stream a reply inside `with engine.reply(...) as turn:` so it is always recorded.")
        if self.stream is not None:
            raise RuntimeError("A reply streams once.")
        self.stream = self._chunks()
        return self.stream

    def _chunks(self) -> Iterator[str]:
        record(self.interview, self.interview.add(self.message), self.store)
        for chunk in self.policy.trim_shown_text(self.marker.filter(self._raw())):
            self.buffer.write(chunk)
            now = self.clock()
            if now - self.saved_at >= SAVE_EVERY_SECONDS:
                self.message.content, self.saved_at = self.text, now
                self.store.save_message(self.interview, self.message)
            yield chunk
        follow_up = self._missing_question()
        if follow_up:
            self.buffer.write(follow_up)
            yield follow_up
        self.done = True

    def _missing_question(self) -> str:
        """The move's question in code when a complete reply asked nothing, so the candidate is never stuck.

        A small model only reacts, so its move (with any lead, such as "Let's move on to …") always follows.
        """
        text = self.text.strip()
        if self.error is not None or self.move is None or self.voiced_in_code:
            return ""
        if self.policy.code_voices_moves:
            ask = self.move.text()
        elif self.policy.fallback_question and "?" not in text:
            ask = self.move.question
        else:
            return ""
        if not text:  # the model said nothing, or only praise that was dropped
            return ask
        return ("\n\n" if "\n" in text else " ") + ask

    @property
    def text(self) -> str:
        return self.buffer.getvalue()

    def finish(self) -> Message:
        """Stop the stream if it still runs, and record the reply once, marked incomplete if it did not finish."""
        message = self.message
        if self.finished:
            return message
        self.finished = True
        if self.stream is not None:
            self.stream.close()  # abandoned mid-reply (an error or a stop): stop the model now, not at garbage collection
        if message not in self.interview.messages:  # chunks() never started
            self.interview.add(message)
        complete = self.done and self.error is None
        error = self.error.message if self.error else ("" if complete else "Stopped before the reply finished.")
        text = self.text
        if not text.strip() and complete:
            complete, error = False, "The model sent an empty reply."
        message.content = text.strip() if complete else text
        message.complete, message.error = complete, error
        record(self.interview, message, self.store)
        self.interview.updated_at = self.clock()
        if self.marker.seen and self.interview.mode == "interview" and self.interview.phase == self.phase:
            self.interview.advance_phase("interviewer", self.clock())
            self.store.save_interview(self.interview)
        return message


def advance_when_time_is_up(interview: Interview, store: Store, now: float) -> None:
    """Move to the next phase once its time is up and the candidate has spoken in it."""
    spoke = any(m.phase == interview.phase for m in interview.candidate_messages())
    if interview.clock(now).phase_over and spoke and interview.advance_phase("time", now):
        store.save_interview(interview)


def next_hint(interview: Interview, store: Store) -> Message:
    """The next hint tier for the current phase, built from the problem's checklist when there is one."""
    tier_index = min(interview.hints_in_phase(), len(HINT_TIERS) - 1)
    tier = HINT_TIERS[tier_index]
    phase = phase_by_key(interview.phase)
    problem = catalog.find_problem(interview.problem_id or "")
    items = list(problem.checklist.get(interview.phase, ())) if problem else []
    open_items = _items_not_covered(interview, items) or items
    if tier == "nudge":
        text = phase.nudge
    elif tier == "direction":
        text = f"Consider this area: {open_items[0]}." if open_items else f"Focus on this: {phase.goal}"
    else:
        text = ("A strong answer covers: " + "; ".join(open_items[:3]) + ".") if open_items else phase.goal
    now = time.time()
    interview.hints.append({"phase": interview.phase, "tier": tier, "text": text, "at": now})
    message = interview.add(Message("assistant", text, interview.phase, kind="hint", created_at=now))
    record(interview, message, store)
    store.save_interview(interview)
    return message


def _items_not_covered(interview: Interview, items: list[str]) -> list[str]:
    """The phase's checklist items the candidate has not covered, judged by the same detectors as the feedback."""
    said = "\n".join(m.content for m in interview.candidate_messages())
    covered = {c.item for c in covered_items(interview.problem_id, interview.phase, said)}
    covered |= interview.notes.covered_items()
    return [item for item in items if item not in covered]


def last_user_turn_unanswered(interview: Interview) -> bool:
    """True when the latest candidate message still waits for a complete reply (so Retry makes sense)."""
    for message in reversed(interview.messages):
        if message.role == "assistant" and message.kind == "chat":
            return not message.complete
        if message.role == "user":
            return True
    return False
