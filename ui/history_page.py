"""History: search past interviews, open or continue one, export, delete, and import."""

from __future__ import annotations

from datetime import datetime
from functools import partial

import streamlit as st

from interview.core.state import LEVELS, MODES, STYLE_NAMES, phase_title
from interview.dialogue import engine
from interview.store.rows import Summary
from interview.transcripts import export
from interview.transcripts.importer import ImportFailed
from ui.downloads import deferred_download_buttons
from ui.markdown_text import escape_marks
from ui.pages import INTERVIEW_SCRIPT
from ui.resources import get_store

OPEN_QUESTION_CHARS = 60  # of the question, in an Open button's name


def style_label(row: Summary) -> str:
    """ " · Bar raiser interviewer" for an interview; "" in explain mode, where no one interviews."""
    return f" · {STYLE_NAMES.get(row.style, row.style)} interviewer" if row.mode == "interview" else ""


def open_label(question: str, created_at: float) -> str:
    """What an Open button opens, e.g. "Open: Design a URL shortener, 5 Dec", shown as typed (no Markdown)."""
    short = question if len(question) <= OPEN_QUESTION_CHARS else question[: OPEN_QUESTION_CHARS - 1].rstrip() + "…"
    day = datetime.fromtimestamp(created_at)
    escaped = escape_marks(short)  # button labels are Markdown: a question's * or [ stays as typed
    return f"Open: {escaped}, {day.day} {day:%b}"


def open_in_interview_page(interview_id: str) -> None:
    st.session_state.opened_id = None  # let the interview page restore it from the URL
    # By script path: Streamlit finds it among the pages this run registered with st.navigation.
    st.switch_page(INTERVIEW_SCRIPT, query_params={"interview": interview_id})


def import_panel() -> None:
    with st.expander("Import a JSON transcript"):
        upload = st.file_uploader("JSON export", type=["json"], key="import_file")
        if upload is not None and st.button("Import", key="import_button"):
            data = upload.getvalue()
            try:  # the importer refuses an oversized file before reading it
                interview = engine.import_interview(data, get_store())
            except ImportFailed as exc:
                st.session_state.import_result = ""
                st.error(str(exc))
            else:
                st.session_state.import_result = f"Imported “{interview.question[:80]}”."
        if st.session_state.import_result:
            st.success(st.session_state.import_result)


PAGE_SIZE = 20  # rows per page: each rerun reads and draws only these


def first_page() -> None:
    st.session_state.history_page = 0  # new filters: start from the most recent match


def turn_page(step: int) -> None:
    st.session_state.history_page = max(0, st.session_state.history_page + step)


def pager(total: int) -> None:
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    if pages <= 1:
        return
    page = st.session_state.history_page
    cols = st.columns([1, 2, 1])
    cols[0].button("← Previous", key="history_prev", disabled=page == 0, on_click=turn_page, args=(-1,))
    start = page * PAGE_SIZE
    cols[1].caption(f"Page {page + 1} of {pages} · {start + 1}–{min(start + PAGE_SIZE, total)} of {total} interviews")
    cols[2].button("Next →", key="history_next", disabled=page >= pages - 1, on_click=turn_page, args=(1,))


def render() -> None:
    st.title("Past interviews")
    store = get_store()
    import_panel()
    cols = st.columns([3, 1, 1])
    cols[0].text_input("Search questions and transcripts", key="history_search", on_change=first_page)
    cols[1].selectbox("Mode", ["All", *MODES], key="history_mode", on_change=first_page)
    cols[2].selectbox("Level", ["All", *LEVELS], key="history_level", on_change=first_page)
    mode = None if st.session_state.history_mode == "All" else st.session_state.history_mode
    level = None if st.session_state.history_level == "All" else st.session_state.history_level
    search = st.session_state.history_search
    total = store.count_interviews(search, mode=mode, level=level)
    if not total:
        st.info("No interviews yet." if not search else "No interview matches that search.")
        return
    last_page = (total - 1) // PAGE_SIZE
    st.session_state.history_page = min(st.session_state.history_page, last_page)  # after a delete, say
    offset = st.session_state.history_page * PAGE_SIZE
    rows = store.list_interviews(search, mode=mode, level=level, limit=PAGE_SIZE, offset=offset)
    pager(total)
    for row in rows:
        with st.container(border=True):
            score = f"{row.score:.1f}/4" if row.score is not None else "not scored"
            when = datetime.fromtimestamp(row.created_at).strftime("%Y-%m-%d %H:%M")
            st.markdown(f"**{row.question[:120]}**")
            st.caption(
                f"{when} · {row.mode} · {row.level}{style_label(row)} · reached {phase_title(row.phase)} · {score} · {row.turns} turn{'' if row.turns == 1 else 's'}"
            )
            buttons = st.columns([3, 1, 1, 1, 1])
            if buttons[0].button(open_label(row.question, row.created_at), key=f"open_{row.id}", width="stretch"):
                open_in_interview_page(row.id)
            # Built on click from the database, so drawing the list reads no transcript.
            load = partial(store.load, row.id)
            deferred_download_buttons(
                load,
                export.file_stem(row.question, row.created_at),
                ("Markdown", "JSON", "HTML"),
                buttons[1:4],
                f"_{row.id}",
            )
            if st.session_state.confirm_delete == row.id:
                st.warning("Delete this interview for good?")
                yes, no = st.columns(2)
                if yes.button("Yes, delete", key=f"yes_{row.id}", type="primary"):
                    engine.delete_interview(row.id, store)
                    st.session_state.confirm_delete = None
                    if st.session_state.interview is not None and st.session_state.interview.id == row.id:
                        st.session_state.interview = None
                    st.rerun()
                if no.button("Keep it", key=f"no_{row.id}"):
                    st.session_state.confirm_delete = None
                    st.rerun()
            elif buttons[4].button("Delete…", key=f"del_{row.id}", width="stretch"):
                st.session_state.confirm_delete = row.id
                st.rerun()
