"""Requirement changes: the data, when one comes, its label, whether the design adapted, and the feedback."""

from __future__ import annotations

import pytest

from interview.core.notes import InterviewerNotes, RequirementChange, merge_notes, notes_sections
from interview.core.steering import SMALL_MODEL
from interview.dialogue import curveballs, engine
from interview.feedback.evidence import evidence_scorecard
from interview.problems import catalog
from interview.problems.load import generic_curveballs, parse_curveballs
from interview.transcripts import export
from tests.helpers import FakeProvider, answer_and_reply, new_interview

T0 = 1_700_000_000.0
DESIGN = (
    "Clients call stateless API servers behind a load balancer, and the servers keep the short code to long URL "
    "mapping in a key-value store like DynamoDB."
)
ADAPTS = (
    "Then each mapping gets a last-used column that the click pipeline updates, and a background job deletes rows "
    "idle for a month; their codes go back to the pool only after a grace period, and we invalidate the cache."
)
IGNORES = "Sure. For the read path I'd put Redis in front of the database for the hot codes."


def say(interview, text, provider=None):
    return answer_and_reply(interview, text, provider, T0 + 600)


def at_high_level(question="Design a URL shortener", **settings):
    interview = new_interview(question, **settings)
    with engine.reply(interview, FakeProvider(policy=SMALL_MODEL), engine.NullStore(), clock=lambda: T0) as turn:
        "".join(turn.chunks())
    interview.move_to_phase("high_level", "candidate", T0 + 300)
    return interview


def changed(interview):
    """The interview once its requirement change has come: (reply, move)."""
    reply, move = say(interview, DESIGN)
    assert move.kind == "curveball", move
    return reply, move


def test_every_bank_problem_has_two_requirement_changes_and_so_do_free_questions():
    for problem in catalog.all_problems().values():
        assert len(problem.curveballs) >= 2, problem.id
    assert len(generic_curveballs()) >= 2


def test_every_change_s_examples_adapt_and_its_near_misses_and_own_words_do_not():
    changes = [c for p in catalog.all_problems().values() for c in p.curveballs] + list(generic_curveballs())
    assert len(changes) >= 82
    errors = [f"{c.id}: {error}" for c in changes for error in c.phrasing_errors()]
    assert errors == []


def test_a_change_comes_once_in_high_level_design_labelled_and_written_in_code_for_a_small_model():
    interview = at_high_level()
    reply, move = changed(interview)
    assert reply.startswith(curveballs.LABEL) and reply.endswith(move.question)
    change = interview.notes.changes[0]
    assert change.phase == "high_level" and change.change in reply and not change.adapted
    for text in (ADAPTS, IGNORES, "We shard the mapping table by a hash of the short code across many nodes."):
        later, _ = say(interview, text)
        assert curveballs.LABEL not in later
    assert len(interview.notes.changes) == 1


def test_an_adapting_answer_is_credited_with_a_quote_in_the_notes_and_the_feedback():
    interview = at_high_level()
    changed(interview)
    say(interview, ADAPTS)
    change = interview.notes.changes[0]
    assert change.adapted and change.quote and change.quote in ADAPTS
    card = evidence_scorecard(interview)
    assert any(change.quote in strength for strength in card.strengths)
    trade_offs = next(row for row in card.dimensions if row.key == "trade_offs")
    assert change.quote in trade_offs.evidence and "Adapted" in trade_offs.comment
    assert ("Requirement change", [f"{change.change} Adapted: “{change.quote}”"]) in notes_sections(interview.notes)


def test_an_ignored_change_is_asked_again_once_then_named_as_a_gap():
    interview = at_high_level()
    _, first = changed(interview)
    reply, again = say(interview, IGNORES)
    assert again.kind == "curveball" and reply.startswith(curveballs.AGAIN) and curveballs.LABEL not in reply
    _, after = say(interview, "We shard the mapping table by a hash of the short code across many nodes.")
    assert after.kind != "curveball"
    card = evidence_scorecard(interview)
    note = interview.notes.changes[0].note
    assert note in card.gaps
    assert note in next(row for row in card.dimensions if row.key == "trade_offs").comment


def test_ignoring_the_change_costs_a_trade_offs_point_that_adapting_would_have_earned():
    scores = {}
    for name, answer in (("adapts", ADAPTS), ("ignores", IGNORES)):
        interview = at_high_level()
        interview.id = "0" * 32  # the same change for both
        changed(interview)
        say(interview, answer)
        card = evidence_scorecard(interview)
        scores[name] = next(row.score for row in card.dimensions if row.key == "trade_offs")
    assert scores["adapts"] >= scores["ignores"] + 1


