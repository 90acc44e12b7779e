"""Tests for pitfall detection: every pitfall's example signals it, its near miss and strong candidates don't."""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

import pytest

from interview.eval.heldout_data import HeldOutPitfall, load_sentences, parse_sentences
from interview.eval.heldout_sentences import sentence_report
from interview.eval.scenarios import load_scenarios
from interview.problems import catalog, meaning
from interview.problems.catalog import all_problems, find_problem
from interview.problems.detect import clearing_sentence, common_mistakes, covered_items, detect_pitfalls, pitfalls_for
from interview.problems.estimates import check_estimates
from interview.problems.load import generic_pitfalls
from interview.problems.numbers import parse_quantities
from interview.problems.schema import KNOWLEDGE_DIR
from interview.whiteboard.checks import find_pitfalls
from interview.whiteboard.parse import parse

LAST_PHASE = catalog.PHASE_KEYS[-1]
PROBLEM_PITFALLS = [(pid, p) for pid, k in all_problems().items() for p in k.pitfalls]
GENERIC = generic_pitfalls()
PROBLEM_IDS = [None, *all_problems()]
PLANTED_KEY_SPACE = "I'll just use a random 3-letter code stored in one MySQL server; collisions probably won't happen."
PLANTED_DUAL_WRITES = "For the cache I'd put Redis in front of MySQL; every write goes to both."
HELD_OUT = tomllib.loads((KNOWLEDGE_DIR / "held_out.toml").read_text())["pitfall"]


def _ids(problem_id, turn: str, phase: str = LAST_PHASE, transcript: str | None = None, raised=()) -> set[str]:
    return {
        hit.id
        for hit in detect_pitfalls(
            find_problem(problem_id), turn, turn if transcript is None else transcript, phase, raised
        )
    }


@pytest.mark.parametrize(("problem_id", "pitfall"), PROBLEM_PITFALLS, ids=lambda v: getattr(v, "id", v))
def test_problem_pitfall_example_signals_it(problem_id, pitfall) -> None:
    assert pitfall.id in _ids(problem_id, pitfall.example)


@pytest.mark.parametrize(
    ("problem_id", "pitfall"),
    [(pid, p) for pid, p in PROBLEM_PITFALLS if p.near_miss],
    ids=lambda v: getattr(v, "id", v),
)
def test_problem_pitfall_near_miss_does_not_signal_it(problem_id, pitfall) -> None:
    assert pitfall.id not in _ids(problem_id, pitfall.near_miss)


def test_most_problem_pitfalls_have_a_near_miss() -> None:
    with_near_miss = sum(1 for _, pitfall in PROBLEM_PITFALLS if pitfall.near_miss)
    assert with_near_miss == len(PROBLEM_PITFALLS)


@pytest.mark.parametrize("pitfall", GENERIC, ids=lambda p: p.id)
@pytest.mark.parametrize("problem_id", PROBLEM_IDS)
def test_generic_pitfall_example_signals_it_for_any_problem(pitfall, problem_id) -> None:
    assert pitfall.id in _ids(problem_id, pitfall.example)


@pytest.mark.parametrize("pitfall", GENERIC, ids=lambda p: p.id)
@pytest.mark.parametrize("problem_id", PROBLEM_IDS)
def test_generic_pitfall_near_miss_does_not_signal_it(pitfall, problem_id) -> None:
    assert pitfall.id not in _ids(problem_id, pitfall.near_miss)


def test_held_out_phrasings_cover_every_generic_pitfall() -> None:
    assert sorted(entry["id"] for entry in HELD_OUT) == sorted(pitfall.id for pitfall in GENERIC)
    assert all(len(entry["signal"]) >= 3 and len(entry["silent"]) >= 3 for entry in HELD_OUT)


@pytest.mark.parametrize(
    ("pitfall_id", "text"), [(e["id"], text) for e in HELD_OUT for text in e["signal"]], ids=lambda v: v[:40]
)
def test_held_out_phrasing_signals_its_generic_pitfall_at_once(pitfall_id, text) -> None:
    assert pitfall_id in _ids(None, text, phase="high_level")


@pytest.mark.parametrize(
    ("pitfall_id", "text"), [(e["id"], text) for e in HELD_OUT for text in e["silent"]], ids=lambda v: v[:40]
)
def test_held_out_correct_statement_does_not_signal_the_pitfall(pitfall_id, text) -> None:
    assert pitfall_id not in _ids(None, text, phase="high_level")


