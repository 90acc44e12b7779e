"""The store on SQLite and on PostgreSQL: round trips, migrations, owners, two tabs and two processes at once;
SQLite's damaged files; no API key on disk.

Every test that takes `store` or `db_location` runs twice, once per backend (the `db_location` fixture in
conftest.py); the PostgreSQL server is a real throwaway cluster.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import threading
from dataclasses import fields
from pathlib import Path

import pytest

from interview.core.notes import CoveredItem, EstimateCheck, InterviewerNotes, Move, RaisedMistake
from interview.core.scorecard import Scorecard
from interview.core.state import DiagramVersion, Interview, Message
from interview.dialogue import engine, prompting
from interview.providers.config import settings_for
from interview.providers.factory import make_provider
from interview.store import (
    LOCAL_OWNER,
    SQLiteStore,
    StoreError,
    check_no_secrets,
    default_db_path,
    is_postgres_url,
    is_valid_id,
    migrations,
    open_store,
    owner_id,
    scorecard_score,
)
from interview.store.dialect import POSTGRES, Translating
from tests.fake_llm_server import Fault, Reply

T0 = 1_700_000_000.25


def make_interview(**overrides) -> Interview:
    """An interview where every field differs from its default."""
    interview = Interview(
        question="Design a URL shortener <b>fast</b>",
        constraints="100M new links a day; 'quotes' & \"doubles\"",
        mode="interview",
        level="staff",
        provider="openai",
        model="gpt-4o-mini",
        length_minutes=60,
        style="bar_raiser",
        curveballs=False,
        problem_id="url-shortener",
        created_at=T0,
        updated_at=T0 + 50.5,
        phase="high_level",
        phase_started_at=T0 + 30,
        phase_history=[
            {"phase": "requirements", "started_at": T0, "reason": "start"},
            {"phase": "estimates", "started_at": T0 + 10, "reason": "interviewer"},
            {"phase": "high_level", "started_at": T0 + 30, "reason": "timer"},
        ],
        hints=[{"phase": "requirements", "tier": "nudge", "text": "Think about reads.", "at": T0 + 5}],
        scorecard=Scorecard.from_dict(
            {
                "dimensions": [
                    {"name": "Requirements", "score": 3, "evidence": ["reads dominate"], "comment": "Solid."},
                    {"name": "Scale", "score": 2, "evidence": [], "comment": "Thin."},
                ],
                "strengths": ["clear API"],
                "gaps": ["no cache eviction"],
                "hire_signal": "lean hire",
            }
        ),
        ended_at=T0 + 3600,
        summary="Earlier: base62 ids were chosen. ünïcødé ✓",
        summary_turns=4,
        notes=InterviewerNotes(
            covered=[CoveredItem("requirements", "Redirect latency", "p99 under 50 ms")],
            mistakes=[
                RaisedMistake(
                    "single-db", "high_level", "one MySQL", "What if it fails?", "No replica.", True, "replicas"
                )
            ],
            estimates=[EstimateCheck("writes per second", 1160.0, 1157.4, "about 1,160 writes per second", True)],
            moves=[Move("challenge", "single-db", "What if it fails?")],
        ),
    )
    interview.messages = [
        Message("user", "Design a URL shortener", "requirements", kind="question", created_at=T0),
        Message("assistant", "What scale?", "requirements", created_at=T0 + 1),
        Message("user", "100M links/day\nmostly reads", "requirements", created_at=T0 + 2),
        Message("assistant", "Think about reads.", "requirements", kind="hint", created_at=T0 + 5),
        Message("assistant", "Half a rep", "estimates", complete=False, error="Stopped.", created_at=T0 + 12),
    ]
    interview.diagrams = [
        DiagramVersion("flowchart LR\n    client --> api", turn=1, created_at=T0 + 20),
        DiagramVersion('flowchart LR\n    client --> api["API <b>"]\n    api --> db[(Database ü)]', 2, T0 + 40),
    ]
    for name, value in overrides.items():
        setattr(interview, name, value)
    return interview


def save_all(store, interview: Interview) -> None:
    store.save_interview(interview)
    for message in interview.messages:
        store.save_message(interview, message)
    for version in interview.diagrams:
        store.save_diagram(interview, version)


def raw_rows(location: str | Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows straight from the database, past the store (SQL in SQLite's syntax, rewritten for PostgreSQL)."""
    if is_postgres_url(str(location)):
        import psycopg

        with psycopg.connect(str(location)) as conn:
            return conn.execute(POSTGRES.sql(sql), params).fetchall()
    conn = sqlite3.connect(location)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def raw_connection(location: str | Path):
    """A connection outside any transaction, as `migrations.migrate` wants it, and its dialect."""
    if is_postgres_url(str(location)):
        import psycopg

        return psycopg.connect(str(location), autocommit=True), POSTGRES
    return sqlite3.connect(location, isolation_level=None), migrations.SQLITE


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "interviews.db"


