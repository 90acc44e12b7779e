"""Diagram pitfalls: each check fires on its example and stays quiet on a near miss; they feed the pushback moves."""

import pytest

from interview.core.state import DiagramVersion
from interview.core.steering import SMALL_MODEL
from interview.dialogue import engine
from interview.whiteboard import board
from interview.whiteboard.checks import find_pitfalls
from interview.whiteboard.parse import parse
from tests.helpers import FakeProvider

READ_HEAVY = "Reads outnumber writes 100:1"
HEAD = "flowchart LR\n  client[Client] --> lb[Load balancer]\n  lb --> api[API servers]\n"
GOOD = HEAD + "  api --> cache[(Redis cache)]\n  api --> db[(Postgres primary)]\n  db --> replica[(Read replica)]\n"


def keys(source, read_heavy=READ_HEAVY):
    return [p.key for p in find_pitfalls(parse(source), read_heavy)]


@pytest.mark.parametrize(
    ("check", "example", "near_miss"),
    [
        (
            "single-instance:db",
            HEAD + "  api --> cache[(Redis)]\n  api --> db[(Links DB)]",
            HEAD + "  api --> cache[(Redis)]\n  api --> db[(Links DB, 3 replicas)]",
        ),
        (
            "single-instance:db",
            HEAD + "  api --> cache[(Redis)]\n  api --> db[(MySQL)]",
            HEAD + "  api --> cache[(Redis)]\n  api --> db[(MySQL)]\n  db -.-> standby[(MySQL standby)]",
        ),
        (
            "single-instance:db",
            HEAD + "  api --> cache[(Redis)]\n  api --> db[(Orders database)]",
            HEAD + "  api --> cache[(Redis)]\n  api --> db[(Cassandra)]",  # replicated by design
        ),
        (
            "client-to-database:db",
            "flowchart LR\n  app[Mobile app] --> db[(Users DB cluster)]\n  app --> cache[(Redis)]",
            "flowchart LR\n  app[Mobile app] --> api[API] --> db[(Users DB cluster)]\n  api --> cache[(Redis)]",
        ),
        (
            "no-read-cache:db",
            HEAD + "  api --> db[(Links DB replicas)]",
            HEAD + "  api --> cache[(Redis)] --> db[(Links DB replicas)]",
        ),
        (
            "queue-without-consumer:q",
            HEAD + "  api --> db[(DB cluster)]\n  api --> cache[(Redis)]\n  api --> q[[Click events queue]]",
            HEAD + "  api --> db[(DB cluster)]\n  api --> cache[(Redis)]\n  api --> q[[Click events queue]]\n"
            "  w[Analytics workers] --> q",  # a worker drawn pulling from it
        ),
        (
            "queue-without-consumer:q",
            HEAD + "  api --> db[(DB cluster)]\n  api --> cache[(Redis)]\n  api --> q[Kafka]",
            HEAD + "  api --> db[(DB cluster)]\n  api --> cache[(Redis)]\n  api --> q[Kafka] --> w[Click counter]",
        ),
        (
            "unreached:blob",
            HEAD + "  api --> db[(DB cluster)]\n  api --> cache[(Redis)]\n  blob[(S3 bucket)]",
            HEAD + "  api --> db[(DB cluster)]\n  api --> cache[(Redis)]\n  api --> blob[(S3 bucket)]",
        ),
        (
            "unreached:search",
            HEAD + "  api --> db[(DB cluster)]\n  api --> cache[(Redis)]\n  search[Search index]",
            HEAD + "  api --> db[(DB cluster)]\n  api --> cache[(Redis)]\n  subgraph data [Data]\n"
            "    search[Search index]\n  end\n  api --> data",  # an arrow into a subgraph reaches its members
        ),
    ],
)
def test_each_check_fires_on_its_example_and_not_on_a_near_miss(check, example, near_miss):
    assert f"diagram:{check}" in keys(example)
    assert f"diagram:{check}" not in keys(near_miss)


def test_a_good_diagram_gets_no_pushback():
    assert keys(GOOD) == []
    workers = GOOD + "  api --> q[[Jobs queue]]\n  cron[Scheduler] --> q\n  worker[Workers] --> q\n  worker --> db"
    assert keys(workers) == []


