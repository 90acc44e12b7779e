"""The app's pages. Each run gets its own Page objects: navigation marks them per session."""

import copy

import streamlit as st

INTERVIEW = st.Page("app_pages/interview.py", title="Interview", icon="💬", url_path="interview", default=True)
HISTORY = st.Page("app_pages/history.py", title="History", icon="🗂️", url_path="history")


def for_this_run() -> list:
    """Copies, because st.navigation marks the chosen page object and sessions run concurrently."""
    return [copy.copy(page) for page in (INTERVIEW, HISTORY)]