def test_no_change_when_they_are_off_or_too_early():
    interview = at_high_level(curveballs=False)
    _, move = say(interview, DESIGN)
    assert move.kind != "curveball" and not interview.notes.changes
    early = new_interview()
    with engine.reply(early, FakeProvider(policy=SMALL_MODEL), engine.NullStore(), clock=lambda: T0) as turn:
        "".join(turn.chunks())
    for text in ("It shortens long URLs and redirects visitors; links can expire.", DESIGN):
        _, move = say(early, text)
        assert move.kind != "curveball"  # requirements: nothing to bend yet
    assert not early.notes.changes


def test_a_capable_model_words_the_change_under_one_label():
    interview = at_high_level()
    capable = FakeProvider("Requirement change: links now expire a month after their last click. What changes?")
    reply, move = say(interview, DESIGN, provider=capable)
    assert move.kind == "curveball" and reply.count("Requirement change") == 1
    assert reply.startswith(curveballs.LABEL) and "links now expire" in reply
    assert curveballs.LABEL in capable.requests[-1][0]["content"] or any(
        curveballs.LABEL in m["content"] for m in capable.requests[-1]
    )


def test_a_free_typed_question_gets_a_generic_change():
    interview = at_high_level("Design a system for booking climbing gym sessions")
    assert interview.problem is None
    say(interview, "Users book through a web app that calls a booking service, which writes to Postgres.")
    _, move = say(interview, "The booking service checks capacity in Postgres inside a transaction.")
    assert move.kind == "curveball" and move.key.removeprefix(curveballs.KEY_PREFIX) in {
        c.id for c in generic_curveballs()
    }


def test_two_tabs_keep_the_change_and_its_adaptation():
    change = RequirementChange("links-expire", "high_level", "Links expire.", "Did not adapt.", turn=3)
    adapted = RequirementChange("links-expire", "high_level", "Links expire.", "Did not adapt.", 3, True, "We sweep.")
    merged = merge_notes(InterviewerNotes(changes=[change]), InterviewerNotes(changes=[adapted]))
    assert merged.changes == [adapted]
    assert merge_notes(InterviewerNotes(), InterviewerNotes(changes=[change])).changes == [change]


def test_the_exports_show_the_change_once_the_interview_has_ended():
    interview = at_high_level()
    changed(interview)
    say(interview, ADAPTS)
    assert "Adapted" not in export.to_markdown(interview)  # the notes stay hidden while it runs
    interview.ended_at = T0 + 3000
    assert "Requirement change" in export.to_markdown(interview)
    assert "Requirement change" in export.to_html(interview)


@pytest.mark.parametrize(
    "entry, error",
    [
        ({"after": "requirements"}, "field 'after'"),
        ({"question": "Tell me how it changes."}, "question ending in '?'"),
    ],
)
def test_a_bad_requirement_change_is_refused_with_the_field_named(entry, error):
    good = {
        "id": "links-expire",
        "after": "high_level",
        "change": "Links expire after 30 days.",
        "question": "What changes?",
        "note": "Did not adapt to expiring links.",
        "adapted": ["expir*", "delet*|sweep*"],
        "examples": ["Expired links are deleted by a sweep.", "A sweep deletes expired rows.", "Expiry: delete them."],
        "near_misses": ["Okay.", "Noted.", "Fine."],
    }
    with pytest.raises(ValueError, match=error):
        parse_curveballs([good | entry, good | {"id": "other"}], "bank/x.toml", minimum=2)
    bad = parse_curveballs(
        [good | {"examples": ["Okay.", "a", "b"], "near_misses": ["Expired links: a sweep deletes them.", "c", "d"]}]
        + [good | {"id": "other", "change": "Links expire and a sweep deletes them."}],
        "bank/x.toml",
        minimum=2,
    )
    assert [len(c.phrasing_errors()) for c in bad] == [4, 1]
    with pytest.raises(ValueError, match="unique"):
        parse_curveballs([good, good], "bank/x.toml", minimum=2)
    with pytest.raises(ValueError, match="at least 2"):
        parse_curveballs([good], "bank/x.toml", minimum=2)


