"""The app's pages, built afresh on every run."""

import streamlit as st

INTERVIEW_SCRIPT = "app_pages/interview.py"
HISTORY_SCRIPT = "app_pages/history.py"
PROGRESS_SCRIPT = "app_pages/progress.py"


def for_this_run() -> list:
    """New Page objects for this run only.

    `st.navigation` marks the page it picks as runnable, and sessions run at once, so no Page object may be shared
    between runs; and `st.Page` needs the running script's context, which exists only inside a run.
    The Interview page is the default, so it is served at `/` (not `/interview`); History at `/history`, Progress
    at `/progress`.
    """
    return [
        st.Page(INTERVIEW_SCRIPT, title="Interview", icon="💬", url_path="interview", default=True),
        st.Page(HISTORY_SCRIPT, title="History", icon="🗂️", url_path="history"),
        st.Page(PROGRESS_SCRIPT, title="Progress", icon="📈", url_path="progress"),
    ]
