"""A challenge says what worries the interviewer (the pitfall's `concern`) before its question, never the fix."""

from __future__ import annotations

from collections import Counter

import pytest

from interview.core.notes import EstimateCheck, RaisedMistake
from interview.core.steering import CAPABLE
from interview.dialogue import challenges, engine
from interview.problems.catalog import all_problems, find_problem
from interview.problems.load import MAX_CONCERN_WORDS, generic_pitfalls, parse_pitfalls
from interview.problems.terms import any_in
from tests.helpers import FakeProvider, answer_and_reply, new_interview

PITFALLS = [(pid, p) for pid, problem in all_problems().items() for p in problem.pitfalls] + [
    ("generic", p) for p in generic_pitfalls()
]
OPENINGS = challenges.FRESH_OPENINGS + challenges.EARLIER_OPENINGS


@pytest.mark.parametrize(("problem_id", "pitfall"), PITFALLS, ids=lambda v: getattr(v, "id", v))
def test_every_pitfall_has_a_concern_that_never_names_its_fix(problem_id, pitfall) -> None:
    fix = [pattern for signal in pitfall.signals for pattern in (*signal.cleared_by, *signal.missing)]
    assert pitfall.concern, f"{problem_id}/{pitfall.id} has no concern"
    assert not any_in(fix, pitfall.concern), f"{problem_id}/{pitfall.id}: the concern names what clears it"
    assert "instead of" not in pitfall.concern and pitfall.concern.rstrip("?") not in pitfall.question


def test_every_concern_reads_in_every_opening() -> None:
    for _, pitfall in PITFALLS:
        for opening in OPENINGS:
            sentence = opening.format(pitfall.concern)
            assert sentence.count(".") >= 1 and "?" not in sentence and ".." not in sentence


@pytest.mark.parametrize(
    ("concern", "error"),
    [
        ("a single database for everything.", "closing punctuation"),
        ("one two", "3-"),
        (" ".join(["word"] * (MAX_CONCERN_WORDS + 1)), "3-"),
    ],
)
def test_a_concern_that_cannot_open_a_sentence_is_rejected_on_load(concern: str, error: str) -> None:
    raw = {
        "id": "one-db",
        "question": "What happens when it fails?",
        "note": "Kept everything in one database.",
        "example": "Everything lives in one database.",
        "concern": concern,
        "signal": [{"together": ["one database"]}],
    }
    with pytest.raises(ValueError, match=error):
        parse_pitfalls([raw], "test.toml", generic=False, minimum=1)


def test_a_note_that_quotes_words_is_rejected_on_load() -> None:
    # the feedback shows a note beside the candidate's quote: a quote in the note reads as theirs
    raw = {
        "id": "one-db",
        "question": "What happens when it fails?",
        "note": 'Kept everything in one database ("one box is enough").',
        "example": "Everything lives in one database.",
        "concern": "one database for everything",
        "signal": [{"together": ["one database"]}],
    }
    with pytest.raises(ValueError, match="'note' must quote nothing"):
        parse_pitfalls([raw], "test.toml", generic=False, minimum=1)


def test_a_pitfall_without_a_concern_is_rejected_on_load() -> None:
    raw = {"id": "one-db", "question": "What then?", "note": "One database.", "example": "One database."}
    with pytest.raises(ValueError, match="missing fields: concern"):
        parse_pitfalls([{**raw, "signal": [{"together": ["one database"]}]}], "test.toml", generic=False, minimum=1)


def test_a_mistake_is_challenged_with_its_concern_and_a_capable_model_is_told_it() -> None:
    interview = new_interview("Design a URL shortener")
    capable = FakeProvider("Opening?", "Why three letters?", policy=CAPABLE)
    with engine.reply(interview, capable, engine.NullStore()) as turn:
        "".join(turn.chunks())
    _, move = answer_and_reply(interview, "I'll use a random 3-letter code; collisions probably won't happen.", capable)
    concern = challenges.concern_for(find_problem("url-shortener"), move.key)
    assert move.kind == "challenge" and move.lead == challenges.FRESH_OPENINGS[0].format(concern)
    told = capable.requests[-1][-1]["content"]
    assert concern in told and "just said" in told and move.question in told


def _raised(key: str, quote: str = "Everything sits in one place.") -> RaisedMistake:
    return RaisedMistake(key, "high_level", quote, "What then?", "A note.")


def test_openings_are_taken_in_turn_so_none_is_heard_more_than_twice() -> None:
    problem = find_problem("url-shortener")
    keys = [pitfall.id for pitfall in problem.pitfalls]
    leads = [challenges.lead(problem, _raised(keys[n % len(keys)]), [], fresh=True, used=n) for n in range(6)]
    assert max(Counter(lead.split(":")[0].split(" about")[0] for lead in leads).values()) == 2


def test_a_wrong_estimate_says_which_way_it_looks_off_and_never_the_number() -> None:
    problem = find_problem("url-shortener")
    check = EstimateCheck("new short links per second, average", 100.0, 1157.0, "That is 100 writes per second.", False)
    low = challenges.lead(problem, _raised("estimate:" + check.quantity, check.quote), [check], fresh=True, used=0)
    assert low == "That looks too low to me for new short links per second on average." and "1,1" not in low
    check.stated = 50_000.0
    high = challenges.lead(problem, _raised("estimate:" + check.quantity, check.quote), [check], fresh=False, used=1)
    assert high.startswith(challenges.EARLIER) and "too high" in high and challenges.refers_back(high)


def test_a_pitfall_without_a_concern_keeps_the_plain_question() -> None:
    problem = find_problem("url-shortener")
    assert challenges.lead(problem, _raised("diagram:single-instance:db"), [], fresh=True, used=0) == ""
    assert (
        challenges.lead(problem, _raised("diagram:single-instance:db"), [], fresh=False, used=0) == challenges.EARLIER
    )
    assert challenges.refers_back(challenges.EARLIER) and not challenges.refers_back("")


def test_something_never_said_is_asked_without_a_worry_about_words_the_candidate_did_not_say() -> None:
    interview = new_interview("Design a URL shortener")
    capable = FakeProvider("Opening?", "How would you know?", policy=CAPABLE)
    with engine.reply(interview, capable, engine.NullStore()) as turn:
        "".join(turn.chunks())
    interview.notes.mistakes.append(
        RaisedMistake("no-monitoring", "reliability", "", "How would you know?", "No alerts.")
    )
    interview.notes.mistakes[-1].asked = False
    _, move = answer_and_reply(interview, "Replicas in three zones take over automatically.", capable)
    assert (move.kind, move.key, move.lead) == ("challenge", "no-monitoring", "")
    told = capable.requests[-1][-1]["content"]
    assert "have not said" in told and "“”" not in told and "worries" not in told


def test_something_never_said_that_the_last_question_asked_comes_back_to_it() -> None:
    never_said = RaisedMistake(
        "no-booking-idempotency",
        "deep_dive",
        "",
        "The guest double-clicks 'book', or the app retries after a timeout. How many reservations do they end up with?",
        "No idempotency.",
    )
    probed = "The guest clicks 'book' twice, or the request is retried. How many reservations exist?"
    other = "Which table do you check availability against, and what does a row look like?"
    problem = find_problem("hotel-reservation")
    again = challenges.lead(problem, never_said, [], fresh=True, used=0, last_question=probed)
    assert again == challenges.BACK_TO_LAST
    assert challenges.lead(problem, never_said, [], fresh=True, used=0, last_question=other) == ""
