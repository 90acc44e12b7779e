"""The end-of-interview scorecard: the prompt, reading the model's words, scores from the notes, the generate flow."""

from __future__ import annotations

import json

import pytest

from interview.core.notes import CoveredItem, EstimateCheck, RaisedMistake
from interview.core.scorecard import DIMENSION_KEYS, DIMENSIONS, HIRE_SIGNALS, NOT_ASSESSED, DimensionScore, Scorecard
from interview.core.state import Interview, Message
from interview.core.steering import SMALL_MODEL
from interview.core.substance import has_substance
from interview.eval.scenarios import load_scenarios
from interview.feedback.evidence import evidence_scorecard
from interview.feedback.generate import generate_scorecard
from interview.feedback.normalise import ModelFeedback, match_dimension, parse_score, read_reply
from interview.feedback.prompt import REPAIR_REQUEST, TRANSCRIPT_CHARS, scorecard_messages
from interview.feedback.rules import rule_scorecard
from interview.providers.base import ProviderError
from interview.transcripts.export import scorecard_html, scorecard_markdown
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


WEAK_ANSWERS = [
    ("requirements", "It shortens links with a website and a server, that's the main thing."),
    ("estimates", "Lots of users, so lots of traffic, maybe a big database server."),
    ("high_level", "A server and a database; the server saves the link in the database."),
    ("deep_dive", "Random letters for the code, collisions probably won't happen."),
    ("scale", "Add more servers when traffic grows, the cloud handles it."),
    ("reliability", "Backups of the database server once a day."),
    ("wrap_up", "It would work fine for most users."),
]


def model_scores(feedback: ModelFeedback) -> dict[str, int]:
    return {key: row.score for key, row in feedback.rows.items()}


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


# --- reading the model's words ---


def test_valid_json() -> None:
    feedback = read_reply(model_json())
    assert feedback is not None and list(feedback.rows) == list(DIMENSION_KEYS)
    assert set(model_scores(feedback).values()) == {4} and feedback.hire_signal == "Strong hire"
    assert feedback.strengths == ["Drove the requirements"]
    assert feedback.gaps[0].startswith("No cost estimate — ")


def test_fenced_json_with_prose_around() -> None:
    feedback = read_reply(f"Here is the scorecard:\n```json\n{model_json(score=3, hire='Hire')}\n```\nGood luck!")
    assert feedback is not None and set(model_scores(feedback).values()) == {3} and feedback.hire_signal == "Hire"


def test_thinking_block_is_ignored() -> None:
    feedback = read_reply('<think>Maybe {"score": 1}? Let me think.</think>\n' + model_json())
    assert feedback is not None and set(model_scores(feedback).values()) == {4}


def test_truncated_mid_string_is_repaired() -> None:
    full = model_json(score=3)
    cut = full.index('"comment"', full.index('"deep_dive"')) + len('"comment": "Sol')
    feedback = read_reply("```json\n" + full[:cut])
    assert feedback is not None
    assert model_scores(feedback) == dict.fromkeys(("requirements", "estimates", "high_level", "deep_dive"), 3)
    assert feedback.rows["deep_dive"].comment == "Sol"


def test_every_truncation_is_safe() -> None:
    full = model_json()
    for cut in range(0, len(full), 5):
        feedback = read_reply(full[:cut])
        assert feedback is None or feedback.hire_signal in (*HIRE_SIGNALS, None)


def test_partial_object_reads_only_what_is_there() -> None:
    feedback = read_reply(model_json(score=4, keys=("requirements", "estimates", "high_level")))
    assert feedback is not None and list(feedback.rows) == ["requirements", "estimates", "high_level"]


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
    feedback = read_reply(json.dumps(data))
    assert feedback is not None
    got = model_scores(feedback)
    assert got == {"requirements": 4, "high_level": 3, "scalability": 3, "reliability": 3, "trade_offs": 2}
    assert feedback.hire_signal == "Lean hire"
    assert match_dimension("Deep Dive") == "deep_dive" and match_dimension("Communication skills") == "communication"


