"""The feedback under a finished interview: the scorecard, and the interviewer's notes behind it."""

from __future__ import annotations

import streamlit as st

from interview.core.scorecard import Scorecard
from interview.core.state import Interview
from interview.transcripts.export import shown_notes
from ui.markdown_text import as_typed, without_math

FEEDBACK_ANCHOR = "feedback"


def show_scorecard(card: Scorecard) -> None:
    st.subheader("Feedback", anchor=FEEDBACK_ANCHOR)
    if card.is_prose:
        st.info(card.note or "The feedback is shown as the model wrote it.")
        st.markdown(without_math(card.prose))
        return
    rows = [
        {"Dimension": row.name, "Score (1–4)": row.shown_score, "Evidence": " / ".join(row.evidence) or row.comment}
        for row in card.dimensions
    ]
    import pandas as pd  # only the scorecard needs it; importing it at the top slowed the first page

    left, right = st.columns([3, 2])
    left.dataframe(rows, hide_index=True, width="stretch")
    scores = pd.DataFrame(rows).set_index("Dimension")[["Score (1–4)"]]
    right.bar_chart(scores, x_label="", y_label="Score (1–4)", horizontal=True, sort=False)  # in the table's order
    st.markdown(
        f"**Overall:** {card.overall or 0:.1f} / 4 · **Hire signal ({card.level}):** "
        f"{card.hire_signal} · Hints used: {card.hints_used}"
    )
    if card.overall_note:
        st.caption(f"In the overall, {card.overall_note}: an interview that ends early has no evidence for them.")
    # Both quote the candidate ("user_id -> shard"): shown as typed, not read as Markdown ("_id -" as emphasis)
    if card.strengths:
        st.markdown("**Strengths**")
        st.markdown("\n".join(f"- {as_typed(item)}" for item in card.strengths))
    if card.gaps:
        st.markdown("**Most important gaps**")
        st.markdown("\n".join(f"- {as_typed(item)}" for item in card.gaps))


def show_notes(interview: Interview) -> None:
    """The interviewer's notes behind the scores; hidden until the interview ends, so they never lead the candidate."""
    sections = shown_notes(interview)
    if not sections:
        return
    with st.expander("Interviewer's notes"):
        for title, items in sections:
            st.markdown(f"**{title}**")
            st.markdown("\n".join(f"- {as_typed(item)}" for item in items))  # plain lines that quote the candidate
