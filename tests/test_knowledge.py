"""Tests for the problem knowledge data: loading, validation, term patterns, checklist coverage, derived numbers."""

from __future__ import annotations

import copy
import math
import random
from pathlib import Path

import pytest

from interview.eval.scenarios import load_scenarios
from interview.problems import catalog, schema, terms
from interview.problems.catalog import all_problems, find_problem
from interview.problems.detect import covered_items
from interview.problems.load import MIN_PITFALLS, generic_pitfalls, parse_problem
from interview.problems.numbers import parse_quantities
from interview.problems.scale import format_bytes, format_count
from interview.problems.terms import compile_pattern, covering_quote, find, sentences

PROBLEM_IDS = [problem.id for problem in catalog.load_bank()]
GENERIC_IDS = {pitfall.id for pitfall in generic_pitfalls()}
WELL_KNOWN_CONSTANTS = {8.0}  # bytes in a 64-bit timestamp or hash, which the bank never spells out


def _raw(problem_id: str) -> dict:
    return copy.deepcopy(schema.problem_files()[problem_id][1])


def _parse(data: dict, problem_id: str = "url-shortener"):
    return parse_problem(data, f"{problem_id}.toml", GENERIC_IDS)


# ---- the real data ------------------------------------------------------------------------------------------


def test_every_bank_problem_has_knowledge() -> None:
    knowledge = all_problems()
    assert sorted(knowledge) == sorted(PROBLEM_IDS)
    for problem_id in PROBLEM_IDS:
        assert find_problem(problem_id) is knowledge[problem_id]
    assert find_problem(None) is None
    assert find_problem("design-a-chess-engine") is None


@pytest.mark.parametrize("problem_id", PROBLEM_IDS)
def test_knowledge_covers_the_whole_bank_checklist(problem_id: str) -> None:
    problem, knowledge = catalog.find_problem(problem_id), find_problem(problem_id)
    for phase in catalog.PHASE_KEYS:
        assert [entry.item for entry in knowledge.evidence[phase]] == list(problem.checklist[phase])
        assert [entry.index for entry in knowledge.evidence[phase]] == list(range(len(problem.checklist[phase])))
    probes = [entry.probe for entries in knowledge.evidence.values() for entry in entries]
    assert all(probe.endswith("?") for probe in probes)
    assert len(set(probes)) == len(probes), "a probe is repeated, so the interviewer would ask it twice"
    assert len(knowledge.pitfalls) >= MIN_PITFALLS
    assert all(pitfall.question.endswith("?") and pitfall.note for pitfall in knowledge.pitfalls)


def test_generic_pitfalls_cover_the_issue_list() -> None:
    ids = {pitfall.id for pitfall in generic_pitfalls()}
    expected = {"single-instance", "no-monitoring", "dual-writes", "sync-hot-path", "unbounded-growth"}
    assert expected | {"cloud-handwave"} <= ids
    assert all(pitfall.near_miss for pitfall in generic_pitfalls())


# ---- validation errors name the file, the entry and the field ----------------------------------------------


def test_checklist_item_listed_twice_is_rejected() -> None:
    data = _raw("url-shortener")
    data["checklist"]["requirements"][1]["item"] = data["checklist"]["requirements"][0]["item"]
    with pytest.raises(
        ValueError, match=r"url-shortener.toml: checklist.requirements #2: item 'Shorten a long URL.*twice"
    ):
        _parse(data)


def test_too_few_checklist_items_are_rejected() -> None:
    data = _raw("url-shortener")
    data["checklist"]["scale"] = data["checklist"]["scale"][:1]
    with pytest.raises(ValueError, match=r"problem 'url-shortener': field 'checklist.scale' needs at least 2 items"):
        _parse(data)


def test_bad_term_pattern_is_rejected_with_its_field() -> None:
    data = _raw("url-shortener")
    data["checklist"]["estimates"][0]["terms"] = ["writes/s (peak"]
    with pytest.raises(ValueError, match=r"checklist.estimates '~1,160 writes/s.*field 'terms': pattern"):
        _parse(data)


def test_probe_must_be_a_question() -> None:
    data = _raw("url-shortener")
    data["checklist"]["wrap_up"][0]["probe"] = "Tell me about counters."
    with pytest.raises(ValueError, match=r"field 'probe' must be a question"):
        _parse(data)