@pytest.fixture
def store(db_location: str):
    with open_store(db_location) as opened:
        yield opened


@pytest.fixture
def sqlite_store(db_path: Path):
    with SQLiteStore(db_path) as opened:
        yield opened


# -- round trips ---------------------------------------------------------------------------------------------


def test_test_data_covers_every_field():
    interview, default = make_interview(), Interview(question="x")
    for field in fields(Interview):
        if field.name not in ("id", "mode"):  # mode's other value is covered by test_none_fields_round_trip
            assert getattr(interview, field.name) != getattr(default, field.name), field.name
    for field in fields(Message):
        if field.name != "id":
            assert any(
                getattr(m, field.name) != getattr(Message("user", "", "x"), field.name) for m in interview.messages
            )
    for field in fields(DiagramVersion):
        if field.name != "id":
            assert all(getattr(v, field.name) != getattr(DiagramVersion("", 0), field.name) for v in interview.diagrams)


def test_round_trip_every_field(store, db_location):
    interview = make_interview()
    save_all(store, interview)
    assert all(isinstance(m.id, int) for m in interview.messages)
    assert all(isinstance(v.id, int) for v in interview.diagrams)
    assert store.load(interview.id) == interview
    store.close()
    with open_store(db_location) as reopened:
        loaded = reopened.load(interview.id)
    assert loaded == interview
    assert loaded.messages[-1].complete is False and loaded.messages[0].complete is True
    assert loaded.scorecard.dimensions[0].evidence == ["reads dominate"]
    assert [(v.turn, v.created_at) for v in loaded.diagrams] == [(1, T0 + 20), (2, T0 + 40)]
    assert loaded.diagram_source().endswith("db[(Database ü)]")


def test_none_fields_round_trip(store):
    interview = make_interview(
        problem_id=None, scorecard=None, ended_at=None, summary="", constraints="", mode="explain"
    )
    save_all(store, interview)
    assert store.load(interview.id) == interview


def test_load_missing_interview_is_none(store):
    assert store.load("0" * 32) is None
    assert store.load("not an id") is None


def test_partial_reply_is_updated_in_place(store):
    interview = make_interview(messages=[])
    store.save_interview(interview)
    reply = interview.add(Message("assistant", "Half", "requirements", complete=False, error="Stopped."))
    store.save_message(interview, reply)
    first_id = reply.id
    reply.content, reply.complete, reply.error = "Half and the rest.", True, ""
    store.save_message(interview, reply)
    assert reply.id == first_id
    loaded = store.load(interview.id)
    assert [(m.id, m.content, m.complete, m.error) for m in loaded.messages] == [
        (first_id, "Half and the rest.", True, "")
    ]


def test_save_message_before_save_interview_creates_the_row(store):
    interview = make_interview(messages=[])
    message = interview.add_user("hello")
    store.save_message(interview, message)
    loaded = store.load(interview.id)
    assert loaded.question == interview.question and [m.content for m in loaded.messages] == ["hello"]


