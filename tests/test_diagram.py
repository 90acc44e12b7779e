"""The whiteboard parser: Mermaid flowcharts to a graph, with clear errors that name the line."""

import pytest

from interview.core.state import DiagramVersion
from interview.dialogue import engine
from interview.whiteboard.diagram import (
    MAX_EDGES,
    MAX_ID_CHARS,
    MAX_LABEL_CHARS,
    MAX_LINES,
    MAX_NODES,
    MAX_SOURCE_CHARS,
    STARTER,
    DiagramError,
)
from interview.whiteboard.parse import parse


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


# --- valid input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declaration", "shape"),
    [
        ("n[Box]", "rectangle"),
        ("n(Rounded)", "rounded"),
        ("n([Stadium])", "stadium"),
        ("n[[Subroutine]]", "subroutine"),
        ("n[(Store)]", "cylinder"),
        ("n((Circle))", "circle"),
        ("n(((Double)))", "double_circle"),
        ("n>Flag]", "asymmetric"),
        ("n{Decision}", "rhombus"),
        ("n{{Hexagon}}", "hexagon"),
        ("n[/Slanted/]", "parallelogram"),
        ("n[\\Slanted\\]", "parallelogram_alt"),
        ("n[/Trapezoid\\]", "trapezoid"),
        ("n[\\Trapezoid/]", "trapezoid_alt"),
    ],
)
def test_every_shape_is_read_with_its_label(declaration, shape):
    node = parse(f"flowchart TD\n{declaration}").node("n")
    assert node.shape == shape
    assert node.label not in ("", "n")


@pytest.mark.parametrize(
    ("arrow", "label", "both_ways"),
    [
        ("-->", "", False),
        ("---", "", False),
        ("--->", "", False),
        ("==>", "", False),
        ("===", "", False),
        ("-.->", "", False),
        ("-.-", "", False),
        ("-..->", "", False),
        ("--o", "", False),
        ("--x", "", False),
        ("<-->", "", True),
        ("<==>", "", True),
        ("o--o", "", True),
        ("x--x", "", True),
        ("-->|reads|", "reads", False),
        ("-- reads -->", "reads", False),
        ("== reads ==>", "reads", False),
        ("-. reads .->", "reads", False),
        ('-- "reads; writes" -->', "reads; writes", False),
        ('-->|"a | b"|', "", None),  # a pipe inside a pipe label cannot be read; the error names the line
    ],
)
def test_every_arrow_form(arrow, label, both_ways):
    source = f"flowchart LR\n  api[API] {arrow} db[(DB)]"
    if both_ways is None:
        with pytest.raises(DiagramError, match="Line 2"):
            parse(source)
        return
    (edge,) = parse(source).edges
    assert (edge.source, edge.target, edge.label, edge.both_ways) == ("api", "db", label, both_ways)


def test_arrows_glued_to_ids_and_long_chains():
    graph = parse("flowchart LR\nA-->B-->C---D==>E\nE-.->F")
    assert [(e.source, e.target) for e in graph.edges] == [("A", "B"), ("B", "C"), ("C", "D"), ("D", "E"), ("E", "F")]


def test_both_ways_edges_count_for_targets_and_sources():
    graph = parse("flowchart LR\napi[API] <--> cache[(Redis)]")
    assert graph.targets("cache") == ["api"] and graph.sources("api") == ["cache"]
    assert graph.edge_lines() == ["API <-> Redis"]


def test_labels_with_quotes_semicolons_and_unicode():
    graph = parse('flowchart LR\n  a["Auth; sessions (JWT)"] --> b["Ünïcode 数据库 store"]; b --> c[(Ledger)]')
    assert graph.node("a").label == "Auth; sessions (JWT)"
    assert graph.node("b").label == "Ünïcode 数据库 store" and graph.node("b").kind == "database"
    assert [(e.source, e.target) for e in graph.edges] == [("a", "b"), ("b", "c")]


def test_line_breaks_in_labels_become_spaces():
    assert parse("flowchart LR\na[API<br/>service] --> b[(Orders<br>DB)]").node("b").label == "Orders DB"


def test_ampersand_lists_make_every_pair():
    graph = parse("flowchart LR\nw1[Web] & w2[Mobile] --> api1[API] & api2[API]")
    assert {(e.source, e.target) for e in graph.edges} == {
        ("w1", "api1"),
        ("w1", "api2"),
        ("w2", "api1"),
        ("w2", "api2"),
    }


