"""History: search past interviews, open or continue one, export, delete, and import."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from interview import engine
from interview.importer import ImportFailed
from interview.model import LEVELS, MODES, phase_title
from ui.downloads import download_buttons
from ui.pages import INTERVIEW_SCRIPT
from ui.resources import get_store


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


def render() -> None:
    st.title("Past interviews")
    store = get_store()
    import_panel()
    cols = st.columns([3, 1, 1])
    cols[0].text_input("Search questions and transcripts", key="history_search")
    cols[1].selectbox("Mode", ["All", *MODES], key="history_mode")
    cols[2].selectbox("Level", ["All", *LEVELS], key="history_level")
    mode = None if st.session_state.history_mode == "All" else st.session_state.history_mode
    level = None if st.session_state.history_level == "All" else st.session_state.history_level
    rows = store.list_interviews(st.session_state.history_search, mode=mode, level=level)
    if not rows:
        st.info("No interviews yet." if not st.session_state.history_search else "No interview matches that search.")
        return
    for row in rows:
        with st.container(border=True):
            score = f"{row.score:.1f}/4" if row.score is not None else "not scored"
            when = datetime.fromtimestamp(row.created_at).strftime("%Y-%m-%d %H:%M")
            st.markdown(f"**{row.question[:120]}**")
            st.caption(
                f"{when} · {row.mode} · {row.level} · reached {phase_title(row.phase)} · {score} · {row.turns} turn{'' if row.turns == 1 else 's'}"
            )
            buttons = st.columns(5)
            if buttons[0].button("Open", key=f"open_{row.id}", use_container_width=True):
                open_in_interview_page(row.id)
            interview = store.load(row.id)
            if interview is not None:
                download_buttons(interview, ("Markdown", "JSON", "HTML"), buttons[1:4], "", f"_{row.id}")
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
            elif buttons[4].button("Delete…", key=f"del_{row.id}", use_container_width=True):
                st.session_state.confirm_delete = row.id
                st.rerun()
