"""Interviewer styles: each style's own move when its condition holds, and never under Standard; the same scores."""

from __future__ import annotations

import dataclasses

import pytest

from interview.core.phases import phase_by_key
from interview.core.steering import CAPABLE, EXPLAIN, SMALL_MODEL
from interview.dialogue import engine, moves, style
from interview.dialogue.prompting import system_prompt
from interview.eval.scenarios import load_scenarios
from interview.providers.config import ProviderSettings
from interview.providers.openai_compat import OpenAICompatibleProvider
from tests.helpers import FakeProvider, answer_and_reply, new_app, new_interview

T0 = 1_700_000_000.0
THIN = ("Users shorten links.", "Maybe a cache.")  # substantive, short, and covering no checklist item
COVERS = "Users shorten a long URL to a short code; a redirect then sends visitors to the original URL."


def opened(interview_style: str, question: str = "Design a URL shortener"):
    interview = new_interview(question, style=interview_style, curveballs=False)  # the styles alone
    with engine.reply(interview, FakeProvider(policy=SMALL_MODEL), engine.NullStore(), clock=lambda: T0) as turn:
        "".join(turn.chunks())
    return interview


def say(interview, text: str, provider=None, clock: float = T0 + 60) -> tuple[str, moves.NextMove]:
    """The candidate says `text`; returns the interviewer's reply and the move behind it."""
    return answer_and_reply(interview, text, provider, clock)


def kinds(interview_style: str, turns: tuple[str, ...]) -> list[str]:
    interview = opened(interview_style)
    return [say(interview, text)[1].kind for text in turns]


# --- the policy --------------------------------------------------------------------------------------------------


def test_standard_is_the_providers_policy_unchanged():
    assert CAPABLE.with_style("standard") == CAPABLE and SMALL_MODEL.with_style("standard") == SMALL_MODEL


def test_each_style_sets_its_fields_on_any_providers_policy():
    coach, bar_raiser = SMALL_MODEL.with_style("coach"), CAPABLE.with_style("bar_raiser")
    assert coach.hint_after_thin == 2 and coach.praise_specific and not coach.advance_by_time
    assert not coach.time_up_in_prompt and coach.code_voices_moves  # the rest is still the small model's
    assert bar_raiser.challenge_vague and bar_raiser.ask_rejected and bar_raiser.advance_by_time
    assert bar_raiser.move_in_prompt and bar_raiser.hint_after_thin == 0


def test_an_explanation_has_no_style():
    assert EXPLAIN.with_style("bar_raiser") is EXPLAIN and CAPABLE.in_mode("explain").with_style("coach") is EXPLAIN


# --- Coach -------------------------------------------------------------------------------------------------------


def test_a_coach_offers_a_hint_after_two_thin_answers_instead_of_a_third_push():
    interview = opened("coach")
    small = FakeProvider(policy=SMALL_MODEL)  # queues nothing: the move is written in code
    assert say(interview, THIN[0], small)[1].kind == "follow_up"
    reply, move = say(interview, THIN[1], small)
    assert move.kind == "hint_offer" and small.requests == []
    nudge = phase_by_key("requirements").nudge
    assert move.lead == f"{style.HINT_LEAD} {nudge}" and reply == f"{move.lead} {move.question}"
    assert move.question in [entry.probe for entry in interview.problem.evidence["requirements"]]  # then the probe
    assert interview.hints == [], "a hint the candidate did not ask for is not charged"
    assert interview.notes.moves[-1].kind == "hint_offer"  # recorded in the notes' moves only


def test_the_next_offered_hint_is_the_next_tier_and_never_the_answer():
    interview = opened("coach")
    offered = [say(interview, text)[1] for text in (*THIN, "Links redirect users.", "Codes map links.")]
    hints = [move.lead for move in offered if move.kind == "hint_offer"]
    assert len(hints) == 2 and hints[1].startswith(f"{style.HINT_LEAD} Consider this area:")
    for _ in range(4):  # more thin answers: the offered hint stays at the "direction" tier
        say(interview, "Codes map links.")
    assert not any("A strong answer covers" in move.lead for move in interview.notes.moves)


