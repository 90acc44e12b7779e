"""A whiteboard diagram drawn as an inline SVG, in pure Python, for the HTML export (no network, no scripts).

Layout: each component sits in a layer numbered by the longest path to it from a component nothing reaches
(cycles are broken where a depth-first walk meets them), layers run along the flowchart's direction, and one
sweep orders each layer by where its sources are. Boxes carry the wrapped labels; edges are straight arrows
between box borders, with their labels at the midpoint. Every text is XML-escaped, and the picture references
nothing (no markers, links or fonts), so it can be inlined in a page that may load nothing.
"""

from __future__ import annotations

import html
import math

from interview.whiteboard.diagram import Diagram, Node

CHAR_WIDTH = 7.2  # average glyph width of a 13px sans-serif font
LINE_HEIGHT = 17
WRAP_CHARS = 24  # a label wraps into lines of at most this many characters
MAX_LABEL_LINES = 4
PAD_X, PAD_Y = 12, 9
LAYER_GAP = 70  # between layers, along the flow
SIBLING_GAP = 28  # between boxes of one layer
MARGIN = 20
ARROW = 9  # arrowhead length
INK = "#334155"
FILLS = {
    "client": "#eef2ff",
    "load_balancer": "#ecfeff",
    "gateway": "#ecfeff",
    "cdn": "#ecfeff",
    "service": "#f0fdf4",
    "worker": "#f0fdf4",
    "database": "#fff7ed",
    "cache": "#fef2f2",
    "queue": "#fefce8",
    "storage": "#fff7ed",
    "search": "#f5f3ff",
}


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def wrap(label: str) -> list[str]:
    """The label in lines of at most WRAP_CHARS characters (long words are cut), MAX_LABEL_LINES at most."""
    lines: list[str] = []
    for word in label.split():
        while len(word) > WRAP_CHARS:
            lines.append(word[:WRAP_CHARS])
            word = word[WRAP_CHARS:]
        if lines and len(lines[-1]) + 1 + len(word) <= WRAP_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > MAX_LABEL_LINES:
        lines = lines[:MAX_LABEL_LINES]
        lines[-1] = lines[-1][: WRAP_CHARS - 1] + "…"
    return lines or [""]


def layers(diagram: Diagram) -> dict[str, int]:
    """Each component's layer: the longest path to it from the start, ignoring the edges that close a cycle."""
    order = {node.id: index for index, node in enumerate(diagram.nodes)}
    out: dict[str, list[str]] = {node.id: [] for node in diagram.nodes}
    for edge in diagram.edges:
        if edge.source != edge.target:
            out[edge.source].append(edge.target)
    # An iterative depth-first walk: an edge to a component still on the walk's path closes a cycle.
    state: dict[str, int] = {}  # 1 = on the path, 2 = done
    finished: list[str] = []
    forward: list[tuple[str, str]] = []
    for root in order:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            node_id, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node_id] = 2
                finished.append(node_id)
                stack.pop()
            elif state.get(child) != 1:
                forward.append((node_id, child))
                if child not in state:
                    state[child] = 1
                    stack.append((child, iter(out[child])))
    depth = dict.fromkeys(order, 0)
    incoming: dict[str, list[str]] = {node_id: [] for node_id in order}
    for source, target in forward:
        incoming[target].append(source)
    for node_id in reversed(finished):  # reverse finishing order is a topological order of the forward edges
        for source in incoming[node_id]:
            depth[node_id] = max(depth[node_id], depth[source] + 1)
    return depth


class _Box:
    def __init__(self, node: Node):
        self.node = node
        self.lines = wrap(node.label)
        self.width = max(len(line) for line in self.lines) * CHAR_WIDTH + 2 * PAD_X
        self.height = len(self.lines) * LINE_HEIGHT + 2 * PAD_Y
        self.x = self.y = 0.0  # centre

    def border_point(self, toward_x: float, toward_y: float) -> tuple[float, float]:
        """Where the line from this box's centre toward a point leaves the box."""
        dx, dy = toward_x - self.x, toward_y - self.y
        if dx == 0 and dy == 0:
            return self.x, self.y
        scale = min(
            (self.width / 2) / abs(dx) if dx else math.inf,
            (self.height / 2) / abs(dy) if dy else math.inf,
        )
        return self.x + dx * scale, self.y + dy * scale


def _place(diagram: Diagram) -> tuple[dict[str, _Box], float, float]:
    depth = layers(diagram)
    boxes = {node.id: _Box(node) for node in diagram.nodes}
    count = max(depth.values(), default=-1) + 1
    rows: list[list[str]] = [[] for _ in range(count)]
    for node in diagram.nodes:
        rows[depth[node.id]].append(node.id)
    # One sweep: a layer is ordered by the mean position of the components that reach it.
    for index in range(1, count):
        before = {node_id: position for position, node_id in enumerate(rows[index - 1])}

        def pull(node_id: str, before: dict[str, int] = before) -> float:
            spots = [before[s] for s in diagram.sources(node_id) if s in before]
            return sum(spots) / len(spots) if spots else math.inf

        rows[index].sort(key=pull)  # stable: components reached from nowhere keep their written order
    across = diagram.direction in ("LR", "RL")

    def along(box: _Box) -> float:  # a box's size along the flow
        return box.width if across else box.height

    def side(box: _Box) -> float:  # and across it
        return box.height if across else box.width

    spans = [sum(side(boxes[i]) for i in row) + SIBLING_GAP * (len(row) - 1) for row in rows]
    widest = max(spans, default=0.0)
    cursor = float(MARGIN)
    for row, span in zip(rows, spans, strict=True):
        depth_size = max(along(boxes[i]) for i in row)
        offset = MARGIN + (widest - span) / 2
        for node_id in row:
            box = boxes[node_id]
            flow, cross = cursor + depth_size / 2, offset + side(box) / 2
            box.x, box.y = (flow, cross) if across else (cross, flow)
            offset += side(box) + SIBLING_GAP
        cursor += depth_size + LAYER_GAP
    length = cursor - LAYER_GAP + MARGIN if rows else 2 * MARGIN
    width, height = (length, widest + 2 * MARGIN) if across else (widest + 2 * MARGIN, length)
    if diagram.direction in ("BT", "RL"):  # the same layout, mirrored along the flow
        for box in boxes.values():
            if across:
                box.x = width - box.x
            else:
                box.y = height - box.y
    return boxes, width, height