def test_subgraphs_group_their_nodes_and_do_not_count_as_components():
    graph = parse(
        "flowchart LR\n  c[Client] --> backend\n  subgraph backend [Backend]\n    direction TB\n"
        "    api[API] --> db[(Orders DB)]\n  end\n  style api fill:#f9f\n  classDef hot fill:#f00\n  class api hot"
    )
    assert dict(graph.groups) == {"backend": ("api", "db")}
    assert graph.node("backend").kind == "group"
    assert graph.node("api").kind == "service" and graph.node("db").kind == "database"


def test_comments_blank_lines_and_windows_line_ends_are_fine():
    graph = parse("%% the design\r\nflowchart LR\r\n\r\n  a[Client] --> b[API]  \r\n%% done")
    assert [n.id for n in graph.nodes] == ["a", "b"]


def test_a_later_shape_relabels_a_node_once_declared():
    graph = parse("flowchart LR\napi --> db\ndb[(Users DB)]")
    assert graph.node("db").label == "Users DB" and graph.node("db").kind == "database"


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Redis cache", "cache"),
        ("Kafka", "queue"),
        ("S3 bucket", "storage"),
        ("CDN", "cdn"),
        ("Elasticsearch", "search"),
        ("Read replica", "database"),
        ("Load balancer", "load_balancer"),
        ("Thumbnail workers", "worker"),
        ("Mobile clients", "client"),
        ("API gateway", "gateway"),
    ],
)
def test_kinds_from_names(label, kind):
    assert parse(f"flowchart LR\nn[{label}]").node("n").kind == kind


def test_replicated_by_label():
    graph = parse("flowchart LR\na[(Postgres primary + 2 replicas)]\nb[(Cassandra x3)]\nc[(MySQL)]")
    assert graph.node("a").replicated and graph.node("b").replicated and not graph.node("c").replicated


# --- invalid input: each error names the right line ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("", None, "empty"),
        ("%% only a comment", None, "empty"),
        ("flowchart SIDEWAYS", 1, "direction"),
        ("flowchart LR\nflowchart TD", 2, "only one"),
        ("flowchart LR\na --> b\nend", 3, "without a `subgraph`"),
        ("flowchart LR\nsubgraph s\na --> b", 2, "never closed"),
        ("flowchart LR\na[x] --> b\n\na --> ??", 4, "expected a node name"),
        ("flowchart LR\na[x] b[y]", 2, "expected an arrow"),
        ('flowchart LR\na["open quote] --> b', 2, "quote"),
        ("flowchart LR\na(unclosed --> b", 2, "never closed"),
        ("flowchart LR\n" + "a" * 61 + " --> b", 2, "longer than 60"),
        ("flowchart LR\na[" + "x" * 121 + "]", 2, "longer than 120"),
        ("flowchart LR\na -->|" + "x" * 121 + "| b", 2, "longer than 120"),
        ("flowchart LR\na --> b\n    a --> c -->", 3, "points at nothing"),
    ],
)
def test_invalid_diagrams_name_the_line(source, line, words):
    with pytest.raises(DiagramError) as caught:
        parse(source)
    assert caught.value.line == line
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"Line {line}:") if line else "Line" not in str(caught.value)


# --- bounds: at the limit is fine, over it is refused quickly -------------------------------------------------------


def test_source_and_line_bounds():
    at_limit = "flowchart LR\n" + "%%\n" * (MAX_LINES - 2) + "a --> b"
    assert len(parse(at_limit).edges) == 1
    with pytest.raises(DiagramError, match=f"limit is {MAX_LINES}"):
        parse(at_limit + "\nb --> c")
    padded = "flowchart LR\na --> b\n%%" + " " * (MAX_SOURCE_CHARS - 23)
    assert len(padded) == MAX_SOURCE_CHARS and parse(padded).edges
    with pytest.raises(DiagramError, match="20,000"):
        parse(padded + "x")


def test_node_and_edge_bounds():
    nodes = "\n".join(f"n{i}[Service {i}]" for i in range(MAX_NODES))
    assert len(parse("flowchart LR\n" + nodes).nodes) == MAX_NODES
    with pytest.raises(DiagramError, match=f"more than {MAX_NODES} components") as caught:
        parse("flowchart LR\n" + nodes + "\nextra")
    assert caught.value.line == MAX_NODES + 2
    edges = "\n".join(f"a{i % 20} --> b{i // 20}" for i in range(MAX_EDGES))
    assert len(parse("flowchart LR\n" + edges).edges) == MAX_EDGES
    with pytest.raises(DiagramError, match=f"more than {MAX_EDGES} edges"):
        parse("flowchart LR\n" + edges + "\na0 --> b0")


def test_label_and_id_bounds_at_the_limit():
    graph = parse("flowchart LR\n" + "i" * MAX_ID_CHARS + "[" + "x" * MAX_LABEL_CHARS + "]")
    assert graph.nodes[0].label == "x" * MAX_LABEL_CHARS


