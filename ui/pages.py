"""The app's pages, built once so any page can link to another."""

import streamlit as st

from ui import history_page, interview_page

INTERVIEW = st.Page(interview_page.render, title="Interview", icon="💬", url_path="interview", default=True)
HISTORY = st.Page(history_page.render, title="History", icon="🗂️", url_path="history")
ALL = [INTERVIEW, HISTORY]
