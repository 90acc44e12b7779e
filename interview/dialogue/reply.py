"""One streamed interviewer reply: written ahead while it streams, recorded once when the block is left."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Protocol

from interview.core.heuristics import mostly_repeats
from interview.core.state import DiagramVersion, Interview, Message
from interview.dialogue import curveballs
from interview.dialogue.filters import MarkerFilter, after_label, trim_model_stream, trim_shown_text
from interview.dialogue.moves import NextMove
from interview.dialogue.prompts import NEXT_PHASE_MARKER
from interview.problems.terms import words
from interview.providers.base import Provider, ProviderError, StreamInfo

SAVE_EVERY_SECONDS = 1.0  # how often a streaming reply's partial text is written ahead
INTERRUPTED = "Interrupted: the app stopped before this reply finished."
COPIED_WORDS = 4  # fewer words ("Got it.") may recur by chance; `_opened_the_last_reply` stops them opening twice
_COPIED_LABEL = curveballs.LABEL.strip("*: ").casefold()  # "requirement change"


class Store(Protocol):
    def save_interview(self, interview: Interview) -> None: ...

    def save_message(self, interview: Interview, message: Message) -> None: ...

    def refresh(self, interview: Interview) -> Interview: ...

    def save_diagram(self, interview: Interview, version: DiagramVersion) -> None: ...


def record(interview: Interview, message: Message, store: Store) -> Message:
    store.save_message(interview, message)
    return message


class ReplyTurn:
    """One streamed interviewer reply, used as a context manager: the reply is recorded on leaving the block.

    Iterate `chunks()` inside the block; leaving it, normally or by an error or a stop, stops the stream if it
    still runs and records the reply once, marked incomplete when it did not finish.
    """

    def __init__(
        self,
        interview: Interview,
        provider: Provider,
        store: Store,
        clock: Callable[[], float] = time.time,
        *,
        move: NextMove | None = None,
        messages: list[dict] | None = None,
        summarised: int = 0,
        error: ProviderError | None = None,
    ):
        """A reply to stream; `engine.reply` plans the move and builds the messages first. No I/O here."""
        self.interview, self.provider, self.store, self.clock = interview, provider, store, clock
        self.policy = provider.policy.in_mode(interview.mode)
        self.move, self.messages, self.summarised, self.error = move, messages or [], summarised, error
        # A small model does not voice the turns it handles worst: code writes the whole reply.
        self.voiced_in_code = bool(move and self.policy.code_voices_moves and move.written_in_code)
        self.phase = interview.phase
        self.info = StreamInfo()
        # One growing buffer: `+=` on an attribute copies the whole reply per chunk, and a list keeps every chunk alive.
        self.buffer = io.StringIO()
        self.marker = MarkerFilter(NEXT_PHASE_MARKER)
        self.entered = self.done = self.finished = False
        self.stream: Iterator[str] | None = None
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
            stream = trim_model_stream(self.policy, self.provider.stream(self.messages, self.info), echoes=self._echoes)
            if self.move is not None and self.move.lead.startswith(curveballs.LABEL):
                stream = after_label(curveballs.LABEL, stream)  # a change the model words is still labelled
            yield from stream
        except ProviderError as exc:
            self.error = exc
        except Exception as exc:  # a provider bug must not lose the conversation
            self.error = ProviderError("internal", f"The model backend failed unexpectedly ({type(exc).__name__}).")

    def _echoes(self, sentence: str) -> bool:
        """A small model's reaction that mostly restates the problem or the candidate's last turn says nothing.

        Asked about the reaction's first words only (`filters.ECHO_WORDS`), so the rest can stream.
        """
        if _COPIED_LABEL in sentence.casefold() and not (self.move and self.move.lead.startswith(curveballs.LABEL)):
            return True  # a small model copying the earlier change's label announces a change that never came
        if self._opened_the_last_reply(sentence) or self._copies_an_earlier_reply(sentence):
            return True  # "Understood." before every question is a tic, and a copied sentence no reaction
        problem = self.interview.problem
        said = [m.content for m in self.interview.candidate_messages()[-1:]]
        return mostly_repeats(sentence, [self.interview.question, problem.prompt if problem else "", *said])

    def _opened_the_last_reply(self, sentence: str) -> bool:
        """The interviewer's previous reply began with these same words."""
        earlier = [m for m in self.interview.messages if m.role == "assistant" and m.content and m is not self.message]
        said = words(sentence)
        return bool(said and earlier) and words(earlier[-1].content)[: len(said)] == said

    def _copies_an_earlier_reply(self, sentence: str) -> bool:
        """The reaction's opening words, four or more, found word for word in an earlier interviewer reply (the hand-back
        of a scale question, `facts.YOURS`, copied into a later reaction)."""
        said = words(sentence)
        if len(said) < COPIED_WORDS:
            return False
        earlier = (words(m.content) for m in self.interview.messages if m.role == "assistant" and m is not self.message)
        return any(said == run[i : i + len(said)] for run in earlier for i in range(len(run) - len(said) + 1))

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
        for chunk in trim_shown_text(self.policy, self.marker.filter(self._raw())):
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
        message.created_at = self.clock()  # stamped when it was said, not when the candidate's turn arrived
        record(self.interview, message, self.store)
        self.interview.updated_at = self.clock()
        if self.marker.seen and self.interview.mode == "interview" and self.interview.phase == self.phase:
            self.interview.advance_phase("interviewer", self.clock())
            self.store.save_interview(self.interview)
        return message