def _shape(box: _Box) -> str:
    left, top = box.x - box.width / 2, box.y - box.height / 2
    fill = FILLS.get(box.node.kind, "#ffffff")
    common = f'fill="{fill}" stroke="#475569" stroke-width="1.2"'
    if box.node.shape == "cylinder":
        ry = 5
        return (
            f'<path d="M{left:.1f},{top + ry:.1f} a{box.width / 2:.1f},{ry} 0 0,0 {box.width:.1f},0 '
            f"a{box.width / 2:.1f},{ry} 0 0,0 {-box.width:.1f},0 v{box.height - 2 * ry:.1f} "
            f'a{box.width / 2:.1f},{ry} 0 0,0 {box.width:.1f},0 v{-(box.height - 2 * ry):.1f}" {common}/>'
        )
    if box.node.shape == "rhombus":
        points = f"{box.x:.1f},{top:.1f} {left + box.width:.1f},{box.y:.1f} {box.x:.1f},{top + box.height:.1f} "
        points += f"{left:.1f},{box.y:.1f}"
        return f'<polygon points="{points}" {common}/>'
    radius = box.height / 2 if box.node.shape in ("stadium", "circle", "double_circle") else 4
    if box.node.shape == "rounded":
        radius = 10
    return (
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" '
        f'rx="{radius:.1f}" {common}/>'
    )


def _label(box: _Box) -> str:
    first = box.y - (len(box.lines) - 1) * LINE_HEIGHT / 2
    spans = "".join(
        f'<tspan x="{box.x:.1f}" y="{first + n * LINE_HEIGHT:.1f}">{_esc(line)}</tspan>'
        for n, line in enumerate(box.lines)
    )
    return f'<text text-anchor="middle" dominant-baseline="central">{spans}</text>'


def _head(tip_x: float, tip_y: float, from_x: float, from_y: float) -> str:
    """An arrowhead at the tip, pointing away from `from` (drawn, not a marker, so the picture references nothing)."""
    angle = math.atan2(tip_y - from_y, tip_x - from_x)
    corners = [(tip_x - ARROW * math.cos(angle + t), tip_y - ARROW * math.sin(angle + t)) for t in (0.4, -0.4)]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in [(tip_x, tip_y), *corners])
    return f'<polygon points="{points}" fill="{INK}"/>'


def _edge(source: _Box, target: _Box, label: str, both_ways: bool) -> str:
    if source is target:  # a component that calls itself: a small loop off its right side
        right, top = source.x + source.width / 2, source.y - source.height / 4
        bottom = top + source.height / 2
        path = f"M{right:.1f},{top:.1f} c30,-18 30,{source.height / 2 + 18:.1f} 0,{source.height / 2:.1f}"
        line = f'<path d="{path}" fill="none" stroke="{INK}" stroke-width="1.2"/>'
        line += _head(right, bottom, right + 8, bottom + 5)
        mid_x, mid_y = right + 26, source.y
    else:
        x1, y1 = source.border_point(target.x, target.y)
        x2, y2 = target.border_point(source.x, source.y)
        line = f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{INK}" stroke-width="1.2"/>'
        line += _head(x2, y2, x1, y1) + (_head(x1, y1, x2, y2) if both_ways else "")
        mid_x, mid_y = (x1 + x2) / 2, (y1 + y2) / 2
    if not label:
        return line
    lines = wrap(label)
    shown = lines[0] + ("…" if len(lines) > 1 else "")
    width = len(shown) * CHAR_WIDTH * 0.9 + 8
    return (
        line + f'<rect x="{mid_x - width / 2:.1f}" y="{mid_y - 9:.1f}" width="{width:.1f}" height="18" rx="3" '
        'fill="#ffffff" fill-opacity="0.9"/>'
        + f'<text x="{mid_x:.1f}" y="{mid_y:.1f}" text-anchor="middle" dominant-baseline="central" '
        f'font-size="11" fill="{INK}">{_esc(shown)}</text>'
    )


def to_svg(diagram: Diagram, title: str = "Whiteboard diagram") -> str:
    """The diagram as one `<svg>` element, to inline in an HTML page."""
    boxes, width, height = _place(diagram)
    width = max(width, 200.0)  # room for the empty diagram's words
    parts = [
        f'<svg role="img" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        'style="max-width:100%;height:auto" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" '
        'font-size="13" fill="#1e293b">',
        f"<title>{_esc(title)}</title>",
    ]
    parts += [_edge(boxes[e.source], boxes[e.target], e.label, e.both_ways) for e in diagram.edges]
    for box in boxes.values():
        parts += [_shape(box), _label(box)]
    if not diagram.nodes:
        parts.append(f'<text x="{MARGIN}" y="{MARGIN}">The diagram is empty.</text>')
    parts.append("</svg>")
    return "\n".join(parts)
