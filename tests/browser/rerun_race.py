"""`streamlit` with one thread interleaving forced: the rerun race behind issue 23, every time instead of 1 in 15.

Run as `python tests/browser/rerun_race.py run streamlit_app.py …`. When the script calls `st.rerun()`, its runner
holds the next run before that run loads the query string it carries, until a run started from the browser has
done its widget callbacks (or `HOLD_SECONDS` pass). That run then waits for the held one to load its query string.
With `runner.fastReruns` on, the two are different threads of one session, and this is the order that once in a
while let a stale `?interview=` overwrite what a New interview callback had just cleared. With it off, one thread
does both, in turn, so the hold only times out. The file named by `RERUN_RACE_HOLDING` appears while a run is held.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequests
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext, get_script_run_ctx
from streamlit.runtime.state.session_state import SessionState
from streamlit.web import cli

HOLD_SECONDS = 5.0
HOLDING = Path(os.environ["RERUN_RACE_HOLDING"])

_armed = threading.local()  # set in the thread whose script asked for a rerun
_pending = threading.Event()  # a held run has not yet loaded its query string
_callbacks_done = threading.Event()
_held_run_loaded = threading.Event()

_request_rerun = ScriptRequests.request_rerun
_reset = ScriptRunContext.reset
_on_script_will_rerun = SessionState.on_script_will_rerun


def request_rerun(self, new_data):
    accepted = _request_rerun(self, new_data)
    if accepted and get_script_run_ctx(suppress_warning=True) is not None:  # the script's st.rerun(), not a browser
        _armed.value = True
        _callbacks_done.clear()
        _held_run_loaded.clear()
        _pending.set()
    return accepted


def reset(self, *args, **kwargs):
    if not getattr(_armed, "value", False):
        return _reset(self, *args, **kwargs)
    _armed.value = False
    HOLDING.touch()
    try:
        _callbacks_done.wait(HOLD_SECONDS)
        return _reset(self, *args, **kwargs)
    finally:
        _pending.clear()
        _held_run_loaded.set()
        HOLDING.unlink(missing_ok=True)


def on_script_will_rerun(self, *args, **kwargs):
    result = _on_script_will_rerun(self, *args, **kwargs)
    if _pending.is_set():
        _callbacks_done.set()
        _held_run_loaded.wait(HOLD_SECONDS)
    return result


ScriptRequests.request_rerun = request_rerun
ScriptRunContext.reset = reset
SessionState.on_script_will_rerun = on_script_will_rerun

if __name__ == "__main__":
    sys.exit(cli.main(prog_name="streamlit"))