def test_python_dict_and_bad_tail_are_read() -> None:
    quote = QUOTES["requirements"]
    python_dict = (
        f"{{'dimensions': [{{'key': 'requirements', 'score': 4, 'evidence': ['{quote}']}}], 'hire_signal': None}}"
    )
    bare_word = (
        f'{{"dimensions": [{{"key": "requirements", "score": 4, "evidence": ["{quote}"]}},], "hire_signal": Hire}}'
    )
    for text in (python_dict, bare_word):
        feedback = read_reply(text)
        assert feedback is not None and model_scores(feedback) == {"requirements": 4}


def test_hostile_replies_do_not_crash() -> None:
    for text in ("[" * 100_000, "{" * 5_000, "{'a'," * 3_000, '{"score": NaN, "key": "requirements"}', "```json\n```"):
        assert read_reply(text) is None


def test_non_json_prose_is_unusable() -> None:
    assert read_reply("The candidate did well overall. I would hire them.") is None
    assert read_reply("") is None
    assert read_reply('{"summary": "good", "list": [1, 2]}') is None


# --- scores from the notes ---


def said_by(interview: Interview) -> list[str]:
    return [m.content for m in interview.candidate_messages()]


def test_strong_answers_score_above_weak_ones_with_verbatim_evidence() -> None:
    strong = evidence_scorecard(make_interview(STRONG_ANSWERS))
    weak = evidence_scorecard(make_interview(WEAK_ANSWERS))
    assert strong.source == weak.source == "evidence"
    assert strong.overall > weak.overall + 1
    quotes = [quote for row in strong.dimensions for quote in row.evidence]
    assert quotes and all(any(quote in text for text in said_by(make_interview(STRONG_ANSWERS))) for quote in quotes)


def test_a_right_estimate_is_assessed_and_credited() -> None:
    interview = make_interview(STRONG_ANSWERS)
    interview.notes.estimates.append(
        EstimateCheck("new short links per second, average", 1200, 1157, STRONG_ANSWERS[1][1], True)
    )
    card = evidence_scorecard(interview)
    row = next(row for row in card.dimensions if row.key == "estimates")
    assert row.assessed and row.score >= 3 and STRONG_ANSWERS[1][1] in row.evidence
    assert any("Right estimate" in strength for strength in card.strengths)


def test_every_unfixed_mistake_is_a_gap_and_costs_its_dimension() -> None:
    clean = evidence_scorecard(make_interview(STRONG_ANSWERS))
    interview = make_interview(STRONG_ANSWERS)
    interview.notes.mistakes += [
        RaisedMistake("single-instance", "high_level", "one MySQL", "What if it fails?", "One database, no replica."),
        RaisedMistake("dual-writes", "high_level", "both", "What if one write fails?", "Dual writes.", fixed=True),
    ]
    card = evidence_scorecard(interview)
    assert card.gaps[0] == "One database, no replica." and "Dual writes." not in card.gaps
    high = {row.key: row for row in card.dimensions}["high_level"]
    assert high.score == {row.key: row for row in clean.dimensions}["high_level"].score - 1
    assert "Left unfixed: One database, no replica." in high.comment


def test_a_phase_never_reached_is_not_assessed() -> None:
    card = evidence_scorecard(make_interview(STRONG_ANSWERS[:4]))
    rows = {row.key: row for row in card.dimensions}
    assert not rows["reliability"].assessed and rows["reliability"].comment.startswith("Not assessed")
    assert rows["requirements"].assessed


def test_specific_hint_caps_its_dimension() -> None:
    plain = evidence_scorecard(make_interview(STRONG_ANSWERS))
    hinted = evidence_scorecard(make_interview(STRONG_ANSWERS, hints=[("high_level", "specific")]))
    before, after = (next(r for r in card.dimensions if r.key == "high_level") for card in (plain, hinted))
    assert before.score == 4 and after.score == 3 and "specific hint" in after.comment


