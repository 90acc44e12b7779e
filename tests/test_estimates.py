"""Tests for the estimate parser and checker: numbers with units, verdicts, and no pushback on right numbers."""

from __future__ import annotations

import re

import pytest

from interview.eval.scenarios import load_scenarios
from interview.problems import catalog
from interview.problems.catalog import find_problem
from interview.problems.estimates import check_estimates, derived_facts
from interview.problems.numbers import parse_quantities
from interview.problems.scale import format_bytes, format_count

DAY = 86_400


def _one(text: str):
    quantities = parse_quantities(text)
    assert len(quantities) == 1, quantities
    return quantities[0]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("1.2K writes per second", "rate", 1_200),
        ("1,160 writes/sec", "rate", 1_160),
        ("100M a day", "rate", 100e6 / DAY),
        ("~12k QPS", "rate", 12_000),
        ("about 116K redirects/s", "rate", 116_000),
        ("1B pages a month", "rate", 1e9 / (DAY * 365 / 12)),
        ("3 TB", "bytes", 3e12),
        ("500 bytes", "bytes", 500),
        ("10TB of hot data", "bytes", 10e12),
        ("5 TB a day", "byte_rate", 5e12 / DAY),
        ("40 MB/s", "byte_rate", 40e6),
        ("320 Mbps inbound", "byte_rate", 40e6),
        ("62^7", "keyspace", 62**7),
        ("3.5 trillion codes", "count", 3.5e12),
        ("180B links", "count", 180e9),
        ("5 years", "duration", 5),
        ("2.6M seconds", "duration", 2.6e6),
        ("3x", "skip", 3),
        ("99.9%", "skip", 99.9),
        ("HTTP 429", "number", 429),
    ],
)
def test_parser_reads_numbers_with_units(text: str, kind: str, value: float) -> None:
    quantity = _one(text)
    assert quantity.kind == kind
    assert quantity.value == pytest.approx(value)


def test_parser_marks_arithmetic_ratios_and_per_entity_figures() -> None:
    quantities = parse_quantities("100M x 365 x 5 years is ~180B URLs. A 100:1 read ratio.")
    assert [(q.said, q.operand) for q in quantities if q.kind != "duration"][:3] == [
        ("100M", True),
        ("365", True),
        ("180B URLs", False),
    ]
    assert [q.kind for q in parse_quantities("A 100:1 read ratio")] == ["skip"]
    per_node = parse_quantities(
        "roughly 100K operations per second per Redis shard, and one gateway holds 100K sockets"
    )
    assert [q.per_entity for q in per_node] == [True, True]
    assert _one("at most 1 request per second to any single host").per_entity


def test_parser_carries_a_rate_to_the_peak_that_follows_it() -> None:
    quantities = parse_quantities("about 1,160 writes per second, roughly 3,500 at a 3x peak")
    assert [(q.said, q.kind, q.value) for q in quantities[:2]] == [
        ("1,160 writes per second", "rate", 1160),
        ("3,500", "rate", 3500),
    ]


def test_parser_reads_a_hyphenated_item_size() -> None:
    sizes = [(q.kind, q.value) for q in parse_quantities("a 100-byte counter and an 8-byte hash")]
    assert sizes == [("bytes", 100), ("bytes", 8)]


def test_parser_gives_a_rate_that_names_nothing_the_words_of_the_rate_before_it() -> None:
    loads = parse_quantities("3B feed loads a day, about 3.5K per second.")
    assert [(q.kind, q.nouns) for q in loads] == [("rate", ("feed", "loads")), ("rate", ("feed", "loads"))]
    reads = parse_quantities("100 writes per second, and 10K per second for reads.")
    assert reads[1].nouns == ()


def test_parser_reads_a_dash_after_a_period_as_a_pause_not_a_compound() -> None:
    said = parse_quantities("500K orders a day - about 6 a second.")
    assert [(q.kind, q.nouns) for q in said] == [("rate", ("orders",)), ("rate", ("orders",))]
    assert _one("500K orders a day-window").kind == "count"