@pytest.mark.parametrize(
    "line",
    [
        "a -- " + " " * 19_000 + "b",  # once quadratic: a lazy label with spaces before the closing dashes
        "a -. " + " " * 19_000 + "b",
        "a == " + " =" * 9_000,
        "a " + "@#$%^" * 3_900,
        "a" + "[" * 9_000 + "]" * 9_000,
        "a" + "(" * 19_000,
        'a["' * 4_000,
        "&".join(["a"] * 9_000) + "-->b",
        " & ".join(f"n{i}" for i in range(2_500)),
        "a -->|" + "x" * 19_000,
        "a" + " --> b" * 3_000,
        ";" * 19_000,
    ],
)
def test_large_garbage_is_read_or_refused_in_linear_time(line):
    source = "flowchart LR\n" + line
    assert len(source) <= MAX_SOURCE_CHARS
    try:
        parse(source)  # a quadratic pass over 20,000 characters would hang this test, not merely slow it
    except DiagramError as error:
        assert error.line == 2 and len(str(error)) < 200


# --- hostile input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("flowchart LR\na[<script>alert(1)</script>]", 2, "HTML"),
        ('flowchart LR\na["<img src=x onerror=alert(1)>"]', 2, "HTML"),
        ("flowchart LR\na -->|<b>x</b>| b", 2, "HTML"),
        ('flowchart LR\nsubgraph s["<iframe src=javascript:alert(1)>"]\nend', 2, "HTML"),
        ("flowchart LR\naccTitle: <svg onload=alert(1)>", 2, "HTML"),
        ('flowchart LR\nclick a href "javascript:alert(1)"', 2, "click"),
        ("flowchart LR\na --> b; click a call evil()", 2, "click"),
        ("flowchart LR\nhref a http://x", 2, "links"),
        ("%%{init: {'securityLevel': 'loose'}}%%\nflowchart LR", 1, "directives"),
        ("flowchart LR\na --> b %%{init: {'theme': 'dark'}}%%", 2, "directives"),
        ("---\nconfig:\n  securityLevel: loose\n---\nflowchart LR", 1, "only flowcharts"),
        ("flowchart LR\na[Client\x00] --> b", 2, "control character"),
        ("flowchart LR\na[Cl\u202eient] --> b", 2, "control character"),
        ("flowchart LR\na[\x1b[31mred] --> b", 2, "control character"),
    ],
)
def test_hostile_input_is_refused_naming_the_line(source, line, words):
    with pytest.raises(DiagramError) as caught:
        parse(source)
    assert caught.value.line == line and words in str(caught.value)


def test_script_words_in_plain_labels_stay_plain_text():
    graph = parse('flowchart LR\na["javascript:alert(1)"] --> b["p < 5 ms & x > 2"]')
    assert graph.node("a").label == "javascript:alert(1)"
    assert graph.node("b").label == "p < 5 ms & x > 2"


def test_a_stored_version_the_parser_now_refuses_is_skipped_not_fatal():
    store = engine.NullStore()
    interview = engine.start_interview("Design a URL shortener", store)
    engine.update_diagram(interview, STARTER, store)
    # Saved by an older, more lenient parser: a directive in the middle of a line.
    interview.diagrams.append(DiagramVersion("flowchart LR\n  a --> b %%{init: {}}%%", turn=2))
    assert [node.label for node in engine.current_diagram(interview).nodes][-1] == "Database"
    interview.diagrams = interview.diagrams[1:]
    assert engine.current_diagram(interview) is None


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("db[Postgres (primary)]", 'db["Postgres (primary)"]'),  # the fix is in the message
        ("a[Map {k: v}]", "double quotes"),
        ('a[He said "hi"]', "double quotes"),
        ('a["x" y]', "outside its double quotes"),
        ("api --> end", "`end` is a Mermaid keyword"),
        ("call --> b", "`call` is a Mermaid keyword"),
    ],
)
def test_what_mermaid_cannot_draw_is_refused_so_the_last_drawing_stays(line, words):
    """Streamlit's bundled Mermaid fails on these (checked in Chromium), so they must not become the last good diagram."""
    with pytest.raises(DiagramError) as caught:
        parse(f"flowchart LR\n  {line}")
    assert caught.value.line == 2 and words in str(caught.value)


def test_quoted_labels_may_hold_brackets_and_keywords_may_be_capitalised():
    graph = parse('flowchart LR\n  db[("Postgres (primary)")] --> End[End]')
    assert [(node.label, node.kind) for node in graph.nodes] == [("Postgres (primary)", "database"), ("End", "service")]