def test_common_mistakes_list_the_problem_pitfalls_first() -> None:
    mistakes = common_mistakes(find_problem("url-shortener"))
    assert mistakes[0] == all_problems()["url-shortener"].pitfalls[0].note
    assert len(mistakes) == len(all_problems()["url-shortener"].pitfalls) + len(GENERIC)
    assert common_mistakes(None) == tuple(p.note for p in GENERIC)


def test_a_free_typed_question_gets_generic_pitfalls_only() -> None:
    assert {p.id for p in pitfalls_for(None)} == {p.id for p in GENERIC}
    assert _ids(None, PLANTED_KEY_SPACE) >= {"single-instance"}
    assert "tiny-key-space" not in _ids(None, PLANTED_KEY_SPACE)


# ---- the planted mistakes from issue #13 --------------------------------------------------------------------


def test_planted_tiny_random_key_in_one_mysql_is_challenged() -> None:
    hits = detect_pitfalls(find_problem("url-shortener"), PLANTED_KEY_SPACE, PLANTED_KEY_SPACE, "high_level")
    assert [hit.id for hit in hits][:3] == ["tiny-key-space", "ignored-collisions", "single-instance"]
    assert all(hit.quote == PLANTED_KEY_SPACE for hit in hits)
    assert all(hit.question.endswith("?") for hit in hits)


def test_planted_dual_writes_are_challenged() -> None:
    hits = detect_pitfalls(find_problem("url-shortener"), PLANTED_DUAL_WRITES, PLANTED_DUAL_WRITES, "high_level")
    assert "dual-writes" in [hit.id for hit in hits]


@pytest.mark.parametrize(
    ("problem_id", "statement", "not_expected"),
    [
        ("url-shortener", "a base62 7-character code from a counter, with read replicas", {"tiny-key-space"}),
        ("url-shortener", "a base62 7-character code from a counter, with read replicas", {"single-instance"}),
        ("url-shortener", "write-through to the DB then invalidate the cache", {"dual-writes"}),
        ("url-shortener", "On a write we update MySQL and then delete the Redis key.", {"dual-writes"}),
        ("url-shortener", "Seven base62 characters give 62^7, about 3.5 trillion codes.", {"tiny-key-space"}),
        ("url-shortener", "One MySQL primary with two read replicas in other zones.", {"single-instance"}),
        ("rate-limiter", "I can afford one Redis round trip per request but no more.", {"single-instance"}),
        ("chat-system", "Message history is kept forever, about 1.8 PB a year.", {"unbounded-growth"}),
        ("payment-system", "The ledger uses a relational DB with synchronous replication.", {"sync-hot-path"}),
        ("news-feed", "I'd paginate by a cursor on post ID rather than offsets.", {"offset-pagination"}),
        ("ticket-booking", "If zero rows change, someone else got the seat first.", {"double-booking-race"}),
    ],
)
def test_correct_statements_get_no_pushback(problem_id, statement, not_expected) -> None:
    assert not (_ids(problem_id, statement) & not_expected)


# ---- signals over a whole interview -------------------------------------------------------------------------


def _run(scenario) -> list[tuple[str, str]]:
    """(phase, pitfall id) for every pitfall signalled while replaying a scripted candidate."""
    phase, transcript, raised, found = 0, "", [], []
    for turn in scenario.turns:
        phase += turn.next_phase
        transcript += turn.text + "\n"
        hits = detect_pitfalls(
            find_problem(scenario.problem_id), turn.text, transcript, catalog.PHASE_KEYS[phase], raised
        )
        raised += [hit.id for hit in hits]
        found += [(catalog.PHASE_KEYS[phase], hit.id) for hit in hits]
    return found


@pytest.mark.parametrize(
    "scenario", [s for s in load_scenarios() if s.kind == "strong" and not s.blind], ids=lambda s: s.name
)
def test_strong_candidates_trigger_no_pitfall(scenario) -> None:
    assert _run(scenario) == []


