"""Both ways between a parsed diagram and a drag-and-drop canvas of boxes and arrows.

Positions are not part of Mermaid, so the caller keeps them. Mermaid written back from the canvas keeps every
existing node's id, label and shape. When the canvas only added things, the new lines are appended to the existing
source, so its comments, styling, subgraph titles and arrow styles survive; a removal or a relabel rewrites the
source in a plain form (nodes, subgraphs with their members, then edges).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from interview.whiteboard.diagram import MAX_ID_CHARS, MAX_LABEL_CHARS, RESERVED_IDS, SHAPES, Diagram, Edge

GAP_ALONG = 240  # between layers, in the diagram's direction
GAP_ACROSS = 120  # between nodes of one layer
_BRACKETS = {name: (opening, closing) for opening, closing, name in reversed(SHAPES)}
_RESERVED = {word.lower() for word in RESERVED_IDS}  # ids made here are lowercase
_PLAIN_LABEL = re.compile(r"[\w .,:'+*?!@$%=~-]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class CanvasNode:
    id: str
    label: str


CanvasEdge = Edge  # an arrow on the canvas carries exactly what a diagram's edge does


def layered_layout(diagram: Diagram) -> dict[str, tuple[float, float]]:
    """A position per node: layers by distance from the nodes nothing reaches, placed along the diagram's direction."""
    targets: dict[str, list[str]] = {node.id: [] for node in diagram.nodes}
    reached = set()
    for edge in diagram.edges:
        if edge.source in targets and edge.target in targets and edge.source != edge.target:
            targets[edge.source].append(edge.target)
            reached.add(edge.target)
    layer: dict[str, int] = {}
    roots = [node.id for node in diagram.nodes if node.id not in reached]
    # A cycle with no way in has no root: start from its first node, so every node gets a layer.
    for start in roots + [node.id for node in diagram.nodes]:
        if start in layer:
            continue
        layer[start] = 0
        frontier = [start]
        while frontier:
            following = []
            for node_id in frontier:
                for target in targets[node_id]:
                    if target not in layer:
                        layer[target] = layer[node_id] + 1
                        following.append(target)
            frontier = following
    positions, filled = {}, {}
    for node in diagram.nodes:
        depth, slot = layer[node.id], filled.get(layer[node.id], 0)
        filled[depth] = slot + 1
        along, across = depth * GAP_ALONG, slot * GAP_ACROSS
        positions[node.id] = (across, along) if diagram.direction in ("TD", "TB", "BT") else (along, across)
    return positions


def canvas_of(diagram: Diagram) -> tuple[list[CanvasNode], list[CanvasEdge]]:
    """The diagram's nodes and edges as the canvas shows them."""
    nodes = [CanvasNode(node.id, node.label) for node in diagram.nodes]
    edges = [CanvasEdge(edge.source, edge.target, edge.label, edge.both_ways) for edge in diagram.edges]
    return nodes, edges


def to_mermaid(
    base: Diagram, base_source: str, nodes: list[CanvasNode], edges: list[CanvasEdge]
) -> tuple[str, dict[str, str]]:
    """Mermaid for the canvas, and the new id of each node the canvas named itself (e.g. one it created).

    `base` is the diagram the canvas started from, parsed from `base_source`.
    """
    renamed: dict[str, str] = {}
    used = {node.id for node in base.nodes} | {group_id for group_id, _ in base.groups}
    known_labels = {node.label for node in base.nodes} | {edge.label for edge in base.edges}
    kept: list[CanvasNode] = []
    for node in nodes:
        label = node.label if node.label in known_labels else clean_text(node.label, MAX_LABEL_CHARS)
        if base.node(node.id) is None:
            new_id = fresh_id(label or "component", used)
            used.add(new_id)
            renamed[node.id] = new_id
            node = CanvasNode(new_id, label or new_id)
        else:
            node = CanvasNode(node.id, label or base.node(node.id).label)
        kept.append(node)
    ids = {node.id for node in kept}
    links = []
    for edge in edges:
        source, target = renamed.get(edge.source, edge.source), renamed.get(edge.target, edge.target)
        if source in ids and target in ids:
            label = edge.label if edge.label in known_labels else clean_text(edge.label, MAX_LABEL_CHARS)
            links.append(CanvasEdge(source, target, label, edge.both_ways))
    old_nodes, old_edges = canvas_of(base)
    if kept[: len(old_nodes)] == old_nodes and links[: len(old_edges)] == old_edges:
        added = [_node_line(base, node) for node in kept[len(old_nodes) :]]
        added += [_edge_line(edge) for edge in links[len(old_edges) :]]
        return "\n".join([base_source.rstrip(), *(f"    {line}" for line in added)]), renamed
    return _rewrite(base, kept, links), renamed


def clean_text(text: str, limit: int) -> str:
    """Text typed on the canvas made safe for a Mermaid label: one line, no markup characters, bounded."""
    text = _CONTROL.sub(" ", re.sub(r"<[^>]*>", " ", str(text))).replace("\\", "")
    text = re.sub(r'[<>|"`#;]', " ", text)
    return " ".join(text.split())[:limit].strip()


def fresh_id(label: str, used: set[str]) -> str:
    """A Mermaid node id from a label ("Read replica" -> read_replica), with a number when it is taken."""
    stem = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[: MAX_ID_CHARS - 4] or "component"
    if stem[0].isdigit():
        stem = f"n{stem}"
    if stem not in used and stem not in _RESERVED:
        return stem
    return next(f"{stem}{n}" for n in range(2, len(used) + 3) if f"{stem}{n}" not in used)


def _node_line(base: Diagram, node: CanvasNode) -> str:
    existing = base.node(node.id)
    shape = existing.shape if existing is not None else "rectangle"
    opening, closing = _BRACKETS.get(shape, ("[", "]"))
    label = node.label if _PLAIN_LABEL.fullmatch(node.label) else '"' + node.label.replace('"', "'") + '"'
    return f"{node.id}{opening}{label}{closing}"


def _edge_line(edge: CanvasEdge) -> str:
    arrow = "<-->" if edge.both_ways else "-->"
    said = f"|{edge.label}|" if edge.label else ""
    return f"{edge.source} {arrow}{said} {edge.target}"


def _rewrite(base: Diagram, nodes: list[CanvasNode], edges: list[CanvasEdge]) -> str:
    """Plain Mermaid in the canvas's node order; a subgraph is written where its first remaining member is."""
    present = {node.id for node in nodes}
    group_ids = {group_id for group_id, _ in base.groups}
    group_of = {member: group_id for group_id, members in base.groups for member in members if member in present}
    lines, written = [f"flowchart {base.direction}"], set()
    for node in nodes:
        if node.id in written or node.id in group_ids:
            continue  # a subgraph's own id is written by its `subgraph` line
        group_id = group_of.get(node.id)
        if group_id is None:
            lines.append(f"    {_node_line(base, node)}")
            written.add(node.id)
            continue
        inside = [other for other in nodes if group_of.get(other.id) == group_id]
        lines += [f"    subgraph {group_id}", *(f"        {_node_line(base, other)}" for other in inside), "    end"]
        written.update(other.id for other in inside)
    lines += [f"    {_edge_line(edge)}" for edge in edges]
    return "\n".join(lines)
