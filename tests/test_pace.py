"""The interview follows the candidate: phase by content, the probe closest to their turn, their component named."""

from __future__ import annotations

from interview.core.state import Message
from interview.dialogue import moves, pace
from interview.problems.catalog import find_problem
from interview.problems.estimates import check_estimates
from interview.problems.scale_table import kind_for, parse_table
from tests.helpers import new_interview

DESIGN = (
    "Phones keep a WebSocket open to a gateway tier behind a load balancer. A Redis registry maps each user to "
    "their gateway, and messages are written to Cassandra before delivery."
)


def _planned(interview):
    """The move for the last turn, with its plan applied (notes and phase), as the engine does."""
    decided = moves.plan(interview, interview.created_at + 60)
    moves.apply(interview, decided, interview.created_at + 60)
    return decided.move


def _started(question: str, problem_id: str | None, *turns: str):
    interview = new_interview(question, problem_id=problem_id)
    interview.add(Message("assistant", "What would you like to clarify first?", interview.phase))
    for turn in turns:
        interview.add_user(turn)
    return interview


def test_a_design_in_requirements_moves_the_interview_to_high_level_design():
    interview = _started("Design a chat app", "chat-system", DESIGN)
    move = _planned(interview)
    assert interview.phase == "high_level"
    assert move.kind == "advance"
    assert "high-level design" in move.lead


def test_a_design_outside_the_bank_moves_on_too():
    interview = _started("Design a walkie-talkie app for hikers", None, DESIGN)
    _planned(interview)
    assert interview.phase == "high_level"


def test_requirements_that_name_a_store_stay_in_requirements():
    interview = _started(
        "Design a chat app",
        "chat-system",
        "Users send one-to-one and group messages, see delivery receipts, and history is kept forever.",
    )
    _planned(interview)
    assert interview.phase == "requirements"


def test_skipped_numbers_are_brought_back_once():
    interview = _started("Design a chat app", "chat-system", DESIGN)
    move = _planned(interview)
    assert move.question == pace.BRING_BACK
    follow = pace.follow_candidate(find_problem("chat-system"), "requirements", DESIGN, False, True, 1)
    assert follow is not None and not follow.bring_back, "asked once only"


def test_numbers_said_earlier_mean_nothing_is_brought_back():
    follow = pace.follow_candidate(find_problem("chat-system"), "requirements", DESIGN, True, False, 0)
    assert follow is not None and not follow.bring_back


def test_the_probe_names_the_candidates_component_when_it_is_about_it():
    phrase = pace.component_phrase(DESIGN, "Which gateway holds the user's connection, registry lookup?")
    assert phrase == "Redis registry"


def test_closest_item_wins_over_bank_order():
    options = [("Shard the store by user", "How would you split the data?"), ("Hot keys", "What about a celebrity?")]
    assert pace.closest(options, "One celebrity account gets most of the traffic") == 1
    assert pace.closest(options, "nothing in common at all") == 0


def test_outside_the_bank_a_scale_question_gets_numbers_of_its_kind():
    interview = _started("Design a video conferencing service like Zoom", None, "How many users should I assume?")
    move = _planned(interview)
    assert move.kind == "answer"
    assert any(ch.isdigit() for ch in move.lead)
    assert kind_for("Design a video conferencing service like Zoom").id == "real-time-communication"
    assert kind_for("Design the shopping cart and checkout for an online store").id == "commerce"
    assert kind_for("Design a chess engine").default


def test_scale_table_is_validated(tmp_path):
    bad = tmp_path / "table.toml"
    bad.write_text('[[kind]]\nid = "x"\nname = "x"\nwords = ["a"]\nfacts = []\n')
    try:
        parse_table(bad)
    except ValueError as error:
        assert "facts" in str(error)
    else:
        raise AssertionError("an empty facts list was accepted")


def test_a_limit_is_not_an_estimate_but_a_worked_out_rate_is():
    rule = "Limits are per API key, say 100 requests a minute, and a client over its limit gets a 429."
    assert check_estimates(find_problem("rate-limiter"), rule) == []
    worked = "With 50M keys and a limit of 100 per minute, the fleet checks about 10 requests per second."
    checks = check_estimates(find_problem("rate-limiter"), worked)
    assert [c.verdict for c in checks] == ["off"], "the worked-out total is still checked"


def test_a_component_name_keeps_its_product_name_but_not_a_verb():
    assert pace.component_phrase("We use Redis for the counters.", "the counters in the cache") == "Redis"
    assert pace.component_phrase("Rows live in a Cassandra cluster.", "where do the rows live") == "Cassandra"
    # "I" is capitalised too, but is not a product: "You mentioned the I'd partition." was said
    assert pace.component_phrase("Then I'd partition the frontier by host.", "how to partition") == ""
    # a component word used as a verb is no component: "You mentioned the replicate." was said
    assert pace.component_phrase("replicate the kv store 3 ways", "how the store survives a zone loss") == "kv store"
    assert pace.component_phrase("We keep three replicas of each shard.", "how many replicas") == "replicas"
    # a component word made an adjective is no component: "You mentioned the sharded." was said
    said = "With 200 followers per user, fan-out is 60B feed inserts a day, which is fine for a sharded cache tier."
    assert pace.component_phrase(said, "500 post IDs x 8 B is 4 KB per user; ~1.2 TB total") == "cache"


def test_a_product_is_mentioned_by_its_name_and_a_part_with_the() -> None:
    assert pace.mention("Each new post goes on Kafka.", "kafka retention and replay") == "Kafka"
    assert pace.mention("The ids sit in a Redis registry.", "registry lookup") == "the Redis registry"
    assert pace.mention("We run a pool of workers.", "what happens when a worker crashes") == "the workers"
    # typed in lower case, a product is still a name (seen playing the page: "You mentioned the postgres.")
    assert pace.mention("it is safe, postgres is ACID.", "postgres isolation") == "Postgres"
    assert pace.mention("jobs are cron style, kept in a table", "cron expressions") == "cron"
    # words the candidate never wrote side by side are no name: "You mentioned the cdn redis." was said
    said = "Search and hotel pages don't hit the primary: hotel details come from a CDN and Redis cache."
    assert pace.mention(said, "Read replicas serve search and hotel pages. What takes the read traffic off?") == ""


def test_audio_products_get_audio_numbers_not_video_ones():
    for question in ("Design Spotify", "Design a podcast hosting platform", "Design a music streaming service"):
        kind = kind_for(question)
        assert kind.id == "audio-streaming", question
        assert not any("video" in fact or "Mbps" in fact for fact in kind.facts)
    assert kind_for("Design a video streaming service like YouTube").id == "media-streaming"
    assert kind_for("Design a fitness tracking app").id != "audio-streaming"