def _challenges_on_planted_turns(scenario) -> list[tuple[str, list[str]]]:
    """For each planted mistake: its turn, and the pushback questions raised on it (words, then the drawing)."""
    phase, transcript, raised, found = 0, "", [], []
    for turn in scenario.turns:
        phase += turn.next_phase
        transcript += turn.text + "\n"
        estimates = [
            c.question for c in check_estimates(find_problem(scenario.problem_id), turn.text) if c.verdict == "off"
        ]
        hits = detect_pitfalls(
            find_problem(scenario.problem_id), turn.text, transcript, catalog.PHASE_KEYS[phase], raised
        )
        raised += [hit.id for hit in hits]
        knowledge = find_problem(scenario.problem_id)
        drawn = find_pitfalls(parse(turn.diagram), knowledge.read_heavy) if turn.diagram else []
        if turn.mistake:  # what was drawn is asked after what was said, as in moves.note_turn
            found.append((turn, estimates + [hit.question for hit in hits if hit.quote] + [p.question for p in drawn]))
    return found


@pytest.mark.parametrize(
    "scenario", [s for s in load_scenarios() if s.kind == "flawed" and not s.blind], ids=lambda s: s.name
)
def test_every_planted_mistake_is_challenged_on_its_turn_in_its_own_words(scenario) -> None:
    for turn, questions in _challenges_on_planted_turns(scenario):
        assert questions, f"not detected: {turn.text}"
        first = questions[0].lower()
        assert any(term in first for term in turn.challenge_terms), f"{questions[0]!r} does not name: {turn.mistake}"


@pytest.mark.parametrize(
    "scenario", [s for s in load_scenarios() if s.kind == "weak" and not s.blind], ids=lambda s: s.name
)
def test_weak_candidates_trigger_pitfalls(scenario) -> None:
    found = _run(scenario)
    assert len(found) >= 2, found
    assert len({pitfall for _, pitfall in found}) == len(found), "a raised pitfall was raised again"


@pytest.mark.parametrize("scenario", [s for s in load_scenarios() if s.kind == "gibberish"], ids=lambda s: s.name)
def test_gibberish_triggers_no_statement_pitfall(scenario) -> None:
    quoted = [
        hit
        for turn in scenario.turns
        for hit in detect_pitfalls(find_problem(scenario.problem_id), turn.text, turn.text, "requirements")
        if hit.quote
    ]
    assert quoted == []


def test_something_never_said_is_raised_only_after_its_phase() -> None:
    text = "We replicate the database across three zones."
    assert "no-monitoring" not in _ids(None, text, phase="reliability")
    hits = detect_pitfalls(None, text, text, "wrap_up")
    monitoring = next(hit for hit in hits if hit.id == "no-monitoring")
    assert monitoring.quote == ""
    assert "no-monitoring" not in _ids(None, text, phase="wrap_up", transcript="We alert on p99 latency. " + text)


def test_what_the_turn_said_comes_before_what_was_never_said() -> None:
    turn = "All messages are stored in one PostgreSQL server."
    hits = detect_pitfalls(find_problem("chat-system"), turn, turn, "wrap_up")
    quoted = [hit.id for hit in hits if hit.quote]
    assert "single-instance" in quoted and any(not hit.quote for hit in hits)
    assert [bool(hit.quote) for hit in hits] == sorted((bool(hit.quote) for hit in hits), reverse=True)


def test_raised_pitfalls_are_not_raised_again() -> None:
    assert "dual-writes" not in _ids("url-shortener", PLANTED_DUAL_WRITES, raised=["dual-writes"])


def test_cleared_by_earlier_words_in_the_transcript() -> None:
    earlier = "Every shard is replicated across three availability zones."
    turn = "For now, the mapping lives in a single Postgres database."
    assert "single-instance" in _ids("url-shortener", turn, transcript=turn)
    assert "single-instance" not in _ids("url-shortener", turn, transcript=f"{earlier}\n{turn}")


def test_unknown_phase_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown phase 'end'"):
        detect_pitfalls(None, "text", "text", "end")


# ---- pushback never hands over a number the candidate is meant to work out ---------------------------------

_SMALL = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen".split()
_SMALL += "seventeen eighteen nineteen twenty".split()
_NUMBER_WORDS = {word: value for value, word in enumerate(_SMALL)} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SPELLED = re.compile(
    rf"\b(?:(a|an|{'|'.join(_NUMBER_WORDS)})\s+({'|'.join(_SCALES)})|({'|'.join(_NUMBER_WORDS)}))\b", re.IGNORECASE
)