def test_a_wrong_result_of_a_listed_figure_is_still_challenged() -> None:
    text = "Peak is 10K PUTs and 100K GETs a second; at 1 MB that's about 1 GB/s in."
    assert [c.said for c in check_estimates(find_problem("object-storage"), text) if c.verdict == "off"] == ["1 GB/s"]


@pytest.mark.parametrize(
    ("text", "said", "kind", "value"),
    [
        ("About a billion requests a day", "a billion requests a day", "rate", 1e9 / DAY),
        ("Five hundred million daily users", "Five hundred million daily users", "count", 500e6),
        ("roughly twelve hundred a second", "twelve hundred a second", "rate", 1_200),
        ("twenty-five thousand QPS", "twenty-five thousand QPS", "rate", 25_000),
        ("half a million users", "half a million users", "count", 500_000),
        (
            "one hundred and twenty thousand writes a day",
            "one hundred and twenty thousand writes a day",
            "rate",
            120e3 / DAY,
        ),
        ("that's two point five terabytes", "two point five terabytes", "bytes", 2.5e12),
        ("A Million users", "A Million users", "count", 1e6),
    ],
)
def test_parser_reads_numbers_said_in_words(text: str, said: str, kind: str, value: float) -> None:
    quantity = _one(text)
    assert (quantity.said, quantity.kind) == (said, kind)  # the words as said: a challenge quotes them
    assert quantity.value == pytest.approx(value)


def test_small_numbers_in_words_stay_words_unless_they_are_operands() -> None:
    # "within a second or two" had been read as 2 updates a second and pushed back on (tuning rounds 16 and 19)
    said = "three replicas in two zones, one leader, a result within a second or two, two-phase commit"
    assert parse_quantities(said) == []
    assert [(q.said, q.value) for q in parse_quantities("ten million users times fifty")][1] == ("fifty", 50)
    assert [q.value for q in parse_quantities("fifty times 20M views")][0] == 50


def test_a_result_of_operands_said_in_words_follows_from_them() -> None:
    # seen playing the page: "fifty" was not read, so "five billion views a day" was judged alone and pushed back on
    said = "a hundred million daily users times fifty views is five billion views a day, about fifty eight thousand a second"
    assert [q.operand for q in parse_quantities(said)][:2] == [True, True]
    assert check_estimates(find_problem("photo-sharing"), said) == []


def test_a_slip_said_in_words_is_challenged_like_one_in_digits() -> None:
    problem = find_problem("url-shortener")
    said = "We create a hundred million links a day, so that's about twelve thousand writes a second."
    (check,) = [c for c in check_estimates(problem, said) if c.verdict == "off"]
    assert check.said == "twelve thousand writes a second"
    right = "We create a hundred million links a day, so that's about twelve hundred writes a second."
    assert [c for c in check_estimates(problem, right) if c.verdict == "off"] == []


def test_parser_reads_a_second_replica_as_no_period() -> None:
    assert _one("we add 2 servers and a second region").kind == "count"


# ---- verdicts -----------------------------------------------------------------------------------------------


def test_issue_estimates_for_the_url_shortener_are_credited() -> None:
    text = "1,200 writes per second… about 120K redirects per second"
    checks = check_estimates(find_problem("url-shortener"), text)
    assert [(c.verdict, c.said) for c in checks] == [
        ("ok", "1,200 writes per second"),
        ("ok", "120K redirects per second"),
    ]
    assert [c.quote for c in checks] == ["1,200 writes per second…", "about 120K redirects per second"]
    assert all(c.question == "" and c.expected > 0 for c in checks)
    assert checks[1].quantity == "redirects per second, average"


def _numbers_in(text: str) -> set[str]:
    return set(re.findall(r"\d[\d,.]*", text))


