"""Tests for the end-of-interview scorecard: prompt, lenient parsing, honesty rules and the generate flow."""

from __future__ import annotations

import json

import pytest

from interview.feedback.card import DIMENSION_KEYS, DIMENSIONS, HIRE_SIGNALS, NOT_ASSESSED, Scorecard
from interview.feedback.generate import PROSE_NOTE, generate_scorecard, parse_scorecard
from interview.feedback.normalise import match_dimension, parse_score
from interview.feedback.prompt import REPAIR_REQUEST, TRANSCRIPT_CHARS, scorecard_messages
from interview.feedback.rules import rule_scorecard
from interview.heuristics import has_substance
from interview.model import Interview, Message
from interview.providers.base import ProviderError
from tests.helpers import FakeProvider

STRONG_ANSWERS = [
    (
        "requirements",
        "Users shorten a long URL and get redirected; links expire after 5 years and aliases are optional.",
    ),
    (
        "estimates",
        "100M writes per day is about 1,200 writes per second, and reads are 100x that, so 120k redirects/s.",
    ),
    (
        "high_level",
        "Stateless API servers behind a load balancer write to a key-value store with a Redis cache in front.",
    ),
    ("deep_dive", "I'd base62-encode a 64-bit ID from a counter range so there are no collision checks."),
    ("scale", "Shard the mapping table by hash of the short code and cache the hot 20% with LRU eviction."),
    ("reliability", "Replicate the store across availability zones and alert on redirect latency p99."),
    ("wrap_up", "The trade-off is that counter IDs are compact but reveal creation volume to competitors."),
]
QUOTES = {
    "requirements": "Users shorten a long URL and get redirected",
    "estimates": "100M writes per day is about 1,200 writes per second",
    "high_level": "Stateless API servers behind a load balancer",
    "deep_dive": "base62-encode a 64-bit ID from a counter range",
    "scalability": "Shard the mapping table by hash of the short code",
    "reliability": "Replicate the store across availability zones",
    "trade_offs": "counter IDs are compact but reveal creation volume",
    "communication": "so there are no collision checks",
}


def make_interview(answers, *, level: str = "senior", problem_id: str | None = "url-shortener", hints=()) -> Interview:
    interview = Interview(question="Design a URL shortener", level=level, problem_id=problem_id)
    interview.add_user("Design a URL shortener", kind="question")
    for phase, text in answers:
        interview.add(Message("assistant", f"Tell me about {phase}.", phase))
        interview.add(Message("user", text, phase))
    for phase, tier in hints:
        interview.hints.append({"phase": phase, "tier": tier, "text": "A strong answer covers: x.", "at": 0.0})
        interview.add(Message("assistant", "A strong answer covers: x.", phase, kind="hint"))
    return interview


def model_json(score=4, quotes=QUOTES, keys=DIMENSION_KEYS, hire="Strong hire") -> str:
    return json.dumps(
        {
            "dimensions": [
                {"key": key, "score": score, "evidence": [quotes[key]] if key in quotes else [], "comment": "Solid."}
                for key in keys
            ],
            "strengths": ["Drove the requirements"],
            "gaps": ["No cost estimate — a strong answer would price storage per TB per month"],
            "hire_signal": hire,
        }
    )


def scores(card: Scorecard) -> dict[str, int]:
    return {row.key: row.score for row in card.dimensions}


class RecordingStore:
    def __init__(self):
        self.saved: list[Interview] = []

    def save_interview(self, interview: Interview) -> None:
        self.saved.append(interview)

    def save_message(self, interview: Interview, message: Message) -> None:
        pass


# --- substance ---


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "idk",
        "yes",
        "ok sure",
        "Use Redis",
        "idk lol yes",
        "asdf qwer zxcv",
        "qwerty uiop",
        "asdfasdf jkljkl cache server",
        "fjdkslajf dkslafj sdkf cache",
        "I like pizza and sunny weather today",
        "lorem ipsum dolor sit amet consectetur",
    ],
)
def test_no_substance(text: str) -> None:
    assert not has_substance(text)


