"""The whiteboard parser: Mermaid flowcharts to a graph, with clear errors that name the line."""

import pytest

from interview import engine
from interview.diagram import STARTER, DiagramError, parse


def test_starter_template_is_client_to_database():
    graph = parse(STARTER)
    assert [node.kind for node in graph.nodes] == ["client", "load_balancer", "service", "database"]
    assert [(edge.source, edge.target) for edge in graph.edges] == [("client", "lb"), ("lb", "api"), ("api", "db")]


def test_edge_labels_chains_and_groups():
    graph = parse(
        "graph TD\n  U[Users] -->|HTTPS| LB[Load balancer] --> A[API] & B[Writer]\n  A -- reads --> C[(Redis)]"
    )
    assert ("U", "LB", "HTTPS") in [(e.source, e.target, e.label) for e in graph.edges]
    assert {(e.source, e.target) for e in graph.edges} >= {("LB", "A"), ("LB", "B"), ("A", "C")}
    assert graph.node("C").kind == "cache"
    assert "C" not in [n.id for n in graph.nodes if n.label == "reads"]


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("flowchart LR\nA -->", 2, "points at nothing"),
        ("flowchart LR\n\nA[Open", 3, "never closed"),
        ("sequenceDiagram\nA->>B: hi", 1, "only flowcharts"),
        ("flowchart LR\nclick A callback", 2, "click"),
        ("%%{init: {'securityLevel': 'loose'}}%%\nflowchart LR", 1, "directives"),
        ("flowchart LR\nA[<img src=x onerror=alert(1)>]", 2, "HTML"),
    ],
)
def test_broken_diagrams_name_the_line(source, line, words):
    with pytest.raises(DiagramError) as caught:
        parse(source)
    assert caught.value.line == line
    assert words in str(caught.value) and f"Line {line}:" in str(caught.value)


def test_broken_edit_keeps_the_last_good_version():
    store = engine.NullStore()
    interview = engine.start_interview("Design a URL shortener", store)
    engine.update_diagram(interview, STARTER, store)
    with pytest.raises(engine.InputError, match="Line 2"):
        engine.update_diagram(interview, "flowchart LR\nA -->", store)
    assert len(interview.diagrams) == 1
    assert [n.label for n in engine.current_diagram(interview).nodes][-1] == "Database"