def test_too_few_pitfalls_are_rejected() -> None:
    data = _raw("url-shortener")
    data["pitfall"] = data["pitfall"][:3]
    with pytest.raises(ValueError, match=r"url-shortener.toml: needs at least 4 \[\[pitfall\]\] tables"):
        _parse(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda p: p.update(question="Is that right."),
            r"pitfall 'tiny-key-space': field 'question' must be a question",
        ),
        (lambda p: p.pop("example"), r"pitfall #1: missing fields: example"),
        (lambda p: p.update(colour="red"), r"pitfall #1: unknown fields: colour"),
        (lambda p: p.update(by_meaning="no"), r"field 'by_meaning' must be true or false, got 'no'"),
        (lambda p: p.update(id="Tiny Keys"), r"field 'id' must be lowercase words joined by '-'"),
        (lambda p: p.update(id="single-instance"), r"pitfall ids also used by generic pitfalls: single-instance"),
        (lambda p: p.update(signal=[{"missing": ["cache*"]}]), r"signal #1: 'missing' and 'by_phase' go together"),
        (lambda p: p.update(signal=[{"unless": ["cache*"]}]), r"signal #1: needs 'together'"),
        (
            lambda p: p.update(signal=[{"missing": ["cache*"], "by_phase": "wrap_up"}]),
            r"field 'by_phase' is 'wrap_up', expected one of requirements",
        ),
    ],
)
def test_bad_pitfalls_are_rejected(change, message: str) -> None:
    data = _raw("url-shortener")
    change(data["pitfall"][0])
    with pytest.raises(ValueError, match=message):
        _parse(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["flow"][1].update(of="old links"), r"scale.flow 'redirects': field 'of' names 'old links'"),
        (lambda s: s["flow"][0].update(peak_per_second=5000), r"give 'peak_factor' or 'peak_per_second', not both"),
        (lambda s: s["flow"][0].pop("bytes"), r"scale.flow 'new short links': a retention needs 'bytes' per item"),
        (lambda s: s["flow"][0].update(per_second=10), r"give the rate one way only"),
        (lambda s: s["flow"][0].update(per_day=-1), r"field 'per_day' must be positive and finite"),
        (lambda s: s["flow"][0].update(per_day="lots"), r"field 'per_day' must be a positive number or a list of them"),
        (lambda s: s["flow"][0].update(speed=1), r"scale.flow #1: unknown fields: speed"),
        (lambda s: s["flow"][0].update(assumed=["speed"]), r"'assumed' names fields that are not numeric inputs here"),
        (lambda s: s["keys"].update(need="redirects"), r"scale.keys: field 'need' names 'redirects'"),
    ],
)
def test_bad_scale_tables_are_rejected(change, message: str) -> None:
    data = _raw("url-shortener")
    change(data["scale"])
    with pytest.raises(ValueError, match=message):
        _parse(data)


def test_knowledge_file_named_after_another_id_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "url-shortener.toml").write_text('id = "rate-limiter"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"url-shortener.toml: field 'id' is 'rate-limiter', expected 'url-shortener'"):
        schema.problem_files(tmp_path)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("id = \n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken.toml: invalid TOML"):
        schema.problem_files(tmp_path)


# ---- term patterns ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        ("code", "seven-character codes", True),  # plural
        ("query", "fewer queries", True),
        ("shorten*", "a URL shortening service", True),  # prefix
        ("read through", "a read-through cache", True),  # hyphen
        ("(one|single) ~ (mysql|database)", "stored in one big MySQL server", True),  # gap of one word
        ("(one|single) ~ (mysql|database)", "one of the three shards of the database", False),  # too far apart
        ("(one|single) ~ (mysql|database)", "not a single database anywhere", False),  # negated
        ("(one|single) ~ (mysql|database)", "no replicas, so one database", True),  # negation in another clause
        ("before ~ (return*|respond*) | synchronous*", "the job runs synchronously", True),
        ("before ~ (return*|respond*) | synchronous*", "we write it before returning", True),
        ("before ~ (return*|respond*) | synchronous*", "we return before writing", False),
        ("302", "I'd return 302 rather than 301", True),
        ("301", "I'd return 302 rather than 301", False),  # "rather than" negates
    ],
)
def test_term_patterns(pattern: str, text: str, found: bool) -> None:
    compiled = compile_pattern(pattern)
    assert any(find(compiled, sentence) for sentence in sentences(text)) is found


@pytest.mark.parametrize("bad", ["", "a ~", "(a|b", "((a))", "(a ~ b)", "a b|c ~ (d", "20%", "a|b c ~ d|e (f)"])
def test_bad_term_patterns_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        compile_pattern(bad)