@pytest.mark.parametrize(
    "text",
    [
        "I would put a cache in front of the database",
        "We need about 100M daily active users and 5k writes per second",
        "Shard by user id with consistent hashing",
        "What is the expected read to write ratio?",
        *(answer for _, answer in STRONG_ANSWERS),
    ],
)
def test_substance(text: str) -> None:
    assert has_substance(text)


# --- prompt ---


def test_dimensions_are_ordered_with_labels() -> None:
    assert DIMENSIONS[0] == ("requirements", "Requirements")
    assert DIMENSIONS[2] == ("high_level", "High-level design")
    assert DIMENSION_KEYS[-1] == "communication" and len(DIMENSIONS) == 8


def test_messages_hold_schema_level_checklist_hints_and_labelled_transcript() -> None:
    interview = make_interview(STRONG_ANSWERS[:2], level="junior", hints=[("estimates", "nudge")])
    system, user = scorecard_messages(interview)
    assert system["role"] == "system" and user["role"] == "user"
    assert "only one JSON object" in system["content"]
    assert '"hire_signal"' in system["content"] and "word for word" in system["content"]
    assert "Junior candidate: expect a simple working design." in system["content"]
    assert all(len(line) <= 300 for line in system["content"].splitlines())
    assert "Base62-encode a unique 64-bit ID" in user["content"]  # checklist from the bank problem
    assert "Hints used: 1 (Capacity estimates: nudge)." in user["content"]
    assert f"Candidate: {STRONG_ANSWERS[0][1]}" in user["content"]
    assert "Interviewer: Tell me about requirements." in user["content"]
    assert "Hint: A strong answer covers: x." in user["content"]


def test_messages_without_bank_problem_use_the_question() -> None:
    interview = make_interview(STRONG_ANSWERS[:1], problem_id=None)
    user = scorecard_messages(interview)[1]["content"]
    assert "Question: Design a URL shortener" in user and "What a strong answer covers" not in user
    assert "Hints used: none." in user


def test_transcript_keeps_the_most_recent_turns() -> None:
    answers = [("deep_dive", f"turn {i}: we shard the database by user id " + "x" * 900) for i in range(40)]
    interview = make_interview(answers)
    user = scorecard_messages(interview)[1]["content"]
    assert "turn 39:" in user and "turn 0:" not in user
    assert "(earlier turns omitted)" in user
    assert len(user) < TRANSCRIPT_CHARS + 3_000


# --- parsing ---


def test_valid_json() -> None:
    card = parse_scorecard(model_json(), make_interview(STRONG_ANSWERS))
    assert card is not None and card.source == "model"
    assert [row.key for row in card.dimensions] == list(DIMENSION_KEYS)
    assert card.dimensions[2].name == "High-level design"
    assert set(scores(card).values()) == {4}
    assert card.overall == 4.0 and card.hire_signal == "Strong hire"
    assert card.strengths == ["Drove the requirements"]
    assert card.gaps[0].startswith("No cost estimate — ")
    assert card.level == "senior" and card.hints_used == 0


def test_fenced_json_with_prose_around() -> None:
    text = f"Here is the scorecard:\n```json\n{model_json(score=3, hire='Hire')}\n```\nGood luck!"
    card = parse_scorecard(text, make_interview(STRONG_ANSWERS))
    assert card is not None and set(scores(card).values()) == {3} and card.hire_signal == "Hire"


def test_thinking_block_is_ignored() -> None:
    text = '<think>Maybe {"score": 1}? Let me think.</think>\n' + model_json()
    card = parse_scorecard(text, make_interview(STRONG_ANSWERS))
    assert card is not None and card.overall == 4.0


def test_truncated_mid_string_is_repaired() -> None:
    full = model_json(score=3)
    cut = full.index('"comment"', full.index('"deep_dive"')) + len('"comment": "Sol')
    card = parse_scorecard("```json\n" + full[:cut], make_interview(STRONG_ANSWERS))
    assert card is not None
    got = scores(card)
    assert [got[k] for k in ("requirements", "estimates", "high_level", "deep_dive")] == [3, 3, 3, 3]
    assert card.dimensions[3].comment == "Sol"
    assert card.dimensions[4].comment == NOT_ASSESSED and got["scalability"] == 1


