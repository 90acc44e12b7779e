"""Every `st.session_state` key the app uses, set in one place."""

from __future__ import annotations

import streamlit as st

from interview.core.phases import DEFAULT_LENGTH_MINUTES

DEFAULTS = {
    # Domain state
    "interview": None,  # the active Interview, or None before the first question
    "provider_name": None,  # chosen preset; None until auto-selection runs once per session
    "model_overrides": {},  # provider -> model picked in the sidebar
    "session_keys": {},  # provider -> API key typed in the sidebar; lives in this browser session only
    "base_url_overrides": {},  # provider -> server address typed in the sidebar
    "retry_requested": False,
    "start_requested": None,  # a bank problem id whose Start button was pressed
    "notice": "",  # a one-off message shown at the top of the page
    "submission": None,  # what the chat box sent, held from its callback until this run answers it
    "replying": False,  # this run streams a reply, so the chat box is held and the run ends with a rerun
    "held_alerts": [],  # (kind, text, icon) shown in that run, shown again after its rerun
    "opened_id": None,  # the ?interview= id this session already restored
    "confirm_delete": None,  # History: the id awaiting delete confirmation
    "import_result": "",
    "progress_cache": None,  # Progress: ((owner, scores_version), score records) read last
    "history_page": 0,  # History: which page of PAGE_SIZE rows is shown (0 = the most recent)
    "whiteboard_choice": None,  # (interview id, open?) once the candidate flips the board's toggle
    "diagram_synced": None,  # (interview id, saved source) the board's text area was last loaded with or saved
    "diagram_error": "",  # why the board's text could not be read; the last good diagram stays in use
    "diagram_canvas": None,  # the drag-and-drop editor's boxes and their positions (ui.whiteboard_flow.Canvas)
    # Widget keys with their defaults
    "bank_search": "",
    "bank_choice": "",
    "constraints_input": "",
    "mode_choice": "interview",
    "level_choice": "senior",
    "style_choice": "standard",
    "curveballs_choice": True,
    "length_input": DEFAULT_LENGTH_MINUTES,
    "history_search": "",
    "history_mode": "All",
    "history_level": "All",
    "whiteboard_open": False,
    "diagram_source": "",
    "diagram_drag": False,
}


def setup_state() -> None:
    for key, value in DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value.copy() if isinstance(value, dict | list) else value
