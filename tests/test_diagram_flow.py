"""The drag-and-drop editor's conversion: a parsed diagram to canvas boxes and arrows, and the canvas back to Mermaid
that the parser reads, keeping ids, labels and shapes."""

from __future__ import annotations

from interview.whiteboard.canvas import (
    GAP_ACROSS,
    GAP_ALONG,
    CanvasEdge,
    CanvasNode,
    canvas_of,
    clean_text,
    fresh_id,
    layered_layout,
    to_mermaid,
)
from interview.whiteboard.diagram import MAX_LABEL_CHARS, STARTER
from interview.whiteboard.parse import parse

SOURCE = """flowchart LR
    %% the write path
    client[Mobile clients] --> lb[Load balancer]
    subgraph core [Core services]
        api[Booking API]
        worker{{Email worker}}
    end
    lb -.-> api
    api --> db[(Postgres)]
    api <-->|reads| cache[(Redis)]
    api -- booked --> queue[[Kafka]]
    queue --> worker"""


def graph_and_canvas(source: str = SOURCE):
    graph = parse(source)
    nodes, edges = canvas_of(graph)
    return graph, nodes, edges


def test_an_unchanged_canvas_gives_back_the_same_source():
    graph, nodes, edges = graph_and_canvas()
    source, renamed = to_mermaid(graph, SOURCE, nodes, edges)
    assert source == SOURCE and renamed == {}


def test_a_connected_arrow_is_appended_and_everything_else_is_kept():
    graph, nodes, edges = graph_and_canvas()
    source, _ = to_mermaid(graph, SOURCE, nodes, [*edges, CanvasEdge("worker", "db")])
    assert source == SOURCE + "\n    worker --> db"
    again = parse(source)
    assert again.nodes == graph.nodes and again.groups == graph.groups
    assert again.edges[-1].source == "worker" and again.edges[-1].target == "db"
    assert "Email worker -> Postgres" in again.changes_since(graph)


def test_a_box_added_on_the_canvas_gets_an_id_from_its_label_and_its_arrows_follow():
    graph, nodes, edges = graph_and_canvas()
    added = CanvasNode("st-flow-node_V1StGXR8_Z5jdHi6B-myT", "Read replica")
    source, renamed = to_mermaid(graph, SOURCE, [*nodes, added], [*edges, CanvasEdge("db", added.id, "replicates")])
    assert renamed == {added.id: "read_replica"}
    again = parse(source)
    replica = again.node("read_replica")
    assert replica.label == "Read replica" and replica.kind == "database"
    assert ("db", "read_replica", "replicates") in [(e.source, e.target, e.label) for e in again.edges]


def test_new_ids_never_clash_with_existing_ones_or_mermaid_words():
    assert fresh_id("API service", {"api_service"}) == "api_service2"
    assert fresh_id("end", set()) == "end2"
    assert fresh_id("3 shards", set()) == "n3_shards"
    assert fresh_id("!!!", set()) == "component"


def test_a_deleted_box_rewrites_the_source_keeping_ids_labels_shapes_and_subgraphs():
    graph, nodes, edges = graph_and_canvas()
    kept = [node for node in nodes if node.id != "lb"]
    source, _ = to_mermaid(graph, SOURCE, kept, [e for e in edges if "lb" not in (e.source, e.target)])
    again = parse(source)
    assert [node.id for node in again.nodes] == [node.id for node in kept]
    for node in again.nodes:
        assert node == graph.node(node.id)  # id, label, kind and shape
    assert again.groups == (("core", ("api", "worker")),)
    assert [(e.source, e.target, e.label, e.both_ways) for e in again.edges] == [
        (e.source, e.target, e.label, e.both_ways) for e in graph.edges if "lb" not in (e.source, e.target)
    ]


def test_a_deleted_arrow_and_a_renamed_box_round_trip():
    graph, nodes, edges = graph_and_canvas()
    renamed_nodes = [CanvasNode(n.id, "Postgres primary") if n.id == "db" else n for n in nodes]
    fewer = [e for e in edges if (e.source, e.target) != ("api", "cache")]
    source, _ = to_mermaid(graph, SOURCE, renamed_nodes, fewer)
    again = parse(source)
    assert again.node("db").label == "Postgres primary" and again.node("db").shape == "cylinder"
    assert ("api", "cache") not in [(e.source, e.target) for e in again.edges]
    assert len(again.edges) == len(graph.edges) - 1
    # And from the rewritten source back to the canvas and to Mermaid again: nothing changes.
    nodes2, edges2 = canvas_of(again)
    assert to_mermaid(again, source, nodes2, edges2)[0] == source


def test_arrows_to_boxes_that_are_gone_are_dropped():
    graph, nodes, edges = graph_and_canvas(STARTER)
    source, _ = to_mermaid(graph, STARTER, nodes[:2], [*edges, CanvasEdge("api", "nowhere")])
    assert [(e.source, e.target) for e in parse(source).edges] == [("client", "lb")]


def test_typed_labels_lose_markup_and_are_bounded():
    assert clean_text('Cache <img src=x onerror="alert(1)"> | "hot" `x` # ;', 200) == "Cache hot x"
    assert clean_text("a\u202eb\nc", 200) == "a b c"
    assert len(clean_text("x" * 500, MAX_LABEL_CHARS)) == MAX_LABEL_CHARS
    graph, nodes, edges = graph_and_canvas(STARTER)
    odd = CanvasNode("new", "Blob (S3) [hot] {eu}")
    source, renamed = to_mermaid(graph, STARTER, [*nodes, odd], [*edges, CanvasEdge("api", "new", "puts <b>x</b>")])
    again = parse(source)
    assert again.node(renamed["new"]).label == "Blob (S3) [hot] {eu}"
    assert again.edges[-1].label == "puts x"


def test_an_empty_label_falls_back_to_the_id():
    graph, nodes, edges = graph_and_canvas(STARTER)
    source, renamed = to_mermaid(graph, STARTER, [CanvasNode("db", "  "), CanvasNode("x", "")], [])
    again = parse(source)
    assert again.node("db").label == "Database" and again.node(renamed["x"]).label == renamed["x"]


def test_the_layered_layout_follows_the_arrows_and_the_direction():
    graph = parse(STARTER)  # LR: client -> lb -> api -> db
    assert layered_layout(graph) == {
        "client": (0, 0),
        "lb": (GAP_ALONG, 0),
        "api": (2 * GAP_ALONG, 0),
        "db": (3 * GAP_ALONG, 0),
    }
    down = parse("flowchart TD\n  a --> b & c\n  c --> a\n  lone")
    positions = layered_layout(down)
    assert positions["a"] == (0, 0)
    assert positions["b"] == (0, GAP_ALONG) and positions["c"] == (GAP_ACROSS, GAP_ALONG)
    assert positions["lone"] == (GAP_ACROSS, 0)


def test_a_cycle_with_no_way_in_is_still_laid_out():
    positions = layered_layout(parse("flowchart LR\n  a --> b --> c --> a"))
    assert set(positions) == {"a", "b", "c"} and len(set(positions.values())) == 3


def test_a_box_named_after_a_mermaid_keyword_gets_an_id_the_parser_accepts():
    from interview.whiteboard.canvas import fresh_id
    from interview.whiteboard.parse import parse

    assert fresh_id("Call", set()) == "call2" and fresh_id("End", {"x"}) == "end2"
    parse(f"flowchart LR\n  {fresh_id('Call', set())}[Call]")
