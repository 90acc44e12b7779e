"""The scorecard: numbers from the notes, strengths and gaps worded by a capable model when it can; stored."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from interview.core.scorecard import Scorecard
from interview.core.state import Interview
from interview.core.substance import substantive_turns
from interview.feedback.evidence import evidence_scorecard
from interview.feedback.normalise import ModelFeedback, read_reply, verify_quotes
from interview.feedback.prompt import repair_messages, scorecard_messages
from interview.providers.base import Provider, ProviderError, StreamInfo

MAX_MODEL_ITEMS = 4


class InterviewSaver(Protocol):
    def save_interview(self, interview: Interview) -> None: ...


def _complete(provider: Provider, messages: list[dict]) -> str:
    try:
        return "".join(chunk for chunk in provider.stream(messages, StreamInfo()) if isinstance(chunk, str))
    except ProviderError:
        raise
    except Exception as exc:  # a provider bug reaches the UI as a readable error, like a chat turn's would
        raise ProviderError("internal", f"The model backend failed unexpectedly ({type(exc).__name__}).") from exc


def model_feedback(interview: Interview, provider: Provider) -> ModelFeedback | None:
    """The model's reading of the interview (one repair retry); None when it gives nothing usable."""
    messages = scorecard_messages(interview)
    reply = _complete(provider, messages)
    feedback = read_reply(reply)
    if feedback is None:
        feedback = read_reply(_complete(provider, repair_messages(messages, reply)))
    return feedback


def with_model_words(card: Scorecard, feedback: ModelFeedback, interview: Interview) -> Scorecard:
    """The model's strengths and extra gaps on the evidence card; its scores and hire signal are ignored."""
    quotes = substantive_turns(interview)
    strengths = [s for s in feedback.strengths if not _quotes_something(s) or verify_quotes([s], quotes)]
    if strengths:
        card.strengths = strengths[:MAX_MODEL_ITEMS]
    extra = [gap for gap in feedback.gaps if gap not in card.gaps]
    card.gaps = card.gaps + extra[: max(0, MAX_MODEL_ITEMS - len(card.gaps))]
    return card


def _quotes_something(text: str) -> bool:
    return any(mark in text for mark in ('"', "“"))


def generate_scorecard(
    interview: Interview, provider: Provider, store: InterviewSaver, clock: Callable[[], float] = time.time
) -> Scorecard:
    """Score from the notes, let a capable model word the strengths and gaps, store the card and save."""
    card = evidence_scorecard(interview)
    if card.source == "evidence" and provider.policy.model_words_feedback:
        try:
            feedback = model_feedback(interview, provider)
        except ProviderError:
            feedback = None  # the numbers and gaps never needed the model, so its failure loses nothing
        if feedback is not None:
            card = with_model_words(card, feedback, interview)
    interview.scorecard = card
    interview.ended_at = interview.ended_at or clock()
    store.save_interview(interview)
    return card
