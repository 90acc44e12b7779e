"""The semantic classifier (interview/understanding) with the real MiniLM encoder: phrasings it must catch, near
misses and negations it must not, the pinned model hashes, and the lean install without the encoder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from interview.problems.meaning import anchor_set
from interview.understanding import ITEM, PITFALL, LabelAnchors, Understanding, available
from interview.understanding.anchors import GENERIC, AnchorSet
from interview.understanding.clauses import clauses, is_negated
from interview.understanding.encoder import MiniLmEncoder, ModelFileMismatch, installed_files
from interview.understanding.evaluate import Case, cases_from, cross_validate, evaluate
from tests.helpers import ROOT

pytestmark = pytest.mark.skipif(not available(), reason="the encoder is in requirements-embedded.txt")


@pytest.fixture(scope="module")
def understanding() -> Understanding:
    return Understanding(anchor_set())


def _labels(understanding: Understanding, problem: str | None, turn: str) -> set[str]:
    return {d.label for d in understanding.classify(problem, turn)}


@pytest.mark.parametrize(
    ("problem", "turn", "label"),
    [
        (
            "chat-system",
            "To get new messages, each phone checks with the server every 2 seconds to see whether anything new "
            "has arrived.",
            "client-polling",
        ),
        (
            "chat-system",
            "Messages are shown in the order of the timestamp the sender's phone put on them.",
            "client-clock-ordering",
        ),
        (None, "Honestly, we don't need monitoring or alerts for this.", "no-monitoring"),
        (None, "Every session stays in an in-memory map forever, we never delete them.", "unbounded-growth"),
    ],
)
def test_fresh_phrasings_signal_their_pitfall(understanding, problem, turn, label):
    detections = {d.label: d for d in understanding.classify(problem, turn)}
    assert label in detections
    assert detections[label].kind == PITFALL
    assert detections[label].sentence in turn
    assert 0 < detections[label].score <= 1


@pytest.mark.parametrize(
    ("problem", "turn", "label"),
    [
        (
            "chat-system",
            "Clients keep a WebSocket to a gateway, and the server pushes new messages down it.",
            "client-polling",
        ),
        (
            "chat-system",
            "Each conversation gets a sequence number from the chat service, which defines the order.",
            "client-clock-ordering",
        ),
        (None, "We alert on error rate and queue lag, and page the on-call engineer.", "no-monitoring"),
        (None, "Sessions live in Redis with a 30-minute TTL and LRU eviction when memory is full.", "unbounded-growth"),
    ],
)
def test_near_misses_do_not_signal(understanding, problem, turn, label):
    assert label not in _labels(understanding, problem, turn)


def test_negation_flips_a_pitfall(understanding):
    assert "no-monitoring" in _labels(understanding, None, "We don't need monitoring for this service.")
    assert "no-monitoring" not in _labels(understanding, None, "We need monitoring for this service.")


def test_a_declined_cache_does_not_cover_the_cache_item(understanding):
    item = "Cache the hot ~20% of codes with LRU eviction"
    assert item in _labels(
        understanding, "url-shortener", "We'll cache the hottest short codes in Redis with LRU eviction."
    )
    assert item not in _labels(understanding, "url-shortener", "We won't bother with a cache for the short codes.")


def test_a_declined_sentence_covers_no_item_by_meaning(understanding):
    from interview.problems import meaning
    from interview.problems.catalog import find_problem
    from interview.problems.detect import covered_items

    chat, item = find_problem("chat-system"), "End-to-end encryption (Signal protocol) blocks server-side search"
    said = "There's no end-to-end encryption, so the server can search messages."
    assert [m.declined for m in meaning.understand(chat, said) if m.label == item] == [True]  # near it by meaning
    assert item not in [c.item for c in covered_items(chat, "wrap_up", said)]
    said = "Messages are end-to-end encrypted with the Signal protocol, so the server cannot search them."
    assert item in [c.item for c in covered_items(chat, "wrap_up", said)]
    # a "not" in what the claim gives is no negated claim
    said = "Uploads carry a client-generated id, so a retry after a timeout doesn't create a duplicate post."
    photos = find_problem("photo-sharing")
    covered = [c.item for c in covered_items(photos, "reliability", said)]
    assert "Client retries uploads with an idempotency key" in covered


def test_a_turn_is_judged_clause_by_clause(understanding):
    turn = "Clients keep a WebSocket open. But to get new messages, each phone also asks the server every 2 seconds."
    detections = [d for d in understanding.classify("chat-system", turn) if d.label == "client-polling"]
    assert detections and "every 2 seconds" in detections[0].sentence


def test_polarity_cues():
    assert is_negated("we don't need monitoring")
    assert is_negated("Monitoring can wait until after launch")
    assert is_negated("I wouldn't bother with a cache")
    assert not is_negated("we need monitoring")
    assert not is_negated("We can't skip monitoring")  # two cues cancel out
    assert not is_negated("Clients poll every 2 seconds instead of holding a WebSocket")
    assert [c.text for c in clauses("We shard by user, but the index stays on one box. Fine.")] == [
        "We shard by user, but the index stays on one box.",
        "We shard by user",
        "the index stays on one box.",
    ]


def test_a_model_file_with_another_hash_is_a_clear_error(tmp_path):
    files = installed_files()
    tokenizer = tmp_path / "tokenizer.json"
    shutil.copy(files.tokenizer, tokenizer)
    with tokenizer.open("a") as handle:
        handle.write(" ")
    encoder = MiniLmEncoder(type(files)(model=files.model, tokenizer=tokenizer))  # the constructor reads nothing
    with pytest.raises(ModelFileMismatch, match=r"has sha256 .* expected be50c362.*Reinstall with"):
        encoder.encode(["We shard by user."])


def test_a_missing_model_file_is_a_clear_error(tmp_path):
    files = installed_files()
    encoder = MiniLmEncoder(type(files)(model=tmp_path / "model.onnx", tokenizer=files.tokenizer))
    with pytest.raises(ModelFileMismatch, match="Model file missing"):
        encoder.encode(["We shard by user."])


def test_vectors_are_unit_length_and_in_order():
    encoder = MiniLmEncoder()
    sentences = ["We shard messages by conversation.", "Short.", "A much longer sentence about replicas " * 5]
    vectors = encoder.encode(sentences)
    assert vectors.shape == (3, MiniLmEncoder.dimensions)
    assert abs(float((vectors**2).sum(axis=1).min()) - 1) < 1e-4
    assert float(vectors[0] @ encoder.encode([sentences[0]])[0]) > 0.999


WITHOUT_ENCODER = """
import json, sys
sys.path.insert(0, sys.argv[1])
sys.modules["onnxruntime"] = None  # what find_spec and import see when the package is not installed
from interview import understanding
from interview.problems import meaning
from interview.problems.catalog import find_problem
from interview.problems.detect import detect_pitfalls
report = {"available": understanding.available(), "reason": understanding.unavailable_reason()}
try:
    understanding.MiniLmEncoder().encode(["Each phone polls the server every 2 s."])
    report["raised"] = None