def test_message_ids_follow_insertion_order(store):
    interview = make_interview(messages=[])
    store.save_interview(interview)
    for n in range(5):
        store.save_message(interview, interview.add_user(f"turn {n}"))
    ids = [m.id for m in store.load(interview.id).messages]
    assert ids == sorted(ids) and len(set(ids)) == 5
    assert [m.content for m in store.load(interview.id).messages] == [f"turn {n}" for n in range(5)]


def test_updated_at_never_moves_back(store):
    interview = make_interview()
    save_all(store, interview)
    interview.updated_at = T0  # an older in-memory copy saving its settings
    store.save_interview(interview)
    assert store.load(interview.id).updated_at == T0 + 50.5


def test_delete_removes_messages(store, db_location):
    interview = make_interview()
    save_all(store, interview)
    assert raw_rows(db_location, "SELECT COUNT(*) FROM diagrams")[0][0] == 2
    assert store.delete(interview.id) is True
    assert store.load(interview.id) is None
    assert raw_rows(db_location, "SELECT COUNT(*) FROM messages")[0][0] == 0
    assert raw_rows(db_location, "SELECT COUNT(*) FROM diagrams")[0][0] == 0
    assert store.delete(interview.id) is False


def test_diagram_versions_follow_the_engine(store, monkeypatch):
    interview = engine.start_interview("Design a chat app", store)
    engine.update_diagram(interview, "flowchart LR\n  a --> b", store, now=T0)
    engine.update_diagram(interview, "flowchart LR\n  a --> b", store, now=T0 + 1)  # unchanged: not saved again
    engine.answer(interview, "Clients call the API.", store)
    engine.update_diagram(interview, "flowchart LR\n  a --> b --> c", store, now=T0 + 2)
    with pytest.raises(engine.InputError, match="Line 2"):
        engine.update_diagram(interview, "flowchart LR\n  a -->", store)
    loaded = store.load(interview.id)
    assert [(v.source.splitlines()[-1].strip(), v.turn) for v in loaded.diagrams] == [
        ("a --> b", 1),
        ("a --> b --> c", 2),
    ]
    # Past the cap a new version overwrites the newest row instead of adding one.
    monkeypatch.setattr(engine, "MAX_DIAGRAM_VERSIONS", 2)
    newest_id = interview.diagrams[-1].id
    engine.update_diagram(interview, "flowchart LR\n  a --> d", store, now=T0 + 3)
    loaded = store.load(interview.id)
    assert [v.id for v in loaded.diagrams] == [interview.diagrams[0].id, newest_id]
    assert loaded.diagram_source() == "flowchart LR\n  a --> d" and loaded.diagrams[-1].created_at == T0 + 3


def test_diagram_of_an_unsaved_interview_starts_its_row(store):
    interview = make_interview(messages=[], diagrams=[])
    version = DiagramVersion("flowchart TD\n  a", 1, T0 + 60)
    interview.diagrams.append(version)
    store.save_diagram(interview, version)
    loaded = store.load(interview.id)
    assert loaded.question == interview.question and loaded.diagrams == [version] and loaded.updated_at == T0 + 60


def test_another_owners_interview_takes_no_diagram(store):
    interview = make_interview(diagrams=[])
    save_all(store, interview)
    someone = store.as_owner(owner_id("https://login.example.com", "mallory"))
    with pytest.raises(StoreError, match="already in use"):
        someone.save_diagram(interview, DiagramVersion("flowchart TD\n  evil", 1, T0))
    assert store.load(interview.id).diagrams == []


# -- history list ----------------------------------------------------------------------------------------------