def _spelled_out_as_digits(text: str) -> str:
    """ "Eight million viewers" -> "8000000 viewers", "six petabytes" -> "6 petabytes"."""

    def digits(found: re.Match) -> str:
        count, scale, alone = found.groups()
        if alone:
            return str(_NUMBER_WORDS[alone.lower()])
        return f"{(_NUMBER_WORDS.get(count.lower(), 1)) * _SCALES[scale.lower()]:.0f}"

    return _SPELLED.sub(digits, text)


def _rounded(value: float) -> set[float]:
    """The value as people write it: exact, or to one, two or three significant figures."""
    return {value} | {float(f"{value:.{digits}g}") for digits in (1, 2, 3)}


def _derived_numbers(problem_id: str) -> set[float]:
    """The problem's derived figures, leaving out those the bank states as scale facts."""
    scale = all_problems()[problem_id].scale
    stated = {math.prod(given.numbers) for given in scale.inputs if not given.assumed}
    return {n for t in scale.targets if not any(math.isclose(t.value, s) for s in stated) for n in _rounded(t.value)}


def _leaked(problem_id: str, question: str) -> list[str]:
    """The question's numbers that are derived figures; a stated fact ("a billion pages a month") is no leak."""
    derived = _derived_numbers(problem_id)
    stated = {n for given in all_problems()[problem_id].scale.inputs if not given.assumed for n in given.numbers}
    return [
        q.said
        for q in parse_quantities(_spelled_out_as_digits(question))
        if q.kind not in ("duration", "skip")
        and q.written not in stated
        and any(math.isclose(q.value, n, rel_tol=1e-6) for n in derived)
    ]


def test_the_leak_check_finds_derived_numbers_however_written() -> None:
    assert _leaked("chat-system", "At 290K messages per second, what happens?") == ["290K messages per second"]
    assert _leaked("web-crawler", "How many disks hold six petabytes?") == ["6 petabytes"]
    assert _leaked("video-streaming", "Eight million viewers at once?") == ["8000000 viewers"]
    assert _leaked("rate-limiter", "At a million requests per second?") == []  # the bank states that one
    assert _leaked("web-crawler", "A billion pages a month: how many a second?") == []


@pytest.mark.parametrize("problem_id", list(all_problems()))
def test_pitfall_questions_never_give_a_derived_number(problem_id) -> None:
    leaks = {p.id: _leaked(problem_id, p.question) for p in pitfalls_for(find_problem(problem_id))}
    assert {pitfall: said for pitfall, said in leaks.items() if said} == {}


@pytest.mark.parametrize("problem_id", list(all_problems()))
def test_probes_never_give_a_derived_number(problem_id) -> None:
    probes = [entry.probe for entries in all_problems()[problem_id].evidence.values() for entry in entries]
    assert {probe: said for probe in probes if (said := _leaked(problem_id, probe))} == {}


# The fresh tuning set of issue #26 (tuning data, not held out): the new problems' term rules were tuned on it, so
# these floors only stop a silent regression; the held-out figures are in docs/EVAL.md.
TUNING_SET = Path(__file__).resolve().parent.parent / "interview" / "eval" / "tuning"
NEW_PROBLEMS = {pid for pid, problem in all_problems().items() if problem.order >= 15}


def _new_problem_examples() -> list[HeldOutPitfall]:
    return [
        HeldOutPitfall(pid, p.id, p.examples, p.near_misses)
        for pid, problem in all_problems().items()
        if pid in NEW_PROBLEMS
        for p in problem.pitfalls
    ]


@pytest.fixture
def terms_only(monkeypatch):
    monkeypatch.setenv(meaning.SWITCH, "off")  # the term rules alone, fast and what was tuned; meaning only adds


def test_the_tuning_set_covers_every_new_problem_pitfall() -> None:
    tuning = load_sentences(TUNING_SET, ("new-problems.toml",))
    assert {(p.problem, p.id) for p in tuning} == {
        (pid, p.id) for pid in NEW_PROBLEMS for p in find_problem(pid).pitfalls
    }


def test_the_tuning_set_holds_its_recall_and_near_miss_floor(terms_only) -> None:
    totals = sentence_report(load_sentences(TUNING_SET, ("new-problems.toml",)))["totals"]["all"]
    assert totals["commits"] == 685 and totals["near_misses"] == 412
    assert totals["recalled"] >= 610, totals  # 618/680 when tuned (434 before)
    assert totals["near_miss_fired"] <= 2, totals  # 1/408 when tuned
    assert totals["pitfalls_never_recalled"] <= 1, totals