@pytest.mark.parametrize(
    ("problem_id", "text", "kind"),
    [
        ("url-shortener", "We should plan for about 100 requests per second.", "rate"),
        ("url-shortener", "Five years of links is only 3 TB.", "bytes"),
        ("url-shortener", "Six base62 characters give 62^6 codes.", "keyspace"),
        ("chat-system", "That's about 3,000 messages per second.", "rate"),
        ("video-streaming", "Egress is around 50 Gbps.", "byte_rate"),
        ("rate-limiter", "All that counter state is about 200 GB.", "bytes"),
        ("key-value-store", "We need about 2,000 storage nodes.", "count"),
    ],
)
def test_wrong_estimates_get_pushback_without_the_answer(problem_id: str, text: str, kind: str) -> None:
    checks = check_estimates(find_problem(problem_id), text)
    assert len(checks) == 1
    check = checks[0]
    assert (check.verdict, check.kind) == ("off", kind)
    assert check.question.endswith("?") and check.said in check.question
    leaked = {format_count(check.expected), format_bytes(check.expected), f"{check.expected:,.0f}"}
    assert not any(answer in check.question for answer in leaked)
    assert _numbers_in(check.question) <= _numbers_in(check.said)


def test_a_rate_restated_per_second_is_judged_by_the_figure_it_restates() -> None:
    text = "300M users opening the feed 10 times a day is 3B feed loads a day, about 3.5K per second."
    checks = {c.said: c for c in check_estimates(find_problem("news-feed"), text)}
    assert checks["3B feed loads a day"].verdict == "ok"
    restated = checks["3.5K per second"]  # 3B a day is about 35K a second: their own conversion slipped
    assert (restated.verdict, restated.quantity) == ("off", "what 3B feed loads a day comes to")
    assert restated.expected == pytest.approx(3e9 / 86_400)
    assert restated.question == 'How do you get from that to "3.5K per second"? Walk me through the arithmetic.'


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("50M keys with a 100-byte counter each is about 5 GB of state.", "ok"),  # their size, their arithmetic
        ("50M keys at 100 bytes each is 5 GB.", "ok"),
        ("50M keys with a 100-byte counter each is about 50 TB of state.", "off"),  # the arithmetic is wrong
        ("With 100-byte counters, all that state is about 5 GB.", "off"),  # no count of their own to check by
    ],
)
def test_a_total_from_the_candidates_own_item_size_is_judged_by_their_arithmetic(text: str, verdict: str) -> None:
    totals = [c for c in check_estimates(find_problem("rate-limiter"), text) if c.kind == "bytes"]
    assert [c.verdict for c in totals] == [verdict]
    assert (totals[0].question == "") == (verdict == "ok")


@pytest.mark.parametrize(
    "text",
    [
        "Each API server handles about 100K ops/s per node.",  # per-node capacity, not a system estimate
        "We add 2 servers a second when autoscaling.",  # a rate of something we derived nothing for
        "Each user creates 5 links.",  # per-user figure
        "That is 100M x 365 x 5 years.",  # arithmetic operands
        "Redirect latency is under 50 ms with a 99.9% hit rate.",  # durations and percentages
        "Return HTTP 302 or 301, and 429 when rate limited.",  # status codes
        "Each link is about 500 bytes.",  # the size of one item
        "We would put it on machines with a 2 TB disk.",  # hardware, not a storage estimate
        "A 25 Gbps network card is plenty.",
    ],
)
def test_unclassifiable_numbers_get_no_verdict(text: str) -> None:
    assert check_estimates(find_problem("url-shortener"), text) == []


def test_daily_active_users_are_people_not_a_rate() -> None:
    assert [
        c
        for c in check_estimates(find_problem("chat-system"), "We have 500M daily active users.")
        if c.verdict == "off"
    ] == []


def test_free_typed_problems_get_no_verdicts_on_their_figures() -> None:
    assert check_estimates(None, "We expect 100 requests per second.") == []
    assert check_estimates(None, "500M users at 2 GB each is about 1 EB of storage.") == []
    assert derived_facts(None) == ()


def test_free_typed_problems_still_get_slips_in_their_own_arithmetic() -> None:
    (check,) = check_estimates(None, "500M users x 2 GB is about 1 PB of storage.")
    assert (check.said, check.verdict, check.quantity) == ("1 PB", "off", "what 500M x 2 GB gives")


