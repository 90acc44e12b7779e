"""The interviewer reacts to a whiteboard edit: one new pitfall, challenged at once, never asked again.

Replies come from the real OpenAI-compatible provider against the fake server (tests/fake_llm_server.py).
"""

from __future__ import annotations

import copy

import pytest

from interview.core.steering import SMALL_MODEL
from interview.dialogue import engine, moves
from interview.providers.config import settings_for
from interview.providers.openai_compat import OpenAICompatibleProvider
from interview.transcripts import export
from interview.transcripts.importer import parse_import
from interview.whiteboard import reactions
from tests.fake_llm_server import Reply
from tests.helpers import FakeProvider

SINGLE = "flowchart LR\n  C[Client] --> A[API] --> D[(Links DB)]"
SINGLE_KEY = "diagram:single-instance:D"
CACHE_KEY = "diagram:no-read-cache:D"  # the same drawing's second pitfall: the URL shortener is read-heavy
T0 = 1_700_000_000.0


def model(fake_llm) -> OpenAICompatibleProvider:
    env = {"INTERVIEW_BASE_URL": fake_llm.base_url, "INTERVIEW_MODEL": "fake-model", "INTERVIEW_TIMEOUT": "5"}
    return OpenAICompatibleProvider(settings_for("custom", env=env, base_url=fake_llm.base_url))


def reply(interview, provider, clock: float = T0 + 60):
    with engine.reply(interview, provider, engine.NullStore(), clock=lambda: clock) as turn:
        text = "".join(turn.chunks())
    return turn, text


def at_high_level(mode: str = "interview"):
    """A URL shortener interview, opened, with one answer replied to, moved on to high-level design."""
    store = engine.NullStore()
    interview = engine.start_interview("Design a URL shortener", store, problem_id="url-shortener", mode=mode)
    reply(interview, FakeProvider("What would you like to clarify first?", policy=SMALL_MODEL))
    engine.answer(interview, "Users shorten links and follow them; links never expire.", store)
    reply(interview, FakeProvider("Noted.", policy=SMALL_MODEL))
    interview.move_to_phase("high_level", "candidate")
    return interview


def drawn(interview, source: str = SINGLE):
    """The diagram saved without a reaction, so plan_reaction can be asked about it."""
    engine.update_diagram(interview, source, engine.NullStore(), react=False)
    return interview


def test_a_single_database_at_high_level_draws_one_reaction_and_the_plan_changes_nothing():
    interview = drawn(at_high_level())
    before = copy.deepcopy((interview.notes, interview.messages))
    reaction = reactions.plan_reaction(interview)
    assert (interview.notes, interview.messages) == before
    assert reaction is not None and reaction.mistake.key == SINGLE_KEY and reaction.mistake.asked
    assert reaction.text == (
        "I see an arrow from API straight to one Links DB, with no replica: what happens to the requests that need "
        "it when that machine is down?"
    )
    assert reaction.turn == 1


@pytest.mark.parametrize(
    "setup",
    [
        pytest.param(lambda i: setattr(i, "phase", "requirements"), id="requirements"),
        pytest.param(lambda i: setattr(i, "phase", "estimates"), id="estimates"),
        pytest.param(lambda i: setattr(i, "mode", "explain"), id="explain-mode"),
        pytest.param(lambda i: setattr(i, "ended_at", T0 + 600), id="ended"),
        pytest.param(lambda i: engine.answer(i, "The API stores each link once.", engine.NullStore()), id="unanswered"),
    ],
)
def test_no_reaction(setup):
    interview = at_high_level()
    setup(interview)
    assert reactions.plan_reaction(drawn(interview)) is None


def test_no_reaction_after_the_scorecard():
    interview = at_high_level()
    engine.end_and_score(interview, FakeProvider(policy=SMALL_MODEL), engine.NullStore())
    assert reactions.plan_reaction(drawn(interview)) is None


def test_no_reaction_to_a_pitfall_already_raised():
    interview = at_high_level()
    engine.update_diagram(interview, SINGLE, engine.NullStore(), react=False)
    engine.answer(interview, "The API writes each link to the database.", engine.NullStore())
    turn, _ = reply(interview, FakeProvider("Noted.", policy=SMALL_MODEL))
    assert turn.move.key == SINGLE_KEY  # challenged by the reply; the cache pitfall is noted and waits
    assert reactions.plan_reaction(interview) is None
    drawn(interview, "flowchart LR\n  C[Client] --> A[API]")  # the database taken off the board, then drawn again
    assert reactions.plan_reaction(drawn(interview)) is None


def test_a_pitfall_drawn_before_high_level_waits_for_the_next_answer():
    interview = at_high_level()
    interview.phase = "estimates"
    drawn(interview)
    interview.phase = "high_level"
    assert reactions.plan_reaction(drawn(interview, SINGLE + "\n  A --> S[Stats service]")) is None
    engine.answer(
        interview, "The API servers are stateless, so we can add more behind a load balancer.", engine.NullStore()
    )
    turn, _ = reply(interview, FakeProvider("Noted.", policy=SMALL_MODEL))
    assert (turn.move.kind, turn.move.key) == ("challenge", SINGLE_KEY)


