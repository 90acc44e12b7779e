"""A challenge the candidate shows was a misreading ("No, that's the option I ruled out") is taken back, not counted."""

from __future__ import annotations

import pytest

from interview.core.notes import Move, RaisedMistake, notes_sections
from interview.core.steering import SMALL_MODEL
from interview.dialogue import challenges, engine
from interview.feedback.evidence import evidence_scorecard
from interview.problems.rebuttals import misread_claim
from tests.helpers import FakeProvider, answer_and_reply, new_interview

T0 = 1_700_000_000.0
RETRY = "If the processor call times out we just retry the charge until it answers."


def opened(question: str):
    interview = new_interview(question)
    with engine.reply(interview, FakeProvider(policy=SMALL_MODEL), engine.NullStore(), clock=lambda: T0) as turn:
        "".join(turn.chunks())
    return interview


def challenged():
    """A payment interview whose last move challenged a blind retry of the charge."""
    interview = opened("Design a payment system")
    _, move = answer_and_reply(interview, RETRY, None, T0 + 60)
    assert move.kind == "challenge"
    return interview, move.key


def test_a_misread_challenge_is_taken_back_and_is_no_mistake_in_the_feedback():
    interview, key = challenged()
    reply, move = answer_and_reply(interview, "No, I never said we'd do it blindly. Read my turn again.", None, T0 + 90)
    mistake = interview.notes.raised(key)
    assert mistake.withdrawn and mistake.fixed and mistake.fix_quote == "No, I never said we'd do it blindly."
    assert move.kind != "challenge" and reply.startswith(challenges.WITHDRAWN)
    assert not interview.notes.open_mistakes()
    card = evidence_scorecard(interview)
    said = " ".join([*card.strengths, *card.gaps, *(d.comment for d in card.dimensions)])
    assert mistake.note not in said and "Fixed when challenged" not in said
    lines = dict(notes_sections(interview.notes))["Mistakes raised"]
    assert lines == [f"{mistake.note} (“{RETRY}”); withdrawn, the interviewer had misread it: “{mistake.fix_quote}”"]


def test_a_conceded_challenge_is_fixed_not_withdrawn():
    interview, key = challenged()
    reply, move = answer_and_reply(
        interview,
        "You're right, I didn't think that through: each retry of the charge reuses one idempotency key, so a retry is safe.",
        None,
        T0 + 90,
    )
    mistake = interview.notes.raised(key)
    assert mistake.fixed and not mistake.withdrawn and move.lead.startswith(challenges.FIXED)
    assert reply.startswith(challenges.FIXED) and challenges.WITHDRAWN not in reply  # no "Noted." before it


def test_a_claimed_misreading_that_says_the_mistake_again_is_pressed():
    interview, key = challenged()
    _, move = answer_and_reply(
        interview,
        "That's not what I meant. If it times out we simply retry the charge until it answers.",
        None,
        T0 + 90,
    )
    assert not interview.notes.raised(key).withdrawn and move.kind == "challenge"


@pytest.mark.parametrize(
    "text",
    [
        "No, that's the option I ruled out.",
        "I think you misread me: the geohash index narrows it to a few hundred candidates.",
        "I didn't propose a full scan; I said it would be far too slow.",
        "That's not what I said. Each retry carries the same key.",
        "I already covered that: the frontier checks a Bloom filter before fetching.",
        "As I said, the lock is taken per seat, not per table.",
    ],
)
def test_a_misreading_is_heard(text):
    assert misread_claim(text)


@pytest.mark.parametrize(
    "text",
    [
        "Good point, I didn't say how we dedupe; a Bloom filter in front of the frontier would do it.",
        "You're right, I never said we'd lock the row. Let me fix that with a conditional update.",
        "I don't think that's a problem, one database is enough here.",
        "What do you mean by every business?",
        "I didn't say how retries work, so let me add that: the same key every time.",
        "That's not what matters here; latency is.",
        "If it gets more traffic we can buy more servers, I think the cloud handles that.",
        "Both would succeed, and we'd oversell. Under read committed both SELECTs see the same count.",
        # a flawed candidate going on with the design (held-out interviews): "rejected" describes requests
        "On responses, rejected calls get a 429 with Retry-After so well-behaved clients back off.",
        "Counters live in Redis. Each node keeps a local copy. As I said, the window resets every minute.",
        # an aside that says what does not change (a browser play: it withdrew the challenge it answered)
        "Workers take a lease on each run. (The dispatcher stays as I described.)",
    ],
)
def test_a_concession_a_defence_or_a_question_is_no_misreading(text):
    assert not misread_claim(text)


def test_a_correction_does_not_move_the_phase_on_with_the_design_it_restates():
    interview = opened("Design a hotel reservation system")
    interview.curveballs = False
    interview.move_to_phase("estimates", "candidate", T0)
    engine.answer(interview, "With 1M rooms, 10 million bookings a day is too many.", engine.NullStore())
    pitfall = next(p for p in interview.problem.pitfalls if p.id == "book-specific-room")
    interview.notes.mistakes.append(RaisedMistake(pitfall.id, "estimates", "1M rooms", pitfall.question, pitfall.note))
    interview.notes.moves.append(Move("challenge", pitfall.id, pitfall.question, 1, "", "1M rooms"))
    correction = (  # seen in a browser session: it moved the interview on to high-level design
        "I actually said guests book a room type, not a specific room number. Inventory is counted per hotel, room "
        "type and night, and a physical room is only assigned at check-in, so if 412 is under repair the front desk "
        "gives them another room of the same type."
    )
    _, move = answer_and_reply(interview, correction, None, T0 + 90)
    assert interview.notes.raised(pitfall.id).withdrawn and interview.phase == "estimates", move


def test_a_granted_challenge_with_the_change_in_other_words_is_fixed():
    interview, key = challenged()
    change = "Let me fix that: every attempt carries the order's token, and the processor treats a repeat as one."
    reply, move = answer_and_reply(interview, f"Fair. {change}", None, T0 + 90)
    mistake = interview.notes.raised(key)
    assert mistake.fixed and not mistake.withdrawn and mistake.fix_quote == change
    assert move.kind != "challenge" and reply.startswith(challenges.FIXED)


@pytest.mark.parametrize(
    "text",
    [
        "It's fine: I didn't say we need an idempotency key, the processor dedupes charges for us.",
        "I don't think that's a problem, I didn't say we need an idempotency key anyway.",
        "Do you mean an idempotency key on the charge, or on the whole order?",
        "You're right that it can double charge, but I'd keep it as is for the first version.",
    ],
)
def test_a_defence_a_question_or_a_granted_point_kept_fixes_nothing(text):
    interview, key = challenged()
    answer_and_reply(interview, text, None, T0 + 90)
    assert not interview.notes.raised(key).fixed


def test_going_on_with_the_design_after_a_challenge_fixes_nothing():
    # "status" is a word of the fix ("query the status first"), but this turn grants nothing and changes nothing
    interview, key = challenged()
    answer_and_reply(
        interview, "We'll keep each payment in Postgres with a status column and an amount.", None, T0 + 90
    )
    assert not interview.notes.raised(key).fixed
