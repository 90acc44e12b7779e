"""The whiteboard's drag-and-drop editor in Chromium: the saved diagram as React Flow boxes (streamlit-flow-component,
bundled, no network); an arrow dragged between two boxes and a box deleted from its menu are saved as new versions,
shown in the Mermaid text, and read by the interviewer."""

from __future__ import annotations

import time

import pytest

from interview.store import SQLiteStore
from interview.whiteboard.parse import parse
from tests.browser.support import click_button, interview_id, keyed, open_app, send, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CANVAS = 'iframe[title="ui.whiteboard_flow.streamlit_flow"]'


def saved_diagram(app_server, page, containing: str, missing: str = "", timeout: float = 30):
    """The interview as stored, once its latest diagram has `containing` and lacks `missing`."""
    deadline = time.monotonic() + timeout
    while True:
        stored = SQLiteStore(app_server.db_path).load(interview_id(page))
        source = stored.diagram_source()
        if containing in source and not (missing and missing in source):
            return stored
        if time.monotonic() > deadline:
            raise AssertionError(f"no saved diagram with {containing!r} (and without {missing!r}); last:\n{source}")
        page.wait_for_timeout(200)


def center(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def settled_center(page, locator, timeout: float = 15) -> tuple[float, float]:
    """Where a dot is once the canvas has stopped fitting its view (the same place twice in a row)."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        now = center(locator)
        if now == last:
            return now
        if time.monotonic() > deadline:
            raise AssertionError(f"the canvas kept moving: {last} then {now}")
        last = now
        page.wait_for_timeout(300)


def test_an_arrow_dragged_on_the_canvas_is_saved_and_read(app_server, llm, page):
    llm.enqueue("Let us start. Who books tickets?")
    open_app(page, app_server.url)
    send(page, "Design a ticket booking system", reply="Who books tickets?")
    keyed(page, "whiteboard_open").locator("label").click()
    wait_idle(page)
    click_button(page, "Starter")
    wait_idle(page)
    keyed(page, "diagram_drag").locator("label").click()
    wait_idle(page)

    requests = []
    page.on("request", lambda request: requests.append(request.url))
    frame = page.frame_locator(CANVAS)
    boxes = frame.locator(".react-flow__node")
    boxes.nth(3).wait_for()
    assert boxes.all_inner_texts() == ["Client", "Load balancer", "API service", "Database"]
    assert frame.locator(".react-flow__edge").count() == 3

    # Drag from the client's outgoing dot to the database's incoming dot.
    start = settled_center(page, frame.locator('.react-flow__handle.source[data-nodeid="client"]'))
    end = settled_center(page, frame.locator('.react-flow__handle.target[data-nodeid="db"]'))
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 40, steps=8)
    page.mouse.move(*end, steps=8)
    page.mouse.up()
    stored = saved_diagram(app_server, page, "client --> db")
    wait_idle(page)
    graph = parse(stored.diagram_source())
    assert ("client", "db") in [(edge.source, edge.target) for edge in graph.edges]
    assert [node.id for node in graph.nodes] == ["client", "lb", "api", "db"]  # ids, labels and shapes kept
    assert graph.node("db").shape == "cylinder" and graph.node("db").label == "Database"
    assert len(stored.diagrams) == 2  # the starter, then the arrow: one version per change, no echo
    assert "client --> db" in page.get_by_test_id("stCode").inner_text()  # the saved Mermaid, under the canvas
    assert frame.locator(".react-flow__edge").count() == 4

    # Delete the load balancer from its menu: it and its arrows go, in the saved diagram too.
    frame.locator('.react-flow__node[data-id="lb"]').click(button="right")
    frame.get_by_role("button", name="Delete Node").click()
    stored = saved_diagram(app_server, page, "client --> db", missing="Load balancer")
    wait_idle(page)
    graph = parse(stored.diagram_source())
    assert [node.id for node in graph.nodes] == ["client", "api", "db"]
    assert [(edge.source, edge.target) for edge in graph.edges] == [("api", "db"), ("client", "db")]
    assert len(stored.diagrams) == 3
    assert boxes.count() == 3
    page.wait_for_timeout(1500)  # a canvas that echoed its own state back would save again meanwhile
    assert len(SQLiteStore(app_server.db_path).load(interview_id(page)).diagrams) == 3
    assert [url for url in requests if not url.startswith(app_server.url)] == []  # bundled: nothing from a CDN

    # Typing is back with the toggle off: the text area holds what the canvas saved.
    keyed(page, "diagram_drag").locator("label").click()
    wait_idle(page)
    assert page.get_by_label("Diagram (Mermaid)", exact=True).input_value() == stored.diagram_source()

    # The interviewer reads the canvas's diagram in the next turn.
    llm.enqueue("Why does the client reach the database directly?")
    send(page, "Clients read straight from the database.", reply="directly?")
    messages = [r for r in llm.requests if r["path"].endswith("/chat/completions")][-1]["body"]["messages"]
    prompt = "\n".join(message["content"] for message in messages)
    components = [line for line in prompt.splitlines() if line.startswith("Components:")]
    assert components[-1] == "Components: Client; API service; Database."
    assert "Client -> Database" in prompt
