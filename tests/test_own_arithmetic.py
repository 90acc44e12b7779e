"""Tests for figures a turn works out from its own figures: no pushback on the chain, pushback on a wrong link."""

from __future__ import annotations

import pytest

from interview.problems.arithmetic import range_low
from interview.problems.catalog import find_problem
from interview.problems.estimates import check_estimates
from interview.problems.numbers import parse_quantities


def _off(problem_id: str, text: str) -> list[str]:
    return [c.said for c in check_estimates(find_problem(problem_id), text) if c.verdict == "off"]


OWN_CHAINS = [
    # a total over the parts they named, in the next sentence
    ("cdn", "So 10M requests a second at 500 KB is 5 TB/s. Over 200 PoPs that averages 50K requests/s."),
    ("photo-sharing", "Photos add 200 TB a day, about 73 PB a year, so 64 shards each add about 1.1 PB a year."),
    # how many servers a total needs at one server's figure
    ("metrics-monitoring", "Ingest is 1M samples a second; a storage node handles 250K samples a second, so 4 nodes."),
    ("proximity-service", "At about 3K QPS per server we need 6 at a 17K peak."),
    # a peak from their own average, named before or after it
    ("photo-sharing", "That's 2.5B feed requests a day or roughly 29K a second, maybe 90K at peak."),
    ("photo-sharing", "25B views is 4.25 PB a day, about 400 Gbps on average and 1.2 Tbps at a 3x peak."),
    # a factor and a share they said
    ("online-auction", "100M bids a day is about 1,160 a second on average, so I'd plan for 10x, about 12K a second."),
    ("photo-sharing", "With a 95% hit ratio the origin sees 5% of 290K, about 15K requests a second."),
    # a range that reaches a fair figure, replication, and a figure set aside
    ("hotel-reservation", "About 3 reservations a second, and 270 to 2.7K page reads a second."),
    ("ad-click-aggregation", "100 GB of clicks a day is about 36.5 TB a year, or around 110 TB with three copies."),
    ("metrics-monitoring", "A dashboard panel moves thousands of points, not 8.6M raw samples."),
    ("metrics-monitoring", "A one-year panel scans 8,760 points per series instead of about 3.2M raw samples."),
    ("url-shortener", "Base62 with 6 characters is 62^6 ≈ 57B — not enough."),
    # a chain of their own operations, a pace over a duration, a share, a compression factor
    ("ad-click-aggregation", "7 days of replay buffer is 100 GB x 7 x 3 = 2.1 TB."),
    (
        "file-sync",
        "That's about 12K edits a second. At maybe 100 KB changed per edit, upload bandwidth is about 1.2 GB/s.",
    ),
    ("digital-wallet", "The nightly reconciliation scans 400M entries; at ~1M rows/s that's under 7 minutes."),
    ("email-service", "Half of inbound is spam, so ~8B spam messages a day."),
    (
        "ad-click-aggregation",
        "The year of raw clicks goes to S3 as Parquet, ~36 TB raw, maybe ~7 TB after 5x compression.",
    ),
    # one part's share, one thing's capacity, a capacity they plan, a key space they need, one field's range
    (
        "ad-click-aggregation",
        "I'd shard by ad_id into 16 partitions, so each aggregator sees ~3K clicks/s at the 50K peak.",
    ),
    ("gaming-leaderboard", "Both are tiny for one Redis sorted set doing ~100K ops/s."),
    ("cdn", "Average PoP at 200 Gbps is 4 boxes of pure egress."),
    ("stock-exchange", "Per symbol: 5,000 symbols means under 10 orders/s each on average."),
    (
        "rate-limiter",
        "A sliding-window log would keep up to 100 timestamps per key, 800 bytes, so 40 GB — not worth it when a counter gets close enough.",
    ),
    ("notification-system", "I'd size the send pipeline for ~50K notifications/s."),
    # a daily scale fact said back as a count, then as a rate
    ("proximity-service", "Writes: 1M business adds or edits a day is only about 12 a second."),
    # a figure of something no target counts, beside one that does
    (
        "photo-sharing",
        "If the average user has about 200 followers, 100M posts a day become 20B feed inserts a day, about 230K a second.",
    ),
    # a fleet with headroom over their total divided by one machine's share
    (
        "multiplayer-game-backend",
        "That's 100K matches. At 50 matches per box we need about 2,500 machines with headroom.",
    ),
    ("url-shortener", "Code length: we need ~180B codes over 5 years."),
    ("unique-id-generator", "2^41 ms is ~2.2 trillion ms, ~69 years, which covers the 50."),
    # one period's rate in another period's units, over a working day shorter than 24 hours, one thing's times many
    ("gaming-leaderboard", "History grows by 50M results a day times 365, so about 18B results a year."),
    (
        "stock-exchange",
        "Trading runs 6.5 hours, which is 23,400 seconds. The busiest symbol gets 20M orders a day, about 850 a second.",
    ),
    (
        "stock-exchange",
        "The feed peaks at 200K messages a second at 50 bytes, about 10 MB/s or 80 Mbps per subscriber; fanned out to "
        "10,000 subscribers that's 800 Gbps.",
    ),
    # a daily total from a daily rate, not from the peak said just before it
    ("file-sync", "So 1B changes a day, 11.6K a second and 35K at peak; at 500 KB each that's 500 TB a day of upload."),
    # a year's count times their item size; a day's count of matches is no concurrency; a quantised copy; one field's
    # range; one node's rate per millisecond said again per second
    ("hotel-reservation", "Bookings pile up at about 80M a year, roughly 40 GB at 500 bytes each."),
    (
        "multiplayer-game-backend",
        "Each day 8M players play 5 matches each, 40M player-matches a day, so 4M matches of 10.",
    ),
    (
        "recommendation-system",
        "At 512 bytes per item, 100M items come to about 51 GB, or 12.8 GB with 8-bit quantization.",
    ),
    ("unique-id-generator", "2^42 is 4.4 x 10^12, about 139 years, so the timestamp takes 42 bits."),
    ("unique-id-generator", "That gives 4,096 IDs per millisecond per node, about 4M a second."),
    # one day's bytes are not the whole retention's
    ("message-queue", "Over a single day that is 43B messages, about 43 TB, and a week is around 300 TB."),
]