def test_one_reaction_per_edit_and_per_pitfall_and_the_next_reply_does_not_ask_it_again(fake_llm):
    interview, store = at_high_level(), engine.NullStore()
    engine.update_diagram(interview, SINGLE, store, now=T0 + 30)
    reaction = interview.messages[-1]
    assert (reaction.role, reaction.kind, reaction.phase) == ("assistant", "chat", "high_level")
    assert reaction.content.startswith("I see ") and "Links DB" in reaction.content
    assert [m.key for m in interview.notes.mistakes] == [SINGLE_KEY] and interview.notes.mistakes[0].asked
    assert interview.notes.moves[-1].kind == "reaction" and not engine.last_user_turn_unanswered(interview)

    count = len(interview.messages)
    engine.update_diagram(interview, SINGLE + "\n  A --> S[Stats service]", store)  # same pitfall, nothing new worse
    assert len(interview.messages) == count

    fake_llm.enqueue("Good. What happens at peak read traffic?")
    engine.answer(interview, "The API servers are stateless, so we can add more behind a load balancer.", store)
    turn, _ = reply(interview, model(fake_llm))
    assert turn.move.key != SINGLE_KEY
    assert (turn.move.kind, turn.move.key) == ("challenge", CACHE_KEY)  # the edit's other pitfall, found as before
    sent = fake_llm.chat_requests()[-1]["messages"]
    assert {"role": "assistant", "content": reaction.content} in sent  # the model knows it was asked
    assert interview.notes.mistakes[0].question not in sent[-1]["content"]  # and is not told to ask it again


def test_a_retry_after_a_reaction_replays_the_failed_reply_never_the_reaction(fake_llm):
    interview, store = at_high_level(), engine.NullStore()
    engine.update_diagram(interview, SINGLE, store)
    fake_llm.enqueue(Reply(text="Where do the reads go when the", drop_after=3))
    engine.answer(interview, "The API servers are stateless, so we can add more behind a load balancer.", store)
    failed, _ = reply(interview, model(fake_llm))
    assert not failed.message.complete and engine.last_user_turn_unanswered(interview)
    fake_llm.enqueue("Where do the reads go at peak?")
    retried, text = reply(interview, model(fake_llm))  # the page's Retry
    assert retried.message.complete and text == "Where do the reads go at peak?"
    assert retried.move == failed.move and retried.move.kind != "reaction" and retried.move.key != SINGLE_KEY


def test_a_reaction_is_never_replayed_as_a_reply_even_when_it_is_the_last_move():
    interview = drawn(at_high_level())
    reactions.apply_reaction(interview, reactions.plan_reaction(interview), T0 + 30)
    decided = moves.plan(interview, T0 + 60)  # no new answer since the reaction: a stale tab's Retry
    assert decided.move.kind != "reaction" and decided.move.key != SINGLE_KEY


def test_the_wording_follows_each_check_and_names_the_candidates_components():
    interview = at_high_level()
    cases = {
        "flowchart LR\n  C[Mobile client] --> D[(Postgres replica set)]": "I see Mobile client talking to Postgres "
        "replica set directly",
        "flowchart LR\n  C[Client] --> A[API]\n  A --> D[(Links DB)]\n  D --> R[(Read replica)]": "Looking at your "
        "diagram, every read goes to Links DB with no cache",
        "flowchart LR\n  D[(Links DB)]": "I see one Links DB in your diagram",
        "flowchart LR\n  R[(Links store replicas)] <--> C[Web client]": "I see Web client talking to Links store "
        "replicas directly",
    }
    for source, opening in cases.items():
        reaction = reactions.plan_reaction(drawn(copy.deepcopy(interview), source))
        assert reaction is not None and reaction.text.startswith(opening), (source, reaction)
        assert reaction.text.endswith("?") and reaction.text.count("?") == 1


def test_a_box_just_added_without_its_arrows_draws_none():
    interview = drawn(at_high_level(), "flowchart LR\n  C[Client] --> A[API]")
    for added in ("\n  Q[[Click queue]]", "\n  Q[[Click queue]]\n  A --> Q", "\n  S[Stats service]"):
        assert (
            reactions.plan_reaction(drawn(copy.deepcopy(interview), "flowchart LR\n  C[Client] --> A[API]" + added))
            is None
        )


def test_a_reaction_is_an_ordinary_interviewer_turn_in_the_exports_and_survives_an_import():
    interview = at_high_level()
    engine.update_diagram(interview, SINGLE, engine.NullStore())
    said = interview.messages[-1].content
    engine.end_and_score(interview, FakeProvider(policy=SMALL_MODEL), engine.NullStore())
    markdown = export.to_markdown(interview)
    assert "### Interviewer · High-level design" in markdown and f"\n\n{said}\n" in markdown
    assert "single point of failure" in markdown  # the notes list it as a mistake raised
    assert said in export.to_html(interview)
    back = parse_import(export.to_json(interview))
    assert (back.messages[-1].role, back.messages[-1].content) == ("assistant", said)
    assert back.notes.moves[-1].kind == "reaction" and back.notes.raised(SINGLE_KEY).asked