def test_no_cache_is_only_raised_for_a_read_heavy_problem():
    single_path = HEAD + "  api --> db[(Links DB replicas)]"
    assert keys(single_path, read_heavy="") == []
    (pitfall,) = find_pitfalls(parse(single_path), READ_HEAVY)
    assert READ_HEAVY in pitfall.question and "cache" not in pitfall.question.lower()  # asks, does not answer


def test_questions_ask_without_giving_the_answer_and_quotes_name_the_part():
    pitfalls = find_pitfalls(parse(HEAD + "  api --> db[(Links DB)]"), READ_HEAVY)
    single = pitfalls[0]
    assert single.quote == "Diagram: API servers -> Links DB"
    assert single.question.endswith("?") and "replica" not in single.question.lower()
    assert "single point of failure" in single.note


def _interview():
    store = engine.NullStore()
    interview = engine.start_interview("Design a URL shortener", store, problem_id="url-shortener")
    with engine.reply(interview, FakeProvider("Noted.", policy=SMALL_MODEL), store) as turn:
        "".join(turn.chunks())  # the opening: from here on every answer is noted
    return interview, store


def _exchange(interview, store, text, diagram=None, provider=None):
    if diagram is not None:  # drawn with the answer, as the eval's scripts do: the reply to it challenges it
        engine.update_diagram(interview, diagram, store, react=False)
    engine.answer(interview, text, store)
    provider = provider or FakeProvider("Noted.", policy=SMALL_MODEL)
    with engine.reply(interview, provider, store) as turn:
        reply = "".join(turn.chunks())
    return turn.move, reply


def test_a_single_database_is_challenged_on_the_next_reply_in_code_for_the_small_model():
    interview, store = _interview()
    interview.advance_phase("candidate")
    interview.advance_phase("candidate")
    move, reply = _exchange(
        interview, store, "Clients reach the API servers through a load balancer.", HEAD + "  api --> db[(Links DB)]"
    )
    assert move.kind == "challenge" and move.key == "diagram:single-instance:db"
    assert move.quote == "Diagram: API servers -> Links DB"
    assert move.question in reply  # voiced in code for the embedded model
    mistake = interview.notes.raised("diagram:single-instance:db")
    assert mistake.asked and mistake.phase == "high_level" and not mistake.fixed
    # The second pitfall of the same drawing (no cache on a read-heavy path) waits for a turn with nothing newer.
    move, _ = _exchange(interview, store, "The API servers are stateless so we can add more of them.")
    assert move.kind == "challenge" and move.key == "diagram:no-read-cache:db" and move.lead
    move, _ = _exchange(interview, store, "We keep the links table keyed by short code for fast lookups.")
    assert move.kind != "challenge"  # raised once: nothing is asked twice


def test_a_later_diagram_without_it_fixes_it_and_names_the_change():
    interview, store = _interview()
    _exchange(interview, store, "Here is the design.", HEAD + "  api --> cache[(Redis)]\n  api --> db[(Links DB)]")
    assert interview.notes.raised("diagram:single-instance:db").asked
    _exchange(
        interview,
        store,
        "I added a replica.",
        HEAD + "  api --> cache[(Redis)]\n  api --> db[(Links DB)]\n  db --> r[(Links DB replica)]",
    )
    mistake = interview.notes.raised("diagram:single-instance:db")
    assert (
        mistake.fixed
        and mistake.fix_quote == "Diagram: added Links DB replica (database); new edges Links DB -> Links DB replica"
    )


def test_the_candidates_words_can_clear_it():
    interview, store = _interview()
    _exchange(interview, store, "Here is the design.", HEAD + "  api --> cache[(Redis)]\n  api --> db[(Links DB)]")
    _exchange(interview, store, "The links database runs with a hot standby in another zone.")
    mistake = interview.notes.raised("diagram:single-instance:db")
    assert mistake.fixed and mistake.fix_quote == "The links database runs with a hot standby in another zone."