@pytest.mark.parametrize("problem", catalog.load_bank(), ids=lambda p: p.id)
def test_the_banks_own_estimates_are_credited(problem) -> None:
    checks = [check for item in problem.checklist["estimates"] for check in check_estimates(problem, item)]
    assert checks, "the checker should recognise at least one of the bank's own estimates"
    assert [c.said for c in checks if c.verdict == "off"] == []


@pytest.mark.parametrize(
    "scenario", [s for s in load_scenarios() if s.kind == "strong" and not s.blind], ids=lambda s: s.name
)
def test_strong_candidates_get_no_estimate_pushback(scenario) -> None:
    checks = [
        check for turn in scenario.turns for check in check_estimates(find_problem(scenario.problem_id), turn.text)
    ]
    assert checks
    assert [c.said for c in checks if c.verdict == "off"] == []


def test_key_space_is_judged_against_the_links_kept() -> None:
    assert [c.verdict for c in check_estimates(find_problem("url-shortener"), "62^7 is plenty")] == ["ok"]
    assert [c.verdict for c in check_estimates(find_problem("url-shortener"), "about 3.5 trillion codes")] == ["ok"]
    assert [c.verdict for c in check_estimates(find_problem("url-shortener"), "62^5 is enough")] == ["off"]


@pytest.mark.parametrize("problem", catalog.load_bank(), ids=lambda p: p.id)
def test_derived_facts_exist_for_every_problem(problem) -> None:
    facts = derived_facts(problem)
    assert facts and all(re.search(r"\d", fact) for fact in facts)


def test_daily_players_are_people_not_a_rate() -> None:
    said = [(q.said, q.kind) for q in parse_quantities("5M daily players times 10 matches is 50M score updates a day.")]
    assert said[0] == ("5M daily players", "count") and said[-1][1] == "rate"
    strong = "5M daily players times 10 matches is 50M score updates a day, about 580 a second on average."
    assert [c.said for c in check_estimates(find_problem("gaming-leaderboard"), strong) if c.verdict == "off"] == []


def test_a_period_said_before_the_number_makes_it_a_daily_volume() -> None:
    daily, _, week = parse_quantities("A day at the average rate is about 43 TB, so 7 days of retention is 300 TB.")
    assert daily.kind == "byte_rate" and round(daily.value / 1e6) == 498 and week.kind == "bytes"
    strong = "A day at the average rate is about 43 TB, so 7 days of retention is roughly 300 TB."
    assert [c.said for c in check_estimates(find_problem("message-queue"), strong) if c.verdict == "off"] == []
    flawed = "Over a day that's roughly 4 TB, so a week of retention is under 30 TB."
    assert "4 TB" in [c.said for c in check_estimates(find_problem("message-queue"), flawed) if c.verdict == "off"]


def test_a_period_after_a_count_in_words_is_that_counts_not_a_later_sizes() -> None:
    said = "Realistically a few hundred million rows a day at ~50 bytes, on the order of 10-15 GB a day."
    size = parse_quantities(said)[0]
    assert size.said == "50 bytes" and size.kind == "bytes", "50 bytes a row, not 50 bytes a day"
    offs = [c.said for c in check_estimates(find_problem("ad-click-aggregation"), said) if c.verdict == "off"]
    assert "50 bytes" not in offs, "read as 50 bytes a day, it was about 2,000,000,000x too low"


def test_only_a_periods_seconds_divide_a_rate_and_days_times_years_are_no_such_step() -> None:
    slip = "100M executions a day divided by ~86,400 seconds is about 115 launches per second on average."
    assert [c.slip for c in check_estimates(find_problem("job-scheduler"), slip) if c.verdict == "off"] == [True]
    strong = "Storage: 100M bids a day for 365 days times seven years is about 255 billion bids."
    assert [c.said for c in check_estimates(find_problem("online-auction"), strong) if c.verdict == "off"] == []