def test_the_new_problems_examples_hold_their_recall_and_near_miss_floor(terms_only) -> None:
    totals = sentence_report(_new_problem_examples())["totals"]["all"]
    assert totals["recalled"] >= 765, totals  # 771/816 when tuned (673 before)
    assert totals["near_miss_fired"] == 0, totals


def test_the_new_problems_checklist_examples_raise_almost_no_pitfall(terms_only) -> None:
    fired = [
        (pid, example)
        for pid in sorted(NEW_PROBLEMS)
        for entries in find_problem(pid).evidence.values()
        for entry in entries
        for example in entry.examples
        if detect_pitfalls(find_problem(pid), example, example, "requirements", ())
    ]
    assert len(fired) <= 2, fired  # correct statements: 2 of 1458 fire (3 before tuning)


def test_the_second_round_for_the_scripted_problems_holds_its_floor(terms_only) -> None:
    data = tomllib.loads((TUNING_SET / "scripted-problems-round2.toml").read_text())
    totals = sentence_report(parse_sentences(data, "scripted-problems-round2.toml", (3, 3)))["totals"]["all"]
    assert (totals["commits"], totals["near_misses"]) == (96, 96)
    assert totals["recalled"] >= 93, totals  # 95/96 when tuned (67 before any tuning)
    assert totals["near_miss_fired"] == 0, totals


RETIRED_SENTENCES = tuple(f"retired-sentences-{part}.toml" for part in ("A", "B", "new-A", "new-B"))


def test_the_retired_held_out_sentences_hold_their_floor(terms_only) -> None:
    # Held out until round 9 replaced them (2026-12-06); every problem's term rules were then tuned on them.
    totals = sentence_report(load_sentences(TUNING_SET, RETIRED_SENTENCES))["totals"]["all"]
    assert (totals["commits"], totals["near_misses"]) == (1347, 1080)
    assert totals["recalled"] >= 1310, totals  # 1321 when tuned (736 before, meaning on)
    assert totals["near_miss_fired"] <= 1, totals  # 0 when tuned (25 before)


STRONG_ANSWERS = tomllib.loads((TUNING_SET / "strong-answers.toml").read_text())["answer"]


@pytest.mark.parametrize("answer", STRONG_ANSWERS, ids=lambda a: f"{a['problem']}-{a['set']}")
def test_fresh_strong_answers_raise_no_problem_pitfall(terms_only, answer) -> None:
    problem = find_problem(answer["problem"])
    transcript, raised, found = "", [], []
    for phase, turn in zip(catalog.PHASE_KEYS, answer["turns"], strict=True):
        transcript += turn + "\n"
        hits = detect_pitfalls(problem, turn, transcript, phase, raised)
        raised += [hit.id for hit in hits]
        found += [(phase, hit.id) for hit in hits if not hit.generic]
    assert found == []


def test_a_client_that_retries_by_itself_is_a_duplicate_risk_not_work_left_to_users() -> None:
    # Found playing the page: "the connection drops … the client app just retries" was read as work lost on failure.
    said = (
        "The client sends POST /bookings; the booking service creates the booking and charges the card. If that "
        "request times out or the connection drops, the client app just retries the same POST /bookings until it "
        "gets a response."
    )
    hits = [hit.id for hit in detect_pitfalls(find_problem("hotel-reservation"), said, said, "high_level")]
    assert hits[:1] == ["no-booking-idempotency"] and "loss-left-to-users" not in hits
    lost = "If a worker dies the job is just lost; users can resubmit it."
    assert "loss-left-to-users" in [hit.id for hit in detect_pitfalls(None, lost, lost, "high_level")]


def test_an_item_is_not_credited_to_a_sentence_about_something_else() -> None:
    # seen playing the page: a deploy's "roll back" credited the booking saga, "a search service" the search index
    problem = find_problem("hotel-reservation")
    deploy = "Canary deploys: send 5% of traffic to the new version and roll back automatically if errors rise."
    assert not [c.item for c in covered_items(problem, "reliability", deploy) if c.item.startswith("Saga")]
    search = "A search service reads from a read replica plus a cache of hotel and price data."
    assert not [c.item for c in covered_items(problem, "high_level", search) if c.item.startswith("Search index")]
    undo = "If payment fails we roll back the reservation and release the hold."
    assert [c.item for c in covered_items(problem, "reliability", undo) if c.item.startswith("Saga")]