def test_gibberish_and_empty_answers_get_all_ones() -> None:
    for answers in ([("requirements", "asdf"), ("estimates", "lol"), ("high_level", "qwerty uiop")],
                    [("requirements", ""), ("estimates", "  ")]):  # fmt: skip
        card = evidence_scorecard(make_interview(answers))
        assert card.source == "rule" and set(scores(card).values()) == {1} and card.hire_signal == "No hire"


# --- generate ---


def test_generate_scores_from_the_notes_and_takes_the_model_s_words() -> None:
    interview, store = make_interview(STRONG_ANSWERS), RecordingStore()
    provider = FakeProvider(model_json(score=1, hire="No hire"), chunk_size=7)
    card = generate_scorecard(interview, provider, store, clock=lambda: 123.0)
    assert card.source == "evidence" and interview.scorecard is card
    assert card.overall == evidence_scorecard(make_interview(STRONG_ANSWERS)).overall, "the model sets no number"
    assert card.strengths == ["Drove the requirements"] and card.hire_signal != "No hire"
    assert "No cost estimate — a strong answer would price storage per TB per month" in card.gaps
    assert interview.ended_at == 123.0 and store.saved == [interview]
    assert len(provider.requests) == 1 and provider.requests[0][0]["role"] == "system"


def test_generate_asks_once_more_for_json() -> None:
    interview, store = make_interview(STRONG_ANSWERS), RecordingStore()
    provider = FakeProvider("Great interview! Scores: all fours.", "```json\n" + model_json(), chunk_size=7)
    card = generate_scorecard(interview, provider, store)
    assert card.strengths == ["Drove the requirements"]
    retry = provider.requests[1]
    assert retry[-2] == {"role": "assistant", "content": "Great interview! Scores: all fours."}
    assert retry[-1] == {"role": "user", "content": REPAIR_REQUEST}


@pytest.mark.parametrize(
    "replies",
    [
        ("The candidate was clear and structured.", "Sorry, I cannot produce JSON."),
        (ProviderError("timeout", "The model did not answer in time."),),
        (RuntimeError("boom"),),
    ],
)
def test_generate_keeps_the_evidence_card_when_the_model_fails(replies) -> None:
    interview, store = make_interview(STRONG_ANSWERS), RecordingStore()
    card = generate_scorecard(interview, FakeProvider(*replies, chunk_size=7), store)
    assert card.to_dict() == evidence_scorecard(make_interview(STRONG_ANSWERS)).to_dict()
    assert interview.scorecard is card and store.saved == [interview]


def test_a_small_model_is_not_asked_for_feedback() -> None:
    interview, store = make_interview(STRONG_ANSWERS), RecordingStore()
    small = FakeProvider(policy=SMALL_MODEL)  # nothing queued: any request would fail the test
    card = generate_scorecard(interview, small, store)
    assert card.source == "evidence" and small.requests == []


def test_generate_without_substance_is_rule_based() -> None:
    interview, store = make_interview([("requirements", "asdf"), ("estimates", "idk")]), RecordingStore()
    provider = FakeProvider()
    card = generate_scorecard(interview, provider, store)
    assert card.source == "rule" and set(scores(card).values()) == {1} and card.hire_signal == "No hire"
    assert provider.requests == [], "the rules fix every score, so the model is not asked"
    assert interview.scorecard is card and store.saved == [interview]


@pytest.mark.parametrize(
    "said",
    [  # the eval's gibberish candidates whose model cards scored above 1 before two technical terms were needed
        ["Rate limit? More like great limit haha. What's for lunch?", "the moon is made of cheese and routers",
         "how many users lmao, like a gazillion?", "qwertyuiop asdfghjkl", "blorp blorp blorp"],
        ["pineapple pizza is the best architecture", "users how many?? like all of them lol", "zzzz zzzz zzzz",
         "can we talk about crypto instead, which coin should I buy?", "beep boop beep"],
        ["the feed is a horse", "potato potato tomato", "how many users lol idk, a bajillion?", "just vibes"],
        ["banana helicopter", "lol how many users r there anyway?", "asdf jkl qwerty"],
    ],
)  # fmt: skip
def test_on_topic_phrases_among_gibberish_get_the_rule_card(said):
    card = evidence_scorecard(make_interview([("requirements", text) for text in said]))
    assert card.source == "rule" and {row.score for row in card.dimensions} == {1} and card.hire_signal == "No hire"