def test_the_top_of_a_per_entity_range_is_per_entity_too() -> None:
    low, high, total, _ = parse_quantities(
        "If each partition takes 10 to 20 MB/s, the 2 GB/s peak needs 200 partitions."
    )
    assert low.per_entity and high.per_entity and not total.per_entity


def test_the_rest_of_one_parts_list_is_per_part_too_but_not_a_total_after_it() -> None:
    text = "With 20 shards, each takes 50K samples a second and 500K series and holds about 180 GB, 3.6 TB in all."
    found = {q.said: q.per_entity for q in parse_quantities(text)}
    assert found == {
        "20 shards": False,
        "50K samples a second": True,
        "500K series": True,
        "180 GB": True,
        "3.6 TB": False,
    }
    chunks = {q.said: q.per_entity for q in parse_quantities("Files go up in chunks of 4 MB and about 500 PB in all.")}
    assert chunks == {"4 MB": True, "500 PB": False}  # one thing's size starts no list


def test_what_a_volume_measures_is_read_but_only_the_number_is_quoted() -> None:
    (daily,) = [q for q in parse_quantities("That's 100 GB of raw data a day.") if q.kind != "skip"]
    assert daily.kind == "byte_rate" and daily.said == "100 GB" and daily.nouns == ("raw", "data")


# Figures that are not the candidate's estimate of a derived quantity: a given said back, the size or pace of one
# thing, a compound word, a peak factor of their own, an alternative weighed to reject it, a figure of one part, a
# figure their own earlier figures give (restated in other units, or multiplied or divided as their words say).
NOT_ESTIMATES = [
    ("job-scheduler", "A scheduler reads runs due in the next few seconds, not a scan of all 10M jobs."),
    ("live-comments", "A stream with 1,000 comments a second and 1M viewers is a billion deliveries a second."),
    ("top-k-trending", "An exact hash map at 50 bytes an entry is around 5 GB per day-window."),
    ("maps-navigation", "1B users at 5 minutes each is 5B navigation-minutes a day."),
    ("object-storage", "Big objects are split into chunks of around 64 MB through multipart upload."),
    ("maps-navigation", "Each phone sends a batch every 15 seconds, so 4 a minute."),
    ("hotel-reservation", "That is about 2.7 bookings a second on average; even at a 10x peak, 27 a second."),
    ("hotel-reservation", "Page views are 23M a day, about 270 a second, maybe 2.7K at peak."),
    ("hotel-reservation", "Holiday peaks run several times the average, so plan for roughly 20 reservations a second."),
    ("photo-sharing", "If feeds used the 2 MB originals, 25B views a day would be 50 PB a day, about 4.6 Tbps."),
    ("proximity-service", "Computing every distance would be 3.4 trillion distance computations a second, impossible."),
    ("metrics-monitoring", "Per host: 100 metrics every 10 s is 10 samples a second, 864K a day."),
    ("metrics-monitoring", "We shard into 20 shards; each takes 50K samples a second."),
    ("photo-sharing", "Posts reach about 200 followers, so 100M posts a day times 200 is 20B feed inserts a day."),
    ("metrics-monitoring", "The ingest budget allows 50 MB/s of samples. On the wire that's 400 Mbps."),
    ("unique-id-generator", "1,000 workers renewing leases every 30 s is about 33 writes a second."),
    ("recommendation-system", "Catalog: 100M items, 500K new a day - about 6 a second, small."),
    ("stock-exchange", "Per symbol the average is 200K orders a day, but the hottest symbols see far more."),
    ("object-storage", "Peak is 10K PUTs and 100K GETs a second; at 1 MB that's about 10 GB/s in and 100 GB/s out."),
    ("message-queue", "Each broker sends about 250 MB/s, around 2 Gbps, which is comfortable for 25 Gbps NICs."),
]


@pytest.mark.parametrize(("problem_id", "text"), NOT_ESTIMATES)
def test_figures_that_are_not_estimates_are_not_challenged(problem_id: str, text: str) -> None:
    assert [c.said for c in check_estimates(find_problem(problem_id), text) if c.verdict == "off"] == []