def test_the_html_export_shows_the_label_in_bold_and_the_rest_escaped():
    interview = at_high_level()
    changed(interview)
    interview.messages[-1].content += " <script>x</script>"
    page = export.to_html(interview)
    assert "<strong>Requirement change:</strong>" in page and "**Requirement change:**" not in page
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_a_small_model_copying_the_change_label_later_announces_no_change():
    interview = at_high_level()
    changed(interview)
    say(interview, ADAPTS)
    copied = FakeProvider(
        ["**Requirement change:** Product wants to implement a feature. Redis in front is a reasonable start."],
        policy=SMALL_MODEL,
    )
    reply, move = say(interview, IGNORES, copied)
    assert copied.requests and move.kind != "curveball"
    assert "Requirement change" not in reply and "implement a feature" not in reply
    assert reply.endswith(move.question)


SCHEDULER_DESIGN = (
    "An API writes job definitions to a Postgres jobs table; a scheduler fleet finds due jobs and pushes them to a "
    "Kafka queue, and workers pull runs from the queue and report their status."
)


def _scheduler(scope: str):
    """A job scheduler interview whose requirements said `scope`, now in high-level design."""
    interview = new_interview("Design a distributed job scheduler", problem_id="job-scheduler")
    with engine.reply(interview, FakeProvider(policy=SMALL_MODEL), engine.NullStore(), clock=lambda: T0) as turn:
        "".join(turn.chunks())
    say(interview, scope)
    interview.move_to_phase("high_level", "candidate", T0 + 300)
    return interview


def test_a_change_the_candidate_put_out_of_scope_waits_for_another_one():
    # A browser play: "out: DAG dependencies between jobs" was followed by "Customers now want workflows" unremarked.
    interview = _scheduler("v1: cron and one-off jobs, retries, run history. out: DAG dependencies between jobs.")
    workflows = next(c for c in interview.problem.curveballs if c.id == "job-dependencies")
    assert curveballs.set_aside(interview, workflows) == "out: DAG dependencies between jobs."
    _, move = say(interview, SCHEDULER_DESIGN)
    assert move.kind != "curveball" and curveballs.due(interview) is None  # the only change for this phase waits
    interview.move_to_phase("deep_dive", "next", T0 + 400)
    interview.add_user("Workers claim a due run with SELECT ... FOR UPDATE SKIP LOCKED and take a lease on it.")
    assert curveballs.due(interview).id == "start-within-100ms"


def test_when_every_change_was_put_out_of_scope_the_interviewer_owns_up_to_it():
    interview = _scheduler(
        "Out of scope: workflows with dependencies between jobs; I'd also leave sub-second precision out."
    )
    assert all(curveballs.set_aside(interview, c) for c in interview.problem.curveballs)
    reply, move = say(interview, SCHEDULER_DESIGN)
    assert move.kind == "curveball" and move.key == "curveball:job-dependencies"
    assert reply.startswith(curveballs.LABEL) and curveballs.SET_ASIDE in reply


def test_a_change_not_ruled_out_is_announced_as_before():
    interview = _scheduler("v1: cron and one-off jobs, retries, and run history; multi-region is out of scope.")
    reply, move = say(interview, SCHEDULER_DESIGN)
    assert move.kind == "curveball" and curveballs.SET_ASIDE not in reply


def test_skips_among_the_signals_set_nothing_aside():
    # The held-out curveball check: "we learn from views, clicks and skips" had set aside a change about skips.
    interview = new_interview("Design a recommendation system", problem_id="recommendation-system")
    with engine.reply(interview, FakeProvider(policy=SMALL_MODEL), engine.NullStore(), clock=lambda: T0) as turn:
        "".join(turn.chunks())
    say(interview, "We learn from implicit feedback like views, watch time, clicks and skips, plus explicit likes.")
    assert not any(curveballs.set_aside(interview, c) for c in interview.problem.curveballs)
    say(interview, "I'd leave real-time session signals out of v1.")
    reacting = next(c for c in interview.problem.curveballs if c.id == "in-session-reaction")
    assert curveballs.set_aside(interview, reacting) == "I'd leave real-time session signals out of v1."


def test_out_of_scope_said_during_the_design_sets_a_change_aside_too():
    interview = _scheduler("v1: cron and one-off jobs, retries, run history.")
    say(interview, f"{SCHEDULER_DESIGN} Workflows with dependencies between jobs are out of scope.")
    workflows = next(c for c in interview.problem.curveballs if c.id == "job-dependencies")
    assert curveballs.set_aside(interview, workflows) == "Workflows with dependencies between jobs are out of scope."