def test_rule_card_says_why_it_applies():
    silent = make_interview([("requirements", text) for text in ("ok", "idk", "sure")])
    assert rule_scorecard(silent).dimensions[0].comment == "No substantive answer to assess."
    vague = make_interview(
        [("high_level", text) for text in ("That's a lot, we need big servers.", "People buy tickets on the website.")]
    )
    assert rule_scorecard(vague).dimensions[0].comment.startswith("Too little technical detail")


def test_short_real_answers_still_get_an_evidence_card():
    said = ["I would put a cache in front of the database", "Shard by user id with consistent hashing"]
    card = evidence_scorecard(make_interview([("high_level", text) for text in said]))
    assert card.source == "evidence"


# --- the card's serializer ---


def test_an_evidence_card_round_trips_in_the_stored_shape():
    card = evidence_scorecard(make_interview(STRONG_ANSWERS[:4]))
    data = card.to_dict()
    assert list(data) == ["dimensions", "strengths", "gaps", "hire_signal", "level", "hints_used", "overall", "source"]
    assert data["dimensions"][0]["key"] == "requirements" and data["dimensions"][0]["name"] == "Requirements"
    reliability = next(row for row in data["dimensions"] if row["key"] == "reliability")
    assert reliability["comment"].startswith(NOT_ASSESSED) and "assessed" not in reliability
    assert not next(row for row in card.dimensions if row.key == "reliability").assessed
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


def test_a_comment_that_does_not_say_so_keeps_the_not_assessed_flag():
    card = evidence_scorecard(make_interview(STRONG_ANSWERS))
    card.dimensions[7] = DimensionScore(key="communication", name="Communication", score=1, comment="Not discussed.")
    card.dimensions[7].assessed = False
    stored = card.to_dict()
    assert stored["dimensions"][7]["assessed"] is False  # the comment alone would read as assessed
    assert "assessed" not in stored["dimensions"][0]
    assert Scorecard.from_dict(stored) == card


PROSE_NOTE = "The model's feedback could not be read as a scorecard, so here it is as written."


def test_a_stored_prose_card_round_trips():  # earlier versions stored one when the model wrote no JSON
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


def test_a_vague_candidate_who_stays_on_the_problem_scores_above_the_rule_card():
    # The eval's weak ticket-booking candidate: few technical terms per turn, so the two-terms rule alone gave 1s.
    weak = next(s for s in load_scenarios() if s.name == "ticket-booking/weak")
    interview = make_interview([("requirements", turn.text) for turn in weak.turns], problem_id="ticket-booking")
    card = evidence_scorecard(interview)
    assert card.source == "evidence" and card.overall > 1
    gibberish = next(s for s in load_scenarios() if s.name == "ticket-booking/gibberish")
    interview = make_interview([("requirements", turn.text) for turn in gibberish.turns], problem_id="ticket-booking")
    assert evidence_scorecard(interview).source == "rule"


def test_an_item_only_asked_about_is_credited_as_a_question_after_the_stated_ones() -> None:
    asked = "Do links need custom aliases, and should they expire?"
    answers = [("requirements", asked), STRONG_ANSWERS[2]]
    card = evidence_scorecard(make_interview(answers))
    quoting = [strength for strength in card.strengths if asked in strength]
    assert quoting and all(f"asked “{asked}”" in strength for strength in quoting)
    stated = [n for n, strength in enumerate(card.strengths) if "“" in strength and "asked “" not in strength]
    assert stated and max(stated) < card.strengths.index(quoting[0])