def test_every_truncation_is_safe() -> None:
    interview = make_interview(STRONG_ANSWERS)
    full = model_json()
    for cut in range(0, len(full), 5):
        card = parse_scorecard(full[:cut], interview)
        assert card is None or card.hire_signal in HIRE_SIGNALS


def test_partial_object_fills_missing_dimensions() -> None:
    text = model_json(score=4, keys=("requirements", "estimates", "high_level"), hire="Strong hire")
    card = parse_scorecard(text, make_interview(STRONG_ANSWERS))
    assert card is not None
    assert [row.score for row in card.dimensions] == [4, 4, 4, 1, 1, 1, 1, 1]
    assert all(row.comment == NOT_ASSESSED for row in card.dimensions[3:])
    assert card.overall == 2.12
    assert card.hire_signal == "Lean no hire"  # the mean no longer supports the model's verdict


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3", 3),
        (3.6, 4),
        (2.4, 2),
        (7, 4),
        (0, 1),
        (-2, 1),
        ("2/4", 2),
        ("8/10", 3),
        ("three", 3),
        ("n/a", None),
        (10**400, 4),
        (-(10**400), 1),
        (float("nan"), None),
        (True, None),
    ],
)
def test_scores_are_coerced_and_clamped(raw, expected) -> None:
    assert parse_score(raw) == expected


def test_loose_names_dict_shape_and_unknown_keys() -> None:
    data = {
        "scores": {
            "Requirements clarification": {"rating": "4", "quotes": QUOTES["requirements"]},
            "High-Level Design": 3,
            "Scale and bottlenecks": {"score": 3.2, "evidence": [QUOTES["scalability"]]},
            "Fault tolerance": {"score": "3/4", "evidence": [QUOTES["reliability"]]},
            "Tradeoffs": {"score": 2},
            "vibes": {"score": 4},
        },
        "mood": "great",
        "hire_signal": "lean HIRE",
    }
    card = parse_scorecard(json.dumps(data), make_interview(STRONG_ANSWERS))
    assert card is not None
    got = scores(card)
    assert got["requirements"] == 4 and got["scalability"] == 3 and got["reliability"] == 3 and got["trade_offs"] == 2
    assert got["high_level"] == 2  # no quote backs it, so it is capped
    assert card.hire_signal == "Lean no hire"
    assert match_dimension("Deep Dive") == "deep_dive" and match_dimension("Communication skills") == "communication"


def test_python_dict_and_bad_tail_are_read() -> None:
    interview = make_interview(STRONG_ANSWERS)
    quote = QUOTES["requirements"]
    python_dict = (
        f"{{'dimensions': [{{'key': 'requirements', 'score': 4, 'evidence': ['{quote}']}}], 'hire_signal': None}}"
    )
    bare_word = (
        f'{{"dimensions": [{{"key": "requirements", "score": 4, "evidence": ["{quote}"]}},], "hire_signal": Hire}}'
    )
    for text in (python_dict, bare_word):
        card = parse_scorecard(text, interview)
        assert card is not None and scores(card)["requirements"] == 4 and card.hire_signal == "No hire"


def test_hostile_replies_do_not_crash() -> None:
    interview = make_interview(STRONG_ANSWERS)
    for text in ("[" * 100_000, "{" * 5_000, "{'a'," * 3_000, '{"score": NaN, "key": "requirements"}', "```json\n```"):
        assert parse_scorecard(text, interview) is None


def test_non_json_prose_is_unusable() -> None:
    interview = make_interview(STRONG_ANSWERS)
    assert parse_scorecard("The candidate did well overall. I would hire them.", interview) is None
    assert parse_scorecard("", interview) is None
    assert parse_scorecard('{"summary": "good", "list": [1, 2]}', interview) is None


# --- honesty rules ---