except understanding.EncoderUnavailable as error:
    report["raised"] = str(error)
turn = "I'll just use a random 3-letter code; collisions probably won't happen."
report["meaning_on"] = meaning.enabled()
report["status"] = meaning.status()
report["term_hits"] = [hit.id for hit in detect_pitfalls(find_problem("url-shortener"), turn, turn, "requirements")]
report["imported"] = sorted(n for n in ("onnxruntime", "tokenizers") if sys.modules.get(n) is not None)
print(json.dumps(report))
"""


def test_without_the_encoder_it_says_so_and_detection_falls_back_to_the_term_rules():
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_ENCODER, str(ROOT)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["available"] is False and report["meaning_on"] is False
    assert "onnxruntime" in report["reason"] and "term rules only" in report["reason"]
    assert report["raised"] == report["reason"] and report["status"] == report["reason"]
    assert "tiny-key-space" in report["term_hits"]
    assert report["imported"] == []


def test_importing_the_package_loads_no_model():
    code = "import sys; sys.path.insert(0, sys.argv[1]); import interview.understanding; print('onnxruntime' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_anchors_come_from_the_problem_files():
    anchors = anchor_set()
    polling = anchors.by_key[("chat-system", PITFALL, "client-polling")]
    assert "The other phone asks the server every few seconds if there are new messages." in polling.positives
    assert len(polling.positives) > 1 and polling.negatives
    assert all(a.problem in {GENERIC, "chat-system"} for a in anchors.for_problem("chat-system"))
    # read by its terms only: a label of its own would move the other labels' vetoes
    assert (GENERIC, PITFALL, "transaction-assumed-to-serialise") not in anchors.by_key
    assert (GENERIC, PITFALL, "loss-left-to-users") in anchors.by_key


def test_precision_and_recall_per_label():
    cases = [
        Case("a1", "p", "a", PITFALL, True),
        Case("a2", "p", "a", PITFALL, True),
        Case("a3", "p", "a", PITFALL, False),
        Case("b1", "p", "b", PITFALL, True),
    ]
    flags = {"a1": {(PITFALL, "a")}, "a2": set(), "a3": {(PITFALL, "a")}, "b1": {(PITFALL, "a"), (ITEM, "x")}}
    report = evaluate(cases, lambda case: flags[case.text])
    a = report.counts(PITFALL, "a")
    assert (a.true_positives, a.false_positives, a.false_negatives) == (1, 2, 1)
    assert report.counts(PITFALL, "b").recall == 0
    assert report.near_miss_rate(PITFALL) == 1.0
    assert (ITEM, "x") not in report.per_label  # an item covered by a pitfall's phrasing is not held against it


def test_cross_validation_judges_each_sentence_with_anchors_that_exclude_it():
    anchors = AnchorSet().extend(
        [
            LabelAnchors(
                "polling",
                PITFALL,
                GENERIC,
                (
                    "Each phone asks the server every few seconds for new messages.",
                    "The client polls the API every second to see if anything changed.",
                    "The app keeps checking the server on a timer for updates.",
                    "Every device requests its inbox over and over to pick up new mail.",
                ),
                (
                    "The server pushes new messages over a WebSocket the client keeps open.",
                    "Clients hold a persistent connection and receive updates as they happen.",
                ),
            )
        ]
    )
    report, fitted = cross_validate(anchors, MiniLmEncoder(), folds=3)
    assert len(fitted) == 3
    total = report.total(PITFALL)
    assert total.true_positives + total.false_negatives == 4
    assert sum(report.near_misses[PITFALL]) >= 2  # the two near misses were judged
    assert len(cases_from(anchors.all())) == 6


def test_the_benchmark_builds_multi_sentence_turns_from_the_problem_phrasings():
    from bench.understanding import candidate_turns
    from interview.problems.catalog import find_problem

    turns = candidate_turns(find_problem("chat-system"), 10)
    assert len(turns) == 10
    assert all(len(clauses(turn)) >= 2 for turn in turns)


def test_switched_off_the_interviewer_uses_the_term_rules_alone(monkeypatch):
    from interview.problems import meaning
    from interview.problems.catalog import find_problem

    # a sentence the head reads well above its threshold, so a new phrasing elsewhere in the bank cannot tip it
    turn = "Each view event runs an UPDATE that adds one to the item's counter row in Postgres."
    problem = find_problem("top-k-trending")
    monkeypatch.setenv(meaning.SWITCH, "off")
    assert not meaning.enabled() and "off" in meaning.status()
    assert meaning.understand(problem, turn) == ()
    monkeypatch.setenv(meaning.SWITCH, "on")
    assert meaning.enabled()
    assert "db-increment-per-event" in {m.label for m in meaning.understand(problem, turn)}


def test_a_term_hit_that_reads_like_a_correct_design_is_vetoed_by_meaning(monkeypatch):
    from interview.problems import catalog
    from interview.problems import meaning as problem_meaning

    monkeypatch.delenv(problem_meaning.SWITCH, raising=False)
    hotel = catalog.find_problem("hotel-reservation")
    overview = (
        "High level: a hotel service for room type info, cached and served through a CDN for the heavy page views; "
        "a search and availability service that reads from a cache or read replicas; a reservation service."
    )
    assert problem_meaning.reads_as_correct(hotel, "cache-decides-booking", overview)
    said = "The booking service checks the Redis count, and if it says a room is left we confirm the booking."
    assert not problem_meaning.reads_as_correct(hotel, "cache-decides-booking", said)
    monkeypatch.setenv(problem_meaning.SWITCH, "off")  # term rules only: no veto
    assert not problem_meaning.reads_as_correct(hotel, "cache-decides-booking", overview)
