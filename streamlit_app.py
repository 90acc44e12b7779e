"""Entry point: `streamlit run streamlit_app.py`."""

import streamlit as st

from interview.providers.config import choose_provider, load_dotenv_file
from ui import pages
from ui.auth import require_login
from ui.resources import get_store
from ui.state import setup_state

st.set_page_config(page_title="System design interview", page_icon="🧑‍🏫", layout="wide")
load_dotenv_file()
require_login()
get_store()  # opened once per process; a database that cannot be used is reported before anything else
setup_state()
if st.session_state.provider_name is None:
    st.session_state.provider_name = choose_provider()

st.navigation(pages.for_this_run()).run()
