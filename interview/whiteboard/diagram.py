"""The whiteboard: a Mermaid flowchart parsed into a graph of components and edges that the interviewer reads.

Only the flowchart subset people draw in interviews is read: nodes with a shape and a label, edges with an optional
label, chains, `&` lists, subgraphs and `;`-separated statements. Styling lines are skipped. Anything that could
make the renderer run scripts or change its configuration (`click`, `%%{init}%%` directives, HTML in labels) is
refused with a message that names the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from interview.whiteboard.kinds import REPLICATION_WORDS, has_any

MAX_SOURCE_CHARS = 20_000
MAX_LINES = 400
MAX_NODES = 150
MAX_EDGES = 300
MAX_LABEL_CHARS = 120
MAX_ID_CHARS = 60
# Words Mermaid's flowchart grammar reserves: a component named so stops the drawing.
RESERVED_IDS = frozenset("end call subgraph graph flowchart style class classDef click linkStyle href default".split())

DIRECTIONS = ("TD", "TB", "BT", "LR", "RL")
STARTER = """flowchart LR
    client[Client] --> lb[Load balancer]
    lb --> api[API service]
    api --> db[(Database)]
"""

# Shapes, longest opening first so "[(" is not read as "[". Cylinder means a database.
SHAPES: tuple[tuple[str, str, str], ...] = (
    ("(((", ")))", "double_circle"),
    ("([", "])", "stadium"),
    ("[[", "]]", "subroutine"),
    ("[(", ")]", "cylinder"),
    ("((", "))", "circle"),
    ("{{", "}}", "hexagon"),
    ("[/", "/]", "parallelogram"),
    ("[\\", "\\]", "parallelogram_alt"),
    ("[/", "\\]", "trapezoid"),
    ("[\\", "/]", "trapezoid_alt"),
    ("[", "]", "rectangle"),
    ("(", ")", "rounded"),
    ("{", "}", "rhombus"),
    (">", "]", "asymmetric"),
)


class DiagramError(ValueError):
    """A diagram that cannot be read, with the reason in plain words and the line it is on."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(f"Line {line}: {message}" if line else message)


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    kind: str  # client | load_balancer | gateway | service | database | cache | queue | storage | cdn | search | worker
    shape: str = "rectangle"

    @property
    def replicated(self) -> bool:
        """The label says there is more than one of it (a cluster, replicas, shards)."""
        return has_any(f"{self.id} {self.label}", REPLICATION_WORDS) or bool(
            re.search(r"[x×]\s*\d|\d+\s*[x×]", self.label)
        )


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""
    both_ways: bool = False


@dataclass(frozen=True)
class Diagram:
    direction: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()  # subgraphs with an id, and the nodes first named inside
    _by_id: dict[str, Node] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self._by_id.update({node.id: node for node in self.nodes})

    def node(self, node_id: str) -> Node | None:
        return self._by_id.get(node_id)

    def of_kind(self, kind: str) -> list[Node]:
        return [node for node in self.nodes if node.kind == kind]

    def targets(self, node_id: str) -> list[str]:
        """Where a node sends: edges out of it, and both ways edges into it."""
        out = [e.target for e in self.edges if e.source == node_id]
        return out + [e.source for e in self.edges if e.both_ways and e.target == node_id]

    def sources(self, node_id: str) -> list[str]:
        """What reaches a node: edges into it, and both ways edges out of it."""
        into = [e.source for e in self.edges if e.target == node_id]
        return into + [e.target for e in self.edges if e.both_ways and e.source == node_id]

    def describe(self, node_id: str) -> str:
        """'Load balancer (load balancer)': the label, with the kind when the label does not already say it."""
        node = self._by_id[node_id]
        kind = node.kind.replace("_", " ")
        return node.label if kind in node.label.lower() else f"{node.label} ({kind})"

    def components(self) -> list[str]:
        return [self.describe(node.id) for node in self.nodes]

    def edge_lines(self) -> list[str]:
        lines = []
        for edge in self.edges:
            arrow = "<->" if edge.both_ways else "->"
            said = f" [{edge.label}]" if edge.label else ""
            lines.append(f"{self._by_id[edge.source].label} {arrow} {self._by_id[edge.target].label}{said}")
        return lines

    def changes_since(self, older: Diagram | None) -> str:
        """What was added and removed since an older version, in one line; "" when nothing changed."""
        if older is None:
            return "First version of the diagram." if self.nodes else ""
        added = [self.describe(n.id) for n in self.nodes if older.node(n.id) is None]
        removed = [older.describe(n.id) for n in older.nodes if self.node(n.id) is None]
        old_edges, new_edges = set(older.edge_lines()), set(self.edge_lines())
        parts = []
        if added:
            parts.append("added " + ", ".join(added))
        if removed:
            parts.append("removed " + ", ".join(removed))
        if new_edges - old_edges:
            parts.append("new edges " + "; ".join(line for line in self.edge_lines() if line not in old_edges))
        if old_edges - new_edges:
            parts.append("dropped edges " + "; ".join(line for line in older.edge_lines() if line not in new_edges))
        return ("Changed since last turn: " + "; ".join(parts) + ".") if parts else ""