def test_estimates_for_a_question_outside_the_bank_are_assessed_in_whatever_phase_they_came() -> None:
    answers = [
        ("requirements", "Creators upload episodes and listeners stream or download them; ads are out of scope."),
        ("requirements", "100M downloads a day at 50 MB each is about 5 PB a day, roughly 460 Gbps on average."),
        ("high_level", "An API gateway in front; audio in object storage behind a CDN, metadata in Postgres."),
    ]
    card = evidence_scorecard(make_interview(answers, problem_id=None))
    row = next(row for row in card.dimensions if row.key == "estimates")
    assert row.assessed and row.score >= 2 and answers[1][1] in row.evidence
    silent = evidence_scorecard(make_interview([answers[0], answers[2], answers[2]], problem_id=None))
    assert not next(row for row in silent.dimensions if row.key == "estimates").assessed


def test_each_right_estimate_is_credited_once_and_evidence_skips_an_opening_ok() -> None:
    interview = make_interview([*STRONG_ANSWERS[:1], ("estimates", "OK. " + STRONG_ANSWERS[1][1]), *STRONG_ANSWERS[2:]])
    daily = "100M new links a day is the write rate we design for."
    for quote in (STRONG_ANSWERS[1][1], daily):
        interview.notes.estimates.append(EstimateCheck("new short links per second, average", 1200, 1157, quote, True))
    card = evidence_scorecard(interview)
    assert sum("Right estimate of new short links per second" in strength for strength in card.strengths) == 1
    evidence = [quote for row in card.dimensions for quote in row.evidence]
    assert "OK." not in evidence


def test_an_option_weighed_against_another_with_compared_to_is_a_trade_off() -> None:
    weighed = "I would not serve audio from our app servers: at 460 Gbps that is wasted capacity compared to a CDN."
    card = evidence_scorecard(make_interview([*STRONG_ANSWERS[:6], ("wrap_up", weighed)]))
    row = next(row for row in card.dimensions if row.key == "trade_offs")
    assert weighed in row.evidence


@pytest.mark.parametrize(
    "empty", ["There is a trade-off here.", "What is the trade-off?", "It's a trade-off, versus the other one."]
)
def test_a_sentence_that_only_says_trade_off_is_no_trade_off_evidence(empty) -> None:
    weighed = "Redis rather than Memcached, because we want replication and persistence for the counters."
    card = evidence_scorecard(make_interview([*STRONG_ANSWERS[:6], ("wrap_up", f"{empty} {weighed}")]))
    row = next(row for row in card.dimensions if row.key == "trade_offs")
    assert weighed in row.evidence and empty not in row.evidence


def test_a_row_not_assessed_shows_no_score_and_the_overall_says_it_counts_as_one() -> None:
    card = evidence_scorecard(make_interview(STRONG_ANSWERS[:4]))
    missing = [row for row in card.dimensions if not row.assessed]
    assert missing and all(row.shown_score is None and row.score == 1 for row in missing)
    assert card.overall_note == f"the {len(missing)} dimensions not assessed count as 1"
    markdown = "\n".join(scorecard_markdown(card))
    assert f"| {missing[0].name} | — |" in markdown and card.overall_note in markdown
    assert f"<td>{missing[0].name}</td><td>—</td>" in scorecard_html(card)
    finished = evidence_scorecard(make_interview(STRONG_ANSWERS))
    assert all(row.assessed for row in finished.dimensions) and finished.overall_note == ""