def test_a_wrong_figure_beside_a_restated_given_is_still_challenged() -> None:
    text = "100M job executions a day is only about 115 per second."
    assert [c.said for c in check_estimates(find_problem("job-scheduler"), text) if c.verdict == "off"] == [
        "115 per second"
    ]


def test_a_peak_far_above_any_plausible_factor_is_still_challenged() -> None:
    text = "About 2.7 bookings a second on average, so 5K a second at peak."
    assert "5K a second" in [
        c.said for c in check_estimates(find_problem("hotel-reservation"), text) if c.verdict == "off"
    ]


@pytest.mark.parametrize(("operation", "challenged"), [("times", []), ("divided by", ["1B new links a day"])])
def test_a_figure_from_their_own_arithmetic_is_judged_by_the_operation_they_said(operation, challenged) -> None:
    text = f"We get 100M new links a day; 100M {operation} 10 is about 1B new links a day."
    checks = check_estimates(find_problem("url-shortener"), text)
    assert [c.said for c in checks if c.verdict == "off"] == challenged


def test_a_figure_that_follows_from_a_wrong_one_leaves_the_wrong_one_challenged() -> None:
    text = "100M new links a day is about 100 new links a second, which is about 8.6M new links a day."
    checks = check_estimates(find_problem("url-shortener"), text)
    assert [c.said for c in checks if c.verdict == "off"] == ["100 new links a second"]


def test_a_peak_named_earlier_in_the_sentence_still_allows_no_figure_below_the_average() -> None:
    text = "Evening peaks are busy, but that is only about 60 score updates a second."
    checks = check_estimates(find_problem("gaming-leaderboard"), text)
    assert [c.said for c in checks if c.verdict == "off"] == ["60 score updates a second"]


def test_a_total_in_a_sentence_about_one_part_is_still_judged() -> None:
    text = "Each server handles 10K redirects a second, and the fleet sees about 1,000 redirects a second in total."
    checks = check_estimates(find_problem("url-shortener"), text)
    assert [(c.said, c.verdict) for c in checks] == [("1,000 redirects a second", "off")]


@pytest.mark.parametrize("rate", ["100 writes per second", "5 new links a second", "40K requests/s", "3 rps", "2M qps"])
def test_a_rate_said_bare_is_not_asked_what_it_was_divided_by(rate: str) -> None:
    # a rate can be assumed rather than divided out of a daily count: the question must not presume a division
    checks = check_estimates(find_problem("url-shortener"), f"We'd see about {rate} for new links.")
    questions = [check.question for check in checks if check.verdict == "off"]
    assert questions and all("divide" not in question for question in questions), checks


def test_a_total_worked_from_a_misread_scale_fact_is_challenged() -> None:
    # the interviewer gave 500M daily active users; the arithmetic holds, the input does not
    misread = "50M DAU times 40 messages is 2B messages a day, so about 23K a second on average."
    checks = check_estimates(find_problem("chat-system"), misread)
    assert [(c.said, c.verdict) for c in checks] == [("2B messages a day", "off"), ("23K a second", "off")]


@pytest.mark.parametrize(
    ("problem_id", "text"),
    [
        # 5 matches is a player's day ("5 matches a day"), not a slip of the 50 matches a machine hosts
        (
            "multiplayer-game-backend",
            "10M players x 5 matches = 50M player-matches a day; at 10 per match that's 5M matches a day. At peak, "
            "1M concurrent / 10 = 100K live matches, and at 50 per machine that's 2,000 game servers.",
        ),
    ],
)
def test_an_input_that_fits_some_scale_fact_is_no_misread(problem_id: str, text: str) -> None:
    checks = check_estimates(find_problem(problem_id), text)
    assert checks and not [check.said for check in checks if check.verdict == "off"], checks


def test_a_daily_fact_said_back_is_no_estimate_even_when_the_fact_puts_a_verb_before_per_day():
    # the fact reads "100M new short URLs created per day": said back as a rate, it is the fact, not an estimate
    problem = find_problem("url-shortener")
    assert check_estimates(problem, "Writes: 100M a day.") == []
    assert [c.verdict for c in check_estimates(problem, "Writes: 100M a day, about 100 a second.")] == ["off"]


