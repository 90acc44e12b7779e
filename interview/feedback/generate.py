"""Ask the model for the scorecard (one repair retry), apply the rules, fall back to prose, store the result."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from interview.feedback.card import Scorecard
from interview.feedback.json_repair import strip_thinking
from interview.feedback.normalise import read_reply
from interview.feedback.prompt import repair_messages, scorecard_messages
from interview.feedback.rules import apply_rules, rule_scorecard, too_little_to_assess
from interview.model import Interview
from interview.providers.base import Provider, ProviderError, StreamInfo

PROSE_NOTE = "The model's feedback could not be read as a scorecard, so here it is as written."


class InterviewSaver(Protocol):
    def save_interview(self, interview: Interview) -> None: ...


def parse_scorecard(text: str, interview: Interview) -> Scorecard | None:
    """The scorecard in a model reply, checked against the transcript; None when nothing usable is in it."""
    feedback = read_reply(text)
    return None if feedback is None else apply_rules(feedback, interview)


def prose_scorecard(interview: Interview, text: str) -> Scorecard:
    """The fallback when no scorecard can be read: the model's words as written, with a note saying so."""
    prose = strip_thinking(text).strip() or "(The model sent an empty reply.)"
    return Scorecard(prose=prose, note=PROSE_NOTE, hints_used=len(interview.hints), level=interview.level)


def _complete(provider: Provider, messages: list[dict]) -> str:
    try:
        return "".join(chunk for chunk in provider.stream(messages, StreamInfo()) if isinstance(chunk, str))
    except ProviderError:
        raise
    except Exception as exc:  # a provider bug reaches the UI as a readable error, like a chat turn's would
        raise ProviderError("internal", f"The model backend failed unexpectedly ({type(exc).__name__}).") from exc


def generate_scorecard(
    interview: Interview, provider: Provider, store: InterviewSaver, clock: Callable[[], float] = time.time
) -> Scorecard:
    """Ask the model for the scorecard (one repair retry), apply the rules, store it on the interview and save."""
    if too_little_to_assess(interview):
        # the rules fix every score here whatever the model says, so don't make the candidate wait for it
        card = rule_scorecard(interview)
    else:
        messages = scorecard_messages(interview)
        reply = _complete(provider, messages)
        card = parse_scorecard(reply, interview)
        if card is None:
            second = _complete(provider, repair_messages(messages, reply))
            card = parse_scorecard(second, interview)
            if card is not None:
                card.source = "repaired"
            else:
                card = prose_scorecard(interview, reply if reply.strip() else second)
    interview.scorecard = card
    interview.ended_at = interview.ended_at or clock()
    store.save_interview(interview)
    return card
