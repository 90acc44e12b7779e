"""Messages that outlive the rerun which gives the chat box back after a reply."""

from __future__ import annotations

import streamlit as st

Alert = tuple[str, str, str | None]  # the st function ("warning", "error", "caption"), text, icon


def alert(kind: str, text: str, icon: str | None = None) -> None:
    """Show a message now, and again after this run's rerun when the run holds the chat box for a reply."""
    show_alerts([(kind, text, icon)])
    if st.session_state.replying:
        st.session_state.held_alerts.append((kind, text, icon))


def take_held_alerts() -> list[Alert]:
    """The alerts held by the run before, taken at the start of a run so the alerts this run holds wait for its rerun."""
    held, st.session_state.held_alerts = st.session_state.held_alerts, []
    return held


def show_alerts(alerts: list[Alert]) -> None:
    for kind, text, icon in alerts:
        getattr(st, kind)(text, **({"icon": icon} if icon else {}))