def test_list_interviews_filters_search_score_and_turns(store):
    a = make_interview(question="Design a chat app", updated_at=T0 + 300, mode="interview", level="senior")
    b = make_interview(question="Explain 100% of caching_layers", updated_at=T0 + 200, mode="explain", level="mid")
    b.scorecard = Scorecard.from_dict({"prose": "Fine.", "note": "Unscored."})
    c = make_interview(question="Design a rate limiter", updated_at=T0 + 100, scorecard=None, messages=[])
    for interview in (a, b, c):
        save_all(store, interview)
    rows = store.list_interviews()
    assert [r.id for r in rows] == [a.id, b.id, c.id]
    assert rows[0].score == 2.5 and rows[1].score is None and rows[2].score is None
    assert rows[0].turns == 1 and rows[2].turns == 0  # the opening question is not a turn
    assert (rows[0].mode, rows[0].level, rows[0].phase, rows[0].created_at) == ("interview", "senior", "high_level", T0)
    assert [r.id for r in store.list_interviews(mode="explain")] == [b.id]
    assert [r.id for r in store.list_interviews(level="senior", mode="interview")] == [a.id]
    assert [r.id for r in store.list_interviews("CHAT")] == [a.id]
    assert [r.id for r in store.list_interviews("design limiter")] == [c.id]  # every word must match
    assert {r.id for r in store.list_interviews("mostly reads")} == {a.id, b.id}  # transcript text
    assert [r.id for r in store.list_interviews("100%")] == [b.id]  # % and _ are literal
    assert store.list_interviews("caching_") and not store.list_interviews("caching%")
    assert store.list_interviews("no such words anywhere") == []


def test_scorecard_score():
    assert scorecard_score(None) is None
    assert scorecard_score(Scorecard.from_dict({"prose": "x"})) is None
    mixed = {"dimensions": [{"score": 4}, {"score": None}, {"score": True}, {"score": 1.5}]}
    assert scorecard_score(Scorecard.from_dict(mixed)) == 2.75


def test_is_valid_id():
    assert is_valid_id(Interview(question="x").id)
    assert SQLiteStore.is_valid_id("0123456789abcdef0123456789abcdef")
    for bad in ("", "0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef0123456789abcde", "../etc/passwd", None, 42):
        assert not is_valid_id(bad)


def test_default_db_path(tmp_path):
    assert default_db_path({"INTERVIEW_DB": str(tmp_path / "x.db")}) == tmp_path / "x.db"
    fallback = default_db_path({})
    assert fallback.name == "interviews.db" and fallback.parent.name == "interview-coach"
    nested = tmp_path / "a" / "b" / "c.db"
    with SQLiteStore(nested):
        assert nested.exists()


def test_wal_mode_and_busy_timeout(sqlite_store, db_path):
    assert raw_rows(db_path, "PRAGMA journal_mode")[0][0] == "wal"
    with sqlite_store._lock:
        assert sqlite_store._conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert sqlite_store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_closed_store_says_so(db_location):
    store = open_store(db_location)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.load("0" * 32)


# -- migrations ------------------------------------------------------------------------------------------------

# The schema exactly as m001 left it, written out by hand so this test keeps meaning the old file even if the
# migration code is touched.
M001_SCHEMA = (
    "CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)",
    """CREATE TABLE interviews (id TEXT PRIMARY KEY, question TEXT NOT NULL, constraints TEXT NOT NULL DEFAULT '',
        mode TEXT NOT NULL, level TEXT NOT NULL, provider TEXT NOT NULL DEFAULT '', model TEXT NOT NULL DEFAULT '',
        length_minutes INTEGER NOT NULL, problem_id TEXT, created_at REAL NOT NULL, updated_at REAL NOT NULL,
        phase TEXT NOT NULL, phase_started_at REAL NOT NULL, ended_at REAL, phase_history TEXT NOT NULL DEFAULT '[]',
        hints TEXT NOT NULL DEFAULT '[]', scorecard TEXT)""",
    """CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT,
        interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE, role TEXT NOT NULL,
        content TEXT NOT NULL, phase TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'chat',
        complete INTEGER NOT NULL DEFAULT 1, error TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL)""",
)
OLD_ID = "0123456789abcdef0123456789abcdef"


