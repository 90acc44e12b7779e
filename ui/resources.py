"""Process-wide resources shared by every browser session: the store and the embedded model."""

from __future__ import annotations

import streamlit as st

from interview.providers.config import ProviderSettings
from interview.store import SQLStore, StoreError, database_location, open_store
from ui.alerts import alert
from ui.auth import current_owner


@st.cache_resource(show_spinner=False)
def _open_store(location: str) -> SQLStore:
    # One store (one SQLite connection, or one PostgreSQL pool) per process; a failure is not cached, so the
    # next run tries again.
    return open_store(location)


def get_store() -> SQLStore:
    """The shared store, seeing only this session's person's interviews; a database that cannot be opened stops
    the page with a message naming it (never its password)."""
    try:
        store = _open_store(database_location())
    except StoreError as exc:
        st.error(str(exc))
        st.stop()
    return store.as_owner(current_owner())


@st.cache_resource(show_spinner=False)
def _embedded_model(model_key: str, context_tokens: int, _progress=None):
    from interview.providers import embedded

    return embedded.load_model(progress=_progress, n_ctx=context_tokens)


def embedded_notice() -> None:
    """What the embedded provider is, or, on an install without it, how to add it or which server to configure."""
    from interview.providers import model_files

    if not model_files.embedded_installed():
        st.warning(model_files.NOT_INSTALLED)
        return
    st.info(
        "Running on a small offline model (Qwen2.5-Coder 1.5B) inside this app: no key, no server. "
        "It is a modest interviewer. For a stronger one, set OPENAI_API_KEY or OPENROUTER_API_KEY, "
        "or run Ollama (`ollama serve`)."
    )


def prepare_embedded(settings: ProviderSettings) -> bool:
    """Assemble and load the offline model once per process, showing progress; False (with a message) on failure."""
    from interview.providers import embedded, model_files
    from interview.providers.model_files import ModelFilesError

    if embedded.loaded_model(settings.context_tokens) is not None:
        return True
    if not model_files.embedded_installed():
        st.error(model_files.NOT_INSTALLED)
        st.session_state.notice = model_files.NOT_INSTALLED  # still on the page after the first question's rerun
        return False
    with st.status("Preparing the offline model (first use only)…", expanded=True) as status:
        bar = st.progress(0.0, text="Checking model files")

        def progress(stage: str, fraction: float) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=stage)

        try:
            _embedded_model(settings.model, settings.context_tokens, _progress=progress)
        except (ModelFilesError, embedded.ProviderError) as exc:
            status.update(label="The offline model could not be loaded", state="error")
            alert("error", getattr(exc, "message", str(exc)))
            return False
        status.update(label="Offline model ready", state="complete", expanded=False)
    return True
