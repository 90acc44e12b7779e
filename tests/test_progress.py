"""Progress logic on score records: review intervals, recommendations, recurring mistakes and the CSV."""

from __future__ import annotations

import csv
import io

from interview.feedback import progress
from interview.problems import catalog
from interview.store.rows import ScoreRecord

DAY = progress.DAY


def record(problem_id, day, overall, mistakes=(), question="Design it", **dims) -> ScoreRecord:
    scores = dims or {"reliability": overall}
    return ScoreRecord(
        id=f"{problem_id}-{day}",
        question=question,
        problem_id=problem_id,
        level="mid",
        created_at=day * DAY,
        overall=overall,
        dimensions={key: (score, ()) for key, score in scores.items()},
        mistakes=tuple((key, f"note {key}", False) for key in mistakes),
    )


def test_low_scores_come_back_after_1_3_7_and_14_days():
    problems = catalog.load_bank()
    for low_attempts, days in ((1, 1), (2, 3), (3, 7), (4, 14), (6, 14)):
        history = [record("web-crawler", 100 + n, 1.5) for n in range(low_attempts)]
        (item,) = progress.review_queue(history, problems)
        assert item.low_attempts == low_attempts
        assert item.due_at == history[-1].created_at + days * DAY
        assert not item.is_due(item.due_at - 1) and item.is_due(item.due_at)
    # A good attempt takes it out of the queue; a later low one starts again at one day.
    assert progress.review_queue([record("web-crawler", 1, 1.0), record("web-crawler", 2, 3.5)], problems) == []
    again = [record("web-crawler", 1, 1.0), record("web-crawler", 2, 3.5), record("web-crawler", 3, 2.0)]
    assert progress.review_queue(again, problems)[0].due_at == 4 * DAY


def test_recommendation_prefers_an_unpractised_category_then_the_lowest_score():
    problems = catalog.load_bank()
    practised = [record(p.id, n, 3.0) for n, p in enumerate(problems) if p.category != "Payments"]
    choice = progress.recommend(practised, problems)
    assert choice.problem.id == "payment-system" and "Payments" in choice.reason
    everything = [record(p.id, n, 1.0 if p.id == "rate-limiter" else 3.0) for n, p in enumerate(problems)]
    assert progress.recommend(everything, problems).problem.id == "rate-limiter"
    assert progress.recommend([], []) is None


def test_recurring_mistakes_count_interviews_in_the_window():
    history = [
        record("a", 1, 2.0, ["no-monitoring"]),  # outside the last four
        record("a", 2, 2.0, ["no-monitoring", "no-monitoring"]),  # counted once
        record("a", 3, 2.0),
        record("a", 4, 2.0, ["no-monitoring", "estimate:qps"]),
        record("a", 5, 2.0, ["no-monitoring"]),
    ]
    (mistake,) = progress.recurring_mistakes(history)
    assert mistake.describe() == "note no-monitoring: in 3 of the last 4 interviews"


def test_csv_has_every_interview_and_defuses_formulas():
    rows = list(
        csv.DictReader(
            io.StringIO(progress.scores_csv([record("a", 1, 2.0, question="=HYPERLINK(1)"), record(None, 2, None)]))
        )
    )
    assert rows[0]["question"] == "'=HYPERLINK(1)" and rows[0]["reliability"] == "2" and rows[0]["overall"] == "2.00"
    assert rows[1]["overall"] == "" and rows[1]["problem_id"] == ""


def test_coverage_and_recommendation_reach_every_problem_of_the_bank():
    problems = catalog.load_bank()
    assert len(problems) >= 40
    areas = progress.coverage([], problems)
    assert sum(len(area.not_yet) for area in areas) == len(problems)
    assert [area.category for area in areas] == list(dict.fromkeys(p.category for p in problems))
    # All practised but the bank's last problem: that one is next, wherever it sits in the bank.
    last = problems[-1]
    nearly = [record(p.id, n, 3.0) for n, p in enumerate(problems) if p is not last]
    assert progress.recommend(nearly, problems).problem == last
    areas = progress.coverage(nearly, problems)
    assert sum(len(area.practised) for area in areas) == len(problems) - 1
    assert [p for area in areas for p in area.not_yet] == [last]
    # Any bank size: a smaller bank's recommendation comes from that bank only.
    small = problems[:3]
    assert progress.recommend(nearly, small).problem in small
    assert sum(len(a.practised) + len(a.not_yet) for a in progress.coverage(nearly, small)) == 3


def test_a_dimension_scored_high_is_no_weak_spot_and_no_reason_to_recommend():
    history = [record("a", n, 3.5, requirements=4, trade_offs=2, estimates=3) for n in range(3)]
    assert [weak.key for weak in progress.weakest_dimensions(history)] == ["trade_offs", "estimates"]
    strong = [record("a", n, 4.0, requirements=4, trade_offs=3.5) for n in range(3)]
    assert progress.weakest_dimensions(strong) == []
    choice = progress.recommend(strong, catalog.load_bank())
    assert "weakest" not in choice.reason and "requirements" not in choice.reason.lower()
    two = progress.recommend(history, catalog.load_bank()).reason
    assert "trade-offs and estimates, your weakest areas" in two.lower()
    one = [record("a", n, 3.5, requirements=4, trade_offs=2) for n in range(3)]
    assert progress.recommend(one, catalog.load_bank()).reason.endswith(", your weakest area.")


def test_an_imported_copy_of_an_interview_counts_once():
    original = record("web-crawler", 1, 2.0, trade_offs=1)
    copy = ScoreRecord(**{**original.__dict__, "id": "imported-copy"})
    assert progress.scored([original, copy]) == [original]
    assert progress.weakest_dimensions([original, copy])[0].scored == 1
