"""Owners, on SQLite and PostgreSQL: each person sees only their own interviews, and another person's interview id
behaves exactly like a missing one, for every read, list, delete, refresh, save and import."""

from __future__ import annotations

import copy
import uuid

import pytest

from interview.core.state import Message
from interview.dialogue import engine
from interview.store import LOCAL_OWNER, StoreError, open_store, owner_id
from interview.transcripts import export

ISSUER = "https://login.example.com"
ALICE = owner_id(ISSUER, "alice-sub")
BOB = owner_id(ISSUER, "bob-sub")


@pytest.fixture
def shared(db_location):
    with open_store(db_location) as store:
        yield store


def test_owner_id_is_issuer_and_subject():
    assert owner_id(ISSUER, "alice-sub") == f"{ISSUER} alice-sub"
    assert owner_id(ISSUER, "a") != owner_id(ISSUER + "/other", "a")
    assert LOCAL_OWNER != owner_id(ISSUER, LOCAL_OWNER)
    for issuer, subject in (("", "x"), (ISSUER, ""), ("https://a.example.com x", "y")):
        with pytest.raises(ValueError):
            owner_id(issuer, subject)


def test_each_person_sees_only_their_own_interviews(shared):
    alice, bob, local = shared.as_owner(ALICE), shared.as_owner(BOB), shared
    theirs = {
        name: engine.start_interview(f"Design {name}'s feed", store)
        for name, store in (("alice", alice), ("bob", bob), ("local", local))
    }
    for name, store in (("alice", alice), ("bob", bob), ("local", local)):
        own = theirs[name]
        assert [row.id for row in store.list_interviews()] == [own.id]
        assert store.list_interviews("feed") and not store.list_interviews(next(n for n in theirs if n != name))
        assert store.load(own.id).question == own.question
        for other in (o for n, o in theirs.items() if n != name):
            assert store.load(other.id) is None


def test_someone_elses_id_behaves_like_a_missing_one(shared):
    alice, bob = shared.as_owner(ALICE), shared.as_owner(BOB)
    interview = engine.start_interview("Design a rate limiter", alice)
    engine.record(interview, interview.add_user("Token bucket per user"), alice)
    missing = uuid.uuid4().hex
    assert bob.load(interview.id) is None and bob.load(missing) is None
    assert bob.delete(interview.id) is False and bob.delete(missing) is False
    stolen = copy.deepcopy(interview)
    unknown = copy.deepcopy(interview)
    unknown.id = missing
    assert bob.refresh(stolen).messages == interview.messages  # "deleted elsewhere": left as it was
    assert bob.refresh(unknown).messages == interview.messages
    assert bob.list_interviews("bucket") == [] and bob.list_interviews() == []
    assert alice.load(interview.id) == interview  # nothing of Alice's changed


def test_writing_to_someone_elses_id_is_refused_and_changes_nothing(shared):
    alice, bob = shared.as_owner(ALICE), shared.as_owner(BOB)
    interview = engine.start_interview("Design a rate limiter", alice)
    before = alice.load(interview.id)
    forged = copy.deepcopy(interview)
    forged.question = "Bob's question"
    with pytest.raises(StoreError, match="already in use"):
        bob.save_interview(forged)
    with pytest.raises(StoreError, match="already in use"):
        bob.save_message(forged, forged.add_user("Bob writes here"))
    partial = forged.messages[0]  # a message id of Alice's: an update must not reach it either
    partial.content = "rewritten by Bob"
    with pytest.raises(StoreError):
        bob.save_message(forged, partial)
    assert alice.load(interview.id) == before
    assert bob.list_interviews() == []


def test_import_belongs_to_the_importer_and_never_touches_the_original(shared):
    alice, bob = shared.as_owner(ALICE), shared.as_owner(BOB)
    original = engine.start_interview("Design a chat app", alice)
    text = export.to_json(original)
    assert ALICE not in text and "alice-sub" not in text  # an export carries no owner
    copied = engine.import_interview(text, bob)
    assert copied.id != original.id  # the id was taken (by someone Bob cannot see): a new one
    assert [row.id for row in bob.list_interviews()] == [copied.id]
    assert [row.id for row in alice.list_interviews()] == [original.id]
    bob.save_message(copied, copied.add(Message("user", "Bob's turn", copied.phase)))
    assert [m.content for m in alice.load(original.id).messages] == ["Design a chat app"]
    assert bob.delete(copied.id) is True and alice.load(original.id) is not None


def test_views_share_one_connection(shared):
    alice = shared.as_owner(ALICE)
    assert alice.owner == ALICE and shared.owner == LOCAL_OWNER
    engine.start_interview("Design a cache", alice)
    assert len(shared.as_owner(ALICE).list_interviews()) == 1
    with pytest.raises(ValueError):
        shared.as_owner("")