def _parses(source: str) -> bool:
    try:
        terms._structure(source)
    except ValueError:
        return False
    return True


def _strings_in(value: object) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings_in(item)]
    return [value] if isinstance(value, str) and value.strip() else []


def test_the_load_check_accepts_exactly_what_the_parser_builds() -> None:
    """Loading checks patterns with one expression and parses them on first match: the two must agree."""
    bank = [text for _, raw in schema.problem_files().values() for text in _strings_in(raw)]
    rng = random.Random(26)
    fuzz = ["".join(rng.choice("ab1 .'*|~()") for _ in range(rng.randint(1, 10))) for _ in range(20000)]
    disagree = [text for text in bank + fuzz if text.strip() and _accepted(text) != _parses(text)]
    assert not disagree
    assert sum(map(_parses, fuzz)) > 1000  # the fuzz reaches valid patterns too, not only broken ones


def _accepted(source: str) -> bool:
    try:
        compile_pattern(source)
    except ValueError:
        return False
    return True


def test_covering_quote_spans_at_most_three_sentences() -> None:
    patterns = [compile_pattern("shard*"), compile_pattern("replica*")]
    near = "We shard by code. Each part has two replicas."
    assert covering_quote(patterns, near) == near
    far = "We shard by code. Then caching. Then analytics. Then monitoring. Replicas come last."
    assert covering_quote(patterns, far) is None


# ---- checklist coverage -------------------------------------------------------------------------------------


def _phase_texts(problem_id: str, kind: str) -> dict[str, str]:
    """The scripted candidate's words per phase, following the eval's "next phase" presses."""
    scenario = next(s for s in load_scenarios() if s.problem_id == problem_id and s.kind == kind)
    phase, texts = 0, {key: "" for key in catalog.PHASE_KEYS}
    for turn in scenario.turns:
        phase += turn.next_phase
        texts[catalog.PHASE_KEYS[phase]] += turn.text + "\n"
    return texts


@pytest.mark.parametrize("problem_id", sorted({s.problem_id for s in load_scenarios() if not s.blind}))
def test_strong_candidates_cover_more_than_weak_ones(problem_id: str) -> None:
    counts = {}
    for kind in ("strong", "weak"):
        texts = _phase_texts(problem_id, kind)
        covered = [c for phase, text in texts.items() for c in covered_items(find_problem(problem_id), phase, text)]
        for coverage in covered:
            assert coverage.item in catalog.find_problem(problem_id).checklist[coverage.phase]
            assert all(part in texts[coverage.phase] for part in coverage.quote.split("\n"))
        counts[kind] = len(covered)
    assert counts["strong"] >= 8, counts
    assert counts["strong"] >= 3 * max(1, counts["weak"]), counts


def test_covered_items_quotes_the_evidence() -> None:
    text = "Core features: create a short link from a long URL and redirect the code to the original."
    covered = covered_items(find_problem("url-shortener"), "requirements", text)
    assert [c.index for c in covered] == [0]
    assert covered[0].quote == text
    assert covered_items(find_problem("url-shortener"), "requirements", "We don't need redirects or short links.") == []
    assert covered_items(None, "requirements", text) == []
    with pytest.raises(ValueError, match="unknown phase 'design'"):
        covered_items(find_problem("url-shortener"), "design", text)


def _numbers_in(texts) -> set[float]:
    found = set()
    for quantity in parse_quantities("\n".join(texts)):
        found |= {quantity.written, quantity.value, quantity.value * 8}  # x8: bit rates are read as bytes/s
    return found


def _appears(value: float, numbers: set[float]) -> bool:
    return any(math.isclose(value, number, rel_tol=0.01) for number in numbers)


@pytest.mark.parametrize("problem_id", PROBLEM_IDS)
def test_scale_inputs_agree_with_the_bank(problem_id: str) -> None:
    """Each stated input appears in the bank's scale facts; assumed ones at least in its estimates checklist."""
    problem = catalog.find_problem(problem_id)
    facts = _numbers_in(problem.scale_facts)
    checklist = _numbers_in(problem.checklist["estimates"])
    inputs = find_problem(problem_id).scale.inputs
    assert inputs
    for given in inputs:
        allowed = facts | checklist | WELL_KNOWN_CONSTANTS if given.assumed else facts
        for number in given.numbers:
            where = "estimates checklist" if given.assumed else "scale facts"
            assert _appears(number, allowed), f"{given.where} {given.field}={number:g} is not in the bank's {where}"


def _target(problem_id: str, label: str) -> float:
    return next(t.value for t in find_problem(problem_id).scale.targets if t.label == label)