def build_m001_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    for statement in M001_SCHEMA:
        conn.execute(statement)
    conn.execute("INSERT INTO _migrations VALUES ('m001_initial', ?)", (T0,))
    conn.execute(
        "INSERT INTO interviews VALUES (?, 'Design a feed', '', 'interview', 'mid', 'ollama', 'llama3.2', 45, NULL,"
        " ?, ?, 'estimates', ?, NULL, ?, '[]', NULL)",
        (OLD_ID, T0, T0 + 20, T0 + 10, '[{"phase": "requirements", "started_at": 1700000000.25, "reason": "start"}]'),
    )
    conn.executemany(
        "INSERT INTO messages (interview_id, role, content, phase, kind, complete, error, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (OLD_ID, "user", "Design a feed", "requirements", "question", 1, "", T0),
            (OLD_ID, "assistant", "Who reads it?", "requirements", "chat", 1, "", T0 + 1),
            (OLD_ID, "user", "Followers", "requirements", "chat", 1, "", T0 + 2),
            (OLD_ID, "assistant", "Partial", "estimates", "chat", 0, "Stopped.", T0 + 20),
        ],
    )
    conn.commit()
    conn.close()


def test_migrates_an_m001_database_and_keeps_its_data(db_path):
    build_m001_database(db_path)
    with SQLiteStore(db_path) as store:
        loaded = store.load(OLD_ID)
        assert (loaded.question, loaded.level, loaded.phase, loaded.summary) == (
            "Design a feed",
            "mid",
            "estimates",
            "",
        )
        assert [m.content for m in loaded.messages] == ["Design a feed", "Who reads it?", "Followers", "Partial"]
        assert loaded.messages[-1].complete is False and loaded.messages[-1].error == "Stopped."
        assert loaded.phase_history[0]["reason"] == "start"
        assert store.list_interviews()[0].turns == 1
        loaded.summary = "Feed design so far."
        store.save_interview(loaded)
        store.save_message(loaded, loaded.add_user("Fan-out on write"))
    names = [row[0] for row in raw_rows(db_path, "SELECT name FROM _migrations ORDER BY rowid")]
    assert names == [fn.__name__ for fn in migrations.MIGRATIONS] and len(names) >= 3
    columns = {row[1] for row in raw_rows(db_path, "PRAGMA table_info(interviews)")}
    assert "summary" in columns
    assert loaded.diagrams == [] and "diagrams" in {
        row[0] for row in raw_rows(db_path, "SELECT name FROM sqlite_master")
    }
    indexes = {row[0] for row in raw_rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"messages_by_interview", "interviews_by_updated"} <= indexes
    applied_at = raw_rows(db_path, "SELECT applied_at FROM _migrations ORDER BY rowid")
    with SQLiteStore(db_path) as again:  # a second open applies nothing
        assert again.load(OLD_ID).summary == "Feed design so far."
        assert len(again.load(OLD_ID).messages) == 5
    assert raw_rows(db_path, "SELECT applied_at FROM _migrations ORDER BY rowid") == applied_at


def test_fresh_database_gets_every_migration(store, db_location):
    names = [row[0] for row in raw_rows(db_location, "SELECT name FROM _migrations ORDER BY name")]
    assert names == [fn.__name__ for fn in migrations.MIGRATIONS]
    conn, dialect = raw_connection(db_location)
    try:
        assert migrations.migrate(conn, dialect) == []
    finally:
        conn.close()


