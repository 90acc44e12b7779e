"""Progress: scores over time, weakest dimensions, recurring mistakes, coverage, the next problem, reviews due."""

from __future__ import annotations

from datetime import datetime
from functools import partial

import pandas as pd
import streamlit as st

from interview.core.scorecard import DIMENSIONS
from interview.feedback import progress
from interview.problems import catalog
from interview.store.rows import ScoreRecord
from interview.store.sql import SQLStore
from ui.pages import INTERVIEW_SCRIPT
from ui.resources import get_store

CHART_INTERVIEWS = 60  # the chart shows the most recent scored interviews; the CSV has them all
VALUES_UP_TO = 20  # interviews up to which each cell also shows its score (beyond, the cells are too narrow)


def score_records(store: SQLStore) -> list[ScoreRecord]:
    """This person's score records, read again only when an interview was added, changed or deleted."""
    key = (store.owner, store.scores_version())
    cached = st.session_state.progress_cache
    if cached is None or cached[0] != key:
        cached = (key, store.score_history())
        st.session_state.progress_cache = cached
    return cached[1]


def start_problem(problem_id: str) -> None:
    """Start the bank problem on the Interview page, as its own Start button does."""
    from ui.sidebar import request_start

    request_start(problem_id)
    st.switch_page(INTERVIEW_SCRIPT)


def next_problem(records: list[ScoreRecord], problems: list[catalog.Problem]) -> None:
    st.subheader("Next problem")
    choice = progress.recommend(records, problems)
    if choice is None:
        st.info("The problem bank is empty: type any design question on the Interview page.")
        return
    st.markdown(f"**{choice.problem.title}** · {choice.problem.category} · {choice.problem.difficulty}")
    st.caption(choice.reason)
    if st.button("Start this problem", key="progress_start", type="primary"):
        start_problem(choice.problem.id)


def scores_over_time(records: list[ScoreRecord]) -> None:
    st.subheader("Scores over time")
    scored = progress.scored(records)
    shown = scored[-CHART_INTERVIEWS:]
    rows = progress.chart_rows(shown)
    if not rows:
        st.caption("None of the scorecards has dimension scores to chart.")
        return
    first = len(scored) - len(shown)
    data = pd.DataFrame(rows).assign(interview=lambda df: df["interview"] + first)
    st.vega_lite_chart(data, score_heatmap(show_values=len(shown) <= VALUES_UP_TO), width="stretch")
    st.caption("One row per dimension, one column per scored interview, oldest on the left: red is 1, green is 4.")
    if first:
        st.caption(f"The last {len(shown)} of {len(scored)} scored interviews; the CSV below has them all.")


def score_heatmap(show_values: bool) -> dict:
    """A Vega-Lite heatmap of dimension by interview: eight lines in one plot could not be told apart."""
    encoding = {
        "x": {"field": "interview", "type": "ordinal", "title": "interview", "axis": {"labelAngle": 0}},
        "y": {"field": "dimension", "type": "nominal", "title": None, "sort": [name for _, name in DIMENSIONS]},
    }
    cells = {
        "mark": {"type": "rect", "tooltip": True},
        "encoding": {
            "color": {
                "field": "score",
                "type": "quantitative",
                "title": "score (1–4)",
                "scale": {"domain": [1, 4], "scheme": "redyellowgreen"},
            }
        },
    }
    layers = [cells]
    if show_values:
        extreme = {"test": "datum.score <= 1.5 || datum.score >= 3.5", "value": "white"}  # on dark red or green
        text = {"text": {"field": "score"}, "color": {"condition": extreme, "value": "black"}}
        layers.append({"mark": {"type": "text", "fontSize": 12}, "encoding": text})
    return {"height": 34 * len(DIMENSIONS), "encoding": encoding, "layer": layers}


def weak_spots(records: list[ScoreRecord]) -> None:
    st.subheader("Weakest dimensions")
    weakest = progress.weakest_dimensions(records)
    if not weakest:
        strong = any(record.dimensions for record in progress.scored(records))
        st.caption(
            f"No weak spot: every dimension averages {progress.WEAK_BELOW}/4 or more."
            if strong
            else "No dimension scores yet."
        )
    for weak in weakest:
        over = (
            "in your one scored interview"
            if weak.scored == 1
            else f"on average over the last {weak.scored} scored interviews"
        )
        st.markdown(f"**{weak.name}**: {weak.mean:.1f}/4 {over}")
        for line in weak.evidence[:3]:
            st.caption(f"Evidence: {line}")
    mistakes = progress.recurring_mistakes(records)
    if mistakes:
        st.markdown("**Recurring mistakes**")
        for mistake in mistakes:
            fixed = f" (fixed during the interview {mistake.fixed} time{'' if mistake.fixed == 1 else 's'})"
            st.markdown(f"- {mistake.describe()}{fixed if mistake.fixed else ''}")


def review_queue(records: list[ScoreRecord], problems: list[catalog.Problem], now: float) -> None:
    st.subheader("Review queue")
    queue = progress.review_queue(records, problems)
    if not queue:
        st.caption(
            f"Nothing to review: a problem scored under {progress.LOW_SCORE}/4 comes back after 1, 3, 7 and 14 days."
        )
        return
    for item in queue:
        cols = st.columns([4, 1])
        when = "due now" if item.is_due(now) else "due " + datetime.fromtimestamp(item.due_at).strftime("%Y-%m-%d")
        cols[0].markdown(f"**{item.problem.title}** · last {item.last_score:.1f}/4 · {when}")
        if item.is_due(now) and cols[1].button("Review", key=f"review_{item.problem.id}", width="stretch"):
            start_problem(item.problem.id)


def coverage(records: list[ScoreRecord], problems: list[catalog.Problem]) -> None:
    st.subheader("Coverage")
    areas = progress.coverage(records, problems)
    practised = sum(len(area.practised) for area in areas)
    touched = sum(1 for area in areas if area.practised)
    st.markdown(f"**{practised} of {len(problems)}** bank problems practised, in {touched} of {len(areas)} categories.")
    for area in areas:
        total = len(area.practised) + len(area.not_yet)
        st.markdown(f"**{area.category}**: {len(area.practised)} of {total} practised")
        if area.not_yet:
            st.caption("Not yet: " + ", ".join(f"{p.title} ({p.difficulty})" for p in area.not_yet))


def all_scores_csv(store: SQLStore) -> str:
    # Runs when the button is clicked, so drawing the page builds no CSV.
    return progress.scores_csv(store.score_history())


def render(now: float | None = None) -> None:
    st.title("Progress")
    store = get_store()
    records = score_records(store)
    problems = catalog.load_bank()
    now = datetime.now().timestamp() if now is None else now
    scored = progress.scored(records)
    if not records:
        st.info(
            "No interviews yet. Start with the problem below, answer the interviewer, then press End & score: "
            "your scores and what to practise next will show here."
        )
        next_problem(records, problems)
        return
    if not scored:
        st.info("None of your interviews is scored yet. Finish one with End & score to see your progress here.")
    elif len(scored) == 1:
        st.info("One scored interview so far. Do one more to see a trend; meanwhile, here is where you stand.")
    next_problem(records, problems)
    if scored:
        scores_over_time(records)
        weak_spots(records)
        review_queue(records, problems, now)
    coverage(records, problems)
    st.download_button(
        "Download all scores (CSV)",
        partial(all_scores_csv, store),
        "interview-scores.csv",
        mime="text/csv",
        key="progress_csv",
        on_click="ignore",
    )