def test_standard_and_bar_raiser_push_again_instead_of_offering_a_hint():
    assert kinds("standard", THIN) == ["follow_up", "follow_up"]
    assert "hint_offer" not in kinds("bar_raiser", THIN)


def test_a_coach_names_what_was_done_well_with_the_candidates_words_now_and_then():
    interview = opened("coach")
    reply, move = say(interview, COVERS)
    assert move.lead.startswith("Good: you covered ") and reply.endswith(move.text())
    quoted = move.lead.split("“")[1].split("”")[0]
    assert quoted in COVERS and len(quoted.split()) <= style.QUOTE_WORDS  # their words, shorter than a parrot run
    _, following = say(interview, "Custom aliases are optional, and links expire after five years.")
    assert not following.lead.startswith(style.PRAISE), "not on the very next turn"


def test_a_coach_does_not_praise_in_words_that_tell_more_than_was_said():
    interview = opened("coach")
    _, move = say(interview, "Short codes map to long URLs, and a redirect sends the visitor on.")
    assert interview.notes.covered, "the item is covered"
    assert not move.lead.startswith(style.PRAISE), "naming it would add 'shorten' and 'original', the answer's words"


def test_standard_never_praises():
    interview = opened("standard")
    _, move = say(interview, COVERS)
    assert not move.lead.startswith(style.PRAISE)


def test_a_capable_model_is_told_the_praise_and_the_hint_in_words_to_phrase():
    interview = opened("coach")
    _, move = say(interview, COVERS, FakeProvider("Noted. Which redirect status?", policy=CAPABLE))
    assert move.instruction().startswith("Begin by naming what they did well, in these terms: Good: you covered")
    hint = dataclasses.replace(move, kind="hint_offer", lead=f"{style.HINT_LEAD} Think about reads.")
    assert "Offer this hint" in hint.instruction() and "Think about reads." in hint.instruction()


# --- Bar raiser --------------------------------------------------------------------------------------------------


def test_a_bar_raiser_asks_for_numbers_behind_a_vague_claim_once():
    interview = opened("bar_raiser")
    small = FakeProvider(policy=SMALL_MODEL)
    reply, move = say(interview, "It will be fast.", small)
    assert move.kind == "quantify" and small.requests == []
    assert reply == "You said “it will be fast”. How fast, in numbers: what latency, at what load?"
    _, again = say(interview, "Reads will be really fast too.")
    assert again.kind != "quantify", "once per claim"


def test_a_claim_with_a_number_is_not_challenged():
    interview = opened("bar_raiser")
    _, move = say(interview, "Redirects will be fast, under 50 ms at p99 for 10k reads per second.")
    assert move.kind != "quantify"


def test_standard_redirects_the_same_vague_claim():
    assert kinds("standard", ("It will be fast.",)) == ["redirect"]


def test_a_bar_raiser_asks_for_the_rejected_alternative_once_per_choice_and_not_every_turn():
    interview = opened("bar_raiser")
    reply, move = say(interview, "I'd use Cassandra to store the mappings from code to URL.")
    assert move.kind == "alternative"
    assert reply == "What did you consider instead of Cassandra, and why did you reject it?"
    later = [say(interview, "We keep click counters in Redis, keyed by code.")[1] for _ in range(3)]
    assert [m.kind == "alternative" for m in later] == [False, False, True], "not in the next two replies"
    assert later[-1].key == "alternative:redis"
    _, again = say(interview, "We use Cassandra for the mappings, as I said.")
    assert again.key != "alternative:cassandra", "once per choice"


def test_a_choice_that_names_its_alternative_is_not_asked_about():
    interview = opened("bar_raiser")
    _, move = say(interview, "I'd use Cassandra rather than MySQL because writes dominate and it scales out.")
    assert move.kind != "alternative"


def test_a_mistake_is_still_challenged_before_a_vague_claim():
    interview = opened("bar_raiser")
    _, move = say(interview, "The API server generates a random 3-letter code; it will be fast and cheap.")
    assert move.kind == "challenge"