def table_names(location: str | Path) -> set[str]:
    if is_postgres_url(str(location)):
        return {row[0] for row in raw_rows(location, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    return {row[0] for row in raw_rows(location, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_failing_migration_applies_nothing(db_location, monkeypatch):
    def m999_broken(db):
        db.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("boom")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, m999_broken])
    with pytest.raises(RuntimeError, match="boom"):
        open_store(db_location)
    assert not table_names(db_location) & {"interviews", "messages", "_migrations", "half_done"}


def test_interviews_saved_before_owners_existed_belong_to_the_local_person(db_location, monkeypatch):
    # A database as the app left it before m004: every migration up to m003, and one interview in it.
    monkeypatch.setattr(migrations, "MIGRATIONS", [fn for fn in migrations.MIGRATIONS if fn.__name__ < "m004"])
    conn, dialect = raw_connection(db_location)
    try:
        migrations.migrate(conn, dialect)
        db = Translating(conn, dialect)
        db.execute(
            "INSERT INTO interviews (id, question, mode, level, length_minutes, created_at, updated_at, phase,"
            " phase_started_at) VALUES (?, 'Design a feed', 'interview', 'mid', 45, ?, ?, 'requirements', ?)",
            (OLD_ID, T0, T0 + 2, T0),
        )
        db.execute(
            "INSERT INTO messages (interview_id, role, content, phase, created_at)"
            " VALUES (?, 'user', 'Followers', 'requirements', ?)",
            (OLD_ID, T0 + 2),
        )
    finally:
        conn.close()
    monkeypatch.undo()
    with open_store(db_location) as store:
        loaded = store.load(OLD_ID)
        assert loaded.question == "Design a feed" and [m.content for m in loaded.messages] == ["Followers"]
        assert [row.id for row in store.list_interviews()] == [OLD_ID]
        someone = store.as_owner(owner_id("https://login.example.com", "alice"))
        assert someone.load(OLD_ID) is None and someone.list_interviews() == []
    assert raw_rows(db_location, "SELECT owner FROM interviews") == [(LOCAL_OWNER,)]


# -- damaged files ---------------------------------------------------------------------------------------------


def assert_refused_untouched(path: Path) -> None:
    before = path.read_bytes()
    siblings = set(path.parent.iterdir())
    with pytest.raises(StoreError) as caught:
        SQLiteStore(path)
    message = str(caught.value)
    assert str(path) in message and "left untouched" in message
    assert path.read_bytes() == before
    assert set(path.parent.iterdir()) == siblings  # no -wal, -shm or journal left behind either


def test_random_bytes_are_refused_and_left_untouched(db_path):
    db_path.write_bytes(random.Random(5).randbytes(8192))
    assert_refused_untouched(db_path)


def test_text_file_is_refused_and_left_untouched(db_path):
    db_path.write_text("these are my notes, not a database\n" * 50)
    assert_refused_untouched(db_path)


def test_damaged_sqlite_file_is_refused_and_left_untouched(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 200,)] * 500)
    conn.execute("CREATE INDEX t_x ON t (x)")
    conn.commit()
    conn.close()
    data = bytearray(db_path.read_bytes())
    for offset in range(2 * 4096, len(data), 4096):  # keep the header page, scramble every later page's header
        data[offset : offset + 100] = b"\xff" * 100
    db_path.write_bytes(bytes(data))
    assert_refused_untouched(db_path)


def test_empty_file_becomes_a_new_database(db_path):
    db_path.write_bytes(b"")
    with SQLiteStore(db_path) as store:
        assert store.list_interviews() == []


# -- two tabs, two connections ---------------------------------------------------------------------------------


def tab_session(location: str, interview_id: str, tab: str, turns: int, barrier: threading.Barrier, errors: list):
    """One browser tab: its own store (connection), its own Interview copy, a full turn loop."""
    try:
        with open_store(location) as store:
            interview = store.load(interview_id)
            barrier.wait()
            for n in range(turns):
                store.refresh(interview)
                store.save_message(interview, interview.add_user(f"{tab} question {n}"))
                reply = interview.add(Message("assistant", f"{tab} partial {n}", interview.phase, complete=False))
                store.save_message(interview, reply)
                reply.content, reply.complete = f"{tab} answer {n}", True
                store.save_message(interview, reply)
                if n % 5 == 0:
                    interview.hints.append({"phase": interview.phase, "tier": "nudge", "text": tab, "at": T0})
                    interview.level = "mid" if tab == "A" else "staff"
                    store.save_interview(interview)
    except Exception as exc:  # reported by the test, which cannot see a thread's exception otherwise
        errors.append(exc)


