"""The whiteboard's drag-and-drop editor: the saved diagram as boxes and arrows (streamlit-flow-component, React
Flow), converted both ways by `interview.whiteboard.canvas`.

Every change on the canvas goes through `apply` (so `engine.update_diagram` saves a version the interviewer reads);
positions are not Mermaid, so they live in this browser session only. Changes are taken in the component's
`on_change` callback, before the script runs, like the palette's buttons. The component answers every new state
with a report of its own, which starts a rerun before the rest of the page has reached the browser: a widget whose
value the same run set (the text area) would be sent back with its older value, so the pane never shows both
editors. Only the component's own handlers report changes, so boxes and arrows are not selectable: React Flow's
Backspace deletion would stay in the browser.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components
import streamlit_flow
from streamlit_flow.elements import StreamlitFlowEdge, StreamlitFlowNode
from streamlit_flow.layouts import ManualLayout

from interview.core.state import Interview
from interview.whiteboard.board import graph_of
from interview.whiteboard.canvas import CanvasEdge, CanvasNode, canvas_of, layered_layout, to_mermaid
from interview.whiteboard.diagram import Diagram
from ui.markdown_text import escape_marks

FLOW_KEY = "diagram_flow"  # the component's key: its value (the canvas as the browser has it) is in session state
CANVAS_HEIGHT = 420
# The package's bundled front end (no network), declared here because its wrapper offers no on_change.
_flow = components.declare_component(
    "streamlit_flow", path=str(Path(streamlit_flow.__file__).parent / "frontend" / "build")
)


@dataclass
class Canvas:
    """What the canvas was last given, for one interview: the source it shows and where each box is."""

    interview_id: str
    source: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    timestamp: int
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    seen: int = 0  # the newest timestamp of a value from the browser already handled


def editor(interview: Interview, apply: Callable[[str], None]) -> None:
    """Draw the canvas for the saved diagram; a change made on it is handed to `apply(source)`, which saves it."""
    source = interview.diagram_source()
    graph = graph_of(source) if source else None
    if graph is None:
        st.caption(
            "The drag-and-drop editor starts from a diagram: press Starter or a component below, or turn Drag and drop "
            "off to type a flowchart."
        )
        return
    canvas = current_canvas(interview, source, graph)
    st.session_state.diagram_canvas = canvas
    _flow(
        nodes=canvas.nodes,
        edges=canvas.edges,
        height=CANVAS_HEIGHT,
        showControls=True,
        fitView=True,
        showMiniMap=False,
        style={},
        animateNewEdges=False,
        allowNewEdges=True,
        layoutOptions=ManualLayout().__to_dict__(),  # boxes stay where they are put
        getNodeOnClick=False,
        getEdgeOnClick=False,
        panOnDrag=True,
        allowZoom=True,
        minZoom=0.5,
        enableNodeMenu=True,
        enablePaneMenu=True,
        enableEdgeMenu=True,
        hideWatermark=False,
        timestamp=canvas.timestamp,
        component="streamlit_flow",
        key=FLOW_KEY,
        on_change=functools.partial(on_canvas_change, apply),
    )
    st.caption(
        "Drag from a box's dot to another box to connect them. Right-click a box or an arrow to rename or delete "
        "it, or empty space to add a box. Positions are kept only while this tab is open."
    )


def on_canvas_change(apply: Callable[[str], None]) -> None:
    """The browser reported the canvas: keep the boxes' positions, and save the graph when it changed."""
    interview = st.session_state.interview
    canvas = st.session_state.diagram_canvas
    reported = st.session_state.get(FLOW_KEY)
    stamp = reported.get("timestamp") if isinstance(reported, dict) else None
    if interview is None or canvas is None or canvas.interview_id != interview.id:
        return
    if not isinstance(stamp, int | float) or stamp <= canvas.seen:
        return
    canvas.seen = int(stamp)
    source = interview.diagram_source()
    graph = graph_of(source) if source else None
    if graph is None or canvas.source != source:
        return  # a newer diagram was saved meanwhile (the palette): this report is about the old one
    st.session_state.diagram_canvas = take_change(interview, canvas, graph, reported, apply)