def test_standard_never_asks_for_the_alternative_or_a_number():
    found = kinds("standard", ("I'd use Cassandra to store the mappings from code to URL.", "It will be cheap."))
    assert not {"alternative", "quantify"} & set(found)


def test_a_capable_model_is_told_the_bar_raisers_moves():
    interview = opened("bar_raiser")
    capable = FakeProvider("Fast how? What latency?", policy=CAPABLE)
    _, move = say(interview, "It will be fast.", capable)
    tail = capable.requests[-1][-1]["content"]
    assert move.kind == "quantify" and "They made a claim with no number (“it will be fast”)" in tail


# --- Time --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("interview_style", "policy", "moved"),
    [
        ("standard", SMALL_MODEL, True),
        ("standard", CAPABLE, False),
        ("coach", SMALL_MODEL, False),  # lenient, even for the small model
        ("bar_raiser", CAPABLE, True),  # strict, for every model
    ],
)
def test_the_time_rule_of_each_style(interview_style, policy, moved):
    interview = opened(interview_style)
    late = interview.created_at + 30 * 60  # far past the requirements phase's time
    say(interview, "Users paste a long URL and get a short code back.", FakeProvider("Noted.", policy=policy), late)
    assert (interview.phase != "requirements") is moved


def test_a_coach_does_not_tell_a_capable_model_its_time_is_up():
    for interview_style, told in (("standard", True), ("coach", False)):
        interview = opened(interview_style)
        over = interview.created_at + 30 * 60
        engine.answer(interview, "Users paste a long URL and get a short code back.", engine.NullStore())
        policy = CAPABLE.with_style(interview_style)
        assert ("Time is up for this phase" in system_prompt(interview, over, policy)) is told


# --- Scores ------------------------------------------------------------------------------------------------------


def test_the_same_transcript_scores_the_same_under_every_style():
    script = next(s for s in load_scenarios() if s.problem_id == "url-shortener" and s.kind == "weak")
    cards = {}
    for interview_style in ("coach", "standard", "bar_raiser"):
        interview = opened(interview_style, "Design a URL shortener")
        for number, turn in enumerate(script.turns, 1):
            say(interview, turn.text, FakeProvider("", policy=SMALL_MODEL), T0 + 60 * number)
        card = engine.end_and_score(interview, FakeProvider(policy=SMALL_MODEL), engine.NullStore())
        cards[interview_style] = ([(row.key, row.score) for row in card.dimensions], card.overall, card.hints_used)
    assert cards["coach"] == cards["standard"] == cards["bar_raiser"]


def test_a_whole_turn_through_the_real_client_in_each_style(fake_llm):
    provider = OpenAICompatibleProvider(ProviderSettings("custom", "fake-model", base_url=fake_llm.base_url))
    for interview_style, told in (("standard", "no technical content"), ("bar_raiser", "How fast, in numbers")):
        interview = opened(interview_style)
        fake_llm.enqueue("How fast? Give me a latency and a load.")
        reply, _ = say(interview, "It will be fast.", provider)
        tail = fake_llm.chat_requests()[-1]["messages"][-1]["content"]
        assert told in tail and reply == "How fast? Give me a latency and a load."


# --- The page ----------------------------------------------------------------------------------------------------


def test_the_sidebar_choice_changes_the_move_the_page_asks_the_model_for(app_env):
    fake = app_env
    at = new_app()
    at.selectbox(key="style_choice").set_value("bar_raiser")
    at.chat_input(key="chat_input").set_value("Design a URL shortener")
    at = at.run()
    fake.enqueue("Fast how? Give me a latency and a load.")
    at.chat_input(key="chat_input").set_value("It will be fast.")
    at = at.run()
    assert not at.exception and at.session_state.interview.notes.moves[-1].kind == "quantify"
    tail = fake.chat_requests()[-1]["messages"][-1]["content"]
    assert "They made a claim with no number (“it will be fast”)" in tail
    assert "Fast how? Give me a latency and a load." in "\n".join(m.value for m in at.markdown)
