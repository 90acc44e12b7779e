"""The store's aggregation for the Progress page and its paged history list, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from interview.core.notes import RaisedMistake
from interview.dialogue import engine
from interview.store import open_store, owner_id
from tests.helpers import seed_scored

DAY = 86400.0
ALICE = owner_id("https://login.example.com", "alice-sub")


@pytest.fixture
def store(db_location):
    with open_store(db_location) as opened:
        yield opened


def test_score_history_reads_scores_and_mistakes_of_this_owner_only(store):
    alice = store.as_owner(ALICE)
    older = seed_scored(alice, "url-shortener", 1_000 * DAY, 2.0, [("no-monitoring", "No monitoring")], "said X")
    newer = seed_scored(alice, "chat-system", 1_001 * DAY, {"reliability": 1.0, "requirements": 3.0})
    unscored = engine.start_interview("Design a photo sharing app", alice)
    seed_scored(store, "web-crawler", 1_002 * DAY, 4.0)  # the local person's: never in Alice's history

    records = alice.score_history()

    assert [r.id for r in records] == [older.id, newer.id, unscored.id]  # oldest first
    first, second, third = records
    assert first.problem_id == "url-shortener" and first.overall == 2.0
    assert first.dimensions["reliability"] == (2.0, ("said X (Reliability)",))
    assert first.mistakes == (("no-monitoring", "No monitoring", False),)
    assert second.dimensions["reliability"][0] == 1.0 and second.dimensions["estimates"][0] is None
    assert second.overall == 2.0 and second.mistakes == ()
    assert third.overall is None and third.dimensions == {}
    assert [r.problem_id for r in store.score_history()] == ["web-crawler"]
    assert alice.scores_version()[0] == 3 and store.scores_version()[0] == 1


def test_scores_version_changes_when_an_interview_is_scored(store):
    from interview.core.scorecard import DimensionScore, Scorecard

    interview = engine.start_interview("Design a photo sharing app", store)
    before = store.scores_version()
    interview.scorecard = Scorecard(dimensions=[DimensionScore(name="Reliability", score=2, key="reliability")])
    store.save_interview(interview)  # what scoring does; updated_at stays as it was
    scored = store.scores_version()
    assert scored != before and scored[:2] == before[:2]


def test_history_pages_and_counts(store):
    seeded = [seed_scored(store, None, (100 + n) * DAY, 3.0, question=f"Design system {n}") for n in range(7)]
    newest_first = [i.id for i in reversed(seeded)]
    assert store.count_interviews() == 7
    assert [s.id for s in store.list_interviews(limit=3)] == newest_first[:3]
    assert [s.id for s in store.list_interviews(limit=3, offset=3)] == newest_first[3:6]
    assert [s.id for s in store.list_interviews(limit=3, offset=6)] == newest_first[6:]
    assert store.list_interviews(limit=3, offset=9) == []
    assert store.count_interviews("system 4") == 1 and store.count_interviews(mode="explain") == 0
    assert store.as_owner(ALICE).count_interviews() == 0


def test_a_withdrawn_challenge_is_no_mistake_in_the_score_history(store):
    interview = seed_scored(store, "url-shortener", 1_000 * DAY, 2.0, [("no-monitoring", "No monitoring")])
    interview.notes.mistakes += [
        RaisedMistake("ignored-collisions", "deep_dive", "q", "", "Collisions", fixed=True, withdrawn=True)
    ]
    store.save_interview(interview)
    assert [r.mistakes for r in store.score_history()] == [(("no-monitoring", "No monitoring", False),)]