def check_union(location: str, interview_id: str, tabs: tuple[str, ...], turns: int) -> None:
    with open_store(location) as store:
        loaded = store.load(interview_id)
    contents = [m.content for m in loaded.messages]
    assert len(contents) == 1 + 2 * turns * len(tabs)
    for tab in tabs:
        mine = [c for c in contents if c.startswith(f"{tab} ")]
        expected = [text for n in range(turns) for text in (f"{tab} question {n}", f"{tab} answer {n}")]
        assert mine == expected  # every turn kept, in that tab's order, final text only
    assert all(m.complete for m in loaded.messages)
    ids = [m.id for m in loaded.messages]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert loaded.level in ("mid", "staff")  # settings: whole-row last writer wins
    if not is_postgres_url(location):
        assert raw_rows(location, "PRAGMA integrity_check") == [("ok",)]


def start_shared_interview(location: str) -> str:
    with open_store(location) as store:
        interview = engine.start_interview("Design a chat app", store)
    return interview.id


def test_two_tabs_on_two_connections_lose_nothing(db_location):
    interview_id = start_shared_interview(db_location)
    turns, errors = 30, []
    barrier = threading.Barrier(2)
    threads = [
        threading.Thread(target=tab_session, args=(db_location, interview_id, tab, turns, barrier, errors))
        for tab in ("A", "B")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    check_union(db_location, interview_id, ("A", "B"), turns)


def process_tab(location: str, interview_id: str, tab: str, turns: int) -> None:
    errors = []
    tab_session(location, interview_id, tab, turns, threading.Barrier(1), errors)
    if errors:
        raise errors[0]


def test_two_processes_on_one_database_lose_nothing(db_location):
    interview_id = start_shared_interview(db_location)
    # Plain interpreters, not multiprocessing: spawn re-imports pytest's __main__, which breaks inside a full run.
    code = (
        "import sys; from tests.test_store import process_tab; process_tab(sys.argv[1], sys.argv[2], sys.argv[3], 15)"
    )
    root = Path(__file__).resolve().parent.parent
    workers = [
        subprocess.Popen([sys.executable, "-c", code, db_location, interview_id, tab], cwd=root) for tab in ("P", "Q")
    ]
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0]
    check_union(db_location, interview_id, ("P", "Q"), 15)


def test_one_store_shared_by_many_threads(store):
    interviews = [make_interview(id=f"{n:032x}", messages=[]) for n in range(8)]
    errors = []

    def run(interview: Interview) -> None:
        try:
            store.save_interview(interview)
            for n in range(20):
                store.save_message(interview, interview.add_user(f"{interview.id[-1]}-{n}"))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(interview,)) for interview in interviews]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    for interview in interviews:
        assert store.load(interview.id).messages == interview.messages


def test_refresh_pulls_in_the_other_tabs_turns(db_location):
    interview_id = start_shared_interview(db_location)
    with open_store(db_location) as store_a, open_store(db_location) as store_b:
        tab_a, tab_b = store_a.load(interview_id), store_b.load(interview_id)
        store_a.save_message(tab_a, tab_a.add_user("A says hi"))
        partial = tab_b.add(Message("assistant", "B part", tab_b.phase, complete=False))
        store_b.save_message(tab_b, partial)
        mine = tab_a.messages[-1]
        unsaved = tab_a.add(Message("user", "not saved yet", tab_a.phase))
        store_a.refresh(tab_a)
        assert [m.content for m in tab_a.messages] == ["Design a chat app", "A says hi", "B part", "not saved yet"]
        assert any(m is mine for m in tab_a.messages)  # this tab's own objects are kept
        assert tab_a.messages[-1] is unsaved
        partial.content, partial.complete = "B finished", True
        store_b.save_message(tab_b, partial)
        tab_a.messages.remove(unsaved)
        store_a.refresh(tab_a)
        assert [m.content for m in tab_a.messages][-1] == "B finished" and tab_a.messages[-1].complete
        assert prompting.conversation(tab_a)[-1]["content"] == "B finished"  # the next prompt sees B's turn


