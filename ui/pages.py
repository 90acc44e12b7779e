"""The app's pages, built once so any page can link to another."""

import streamlit as st

INTERVIEW = st.Page("app_pages/interview.py", title="Interview", icon="💬", url_path="interview", default=True)
HISTORY = st.Page("app_pages/history.py", title="History", icon="🗂️", url_path="history")
ALL = [INTERVIEW, HISTORY]