def current_canvas(interview: Interview, source: str, graph: Diagram) -> Canvas:
    """The session's canvas, rebuilt when the saved diagram is no longer the one it shows (a text edit, another
    interview, a resume)."""
    canvas = st.session_state.diagram_canvas
    if canvas is not None and canvas.interview_id == interview.id and canvas.source == source:
        return canvas
    positions = canvas.positions if canvas is not None and canvas.interview_id == interview.id else {}
    seen = canvas.seen if canvas is not None else 0
    return build(interview.id, source, graph, positions, seen)


def build(
    interview_id: str, source: str, graph: Diagram, positions: dict[str, tuple[float, float]], seen: int
) -> Canvas:
    """A canvas for `graph`: known boxes where they were, new ones where the layered layout puts them."""
    default = layered_layout(graph)
    placed = {node.id: positions.get(node.id, default[node.id]) for node in graph.nodes}
    across = graph.direction in ("TD", "TB", "BT")
    nodes, edges = canvas_of(graph)
    flow_nodes = [
        StreamlitFlowNode(
            node.id,
            placed[node.id],
            # Nodes are drawn as Markdown with raw HTML allowed: escaped, a label shows as typed.
            {"content": escape_marks(node.label), "plain": node.label},
            "default",
            "bottom" if across else "right",
            "top" if across else "left",
            selectable=False,
            connectable=True,
            deletable=True,
            style={"width": "auto", "height": "auto"},
        ).asdict()
        for node in nodes
    ]
    arrow = {"type": "arrowclosed"}
    flow_edges = [
        StreamlitFlowEdge(
            f"edge-{index}",
            edge.source,
            edge.target,
            marker_end=arrow,
            marker_start=arrow if edge.both_ways else {},
            deletable=True,
            label=edge.label,
            selectable=False,
        ).asdict()
        for index, edge in enumerate(edges)
    ]
    # The browser takes new boxes only when their timestamp is newer than the last change it reported.
    timestamp = max(int(time.time() * 1000), seen + 1)
    return Canvas(interview_id, source, flow_nodes, flow_edges, timestamp, placed, seen)


def take_change(
    interview: Interview, canvas: Canvas, graph: Diagram, reported: dict[str, Any], apply: Callable[[str], None]
) -> Canvas:
    """Keep the boxes' new positions; save the graph when it changed, and give the canvas what was saved."""
    nodes, edges, positions = read_canvas(reported)
    canvas.positions.update(positions)
    source, renamed = to_mermaid(graph, canvas.source, nodes, edges)
    changed = graph_of(source)
    if changed is not None and (changed.nodes, changed.edges) == (graph.nodes, graph.edges):
        return canvas  # moved, not changed: the browser already shows it
    for old_id, new_id in renamed.items():
        if old_id in canvas.positions:
            canvas.positions[new_id] = canvas.positions.pop(old_id)
    apply(source)
    saved = interview.diagram_source()
    # What was saved, or (when the change could not be saved) the last good diagram back on the canvas.
    return build(interview.id, saved, graph_of(saved) or graph, canvas.positions, canvas.seen)


def read_canvas(
    reported: dict[str, Any],
) -> tuple[list[CanvasNode], list[CanvasEdge], dict[str, tuple[float, float]]]:
    """The boxes, arrows and positions in the component's value (React Flow's own node and edge objects)."""
    nodes, positions = [], {}
    for raw in reported.get("nodes") or []:
        if not isinstance(raw, dict) or not raw.get("id"):
            continue
        data = raw.get("data") if isinstance(raw.get("data"), dict) else {}
        content = str(data.get("content") or "")
        plain = data.get("plain")
        # A box renamed on the canvas no longer shows its escaped label: take what was typed.
        label = plain if isinstance(plain, str) and content == escape_marks(plain) else content
        nodes.append(CanvasNode(str(raw["id"]), label))
        position = raw.get("position") or {}
        try:
            positions[str(raw["id"])] = (float(position.get("x", 0)), float(position.get("y", 0)))
        except (TypeError, ValueError):
            pass
    edges = [
        CanvasEdge(
            str(raw.get("source")), str(raw.get("target")), str(raw.get("label") or ""), bool(raw.get("markerStart"))
        )
        for raw in reported.get("edges") or []
        if isinstance(raw, dict)
    ]
    return nodes, edges, positions
