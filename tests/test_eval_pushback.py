"""The eval's pushback checks: a mistake challenged at once, named in the gaps, no overused sentence template."""

from __future__ import annotations

from interview.core.scorecard import Scorecard
from interview.eval.pushback import challenged, gaps_name, no_template_overuse, ordered_scores, sentence_templates

TERMS = ("collision", "key space")


def test_a_question_naming_the_mistake_is_a_challenge():
    assert challenged("Three letters give 17,576 codes. What happens on a collision?", TERMS)[0]


def test_a_reply_that_ignores_the_mistake_is_not_a_challenge():
    passed, detail = challenged("How many users are you expecting to handle?", TERMS)
    assert not passed and "does not name" in detail


def test_naming_the_mistake_without_a_question_is_not_a_challenge():
    passed, detail = challenged("Collisions will happen.", TERMS)
    assert not passed and "no question" in detail


def test_gaps_name_a_mistake_in_their_own_words():
    card = Scorecard(gaps=["A 3-letter random code has a tiny key space; collisions are certain."])
    assert gaps_name(card, TERMS)[0]


def test_a_quote_of_the_candidate_does_not_name_the_mistake():
    card = Scorecard(gaps=["You said “collisions probably won't happen”."])
    assert not gaps_name(card, TERMS)[0]


def test_a_sentence_opening_used_three_times_is_overused():
    replies = [f"What are your concerns about the {part}?" for part in ("cache", "database", "queue")]
    assert sentence_templates(replies)["what are your concerns"] == 3
    passed, detail = no_template_overuse(replies)
    assert not passed and "what are your concerns" in detail


def test_varied_questions_pass_and_short_ones_are_not_templates():
    replies = [
        "What are your concerns about the cache?",
        "What are your concerns about the queue?",
        "How would you shard the mapping table?",
        "Why?",
        "Why?",
        "Why?",
    ]
    assert no_template_overuse(replies)[0]


def test_ordered_scores():
    assert ordered_scores(3.0, 2.0, "strong > weak")[0]
    assert not ordered_scores(2.0, 2.0, "strong > weak")[0]
    assert ordered_scores(None, 2.0, "strong > weak") is None
