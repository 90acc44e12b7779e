"""Progress across interviews: weakest dimensions, recurring mistakes, bank coverage, what to practise next, and
which problems are due for review. Works on `ScoreRecord`s (scores and mistakes only, never transcripts)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from interview.core.scorecard import DIMENSIONS
from interview.problems.catalog import Problem
from interview.store.rows import ScoreRecord

RECENT = 5  # interviews the weakest dimensions are judged on
WEAK_BELOW = 3.5  # a dimension averaging this or more (of 4) is no weak spot, however it ranks
MISTAKE_WINDOW = 4  # "in 3 of the last 4 interviews"
LOW_SCORE = 2.5  # an overall score below this (of 4) puts the problem in the review queue
REVIEW_DAYS = (1, 3, 7, 14)  # after the 1st, 2nd, 3rd and later low attempts in a row
DAY = 86400.0
DIMENSION_NAMES = dict(DIMENSIONS)


@dataclass(frozen=True)
class WeakDimension:
    key: str
    name: str
    mean: float
    scored: int  # interviews the mean is over
    evidence: tuple[str, ...]  # from the most recent interview that scored it


@dataclass(frozen=True)
class RecurringMistake:
    key: str
    note: str  # the latest note the interviewer wrote for it
    times: int  # interviews, among the last `window`, where it was raised
    window: int
    fixed: int  # of those, how many times the candidate fixed it

    def describe(self) -> str:
        return f"{self.note or self.key}: in {self.times} of the last {self.window} interviews"


@dataclass(frozen=True)
class CategoryCoverage:
    category: str
    practised: tuple[Problem, ...]
    not_yet: tuple[Problem, ...]


@dataclass(frozen=True)
class Recommendation:
    problem: Problem
    reason: str


@dataclass(frozen=True)
class ReviewItem:
    problem: Problem
    last_score: float
    low_attempts: int  # low-scoring attempts in a row, latest last
    due_at: float

    def is_due(self, now: float) -> bool:
        return self.due_at <= now


def scored(records: list[ScoreRecord]) -> list[ScoreRecord]:
    """The interviews that have a numeric score, oldest first; an imported copy of one counts once."""
    seen: set[tuple] = set()
    found = []
    for record in records:
        same = (record.question, record.problem_id, record.created_at, record.overall)  # an import keeps all four
        if record.overall is not None and same not in seen:
            seen.add(same)
            found.append(record)
    return found


def chart_rows(records: list[ScoreRecord]) -> list[dict]:
    """One row per scored interview and dimension, in the dimensions' order: the scores-over-time chart's data."""
    rows = []
    for number, record in enumerate(scored(records), start=1):
        for key, name in DIMENSIONS:
            score = record.dimensions.get(key, (None, ()))[0]
            if score is not None:
                rows.append({"interview": number, "dimension": name, "score": score})
    return rows


def weakest_dimensions(records: list[ScoreRecord], count: int = 2, recent: int = RECENT) -> list[WeakDimension]:
    """The `count` dimensions with the lowest mean over the last `recent` scored interviews, below `WEAK_BELOW`."""
    window = scored(records)[-recent:]
    found = []
    for key, name in DIMENSIONS:
        scores = [r.dimensions[key][0] for r in window if r.dimensions.get(key, (None, ()))[0] is not None]
        if not scores:
            continue
        evidence = next((r.dimensions[key][1] for r in reversed(window) if r.dimensions.get(key, (None, ()))[1]), ())
        if sum(scores) / len(scores) < WEAK_BELOW:
            found.append(WeakDimension(key, name, sum(scores) / len(scores), len(scores), evidence))
    found.sort(key=lambda weak: weak.mean)  # stable: ties keep the dimensions' order
    return found[:count]


def recurring_mistakes(records: list[ScoreRecord], window: int = MISTAKE_WINDOW) -> list[RecurringMistake]:
    """Mistakes raised in at least two of the last `window` interviews, most frequent first."""
    recent = records[-window:]
    times: Counter[str] = Counter()
    fixed: Counter[str] = Counter()
    notes: dict[str, str] = {}
    for record in recent:
        for key in {key for key, _, _ in record.mistakes}:
            times[key] += 1
        for key, note, was_fixed in record.mistakes:
            notes[key] = note or notes.get(key, "")
            fixed[key] += int(was_fixed)
    return [
        RecurringMistake(key, notes[key], n, len(recent), fixed[key])
        for key, n in sorted(times.items(), key=lambda item: (-item[1], item[0]))
        if n >= 2
    ]


def coverage(records: list[ScoreRecord], bank: list[Problem]) -> list[CategoryCoverage]:
    """Bank problems practised and not yet, by category (categories in the bank's order)."""
    done = {r.problem_id for r in records if r.problem_id}
    categories: dict[str, list[Problem]] = {}
    for problem in bank:
        categories.setdefault(problem.category, []).append(problem)
    return [
        CategoryCoverage(
            category,
            tuple(p for p in problems if p.id in done),
            tuple(p for p in problems if p.id not in done),
        )
        for category, problems in categories.items()
    ]


def _mentions(problem: Problem, words: set[str]) -> int:
    text = " ".join(item for items in problem.checklist.values() for item in items).lower()
    return sum(word in text for word in words)


def recommend(records: list[ScoreRecord], bank: list[Problem]) -> Recommendation | None:
    """The next problem: one not yet practised, from a category not yet practised when there is one, whose
    checklist asks most about the weakest dimensions; when every problem is practised, the lowest-scoring one."""
    if not bank:
        return None
    weak = weakest_dimensions(records)
    words = {word for w in weak for word in w.name.lower().replace("-", " ").split() if len(word) > 3}
    practised = {r.problem_id for r in records if r.problem_id}
    practised_categories = {p.category for p in bank if p.id in practised}
    fresh = [p for p in bank if p.id not in practised]
    weak_names = " and ".join(w.name.lower() for w in weak)
    areas = "your weakest areas" if len(weak) > 1 else "your weakest area"
    focus = f", and it exercises {weak_names}, {areas}" if weak else ""
    if fresh:
        new_category = [p for p in fresh if p.category not in practised_categories]
        pool = new_category or fresh
        best = max(pool, key=lambda p: (_mentions(p, words), -bank.index(p)))
        where = f"a category you have not practised yet ({best.category})" if new_category else "a new problem"
        return Recommendation(best, f"It is {where}{focus}.")
    latest: dict[str, float] = {}
    for record in scored(records):
        if record.problem_id:
            latest[record.problem_id] = record.overall
    by_id = {p.id: p for p in bank}
    worst = min((pid for pid in latest if pid in by_id), key=lambda pid: latest[pid], default=None)
    problem = by_id[worst] if worst else bank[0]
    return Recommendation(problem, f"You have practised every problem; this one scored lowest last time{focus}.")


def review_queue(records: list[ScoreRecord], bank: list[Problem]) -> list[ReviewItem]:
    """Bank problems whose latest attempt scored low, due 1, 3, 7 then 14 days after it; soonest first.

    A problem leaves the queue once its latest attempt scores `LOW_SCORE` or more."""
    by_id = {p.id: p for p in bank}
    attempts: dict[str, list[ScoreRecord]] = {}
    for record in scored(records):
        if record.problem_id in by_id:
            attempts.setdefault(record.problem_id, []).append(record)
    queue = []
    for problem_id, tries in attempts.items():
        low = 0
        for record in reversed(tries):
            if record.overall >= LOW_SCORE:
                break
            low += 1
        if low:
            last = tries[-1]
            days = REVIEW_DAYS[min(low, len(REVIEW_DAYS)) - 1]
            queue.append(ReviewItem(by_id[problem_id], last.overall, low, last.created_at + days * DAY))
    return sorted(queue, key=lambda item: item.due_at)


def scores_csv(records: list[ScoreRecord]) -> str:
    """Every interview's scores, one row each, oldest first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["interview_id", "date_utc", "problem_id", "question", "level", "overall", *(k for k, _ in DIMENSIONS)]
    )
    for r in records:
        when = datetime.fromtimestamp(r.created_at, UTC).strftime("%Y-%m-%d %H:%M")
        dims = [r.dimensions.get(key, (None, ()))[0] for key, _ in DIMENSIONS]
        writer.writerow(
            [
                r.id,
                when,
                r.problem_id or "",
                _safe_cell(r.question),
                r.level,
                "" if r.overall is None else f"{r.overall:.2f}",
                *("" if s is None else f"{s:g}" for s in dims),
            ]
        )
    return out.getvalue()


def _safe_cell(text: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula; a question is user text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