@pytest.mark.parametrize(("problem_id", "text"), OWN_CHAINS)
def test_a_figure_from_the_candidates_own_chain_is_not_challenged(problem_id: str, text: str) -> None:
    assert _off(problem_id, text) == []


WRONG_LINKS = [
    (
        "cdn",
        "So 10M requests a second at 500 KB is 5 TB/s. Over 200 PoPs that averages 500 requests/s.",
        "500 requests/s",
    ),
    ("online-auction", "100M bids a day is about 11 a second on average, so I'd plan for 10x.", "11 a second"),
    (
        "online-auction",
        "100M bids a day is 1,160 a second on average; plan for 10x, about 120K a second.",
        "120K a second",
    ),
    ("ad-click-aggregation", "Clicks come to 36.5 TB a year, or around 1.1 PB with three copies.", "1.1 PB"),
    ("hotel-reservation", "Page reads come to 2 to 5 page reads a day in total.", "5 page reads a day"),
    ("url-shortener", "It's not 1K new links a second, it's more like 10 new links a day.", "10 new links a day"),
    # their own arithmetic, slipped by 10x or more
    ("collaborative-editor", "Keeping each doc in memory at 50 KB is 3.3M x 50 KB, about 165 TB of RAM.", "165 TB"),
    ("distributed-cache", "5M reads/s over 50 primaries is about 10K reads/s per node.", "10K reads/s"),
    (
        "online-judge",
        "5M submissions a day, that's ~580 submissions per second on average.",
        "580 submissions per second",
    ),
    ("food-delivery", "10M orders a day is ~115 orders/s average, and the dinner peak at 3x is ~35/s.", "35/s"),
    ("top-k-trending", "Exact counts: 100M distinct items at ~100 bytes an entry is about 10 MB.", "10 MB"),
    (
        "ride-sharing",
        "5M active drivers with one ping every 4 seconds is about 125K updates a second.",
        "125K updates a second",
    ),
    # a fleet: their total over one machine's share, in the same sentence or from the one before
    ("online-judge", "That's 2,000 cores of work, and with 16-core machines that's about 12 judges.", "12 judges"),
    (
        "gaming-leaderboard",
        "History grows by 50M results a day times 365, so about 1.8B results a year.",
        "1.8B results a year",
    ),
    (
        "stock-exchange",
        "Trading runs 6.5 hours, which is 23,400 seconds. The busiest symbol gets 20M orders a day, about 85 a second.",
        "85 a second",
    ),
    (
        "multiplayer-game-backend",
        "That's 100K matches. At 50 matches per box we need about 200 machines.",
        "200 machines",
    ),
    # a product said per day is judged per day, not forgiven by reading it per year
    ("photo-sharing", "Captions: 100M photos times 200 bytes is roughly 20 MB of text a day.", "20 MB"),
    # a day's figure restated "over 86,400 seconds"
    ("free-typed", "That's 20M pings a day, which over 86,400 seconds is about 23 a second.", "23 a second"),
]