def test_a_list_of_bare_figures_counts_what_the_list_before_it_counted_in_order():
    said = "We get 5K PUTs and 50K GETs a second on average, so 10K and 100K at peak."
    assert [(q.nouns, q.kind, q.value) for q in parse_quantities(said)] == [
        (("puts",), "rate", 5_000),  # "a second" after the list is said of each figure in it
        (("gets",), "rate", 50_000),
        (("puts",), "rate", 10_000),  # not the GETs named last
        (("gets",), "rate", 100_000),
    ]
    checks = check_estimates(find_problem("object-storage"), said)
    assert [c.verdict for c in checks] == ["ok", "ok"]  # 10K was judged against downloads on average, an "off"
    # without a parallel list the count stays a count: a user base is not a rate
    users = parse_quantities("We have 100M users and 50K requests a second.")
    assert [(q.kind, q.nouns) for q in users] == [("count", ("users",)), ("rate", ("requests",))]


def test_a_rate_worked_out_from_a_daily_fact_is_an_estimate_not_the_fact_said_back():
    clicks = check_estimates(find_problem("ad-click-aggregation"), "1B clicks a day is about 11.6K clicks a second.")
    assert [(c.verdict, c.said) for c in clicks] == [("ok", "11.6K clicks a second")]
    links = check_estimates(find_problem("url-shortener"), "100M a day over 86,400 s is about 1,160 writes per second.")
    assert [(c.verdict, c.said) for c in links] == [("ok", "1,160 writes per second")]


@pytest.mark.parametrize("said", ["1.6 × 10^12", "1.6 x 10^12", "1.6*10^12"])
def test_a_figure_in_powers_of_ten_is_one_figure(said: str) -> None:
    (quantity,) = [q for q in parse_quantities(f"Forty years of milliseconds is about {said} ms.") if q.value > 100]
    assert quantity.value == pytest.approx(1.6e12)
    problem = find_problem("unique-id-generator")
    assert not check_estimates(problem, f"50 x 365 x 86,400 x 1,000 is about {said} milliseconds.")


@pytest.mark.parametrize(
    ("problem_id", "text", "off"),
    [
        # a day's count over a shorter stated day: 1B / 23,400 s is ~42.7K a second, not 4,300
        (
            "stock-exchange",
            "1B orders per day, and the session is 6.5 hours, which is 23,400 seconds, so around 4,300 orders per "
            "second on average.",
            ["4,300 orders per second"],
        ),
        # a pause after the divisor does not end the sentence: 2B / 86,400 is ~23K a second
        ("post-search", "Searches: 2B a day, divided by 86,400... roughly 2,300 a second.", ["2,300 a second"]),
        # a slip taken back at once is not theirs
        ("news-feed", "That's 30B over 86,400... ~35K a second — no wait, ~350K a second.", []),
    ],
)
def test_a_slip_in_their_own_conversion_is_challenged(problem_id: str, text: str, off: list[str]) -> None:
    assert [c.said for c in check_estimates(find_problem(problem_id), text) if c.verdict == "off"] == off


def test_a_figure_called_a_peak_earns_no_credit_as_the_average_it_happens_to_match():
    # A browser play's card praised "~1,150/s at peak" as the right average; at peak it is 10x low.
    scheduler = find_problem("job-scheduler")
    assert check_estimates(scheduler, "Spikes are 10x at the top of the hour, so call it ~1,150/s at peak.") == []
    both = check_estimates(scheduler, "So call it 1,160/s on average and 11.6K/s at peak.")
    assert [(c.quantity, c.verdict) for c in both] == [
        ("job executions per second, average", "ok"),
        ("job executions per second, peak", "ok"),
    ]
    named_first = check_estimates(scheduler, "The peak is about 11K a second and the average about 1.1K a second.")
    assert [c.quantity.rpartition(", ")[2] for c in named_first] == ["peak", "average"]
