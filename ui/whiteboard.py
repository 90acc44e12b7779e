"""The whiteboard pane beside the chat: Mermaid source, its drawing, a starter template and a component palette.

The pane only edits text and shows what the engine kept: `engine.update_diagram` decides what is saved, and the
drawing is always the last version that parsed (so `st.mermaid_chart` never receives a `click` or an init
directive, which the parser refuses).
"""

from __future__ import annotations

import re

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from interview.core.phases import PHASE_KEYS
from interview.core.state import Interview
from interview.dialogue import engine
from interview.store import StoreError
from interview.whiteboard.diagram import STARTER
from ui import voice, whiteboard_flow
from ui.resources import get_store

OPEN_FROM_PHASE = "high_level"  # the board opens by itself from this phase on
SOURCE_KEY = "diagram_source"  # the text area's key
# Palette: (button label, id stem, the node's shape and label as Mermaid writes them after the id).
PALETTE = (
    ("Cache", "cache", "[(Cache)]"),
    ("Queue", "queue", "[[Queue]]"),
    ("Object storage", "storage", "[(Object storage)]"),
    ("CDN", "cdn", "([CDN])"),
    ("Replica", "replica", "[(Read replica)]"),
    ("Shard", "shard", "[(DB shard)]"),
)
EMPTY_BOARD = "flowchart LR\n"


def beside(interview: Interview | None) -> DeltaGenerator:
    """Draw the board toggle (and the board, when open) and return where the chat goes: a column beside the board,
    or the whole page. Explain mode has no board: there the interviewer does the designing."""
    if interview is None or interview.mode != "interview":
        st.session_state.diagram_synced = None
        return st.container()
    choice = st.session_state.whiteboard_choice
    if choice is None or choice[0] != interview.id:  # no choice made for this interview: follow the phase
        st.session_state.whiteboard_open = interview.phase_index >= PHASE_KEYS.index(OPEN_FROM_PHASE)
    else:
        st.session_state.whiteboard_open = choice[1]
    st.toggle(
        "Whiteboard",
        key="whiteboard_open",
        on_change=remember_choice,
        help="Draw your design as a Mermaid flowchart; the interviewer reads it. Opens by itself at high-level design.",
    )
    if not st.session_state.whiteboard_open:
        st.session_state.diagram_synced = None  # the text area is not drawn, so Streamlit drops its value
        return st.container()
    chat, board = st.columns([5, 4], gap="medium")
    with board:
        pane(interview)
    return chat


def remember_choice() -> None:
    interview = st.session_state.interview
    if interview is not None:
        st.session_state.whiteboard_choice = (interview.id, bool(st.session_state.whiteboard_open))


def sync(interview: Interview) -> None:
    """Load the saved diagram into the text area when it is not what the area last showed: another interview was
    opened, it was resumed, or another tab saved a newer version. An unsaved broken edit is left alone."""
    saved = interview.diagram_source()
    if st.session_state.diagram_synced == (interview.id, saved):
        return
    if st.session_state.diagram_synced is not None and st.session_state.diagram_synced[0] == interview.id:
        if st.session_state.diagram_error:
            return
    st.session_state[SOURCE_KEY] = saved
    st.session_state.diagram_error = ""
    st.session_state.diagram_synced = (interview.id, saved)


def pane(interview: Interview) -> None:
    st.toggle(
        "Drag and drop",
        key="diagram_drag",
        help="Edit the saved diagram as boxes and arrows; its Mermaid is shown below, and typing is back when this "
        "is off.",
    )
    # One editor at a time: a text area beside the canvas could send its older text in the rerun the canvas starts,
    # and save over the canvas's change.
    dragging = st.session_state.diagram_drag
    if not dragging:
        sync(interview)
    source = interview.diagram_source()  # the drawing is always the last version that parsed
    if dragging:
        whiteboard_flow.editor(interview, apply)
    elif source:
        st.mermaid_chart(source, alt="The candidate's system design diagram")
    else:
        st.caption("Nothing drawn yet. Start from the template or write a flowchart below.")
    empty = not board_text().strip()
    tools = st.container(horizontal=True, gap="small")  # the buttons wrap onto as many rows as the column needs
    tools.button(
        "Starter",
        key="diagram_starter",
        on_click=insert_starter,
        disabled=not empty,
        help="Client → load balancer → service → database, on an empty board."
        if empty
        else "The starter fills an empty board; clear the diagram to use it.",
    )
    for label, stem, _ in PALETTE:
        tools.button(
            label,
            key=f"diagram_add_{stem}",
            on_click=insert_component,
            args=(stem,),
            help=f"Adds a {label.lower()} node with a new name; connect it with an arrow such as api --> {stem}1.",
        )
    if dragging:
        st.session_state.diagram_synced = None  # the text area is not drawn: reload it when typing is back
        if source:
            st.code(source, language=None)
    else:
        text_editor()
    if st.session_state.diagram_error:
        st.error(st.session_state.diagram_error)


def text_editor() -> None:
    st.text_area(
        "Diagram (Mermaid)",
        key=SOURCE_KEY,
        height=180,
        on_change=on_edit,
        placeholder="flowchart LR\n    client[Client] --> api[API service]",
        help="A Mermaid flowchart. Press Ctrl+Enter or click outside the box to update the drawing.",
    )


def board_text() -> str:
    """What the palette builds on: the text being typed, or the saved diagram while the canvas is the editor."""
    if st.session_state.diagram_drag:
        interview = st.session_state.interview
        return interview.diagram_source() if interview is not None else ""
    return st.session_state[SOURCE_KEY]


def apply(source: str) -> None:
    """Hand the text to the engine, which saves a new version when it parses and changed, and may react to it.

    Called from widget callbacks, before the page is drawn, so a reaction shows in the chat on this same rerun.
    """
    interview = st.session_state.interview
    if interview is None:
        return
    count = len(interview.messages)
    try:
        # An answer sent in this same rerun is about to be replied to, and that reply challenges what was drawn.
        engine.update_diagram(interview, source, get_store(), react=not st.session_state.get("chat_input"))
        st.session_state.diagram_error = ""
        added = interview.messages[count:]
        if added and added[-1].role == "assistant":
            voice.queue_read_aloud(added[-1])  # the reaction is a reply like any other
    except engine.InputError as exc:
        st.session_state.diagram_error = str(exc)
    except StoreError as exc:
        st.session_state.diagram_error = f"The diagram could not be saved. {exc}"
    st.session_state.diagram_synced = (interview.id, interview.diagram_source())


def on_edit() -> None:
    apply(st.session_state[SOURCE_KEY])


def insert_starter() -> None:
    if not board_text().strip():
        st.session_state[SOURCE_KEY] = STARTER.rstrip("\n")
        apply(st.session_state[SOURCE_KEY])


def insert_component(stem: str) -> None:
    """Append one node of the palette's kind, named `<stem><n>` with the first n not yet used."""
    shape = next(shape for _, name, shape in PALETTE if name == stem)
    source = board_text().rstrip()
    if not source:
        source = EMPTY_BOARD.rstrip()
    used = set(re.findall(r"[A-Za-z0-9_][A-Za-z0-9_\-.]*", source))
    number = next(n for n in range(1, len(used) + 2) if f"{stem}{n}" not in used)
    st.session_state[SOURCE_KEY] = f"{source}\n    {stem}{number}{shape}"
    apply(st.session_state[SOURCE_KEY])