def test_derived_numbers_for_the_url_shortener() -> None:
    assert _target("url-shortener", "new short links per second, average") == pytest.approx(1157.4, rel=1e-3)
    assert _target("url-shortener", "new short links per second, peak") == pytest.approx(3472.2, rel=1e-3)
    assert _target("url-shortener", "redirects per second, average") == pytest.approx(115_740, rel=1e-3)
    assert _target("url-shortener", "new short links storage over 5 years") == pytest.approx(91.25e12)
    assert _target("url-shortener", "new short links kept over 5 years") == pytest.approx(182.5e9)
    assert _target("url-shortener", "keys needed for new short links") == pytest.approx(182.5e9)
    assert _target("url-shortener", "redirects data per second, average") == pytest.approx(57.87e6, rel=1e-3)


def test_derived_numbers_across_problems() -> None:
    assert _target("chat-system", "messages per second, average") == pytest.approx(289_352, rel=1e-3)
    assert _target("video-streaming", "concurrent viewers") == pytest.approx(8.33e6, rel=1e-3)
    assert _target("video-streaming", "concurrent viewers streaming egress") * 8 == pytest.approx(41.7e12, rel=1e-3)
    assert _target("ride-sharing", "location updates per second, average") == pytest.approx(1.25e6)
    assert _target("rate-limiter", "Redis shards") == 10
    assert _target("key-value-store", "storage nodes") == 75
    assert _target("news-feed", "fan-out feed inserts per second, average") == pytest.approx(347_222, rel=1e-3)
    assert _target("notification-system", "notifications sent storage over 90 days") == pytest.approx(45e12)
    assert _target("web-crawler", "pages fetched storage over 5 years") == pytest.approx(6e15, rel=0.02)


def test_number_formatting() -> None:
    assert [format_count(v) for v in (7, 1157.4, 115_740, 3.52e12, 1000)] == ["7", "1.2K", "116K", "3.5T", "1K"]
    assert [format_bytes(v) for v in (500, 91.25e12, 5.76e15)] == ["500 B", "91 TB", "5.8 PB"]


def test_a_negated_topic_stays_negated_for_the_rest_of_its_clause() -> None:
    # "We won't replicate the message store across zones" was credited as replication through its "zones"
    replication = (compile_pattern("replica*|replicat*|availability zone*|zones"),)
    assert covering_quote(replication, "We won't replicate the message store three times across zones.") is None
    assert covering_quote(replication, "We won't shard it; three replicas across zones.") is not None  # a new clause
    problem = find_problem("chat-system")
    said = "We won't replicate the message store three times across zones."
    assert "Message store replicated 3x across availability zones" not in [
        c.item for c in covered_items(problem, "reliability", said)
    ]


def test_a_sentence_goes_on_past_a_decimal_point_an_e_g_or_a_number_s_ellipsis() -> None:
    said = "Shard by a key, e.g. the user ID, i.e. one hop. It is 2.5 MB each, 86,400... roughly 1K a second! Next?"
    assert [s.text for s in sentences(said)] == [
        "Shard by a key, e.g. the user ID, i.e. one hop.",
        "It is 2.5 MB each, 86,400... roughly 1K a second!",
        "Next?",
    ]
    assert [s.text for s in sentences("Users, posts, etc. Then feeds.\nAnd likes")] == [
        "Users, posts, etc.",
        "Then feeds.",
        "And likes",
    ]


def test_a_requirement_that_something_must_never_happen_covers_its_topic_but_still_negates_a_mistake() -> None:
    sold_twice = (compile_pattern("sold twice|double book*"),)
    said = "A seat must never be sold twice, and big on-sales need fair access."
    assert covering_quote(sold_twice, said) == said  # the term rules alone, not the meaning pass
    assert covering_quote(sold_twice, "We never double book anything because there is no booking.") is None
    assert covering_quote(sold_twice, "Seats are not sold twice.") is None  # a plain negation still denies it
    cache = (compile_pattern("cach*"),)
    assert covering_quote(cache, "We will never need a cache for this.") is None  # "never need" declines it
    assert covering_quote(cache, "Balances must never be served from a stale cache.") is not None
    # what a pitfall's terms match is unchanged: "must never double charge" commits no double charge
    assert find(compile_pattern("double charg*"), sentences("We must never double charge a card.")[0]) is None
    problem = find_problem("ticket-booking")
    covered = [c.item for c in covered_items(problem, "requirements", said)]
    assert "Never double-book a seat" in covered
