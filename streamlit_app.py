"""Entry point: `streamlit run streamlit_app.py`."""

import streamlit as st

from interview.config import choose_provider, load_dotenv_file
from ui import pages
from ui.state import setup_state

st.set_page_config(page_title="System design interview", page_icon="🧑‍🏫", layout="wide")
load_dotenv_file()
setup_state()
if st.session_state.provider_name is None:
    st.session_state.provider_name = choose_provider()

st.navigation(pages.for_this_run()).run()