def test_quotes_not_in_transcript_are_dropped_and_score_capped() -> None:
    quotes = dict(QUOTES)
    quotes["deep_dive"] = "I would use a Bloom filter to avoid collisions"  # never said
    quotes["requirements"] = "  USERS shorten a long URL   and get redirected."  # case, spacing and punctuation
    quotes["estimates"] = "“100M writes per day is about 1,200 writes per second”"  # curly quotes
    card = parse_scorecard(model_json(quotes=quotes), make_interview(STRONG_ANSWERS))
    assert card is not None
    rows = {row.key: row for row in card.dimensions}
    assert rows["deep_dive"].evidence == [] and rows["deep_dive"].score == 2
    assert "Capped at 2" in rows["deep_dive"].comment
    assert rows["requirements"].evidence and rows["requirements"].score == 4
    assert rows["estimates"].evidence and rows["estimates"].score == 4
    assert card.overall == 3.75 and card.hire_signal == "Strong hire"


def test_quotes_from_the_interviewer_do_not_count() -> None:
    quotes = dict(QUOTES, requirements="Tell me about requirements")
    card = parse_scorecard(model_json(quotes=quotes), make_interview(STRONG_ANSWERS))
    assert card is not None and scores(card)["requirements"] == 2


def test_gibberish_candidate_gets_all_ones_even_when_model_says_fours() -> None:
    answers = [("requirements", "asdf"), ("estimates", "lol"), ("high_level", "qwerty uiop")]
    gib_quotes = dict.fromkeys(DIMENSION_KEYS, "qwerty uiop")
    card = parse_scorecard(model_json(score=4, quotes=gib_quotes), make_interview(answers))
    assert card is not None
    assert set(scores(card).values()) == {1}
    assert all(row.evidence == [] for row in card.dimensions)
    assert card.hire_signal == "No hire" and card.overall == 1.0 and card.strengths == []
    assert card.source == "rule"


def test_empty_answers_get_all_ones() -> None:
    card = parse_scorecard(model_json(score=4), make_interview([("requirements", ""), ("estimates", "  ")]))
    assert card is not None and set(scores(card).values()) == {1} and card.hire_signal == "No hire"


def test_strong_candidate_keeps_quoted_evidence() -> None:
    card = parse_scorecard(model_json(score=4), make_interview(STRONG_ANSWERS))
    assert card is not None
    assert all(row.evidence == [QUOTES[row.key]] for row in card.dimensions)
    assert card.hire_signal == "Strong hire"


def test_specific_hint_caps_its_dimension() -> None:
    interview = make_interview(
        STRONG_ANSWERS, hints=[("scale", "nudge"), ("scale", "specific"), ("deep_dive", "nudge")]
    )
    card = parse_scorecard(model_json(score=4), interview)
    assert card is not None
    got = scores(card)
    assert got["scalability"] == 3 and got["deep_dive"] == 4 and got["reliability"] == 4
    assert "specific hint" in card.dimensions[4].comment
    assert card.hints_used == 3 and card.overall == 3.88 and card.hire_signal == "Strong hire"


def test_lowered_scores_cap_the_hire_signal() -> None:
    interview = make_interview(STRONG_ANSWERS)
    card = parse_scorecard(model_json(score=4, quotes={}, hire="Strong hire"), interview)
    assert card is not None and set(scores(card).values()) == {2}
    assert card.hire_signal == "Lean no hire"


# --- generate ---


def test_generate_stores_the_model_card() -> None:
    interview, store = make_interview(STRONG_ANSWERS), RecordingStore()
    provider = FakeProvider(model_json(), chunk_size=7)
    card = generate_scorecard(interview, provider, store, clock=lambda: 123.0)
    assert card.source == "model" and interview.scorecard is card
    assert interview.ended_at == 123.0 and store.saved == [interview]
    assert len(provider.requests) == 1 and provider.requests[0][0]["role"] == "system"


def test_generate_repairs_once_then_succeeds() -> None:
    interview, store = make_interview(STRONG_ANSWERS), RecordingStore()
    provider = FakeProvider(
        "Great interview! Scores: all fours.", "```json\n" + model_json(score=3, hire="Hire"), chunk_size=7
    )
    card = generate_scorecard(interview, provider, store)
    assert card.source == "repaired" and card.hire_signal == "Hire"
    retry = provider.requests[1]
    assert retry[-2] == {"role": "assistant", "content": "Great interview! Scores: all fours."}
    assert retry[-1] == {"role": "user", "content": REPAIR_REQUEST}