@pytest.mark.parametrize(("problem_id", "text", "wrong"), WRONG_LINKS)
def test_a_wrong_link_in_the_chain_is_still_challenged(problem_id: str, text: str, wrong: str) -> None:
    assert wrong in _off(problem_id, text)


def test_a_thousands_figure_followed_by_a_comma_is_one_figure() -> None:
    said = [
        q.said for q in parse_quantities("Per day that's 3M × 86,400, about 259B points, or 1,000, 2,000, and more.")
    ]
    assert said[:3] == ["3M", "86,400", "259B points"] and "1,000" in said and "2,000" in said


def test_a_second_after_what_a_figure_counts_is_its_period() -> None:
    (bids,) = [q for q in parse_quantities("Plan for 12K bids a second system-wide.") if q.value > 1_000]
    assert (bids.kind, bids.nouns) == ("rate", ("bids",))
    (replica,) = parse_quantities("Add a second replica in another zone within 5 minutes.")[:1]
    assert replica.kind == "duration"  # "a second replica" is no period


@pytest.mark.parametrize(
    ("text", "low"),
    [("roughly 10 to 20K a second", 10_000), ("270 to 2.7K reads a second", 270), ("2-3M writes a day", 2e6 / 86_400)],
)
def test_the_low_end_of_a_range_takes_the_high_ends_multiplier_when_it_has_none(text: str, low: float) -> None:
    high = parse_quantities(text)[-1]
    assert range_low(high, text.find(high.said)) == pytest.approx(low)


def test_a_slip_in_their_own_arithmetic_is_challenged_with_what_they_worked_from() -> None:
    text = "Keeping each doc in memory at 50 KB is 3.3M x 50 KB, about 165 TB of RAM."
    (check,) = check_estimates(find_problem("collaborative-editor"), text)
    assert (check.said, check.verdict, check.quantity) == ("165 TB", "off", "what 3.3M x 50 KB gives")
    assert check.expected == pytest.approx(3.3e6 * 50e3)
    assert check.question == 'Can you redo that step out loud and check "165 TB"?'


@pytest.mark.parametrize(
    "text",
    [
        "100M new links a day at 500 bytes each is about 50 GB a day.",  # right: no slip
        "We get 100M new links a day, and 10 of them are mine.",  # no operation said between them
        "Say 30% go to groups of 20: 25B x (0.7 + 0.3 x 20) is about 170B deliveries a day.",  # a bracket
    ],
)
def test_arithmetic_that_is_right_or_not_stated_is_no_slip(text: str) -> None:
    assert [c for c in check_estimates(find_problem("url-shortener"), text) if c.quantity.startswith("what ")] == []


@pytest.mark.parametrize(
    "text",
    [
        # the low end of a range is judged with its high end, not alone
        "Each run writes three or four rows, so 3.5 to 4.6K writes a second on average and 35 to 46K at the hourly peak.",
        # one person's share is not the whole system's
        "A user's 30 photos a month at 2 MB is 60 MB a month each.",
    ],
)
def test_what_a_figure_is_said_of_is_read_before_judging_it(text: str) -> None:
    assert _off("photo-sharing", text) == []


def test_adds_gives_a_figure_rather_than_taking_an_operand() -> None:
    # "sending 10 each adds 4B a day": 4B is what 10 each comes to, and 46K a second restates 4B a day
    assert _off("email-service", "Outbound: sending 10 each adds 4B a day, around 46K a second.") == []


def test_at_peak_after_a_list_is_said_of_every_figure_in_it() -> None:
    slips = check_estimates(
        find_problem("object-storage"), "Requests: 4K PUTs and 40K GETs a second, so 8K and 80K at peak."
    )
    assert not any(check.slip for check in slips)


def test_a_slip_in_a_days_total_is_reported_in_the_same_units_as_the_figure() -> None:
    # seen playing the page: the notes said "about 864,000x too low" for a 10x slip (bytes against bytes a second)
    (check,) = check_estimates(find_problem("photo-sharing"), "100M photos x 2.5 MB = 25 TB a day.")
    assert check.slip and check.expected == pytest.approx(100e6 * 2.5e6 / 86_400)
    assert check.stated / check.expected == pytest.approx(0.1)
