"""The interviewer's notes when two tabs answer one interview (issue 23): nothing either tab noted is lost.

Each test runs on SQLite and on PostgreSQL (the `db_location` fixture); each tab is its own engine session with its
own store connection and its own in-memory Interview, as two browser tabs (or two app processes) are.
"""

from __future__ import annotations

from dataclasses import replace

from interview.core.notes import CoveredItem, InterviewerNotes, Move, RaisedMistake, merge_notes
from interview.core.steering import SMALL_MODEL
from interview.dialogue import engine, moves
from interview.store import open_store
from tests.helpers import FakeProvider

T0 = 1_700_000_000.0
PLANTED = "The API server generates a random 3-letter code; collisions probably won't happen."
WRONG_ESTIMATE = "100M new links a day is about 100 writes per second."
FIXED_ESTIMATE = "Let me redo it: 100M a day over 86,400 seconds is about 1,160 writes per second."


def say(interview, store, text: str) -> moves.NextMove:
    """One candidate turn in one tab, answered by the engine (code writes a small model's challenges)."""
    engine.answer(interview, text, store)
    provider = FakeProvider("Noted.", policy=SMALL_MODEL)
    with engine.reply(interview, provider, store, clock=lambda: T0 + 60) as turn:
        "".join(turn.chunks())
    return turn.move


def opened_interview(location: str) -> str:
    """A URL shortener interview (a bank problem, so its pitfalls and estimates apply) with the opening asked."""
    with open_store(location) as store:
        interview = engine.start_interview("Design a URL shortener", store)
        with engine.reply(interview, FakeProvider(policy=SMALL_MODEL), store, clock=lambda: T0) as turn:
            "".join(turn.chunks())
    return interview.id


def test_two_tabs_answering_one_interview_keep_both_tabs_notes(db_location):
    interview_id = opened_interview(db_location)
    with open_store(db_location) as store_a, open_store(db_location) as store_b:
        tab_a, tab_b = store_a.load(interview_id), store_b.load(interview_id)
        planted = say(tab_a, store_a, PLANTED)
        estimate = say(tab_b, store_b, WRONG_ESTIMATE)  # B's notes were loaded before A noted the pitfall
        assert planted.kind == estimate.kind == "challenge" and planted.key != estimate.key
        with open_store(db_location) as reader:
            saved = reader.load(interview_id).notes
        assert {planted.key, estimate.key} <= {m.key for m in saved.mistakes}
        assert {planted.question, estimate.question} <= saved.asked()
        assert any(not check.ok for check in saved.estimates)  # B's wrong estimate
        assert tab_b.notes.raised(planted.key) is not None  # the saving tab takes the merged notes

        # A fixes B's estimate; B then saves from notes that still call it open: the fix stays.
        say(tab_a, store_a, FIXED_ESTIMATE)
        assert tab_a.notes.raised(estimate.key).fixed  # A saw B's mistake before judging its turn
        engine.advance_phase(tab_b, store_b, now=T0 + 120)
        with open_store(db_location) as reader:
            fixed = reader.load(interview_id).notes.raised(estimate.key)
        assert fixed.fixed and "1,160" in fixed.fix_quote
        assert tab_b.notes.raised(estimate.key).fixed


def test_declining_the_bank_match_still_clears_the_covered_items(db_location):
    with open_store(db_location) as store:
        interview = engine.start_interview("Design a URL shortener like bit.ly", store)
        interview.notes.covered.append(CoveredItem("requirements", "Custom aliases", "aliases are optional"))
        store.save_interview(interview)
        engine.decline_bank_match(interview, store)  # the saved checklist items are the declined problem's
        assert store.load(interview.id).notes.covered == [] and interview.notes.covered == []


def test_merge_keeps_every_entry_once_and_a_fix_from_either_side():
    open_mistake = RaisedMistake("no-expiry", "deep_dive", "keep forever", "Why forever?", "No expiry.", asked=False)
    fixed_mistake = RaisedMistake("no-expiry", "deep_dive", "keep forever", "Why forever?", "No expiry.", True, "TTL")
    other = RaisedMistake("single-db", "high_level", "one MySQL", "What if it fails?", "One database.")
    shared = Move("open", turn=0)
    stored = InterviewerNotes(mistakes=[fixed_mistake], moves=[shared, Move("challenge", "single-db", turn=2)])
    mine = InterviewerNotes(mistakes=[open_mistake, other], moves=[shared, Move("probe", turn=1)])
    merged = merge_notes(stored, mine)
    assert [(m.key, m.fixed, m.fix_quote) for m in merged.mistakes] == [
        ("no-expiry", True, "TTL"),
        ("single-db", False, ""),
    ]
    assert [(m.kind, m.turn) for m in merged.moves] == [("open", 0), ("probe", 1), ("challenge", 2)]
    assert not open_mistake.fixed and len(mine.moves) == 2  # neither input changed
    assert merge_notes(mine, mine) == mine  # one tab saving again adds nothing


def test_merge_keeps_a_withdrawal_from_the_other_tab():
    raised = RaisedMistake("no-expiry", "deep_dive", "keep forever", "Why forever?", "No expiry.")
    withdrawn = replace(raised, fixed=True, fix_quote="I said links expire.", withdrawn=True)
    merged = merge_notes(InterviewerNotes(mistakes=[withdrawn]), InterviewerNotes(mistakes=[raised]))
    assert [(m.withdrawn, m.fix_quote) for m in merged.mistakes] == [(True, "I said links expire.")]


def test_merge_keeps_a_mistake_said_again_after_its_fix_on_either_side():
    fixed = RaisedMistake("no-expiry", "deep_dive", "keep forever", "Why forever?", "No expiry.", True, "TTL")
    again = replace(fixed, fixed=False, asked=False, quote="drop the TTL, keep links forever")
    stored, mine = InterviewerNotes(mistakes=[fixed]), InterviewerNotes(mistakes=[again])
    assert merge_notes(stored, mine).mistakes == [again]  # this tab said it again after the saved fix
    assert merge_notes(mine, stored).mistakes == [again]  # the other tab did
    refixed = replace(again, fixed=True, fix_quote="a TTL of five years")  # fixed a second time: that fix wins
    assert merge_notes(InterviewerNotes(mistakes=[again]), InterviewerNotes(mistakes=[refixed])).mistakes == [refixed]