def test_refresh_pulls_in_the_other_tabs_diagrams(db_location):
    interview_id = start_shared_interview(db_location)
    with open_store(db_location) as store_a, open_store(db_location) as store_b:
        tab_a, tab_b = store_a.load(interview_id), store_b.load(interview_id)
        engine.update_diagram(tab_a, "flowchart LR\n  a --> b", store_a, now=T0)
        mine = tab_a.diagrams[0]
        engine.update_diagram(tab_b, "flowchart LR\n  b --> c", store_b, now=T0 + 1)
        store_a.refresh(tab_a)
        assert [v.source for v in tab_a.diagrams] == ["flowchart LR\n  a --> b", "flowchart LR\n  b --> c"]
        assert tab_a.diagrams[0] is mine
        assert engine.current_diagram(tab_a).node("c") is not None


def test_refresh_of_a_deleted_interview_keeps_the_tab_as_is(store):
    interview = make_interview()
    save_all(store, interview)
    before = list(interview.messages)
    store.delete(interview.id)
    assert store.refresh(interview).messages == before


# -- secrets ---------------------------------------------------------------------------------------------------


def test_credential_named_keys_are_refused(store):
    interview = make_interview()
    interview.hints.append({"phase": "requirements", "tier": "nudge", "text": "x", "at": T0, "api_key": "sk-x"})
    with pytest.raises(StoreError, match="api_key"):
        store.save_interview(interview)
    for key in ("OPENAI_API_KEY", "apiKey", "api-key", "client_secret", "password"):
        with pytest.raises(StoreError):
            check_no_secrets({"settings": {key: "x"}})
    check_no_secrets({"context_tokens": 8192, "model": "m", "keywords": ["a"]})
    assert store.load(interview.id) is None  # nothing was written


def test_api_key_never_reaches_the_database_files(db_path, fake_llm):
    key = "sk-test-DISTINCTIVE-123"
    settings = settings_for("openai", env={"OPENAI_API_KEY": key}, base_url=fake_llm.base_url, model="fake-model")
    assert settings.api_key == key
    provider = make_provider(settings)
    fake_llm.enqueue(Reply(text="Let us start with requirements. Who are the users?"))
    fake_llm.enqueue(Reply(text="This reply breaks off somewhere in the middle", drop_after=3))
    fake_llm.enqueue(Fault(status=403, message=f"Key {key} may not use this model"))
    with SQLiteStore(db_path) as store:
        interview = engine.start_interview(
            "Design a URL shortener", store, provider=settings.provider, model=settings.model, level="staff"
        )
        for text in ("Who are the users?", "Writes are 1k/s", "Reads are 100k/s"):
            engine.answer(interview, text, store)
            with engine.reply(interview, provider, store) as turn:
                for _ in turn.chunks():
                    pass
        engine.next_hint(interview, store)
        interview.scorecard = Scorecard.from_dict({"prose": "Good start.", "note": "Scored by the fallback."})
        store.save_interview(interview)
        assert [m.complete for m in interview.messages if m.role == "assistant" and m.kind == "chat"] == [
            True,
            False,
            False,
        ]
        files = [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")]
        on_disk = b"".join(p.read_bytes() for p in files if p.exists())
        assert b"Who are the users?" in on_disk  # the grep does see what was saved
        assert key.encode() not in on_disk and b"DISTINCTIVE" not in on_disk
    on_disk = b"".join(p.read_bytes() for p in files if p.exists())
    assert key.encode() not in on_disk and b"DISTINCTIVE" not in on_disk
    sent = [r["headers"].get("authorization", "") for r in fake_llm.requests if r["path"].endswith("/completions")]
    assert sent and all(key in header for header in sent)  # the key was really in play during the flow
