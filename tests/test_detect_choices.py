"""Which words raise a pitfall: a requirement stated as "must never" is no decline; a turn's own words beat an absence."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview.eval.scenarios import load_scripts
from interview.problems.catalog import find_problem
from interview.problems.detect import detect_pitfalls
from interview.problems.turn_down import rejects_an_alternative, turned_down


def _hits(problem_id: str, text: str, phase: str) -> dict[str, str]:
    return {hit.id: hit.quote for hit in detect_pitfalls(find_problem(problem_id), text, text, phase)}


def test_a_requirement_that_something_must_never_happen_does_not_decline_it() -> None:
    said = "Payments must never double charge, and I'd leave ratings and promotions out of scope."
    assert "no-order-idempotency" not in _hits("food-delivery", said, "requirements")
    assert "no-monitoring" in _hits("url-shortener", "I wouldn't bother with monitoring for now.", "requirements")


def test_a_mistake_said_in_the_turn_is_quoted_even_when_its_absence_is_also_due() -> None:
    said = "If the place-order call times out, the client simply resends the same request and the payment is attempted again."
    hits = _hits("food-delivery", said, "reliability")  # after the deep dive: the absence of idempotency is due too
    assert hits.get("no-order-idempotency") == said, "the candidate's own words, not the silent absence"


def test_an_alternative_weighed_only_to_reject_it_is_no_mistake() -> None:
    rejected = "A naive flow of reading availability and then inserting the booking lets two guests book the last room."
    assert "check-then-book-race" not in _hits("hotel-reservation", rejected, "deep_dive")
    said = "We read availability, and if a room is free we insert the booking in a second step."
    assert "check-then-book-race" in _hits("hotel-reservation", said, "deep_dive")


def test_the_thing_named_inside_the_declining_words_does_not_count_as_said() -> None:
    said = "I don't think we need a cache here; a key-value lookup in Cassandra is fast enough for redirects."
    assert _hits("url-shortener", said, "requirements").get("no-read-cache") == "I don't think we need a cache here"
    deferred = "I'd skip eviction for now; with 10 terabytes across enough servers it should all fit."
    assert "no-eviction-policy" in _hits("distributed-cache", deferred, "requirements")


def test_a_negation_after_the_thing_or_a_conditional_skip_is_no_decline() -> None:
    assert "no-read-cache" not in _hits("url-shortener", "We use Redis so the database doesn't melt.", "requirements")
    kept = "Before calling the provider, the worker checks the status and skips it if it's already sent."
    assert "no-send-dedup" not in _hits("notification-system", kept, "requirements")
    said_elsewhere = "I don't think we need a cache for writes. Reads go through Redis first."
    assert "no-read-cache" not in _hits("url-shortener", said_elsewhere, "requirements")


def test_what_clears_a_pitfall_does_not_count_inside_words_that_decline_it_outright() -> None:
    said = "If a provider call times out the worker retries it, and I don't think we need to track which were already sent."
    assert "no-send-dedup" in _hits("notification-system", said, "high_level")
    state = "A run that hasn't sent a heartbeat for 30 seconds is considered dead and requeued."
    assert "no-worker-failure-detection" not in _hits("job-scheduler", state, "high_level")


def test_a_practice_said_only_inside_a_negation_is_denied_not_committed() -> None:
    denied = "Blocks go to the object store by hash. File bytes never go into the metadata DB."
    assert "file-bytes-in-database" not in _hits("file-sync", denied, "high_level")
    assert "file-bytes-in-database" in _hits("file-sync", "File bytes go into the metadata DB as blobs.", "high_level")
    # a negation reaches no further than a new subject: the resubmission is still said
    resent = (
        "If the app doesn't hear back within two seconds it resubmits, and the server treats each as a new transfer."
    )
    assert "non-idempotent-transfer" in _hits("digital-wallet", resent, "deep_dive")


def test_a_question_commits_to_nothing() -> None:
    asked = "What scale should I design for: how many daily users, and how many page loads does a user generate?"
    assert "nightly-batch-only" not in _hits("recommendation-system", asked, "requirements")
    said = "We recompute every user's recommendations in a nightly batch job, and that's all."
    assert "nightly-batch-only" in _hits("recommendation-system", said, "requirements")
    listed = "Typical message size, retention, and how many consumer groups track each message?"
    assert "per-message-ack-state" not in _hits("message-queue", listed, "requirements")


def test_a_heading_of_one_word_is_too_little_to_read_a_mistake_into() -> None:
    said = "Scaling. Metadata: shard by namespace ID, so a shared folder lives on one shard."
    assert "cloud-handwave" not in _hits("file-sync", said, "scale")


@pytest.mark.parametrize(
    ("sentence", "rejected"),
    [
        ("Putting the original bytes into the database instead would make it the biggest part of the system.", True),
        ("A random 64-bit ID is out: at 10B a day the birthday bound gives about 3 collisions a day.", True),
        ("If I check for B's like and then write A's as a separate step, two people can both miss the match.", True),
        ("If we need more capacity we can just add servers.", False),  # a plan, not a road not taken
        ("We scale it out, and billing is out of scope.", False),
        ("Putting the bytes into the database keeps everything in one place.", False),
        # the naive option named to turn it down; my own wording, not the eval scripts'
        ("Keeping the whole queue in one Redis list is tempting, since it is fast.", True),
        ("I did think about a single Postgres primary for the ledger.", True),
        (
            "The quick fix is a cron job every minute, but on a busy day it falls behind and users see stale numbers.",
            True,
        ),
        ("The simplest approach is one Postgres for everything, but we can add replicas later.", False),
        ("The simplest approach is one Postgres for everything, and it will hold up fine.", False),
        ("My first thought is a single MySQL server with the counts in one table.", False),
        # the naive option named as such: obvious, crude, classic..., or a hypothetical turned down
        ("The crude approach keeps every session in one Postgres table.", True),
        ("Sharding by hash mod N is the usual first answer, and it's a trap.", True),
        ("We could cache whole pages per user, but that would waste memory on pages nobody reopens.", True),
        ("We might count a retry twice, but a few duplicates are fine at this volume.", False),
        ("If the first attempt fails, the job runs again from the top.", False),
        ("Keeping every edit as a separate row would explode the table within a month.", True),
        ("Skipping the dedup step would be expensive to fix later, so I'd skip it for now.", False),
        # an option as the subject of what goes wrong, a hypothetical worked out, a concession: my own wording
        ("One lock per order across all shards would serialize every checkout and fall over at the first sale.", True),
        ("Counting every view on the main database would swamp it within minutes.", True),
        ("The gateway would forward each request to the nearest region.", False),
        ("We would lose a few events on a crash, which is fine for analytics.", False),
        ("Retrying without a key means a timeout turns into a double charge.", True),
        ("Batching writes keeps the database calm.", False),
        ("Store the sessions in a local map and a restart loses every login.", True),
        ("What we don't do is let clients pick their own IDs.", True),
        ("The alternative, one global lock, is simpler, but every write queues behind it and stalls.", True),
        ("A single queue looks simple, but one slow consumer stalls everything behind it.", True),
        ("If every phone polled once a second, that's 50M requests a second for nothing.", True),
        ("If a worker crashed, that's fine: another one picks up its lease.", False),
    ],
)
def test_an_option_named_then_faulted_or_ruled_out_is_rejected(sentence: str, rejected: bool) -> None:
    assert rejects_an_alternative(sentence) is rejected


def test_the_naive_option_named_and_turned_down_is_not_a_mistake() -> None:
    plain = "Every redirect reads the code straight from the Postgres table."
    weighed = (
        "Reading the code straight from the Postgres table on every redirect is tempting, since it is simple, "
        "but at 100K redirects a second the database melts."
    )
    chosen = "The simplest way is every redirect reading the code straight from the Postgres table, and that holds up."
    assert "no-read-cache" in _hits("url-shortener", plain, "deep_dive")
    assert "no-read-cache" not in _hits("url-shortener", weighed, "deep_dive")
    assert "no-read-cache" in _hits("url-shortener", chosen, "deep_dive")


def test_a_naive_option_turned_down_in_the_next_sentence_commits_to_nothing() -> None:
    said = [
        "The quick fix is every redirect reading the code straight from the Postgres table.",
        "I wouldn't: at 100K redirects a second the database melts.",
    ]
    assert turned_down(said) == [True, False]
    assert "no-read-cache" not in _hits("url-shortener", " ".join(said), "deep_dive")
    kept = [said[0], "That's plenty fast for our traffic."]  # the next sentence keeps the option
    assert turned_down(kept) == [False, False]
    assert "no-read-cache" in _hits("url-shortener", " ".join(kept), "deep_dive")


def test_what_goes_wrong_with_a_turned_down_option_is_part_of_turning_it_down() -> None:
    said = [
        "The naive flow reads the free count and then inserts the booking.",
        "Two guests can both read one room left and both insert, and the room is double booked.",
        "We take a row lock on the inventory row instead.",
    ]
    assert turned_down(said) == [True, True, False]
    # one sentence of consequences, not every sentence after it that names a failure
    longer = [*said[:2], "The cache answers availability and never goes stale.", said[2]]
    assert turned_down(longer) == [True, True, False, False]


def test_a_vetoed_term_hit_still_leaves_an_absence_that_is_due(monkeypatch) -> None:
    from interview.problems import meaning

    said = "Every redirect reads the code straight from the Postgres table."
    assert _hits("url-shortener", said, "reliability").get("no-read-cache") == said
    monkeypatch.setattr(meaning, "reads_as_correct", lambda *_: True)  # meaning reads the sentence as correct
    assert _hits("url-shortener", said, "reliability").get("no-read-cache") == "", "no cache was ever said"
    assert "no-read-cache" not in _hits("url-shortener", said, "high_level"), "and before the scale phase is over"


@pytest.mark.parametrize(
    "said",
    [
        # an option framed as one of several, turned down in the next sentence or after granting it something
        ["One idea is a nightly job that rebuilds every player's rank.", "I don't trust it for a live board."],
        ["The default-style answer is one MySQL table of scores.", "It falls over once a tournament starts."],
        [
            "The common first sketch keeps every session in one Postgres table.",
            "Fine for a beta, but at launch the table becomes the bottleneck.",
        ],
        [
            "The obvious alternative is a counter row per item in the database.",
            "That works at a few events a second.",
            "At a million a second the hottest rows lock up and writes queue behind them.",
        ],
        # "I could…" or "we could just…" names an option; "the problem is" turns it down on its own
        ["I could send the whole conversation every turn, it's the simplest.", "The problem is conversations grow."],
        ["We could just do UPDATE counters SET n = n + 1 for each event.", "The problem is 350K writes a second."],
        ["Someone could keep bids only in Redis for speed; I don't, because a crash loses the last bids."],
        ["Running the big model over the whole catalog was never on the table at that rate."],
        ["Considered pushing the whole catalog to every PoP: 200 PB, mostly cold."],
        ["That's what stops a timeout plus a retry from sending the money twice."],
        ["Then exactly-once, which people like to assume comes free."],
        ["Acking after the leader's write is faster, but if that leader dies first, the write is gone."],
        ["Pre-assigning specific rooms fragments inventory: a three-night stay needs one room free all three nights."],
    ],
)
def test_a_framed_option_turned_down_after_it_commits_to_nothing(said: list[str]) -> None:
    assert turned_down(said)[0] is True


def test_a_framed_option_kept_is_still_a_decision() -> None:
    kept = ["One option is a nightly job that rebuilds every player's rank.", "That's what I'd ship first."]
    assert turned_down(kept) == [False, False]
    granted = ["The obvious alternative is a counter row per item.", "That works at our volume.", "We add replicas."]
    assert turned_down(granted) == [False, False, False]
    could = ["We could shard the counters by item.", "That spreads the writes over 64 nodes."]
    assert turned_down(could) == [False, False]


@pytest.mark.parametrize(
    "said",
    [
        "Storing every version in full is the obvious first idea, and it would waste storage we pay for, but deltas "
        "fix that.",
        "Recomputing ranks in a nightly batch is the simple approach, but it would leave ranks stale for hours, which "
        "we cannot accept.",
    ],
)
def test_an_option_said_to_go_wrong_for_us_still_meets_the_other_checks(said: str) -> None:
    # "…would waste storage we pay for" names us, so it is no turn-down by itself; being framed and then turned
    # down ("the obvious first idea…, but") still is
    assert turned_down([said]) == [True]


@pytest.mark.parametrize(
    "said",
    [
        [
            "The quick route is to write every GPS ping into the orders table.",
            "At our ping rate that table drowns.",
            "Instead, pings go to a stream and a location cache.",
        ],
        ["Polling the price endpoint is what people usually build first.", "I'd skip it: it melts on a hot auction."],
        ["Deleting a message once it is acknowledged is how classic brokers work.", "So our log keeps it for a week."],
    ],
)
def test_an_option_said_by_no_one_and_then_replaced_commits_to_nothing(said: list[str]) -> None:
    assert turned_down(said)[0] is True


def test_a_decision_followed_by_what_it_gives_is_still_a_decision() -> None:
    mine = ["We write every GPS ping into the orders table.", "So the tracking page reads it from there."]
    assert turned_down(mine)[0] is False
    plain = ["Each ping is a row in the orders table.", "The tracking page reads the latest one."]
    assert turned_down(plain) == [False, False]
    granted = ["A counter row per ad is fine at our volume.", "So the click service increments it."]
    assert turned_down(granted)[0] is False


def test_what_would_go_wrong_for_us_after_a_turned_down_option_is_part_of_turning_it_down() -> None:
    said = [
        "The quick option is to acknowledge once the leader has the record.",
        "But if the leader dies before a follower copies it, our acknowledged record is gone.",
        "So the leader waits for the in-sync followers.",
    ]
    assert turned_down(said)[:2] == [True, True]
    kept = [
        "The leader acknowledges once it has the record.",
        "If the leader dies we lose a few records, which is fine.",
    ]
    assert turned_down(kept) == [False, False]


@pytest.mark.parametrize(
    "sentence",
    [
        "A tempting shortcut is acknowledging the write before any replica has it.",
        "Writing each night as its own booking is the classic trap here.",
        "I'd resist keeping balances in an eventually consistent store.",
        "Polling every second is what most people reach for first.",
        "Scanning every row per request wastes the whole disk bandwidth.",
        "Keeping only the newest write would quietly erase the tablet's changes.",
        "Queues and retries look attractive because they are familiar, but they hide the real problem.",
        "One thing I'd push back on is a single global sequence.",
        "What I'd actively avoid is a label per user ID.",
    ],
)
def test_an_option_called_a_trap_said_to_waste_or_pushed_back_on_is_turned_down(sentence: str) -> None:
    assert rejects_an_alternative(sentence)


def test_a_framed_option_followed_by_its_problems_is_turned_down() -> None:
    said = ["The plain version sends every upload through our API tier.", "Two problems: it restarts and it costs."]
    assert turned_down(said)[0] is True


def test_an_option_said_to_hurt_us_is_turned_down_but_one_we_would_run_is_not() -> None:
    assert rejects_an_alternative("Polling would lag behind the book and leave every client hammering us.")
    assert rejects_an_alternative("Recounting on every view would overload our primary.")
    assert not rejects_an_alternative("Polling would lag a little, and we would live with that.")
    assert not rejects_an_alternative("A nightly job would recompute ranks, and we would serve them from a cache.")


@pytest.mark.parametrize(
    ("problem_id", "said", "pitfall"),
    [
        (
            "online-judge",
            "Submissions run as child processes. I'd skip gVisor and containers, they cost us a second.",
            "unsandboxed-execution",
        ),
        (
            "digital-wallet",
            "Every wallet row has a balance. We'll leave the double-entry ledger out: too much bookkeeping.",
            "balance-without-ledger",
        ),
        (
            "multiplayer-game-backend",
            "We won't use client prediction, the server's snapshot is what players see.",
            "no-lag-handling",
        ),
        (
            "dating-matching",
            "I'm not filtering out anyone already swiped on, since fresh decks matter more.",
            "reshows-swiped-profiles",
        ),
    ],
)
def test_turning_down_a_pitfalls_remedy_commits_the_pitfall(problem_id: str, said: str, pitfall: str) -> None:
    assert pitfall in _hits(problem_id, said, "deep_dive")


def test_a_remedy_turned_down_after_an_earlier_turn_gave_it_is_no_mistake() -> None:
    earlier = "Each run executes inside a gVisor sandbox with no network."
    later = "For the practice runs I'd skip gVisor, the sandbox from the contest pool is reused."
    hits = detect_pitfalls(find_problem("online-judge"), later, f"{earlier}\n{later}", "deep_dive")
    assert "unsandboxed-execution" not in {hit.id for hit in hits}


@pytest.mark.parametrize(
    "said",
    [
        [
            "Should every reader just poll the table each second?",
            "That is 5M queries a second, almost all empty.",
            "We push.",
        ],
        ["Ranking at query time?", "No: 50K reads a second must never sort 10M rows."],
        ["One option is to let each phone stamp its own bid time.", "I'd reject that outright: phones drift."],
        ["One idea people raise is hosting overflow games on a player's PC.", "For ranked, no: the host can cheat."],
        [
            "The textbook SQL answer is a COUNT of higher scores per request.",
            "The count is the problem at 5K reads a second.",
        ],
        [
            "Grepping the bodies would be fine for a prototype with 100 messages.",
            "At ten years of mail it reads gigabytes.",
        ],
        ["A global order would mean funnelling every write through one node and giving up parallel partitions."],
        ["Per-fix uploads would be 4M requests a second if each phone sent every point."],
        ["Heavy topics match millions of posts, so scoring every match won't fit in 300 ms."],
    ],
)
def test_an_option_asked_about_framed_or_worked_out_and_turned_down_commits_to_nothing(said: list[str]) -> None:
    assert turned_down(said)[0]


def test_the_answer_to_a_question_the_candidate_asks_is_their_decision() -> None:
    said = [
        "How do bidders see a new price?",
        "They poll the price endpoint every second, which never overloads anything.",
    ]
    assert turned_down(said) == [True, False]
    assert "watchers-poll-for-price" in _hits("online-auction", " ".join(said), "deep_dive")


def test_a_question_that_ends_the_turn_or_a_plain_no_determiner_turns_nothing_down() -> None:
    assert turned_down(["We keep a single replica.", "Is that acceptable for you?"]) == [False, False]
    assert turned_down(["Each shard holds one slice of users.", "No replication is needed."]) == [False, False]
    assert not rejects_an_alternative("We score every match in the index, which works fine at this size.")


def test_what_goes_wrong_after_an_option_may_say_we_when_it_says_it_fails_when() -> None:
    said = [
        "A cache that approves bookings is the tempting design.",
        "It fails when a node fails over: the cache says free, we confirm, and we oversell.",
    ]
    assert turned_down(said) == [True, True]


def test_the_way_chosen_instead_is_not_read_as_the_option_it_replaced() -> None:
    said = "Instead, we add a row per like to a likes table sharded by photo ID."
    assert "like-count-row-updates" not in _hits("photo-sharing", said, "deep_dive")


def test_like_as_a_preposition_is_no_sql_like() -> None:
    rounds = Path(__file__).resolve().parent.parent / "interview" / "eval" / "tuning" / "scripts-round20-voices.toml"
    strong = next(s for s in load_scripts(rounds) if s.name == "post-search/strong")
    said = strong.turns[5].text  # "A hashtag like #news might match tens of millions of posts. Do we score all…"
    assert "like-query-scan" not in _hits("post-search", said, "deep_dive")
    assert "like-query-scan" in _hits("post-search", "The API runs a LIKE query on the posts table.", "deep_dive")


@pytest.mark.parametrize(
    ("problem_id", "said", "expected", "not_expected"),
    [
        (
            "post-search",
            "Hmm, the simplest way is to index it inside the publish request: the post service writes the post, calls "
            "the index shard, and only returns success once both are done. No queue, no lag to monitor.",
            "index-in-post-request",
            "no-monitoring",  # "no lag to monitor" says there is no lag, not that nothing is monitored
        ),
        (
            "top-k-trending",
            "Each item has one counter that keeps growing from the first time we saw it, and trending is the items "
            "with the highest counters.",
            "all-time-counts",
            "",
        ),
        (
            "cdn",
            "We cache /account and /api/profile too, short TTL ~30 s, keyed by URL only, Cookie/Authorization ignored.",
            "cache-personalized",
            "ttl-only-updates",  # a short TTL is no claim that expiry alone handles updates
        ),
        (
            "cdn",
            "Updates: TTL only. Default max-age 60 s, so any change is live everywhere in a minute.",
            "ttl-only-updates",
            "",
        ),
        (
            "metrics-monitoring",  # "months later" is when someone looks back, not a retention period
            "Keep raw 10 s samples the full year, no rollups: rollups hide short spikes when you look back months later.",
            "raw-data-forever",
            "",
        ),
        (
            "multiplayer-game-backend",
            "I'd put the whole game server fleet and matchmaking in one large region, say US East.",
            "one-central-game-server",
            "",
        ),
        (
            "unique-id-generator",
            "Before returning each ID, the node writes it to ZooKeeper; on boot it reads it and starts above.",
            "coordinator-per-id",
            "",
        ),
    ],
)
def test_round_20_wordings_raise_the_mistake_they_make(problem_id, said, expected, not_expected) -> None:
    hits = _hits(problem_id, said, "deep_dive")
    assert expected in hits
    assert not_expected not in hits


def test_what_the_candidate_s_own_choice_prevents_is_still_their_choice() -> None:
    # "That's what stops…" points back at a remedy; "…, which prevents…" praises the choice just made
    assert turned_down(["We cache every response, keyed by URL only, which prevents origin overload."]) == [False]