def test_generate_falls_back_to_prose() -> None:
    interview, store = make_interview(STRONG_ANSWERS), RecordingStore()
    provider = FakeProvider("The candidate was clear and structured.", "Sorry, I cannot produce JSON.", chunk_size=7)
    card = generate_scorecard(interview, provider, store)
    assert card.to_dict() == {
        "prose": "The candidate was clear and structured.",
        "note": PROSE_NOTE,
        "hints_used": 0,
        "level": "senior",
    }
    assert interview.scorecard == card and store.saved == [interview]


def test_generate_without_substance_is_rule_based() -> None:
    interview, store = make_interview([("requirements", "asdf"), ("estimates", "idk")]), RecordingStore()
    provider = FakeProvider("not json", "still not json", chunk_size=7)
    card = generate_scorecard(interview, provider, store)
    assert card.source == "rule" and set(scores(card).values()) == {1} and card.hire_signal == "No hire"
    assert interview.scorecard is card and store.saved == [interview]


def test_generate_reraises_provider_errors() -> None:
    interview, store = make_interview(STRONG_ANSWERS), RecordingStore()
    provider = FakeProvider(ProviderError("timeout", "The model did not answer in time."), chunk_size=7)
    with pytest.raises(ProviderError, match="in time"):
        generate_scorecard(interview, provider, store)
    assert interview.scorecard is None and store.saved == []


def test_generate_turns_provider_bugs_into_provider_errors() -> None:
    interview, store = make_interview(STRONG_ANSWERS), RecordingStore()
    with pytest.raises(ProviderError) as caught:
        generate_scorecard(interview, FakeProvider(RuntimeError("boom"), chunk_size=7), store)
    assert caught.value.kind == "internal"


LABELS = tuple(label for _, label in DIMENSIONS)


@pytest.mark.parametrize(
    "said",
    [  # the eval's gibberish candidates whose model cards scored above 1 before two technical terms were needed
        ["Rate limit? More like great limit haha. What's for lunch?", "the moon is made of cheese and routers",
         "how many users lmao, like a gazillion?", "qwertyuiop asdfghjkl", "blorp blorp blorp"],
        ["pineapple pizza is the best architecture", "users how many?? like all of them lol", "zzzz zzzz zzzz",
         "can we talk about crypto instead, which coin should I buy?", "beep boop beep"],
        ["the feed is a horse", "potato potato tomato", "how many users lol idk, a bajillion?", "just vibes"],
    ],
)  # fmt: skip
def test_on_topic_phrases_among_gibberish_get_the_rule_card(said):
    interview = make_interview([("requirements", text) for text in said])
    model_card = json.dumps(
        {"dimensions": [{"name": label, "score": 4, "evidence": [said[0]], "comment": "ok"} for label in LABELS]}
    )
    card = parse_scorecard(model_card, interview)
    assert card.source == "rule" and {row.score for row in card.dimensions} == {1}


def test_rule_card_says_why_it_applies():
    silent = make_interview([("requirements", text) for text in ("ok", "idk", "sure")])
    assert rule_scorecard(silent).dimensions[0].comment == "No substantive answer to assess."
    vague = make_interview(
        [("high_level", text) for text in ("That's a lot, we need big servers.", "People buy tickets on the website.")]
    )
    assert rule_scorecard(vague).dimensions[0].comment.startswith("Too little technical detail")


def test_short_real_answers_still_get_a_model_card():
    said = ["I would put a cache in front of the database", "Shard by user id with consistent hashing"]
    interview = make_interview([("high_level", text) for text in said])
    model_card = json.dumps(
        {"dimensions": [{"name": label, "score": 3, "evidence": [said[0]], "comment": "ok"} for label in LABELS]}
    )
    card = parse_scorecard(model_card, interview)
    assert card.source == "model" and card.dimensions[0].score == 3


