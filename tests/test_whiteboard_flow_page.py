"""The whiteboard's drag-and-drop mode through AppTest: the canvas is given the saved diagram, the text area gives way
to the saved Mermaid, and the palette still adds components. AppTest cannot act on a custom component (it is an
UnknownElement), so edits made on the canvas are tested in Chromium: tests/browser/test_whiteboard_flow.py."""

from __future__ import annotations

import json

from interview.whiteboard.parse import parse
from tests.test_whiteboard_page import GOOD, board_shown, edit, started, stored


def canvas_args(at) -> dict:
    (canvas,) = [element for element in at.get("component_instance") if element.proto.id.endswith("-diagram_flow")]
    return json.loads(canvas.proto.json_args)


def test_the_canvas_shows_the_saved_diagram_and_the_text_comes_back(app_env):
    at = edit(started(app_env), GOOD)
    at = at.toggle(key="diagram_drag").set_value(True).run()
    assert not at.exception
    assert not board_shown(at)  # one editor at a time
    assert [code.value for code in at.code] == [GOOD]
    args = canvas_args(at)
    assert [(node["id"], node["data"]["plain"]) for node in args["nodes"]] == [
        ("client", "Client"),
        ("api", "API service"),
        ("db", "Orders DB"),
    ]
    assert [(edge["source"], edge["target"]) for edge in args["edges"]] == [("client", "api"), ("api", "db")]
    # Left to right, a layer per step; nothing selectable, so React Flow's Backspace cannot delete behind our back.
    assert [node["position"]["x"] for node in args["nodes"]] == [0, 240, 480]
    assert not any(item["selectable"] for item in args["nodes"] + args["edges"])
    assert args["allowNewEdges"] and args["enableNodeMenu"] and args["enableEdgeMenu"]

    at = at.toggle(key="diagram_drag").set_value(False).run()
    assert board_shown(at) and at.text_area(key="diagram_source").value == GOOD
    assert not at.get("component_instance")


def test_the_palette_adds_to_the_canvas_and_saves(app_env):
    at = edit(started(app_env), GOOD)
    at = at.toggle(key="diagram_drag").set_value(True).run()
    at = at.button(key="diagram_add_cache").click().run()
    assert not at.exception
    saved = stored(at.session_state.interview.id).diagram_source()
    assert saved == GOOD + "\n    cache1[(Cache)]"
    assert parse(saved).node("cache1").kind == "cache"
    assert "cache1" in [node["id"] for node in canvas_args(at)["nodes"]]
    assert [code.value for code in at.code] == [saved]


def test_labels_reach_the_canvas_as_text_not_markup(app_env):
    at = edit(started(app_env), "flowchart TD\n    a[Cache *hot* <br> 1.5x] --> b([user_db])")
    at = at.toggle(key="diagram_drag").set_value(True).run()
    nodes = canvas_args(at)["nodes"]
    # Every Markdown character escaped, so the box shows the label as written (the parser already refuses HTML).
    assert nodes[0]["data"] == {"content": r"Cache \*hot\* 1\.5x", "plain": "Cache *hot* 1.5x"}
    assert nodes[1]["data"]["content"] == r"user\_db"
    assert (nodes[0]["sourcePosition"], nodes[0]["targetPosition"]) == ("bottom", "top")  # top to bottom