def test_words_said_already_stop_it_being_raised():
    interview, store = _interview()
    move, _ = _exchange(
        interview,
        store,
        "The database is replicated across three availability zones, with Redis in front of it.",
        HEAD + "  api --> cache[(Redis)]\n  api --> db[(Links DB)]",
    )
    assert interview.notes.raised("diagram:single-instance:db") is None
    assert move.kind != "challenge" or not move.key.startswith("diagram:")


def test_a_good_diagram_brings_no_challenge():
    interview, store = _interview()
    move, _ = _exchange(interview, store, "API servers behind a load balancer, with a cache and a replica.", GOOD)
    assert not [m for m in interview.notes.mistakes if m.key.startswith("diagram:")]
    assert move.kind != "challenge"


def test_read_heavy_must_quote_a_bank_fact():
    from interview.problems import catalog
    from interview.problems.catalog import find_problem
    from interview.problems.load import _read_heavy

    assert find_problem("url-shortener").read_heavy == READ_HEAVY
    assert find_problem("chat-system").read_heavy == ""
    problem = catalog.find_problem("url-shortener")
    with pytest.raises(ValueError, match="read_heavy"):
        _read_heavy({"read_heavy": "Reads outnumber writes 1000:1"}, "url-shortener.toml", problem)


# --- feedback: the high-level design dimension uses the diagram as evidence -----------------------------------------

SAID = [
    "Core features: shorten a long URL and redirect the short code to the original; analytics are out of scope.",
    "100M new links a day is about 1,160 writes per second, and with 100:1 reads about 116K redirects per second.",
    "Over five years that is about 180B links, and at 500 bytes each roughly 90 TB in total.",
]


def _scored(diagram, *extra):
    from interview.feedback.evidence import evidence_scorecard

    interview, store = _interview()
    for text in SAID:
        _exchange(interview, store, text)
    interview.advance_phase("candidate")
    interview.advance_phase("candidate")
    _exchange(interview, store, "I have drawn the design on the whiteboard.", diagram)
    for text in extra:
        _exchange(interview, store, text)
    card = evidence_scorecard(interview)
    return interview, card, next(row for row in card.dimensions if row.key == "high_level")


def test_the_diagram_covers_checklist_items_and_is_quoted_as_drawn():
    drawn = (
        HEAD
        + "  api --> cache[(Redis cache)]\n  api --> db[(Links DB replicas)]\n  api --> kgs[Key generation service]"
    )
    interview, card, row = _scored(drawn)
    assert row.evidence and all(quote in board.quoted_lines(interview) for quote in row.evidence)
    assert "Covered 4 of 4 checklist items, 4 of them on the diagram." in row.comment
    assert (
        "The diagram showed 6 components (cache, client, database, load balancer, service) and 5 connections."
        in row.comment
    )
    assert row.score == 4


def test_an_unfixed_diagram_pitfall_is_a_gap_and_costs_the_score():
    _interview_, card, row = _scored(HEAD + "  api --> cache[(Redis cache)]\n  api --> db[(Links DB)]")
    note = "Diagram: Links DB is a single instance with no replica, a single point of failure."
    assert note in card.gaps and f"Left unfixed: {note}" in row.comment
    assert row.score < 4


def test_a_diagram_pitfall_fixed_before_it_was_asked_is_no_strength():
    drawn = HEAD + "  api --> db[(Links DB)]"  # two pitfalls: the single database is asked, the missing cache waits
    fixed = HEAD + "  api --> cache[(Redis cache)]\n  api --> db[(Links DB)]\n  db --> r[(Links DB replica)]"
    interview, store = _interview()
    _exchange(interview, store, "Here it is.", drawn)
    _exchange(interview, store, "I redrew it.", fixed)
    cache = interview.notes.raised("diagram:no-read-cache:db")
    single = interview.notes.raised("diagram:single-instance:db")
    assert single.asked and single.fixed and cache.fixed and not cache.asked
    from interview.feedback.evidence import _strengths

    strengths = _strengths([], interview.notes)
    assert [s for s in strengths if "Fixed when challenged" in s] == [f"Fixed when challenged: “{single.fix_quote}”"]