def test_a_bare_retry_is_no_evidence_of_idempotent_uploads() -> None:
    # seen playing the page: "the phone just retries the POST until it gets a 201" was credited as idempotency
    problem = find_problem("photo-sharing")
    retry = "If the network drops mid-upload, the phone just retries the POST until it gets a 201."
    assert not [c for c in covered_items(problem, "reliability", retry) if "idempotency" in c.item]
    keyed = "The app sends an idempotency key with each upload, so a retry doesn't create a duplicate post."
    assert [c for c in covered_items(problem, "reliability", keyed) if "idempotency" in c.item]


def test_a_workflow_step_that_retries_is_no_run_lost_on_a_crash() -> None:
    # A browser play's DAG design was challenged as "runs silently dropped whenever a worker dies".
    turn = (
        "a failed step just retries itself with backoff; the downstream steps stay blocked until it succeeds, "
        "and the ones that already succeeded aren't rerun."
    )
    hits = detect_pitfalls(find_problem("job-scheduler"), turn, turn, "high_level")
    assert "runs-lost-on-crash" not in [hit.id for hit in hits]
    lost = "if a worker dies in the middle of a job, that run is just lost and marked failed, nobody retries it."
    assert "runs-lost-on-crash" in [
        hit.id for hit in detect_pitfalls(find_problem("job-scheduler"), lost, lost, "wrap_up")
    ]


HISTORY = (
    "for history: each run record is maybe 500 bytes (job id, run id, times, status, worker, exit code, log pointer), "
    "logs themselves go to blob storage."
)
WORKERS = "Workers pull from the queue, run jobs and report status"


@pytest.mark.skipif(not meaning.enabled(), reason="understanding by meaning is off here")
def test_a_sentence_with_an_item_s_words_but_another_point_does_not_cover_it(monkeypatch) -> None:
    # A browser play's card credited the worker design with this sentence about history bytes.
    scheduler = find_problem("job-scheduler")
    assert WORKERS not in [c.item for c in covered_items(scheduler, "high_level", HISTORY)]
    worker_turn = "Each worker pulls the next run off the queue, executes it, and reports success or failure back."
    assert WORKERS in [c.item for c in covered_items(scheduler, "high_level", worker_turn)]
    monkeypatch.setenv(meaning.SWITCH, "off")  # the term rules alone still match it: the meaning check drops it
    assert WORKERS in [c.item for c in covered_items(scheduler, "high_level", HISTORY)]


@pytest.mark.parametrize(
    ("said", "pitfall"),
    [
        # A browser play's chat design: "storing" turned down was taken for the remedy, so neither was challenged.
        (
            "if the recipient is offline we just drop the message, there's no point storing it, the websocket is the "
            "delivery channel and keeping it simple is the whole point.",
            "no-offline-delivery",
        ),
        (
            "honestly, to simplify i'd drop the offline store again: if the recipient is offline the message is just "
            "dropped.",
            "no-offline-delivery",
        ),
        (
            "ordering is basically free here: the websocket runs over tcp, and tcp guarantees in-order delivery.",
            "transport-order-assumed",
        ),
    ],
)
def test_a_browser_play_s_chat_mistakes_are_signalled(said: str, pitfall: str) -> None:
    assert pitfall in [hit.id for hit in detect_pitfalls(find_problem("chat-system"), said, said, "high_level")]


def test_an_offline_store_kept_is_no_dropped_message() -> None:
    for said in (
        "We can't drop the offline store: offline users would lose messages.",
        "Offline messages are never kept in memory; they go to a Cassandra inbox.",
    ):
        assert "no-offline-delivery" not in [
            h.id for h in detect_pitfalls(find_problem("chat-system"), said, said, "high_level")
        ]


def test_ordering_by_a_single_writer_s_sequence_fixes_the_tcp_claim() -> None:
    tcp = next(p for p in find_problem("chat-system").pitfalls if p.id == "transport-order-assumed")
    fix = "fair, tcp only orders bytes on one connection. each conversation's sequence is assigned by a single writer."
    assert clearing_sentence(tcp, fix) == "each conversation's sequence is assigned by a single writer."