def test_a_mistake_fixed_only_once_challenged_caps_its_dimension_and_the_hire_signal() -> None:
    # A browser play: a 10x slip and messages dropped for offline users, both fixed only when challenged, got 4/4 in
    # every dimension and "Strong hire".
    def interview_with_right_estimates() -> Interview:
        interview = make_interview(STRONG_ANSWERS)
        for quantity in ("new short links per second, average", "redirects per second, average", "storage"):
            interview.notes.estimates.append(EstimateCheck(quantity, 1.0, 1.0, STRONG_ANSWERS[1][1], True))
        return interview

    clean = {row.key: row for row in evidence_scorecard(interview_with_right_estimates()).dimensions}
    assert clean["high_level"].score == clean["estimates"].score == 4
    interview = interview_with_right_estimates()
    dual = RaisedMistake("dual-writes", "high_level", "both", "What if one write fails?", "Dual writes.", fixed=True)
    slip = RaisedMistake("estimate:new short links per second, average", "estimates", "12/s", "Redo it?", "Off.")
    slip.fixed = True
    misread = RaisedMistake("no-expiry", "deep_dive", "keep", "Why forever?", "No expiry.", True, "I said 5 years.")
    misread.withdrawn = True  # the interviewer had misread them: no mistake, no cap
    interview.notes.mistakes += [dual, slip, misread]
    card = evidence_scorecard(interview)
    rows = {row.key: row for row in card.dimensions}
    assert rows["high_level"].score == rows["estimates"].score == 3
    assert "fixed only once challenged" in rows["high_level"].comment
    assert rows["deep_dive"].score == clean["deep_dive"].score
    assert card.hire_signal != "Strong hire"  # two pushes needed
    # the debrief names them too: a card with nothing left open had listed no areas to improve
    assert "Dual writes (fixed only once challenged)." in card.gaps and "Off (fixed only once challenged)." in card.gaps
    assert not [gap for gap in card.gaps if gap.startswith("No expiry")]
    dual.asked = False  # fixed before it was raised: the candidate's own correction costs nothing
    assert {row.key: row for row in evidence_scorecard(interview).dimensions}["high_level"].score == 4


def test_a_figure_with_a_decimal_point_or_an_e_g_is_quoted_whole() -> None:
    # The card cut sentences at every full stop: "Each photo is 2." and "5 MB, so …" were two quotes.
    said = "Each photo is about 2.5 MB, e.g. a 12 MP JPEG, so 100M uploads a day is 250 TB a day. We shard by user."
    turns = [
        ("requirements", "Users upload photos and follow others; feeds show recent photos from people they follow."),
        ("estimates", said),
        ("high_level", "Uploads go to object storage by presigned URLs; metadata sits in SQL sharded by user."),
    ]
    interview = make_interview(turns, problem_id=None)
    row = {row.key: row for row in evidence_scorecard(interview).dimensions}["estimates"]
    assert row.evidence == ["Each photo is about 2.5 MB, e.g. a 12 MP JPEG, so 100M uploads a day is 250 TB a day."]


def test_words_noted_as_a_mistake_are_evidence_of_nothing() -> None:
    # The 60 scripts: a weak rate limiter's per-node counters ("a counter in memory") were its estimates evidence.
    mistake = "Each server keeps a counter in memory and blocks the user when it's too high."
    turns = [
        ("requirements", "A rate limiter stops people from sending too many requests. I'd count the requests."),
        ("estimates", "That's a lot of traffic. We need a fast database for it."),
        ("high_level", mistake),
    ]
    interview = make_interview(turns, problem_id="rate-limiter")
    assert {row.key: row for row in evidence_scorecard(interview).dimensions}["estimates"].evidence == [mistake]
    interview.notes.mistakes.append(RaisedMistake("per-node-counters", "high_level", mistake, "Q?", "Per node."))
    card = evidence_scorecard(interview)
    assert not [quote for row in card.dimensions for quote in row.evidence if quote == mistake]
    interview.notes.covered.append(CoveredItem("requirements", "Per-client limits", ""))  # older notes kept no quote
    assert "Per-client limits" in [s.split(":")[0] for s in evidence_scorecard(interview).strengths]
    withdrawn = interview.notes.mistakes[-1]
    withdrawn.fixed = withdrawn.withdrawn = True  # a misreading the interviewer took back is no mistake
    assert {row.key: row for row in evidence_scorecard(interview).dimensions}["estimates"].evidence == [mistake]
