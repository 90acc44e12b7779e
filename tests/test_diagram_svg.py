"""The offline SVG picture of a whiteboard diagram: layered layout, escaped labels, bounded output."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from interview.whiteboard.diagram import MAX_EDGES, MAX_NODES, STARTER, Diagram, Edge, Node
from interview.whiteboard.parse import parse
from interview.whiteboard.svg import layers, to_svg, wrap

HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "]]><!ENTITY x SYSTEM 'file:///etc/passwd'>",
    "&amp; & &lt; </svg><foreignObject>",
)


def svg_tree(svg: str) -> ET.Element:
    """The picture as XML: it must be well formed, whatever the labels held."""
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    return ["".join(el.itertext()) for el in svg_tree(svg).iter() if el.tag == "text"]


def centres(svg: str) -> dict[str, tuple[float, float]]:
    """Each box's label text -> the position of its first line."""
    found = {}
    for el in svg_tree(svg).iter("text"):
        spans = list(el.iter("tspan"))
        if spans:
            found[" ".join(span.text or "" for span in spans)] = (float(spans[0].get("x")), float(spans[0].get("y")))
    return found


def test_layers_follow_the_longest_path_and_survive_cycles():
    graph = parse("flowchart LR\n a --> b --> c --> d\n a --> d\n d --> b\n e")
    assert layers(graph) == {"a": 0, "b": 1, "c": 2, "d": 3, "e": 0}
    looped = parse("flowchart LR\n a --> a\n b --> c --> b")
    assert layers(looped) == {"a": 0, "b": 0, "c": 1}


@pytest.mark.parametrize(
    ("direction", "axis", "forward"),
    [("LR", 0, True), ("RL", 0, False), ("TD", 1, True), ("TB", 1, True), ("BT", 1, False)],
)
def test_the_flow_runs_in_the_diagrams_direction(direction, axis, forward):
    svg = to_svg(parse(STARTER.replace("flowchart LR", f"flowchart {direction}")))
    at = centres(svg)
    along = [at[label][axis] for label in ("Client", "Load balancer", "API service", "Database")]
    assert along == (sorted(along) if forward else sorted(along, reverse=True))
    assert len(set(along)) == 4


def test_starter_picture_has_every_box_arrow_and_label():
    graph = parse(STARTER + '    api -- "writes & reads" --> cache[(Redis)]\n    api <--> auth([Auth])')
    svg = to_svg(graph, title="Design a <URL> shortener")
    root = svg_tree(svg)
    assert root.tag == "svg" and root.findtext("title") == "Design a <URL> shortener"
    assert len(root.findall("line")) == len(graph.edges)
    assert len(root.findall("polygon")) == len(graph.edges) + 1  # one arrowhead each, two on the both-ways edge
    assert {"Client", "Load balancer", "API service", "Database", "Redis", "Auth", "writes & reads"} <= set(texts(svg))
    assert len(root.findall("path")) == 2  # the two cylinders: Database and Redis


def test_hostile_labels_are_escaped_text():
    nodes = tuple(Node(f"n{index}", label, "service") for index, label in enumerate(HOSTILE))
    edges = (Edge("n0", "n1", HOSTILE[3]), Edge("n2", "n3", "<b>bold</b>"))
    svg = to_svg(Diagram("TD", nodes, edges), title=HOSTILE[0])
    lowered = svg.lower()
    for tag in ("<script", "<img", "<foreignobject", "<!entity", "<b>", "</svg><"):
        assert tag not in lowered
    assert "href" not in lowered and "url(" not in lowered and " on" not in re.sub(r">[^<]*<", "><", lowered)
    shown = " ".join(texts(svg))
    for label in HOSTILE:
        assert "".join(wrap(label))[:20] in shown  # the reader sees the literal text


def test_long_labels_wrap_and_stop():
    assert wrap("word " * 3) == ["word word word"]
    assert wrap("x" * 60) == ["x" * 24, "x" * 24, "x" * 12]
    lines = wrap("a long label " * 10)
    assert len(lines) == 4 and lines[-1].endswith("…") and all(len(line) <= 24 for line in lines)


def test_the_largest_diagram_the_parser_accepts_draws_in_bounded_size():
    lines = ["flowchart TD"]
    lines += [f"  n{i}[Service number {i} with a long label] --> n{(i + 1) % MAX_NODES}" for i in range(MAX_NODES)]
    lines += [f"  n{i} -- call {i} --> n{(i * 7 + 3) % MAX_NODES}" for i in range(MAX_EDGES - MAX_NODES)]
    graph = parse("\n".join(lines))
    assert len(graph.nodes) == MAX_NODES and len(graph.edges) == MAX_EDGES
    svg = to_svg(graph)
    svg_tree(svg)
    assert len(svg) < 250_000


def test_an_empty_diagram_says_so():
    svg = to_svg(parse("flowchart LR"))
    assert "The diagram is empty." in texts(svg)