# -- review findings: each fails on the code before its fix --------------------------------------------------


SINGLE = HEAD + "  api --> cache[(Redis)]\n  api --> db[(Links DB)]"


def test_deleting_a_challenged_component_does_not_fix_it():
    interview, store = _interview()
    _exchange(interview, store, "Here is the design.", SINGLE)
    assert interview.notes.raised("diagram:single-instance:db").asked
    _exchange(interview, store, "I took the database out for now.", HEAD + "  api --> cache[(Redis)]")
    mistake = interview.notes.raised("diagram:single-instance:db")
    assert not mistake.fixed and not mistake.fix_quote


def test_renaming_a_challenged_component_neither_fixes_it_nor_asks_again():
    interview, store = _interview()
    _exchange(interview, store, "Here is the design.", SINGLE)
    move, _ = _exchange(interview, store, "Renamed it.", HEAD + "  api --> cache[(Redis)]\n  api --> links[(Links DB)]")
    assert not interview.notes.raised("diagram:single-instance:db").fixed
    assert interview.notes.raised("diagram:single-instance:links") is None
    assert move.key != "diagram:single-instance:links"
    _exchange(
        interview,
        store,
        "Now with a replica.",
        HEAD + "  api --> cache[(Redis)]\n  api --> links[(Links DB)]\n  links --> r[(Links DB replica)]",
    )
    assert interview.notes.raised("diagram:single-instance:db").fixed, "fixed on the renamed component"


def test_a_fix_drawn_after_the_last_answer_counts_in_the_feedback():
    interview, store = _interview()
    _exchange(interview, store, "Here is the design.", SINGLE)
    engine.update_diagram(interview, SINGLE + "\n  db --> r[(Links DB replica)]", store)  # no answer after it
    mistake = interview.notes.raised("diagram:single-instance:db")
    assert mistake.fixed and "Links DB replica" in mistake.fix_quote
    card = engine.end_and_score(interview, FakeProvider("unused", policy=SMALL_MODEL), store)
    assert not any("single instance" in gap for gap in card.gaps)


def test_a_standby_and_a_cluster_drawn_as_a_subgraph_are_not_single_instances():
    standby = HEAD + "  api --> cache[(Redis)]\n  api --> db[(Links DB)]\n  db -. replicates .-> r[(Standby)]"
    assert keys(standby) == []
    grouped = HEAD + (
        "  api --> cache[(Redis)]\n  subgraph dbs [Database cluster]\n    p[(Users DB)]\n"
        "    r[(Users DB replica)]\n  end\n  api --> dbs\n  dbs --> p"
    )
    assert [key for key in keys(grouped) if key.startswith("diagram:single-instance")] == []


def test_a_tab_that_was_behind_saves_the_current_diagram(tmp_path):
    from interview.store import SQLiteStore

    with SQLiteStore(tmp_path / "a.db") as store:
        interview = engine.start_interview("Design a URL shortener", store, problem_id="url-shortener")
        behind = store.load(interview.id)  # a second tab, opened now
        for text in ("First answer about links.", "Second answer about redirects."):
            engine.answer(interview, text, store)
        engine.update_diagram(interview, SINGLE, store)
        engine.update_diagram(behind, GOOD, store)  # drawn last, in the tab that missed two answers
        assert behind.diagrams[-1].turn == 3
        assert board.latest_diagram(behind).node("replica") is not None
        assert "Read replica" in board.tail_text(behind)
        reloaded = store.load(interview.id)
        assert board.latest_diagram(reloaded).node("replica") is not None


def test_list_order_decides_the_latest_diagram_whatever_the_turns_say():
    interview, _ = _interview()
    interview.diagrams = [DiagramVersion(GOOD, turn=5), DiagramVersion(SINGLE, turn=2)]  # e.g. an imported file
    assert board.latest_diagram(interview).node("replica") is None
    assert engine.current_diagram(interview).node("replica") is None


def test_the_parse_cache_holds_every_version_an_interview_may_keep():
    assert board.graph_of.cache_info().maxsize >= engine.MAX_DIAGRAM_VERSIONS