def test_one_on_topic_line_among_gibberish_still_gets_the_lowest_scores():
    said = ["banana helicopter", "lol how many users r there anyway?", "asdf jkl qwerty"]
    interview = make_interview([("requirements", text) for text in said])
    model_card = json.dumps(
        {"dimensions": [{"name": label, "score": 2, "evidence": [], "comment": "meh"} for label in LABELS]}
    )
    card = parse_scorecard(model_card, interview)
    assert {row.score for row in card.dimensions} == {1}
    assert card.hire_signal == "No hire"


# --- the card's serializer ---


def test_a_model_card_round_trips_in_the_stored_shape():
    text = model_json(score=4, keys=("requirements", "estimates", "high_level"))
    card = parse_scorecard(text, make_interview(STRONG_ANSWERS))
    data = card.to_dict()
    assert list(data) == ["dimensions", "strengths", "gaps", "hire_signal", "level", "hints_used", "overall", "source"]
    assert data["dimensions"][0] == {
        "key": "requirements",
        "name": "Requirements",
        "score": 4,
        "evidence": [QUOTES["requirements"]],
        "comment": "Solid.",
    }
    assert data["dimensions"][3] == {
        "key": "deep_dive",
        "name": "Deep dive",
        "score": 1,
        "evidence": [],
        "comment": NOT_ASSESSED,
    }
    assert [row.assessed for row in card.dimensions] == [True] * 3 + [False] * 5
    assert Scorecard.from_dict(json.loads(json.dumps(data))) == card


def test_an_old_stored_card_reads_not_assessed_from_the_comment():
    stored = {
        "dimensions": [
            {"key": "requirements", "name": "Requirements", "score": 3, "evidence": ["x y"], "comment": "Good."},
            {"key": "estimates", "name": "Estimates", "score": 1, "evidence": [], "comment": "Not assessed"},
        ],
        "strengths": [],
        "gaps": [],
        "hire_signal": "Lean no hire",
        "level": "mid",
        "hints_used": 1,
        "overall": 2.0,
        "source": "model",
    }
    card = Scorecard.from_dict(stored)
    assert [row.assessed for row in card.dimensions] == [True, False]
    assert card.to_dict() == stored  # written back exactly as it was stored


def test_a_model_comment_on_an_unscored_dimension_keeps_the_flag():
    data = json.loads(model_json(score=4))
    data["dimensions"][7] = {"key": "communication", "score": "n/a", "comment": "Not discussed."}
    card = parse_scorecard(json.dumps(data), make_interview(STRONG_ANSWERS))
    row = card.dimensions[7]
    assert (row.score, row.comment, row.assessed) == (1, "Not discussed.", False)
    stored = card.to_dict()
    assert stored["dimensions"][7]["assessed"] is False  # the comment alone would read as assessed
    assert "assessed" not in stored["dimensions"][0]
    assert Scorecard.from_dict(stored) == card


def test_the_prose_card_round_trips():
    stored = {"prose": "Clear and structured.", "note": PROSE_NOTE, "hints_used": 2, "level": "staff"}
    card = Scorecard.from_dict(stored)
    assert card.is_prose and card.prose == "Clear and structured." and card.note == PROSE_NOTE
    assert card.dimensions == [] and card.hints_used == 2 and card.level == "staff"
    assert card.to_dict() == stored
    assert not Scorecard.from_dict({"prose": "", "dimensions": []}).is_prose


def test_unknown_fields_are_kept_and_wrong_types_read_as_empty():
    stored = {
        "dimensions": [{"name": "Data model", "score": True, "evidence": ["ok words", 3], "mood": "calm"}, "junk"],
        "strengths": "not a list",
        "hire_signal": 5,
        "from_a_newer_release": {"a": [1]},
    }
    card = Scorecard.from_dict(stored)
    (row,) = card.dimensions
    assert (row.name, row.score, row.evidence, row.key, row.extra) == (
        "Data model",
        None,
        ["ok words"],
        None,
        {"mood": "calm"},
    )
    assert card.strengths == [] and card.hire_signal == "" and card.overall is None
    data = card.to_dict()
    assert data["from_a_newer_release"] == {"a": [1]} and data["dimensions"][0]["mood"] == "calm"
    assert "key" not in data["dimensions"][0]
    assert Scorecard.from_dict(data) == card
