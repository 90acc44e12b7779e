"""The Mermaid flowchart parser: the subset people draw in interviews, read line by line into a `Diagram`."""

from __future__ import annotations

import re

from interview.whiteboard.diagram import (
    DIRECTIONS,
    MAX_EDGES,
    MAX_ID_CHARS,
    MAX_LABEL_CHARS,
    MAX_LINES,
    MAX_NODES,
    MAX_SOURCE_CHARS,
    RESERVED_IDS,
    SHAPES,
    Diagram,
    DiagramError,
    Edge,
    Node,
)
from interview.whiteboard.kinds import kind_of

_UNDRAWABLE = '()[]{}"'  # in a label outside double quotes, these end the shape early or confuse Mermaid
_OPENERS = tuple(dict.fromkeys(opening for opening, _, _ in SHAPES))
_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-.]*")
# An arrow without text inside it: --> --- --o --x ==> === -.-> and longer ones; "<", "o" or "x" before it means
# both ways. Arrows with text inside ("-- text -->") are read by `_text_arrow`, without backtracking regexes.
_PLAIN_ARROW = re.compile(r"(?P<both><|[ox](?=[-=]))?(?:-{2,}|={2,}|-\.+-)[>ox]?")
_TEXT_ARROWS = (("--", "-", re.compile(r"-{2,}[>ox]?")), ("==", "=", re.compile(r"={2,}[>ox]?")), ("-.", ".", re.compile(r"\.-[>ox]?")))  # fmt: skip
_PIPE_TEXT = re.compile(r"\|(?P<text>[^|]*)\|")
_SPACES = re.compile(r"\s*")
_AMPERSAND = re.compile(r"\s*&\s*")
_SUBGRAPH = re.compile(r"subgraph\s+(?:(?P<id>[A-Za-z0-9_][A-Za-z0-9_\-.]*)\s*)?(?P<title>.*)")
# C0/C1 controls (a tab is fine) and the bidirectional overrides that can make a label read differently than it is.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_IGNORED = re.compile(r"(?:classDef|class|style|linkStyle|direction|accTitle|accDescr)\b")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_HTML = re.compile(r"<[A-Za-z!/]")


def parse(source: str) -> Diagram:
    """The flowchart as a graph; raises DiagramError naming the first line it cannot read."""
    if len(source) > MAX_SOURCE_CHARS:
        raise DiagramError(f"The diagram is {len(source):,} characters; the limit is {MAX_SOURCE_CHARS:,}.")
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > MAX_LINES:
        raise DiagramError(f"The diagram has {len(lines):,} lines; the limit is {MAX_LINES}.")
    builder = _Builder()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if "%%{" in line:
            raise DiagramError("configuration directives (%%{ … }%%) are not supported.", number)
        if _CONTROL.search(line):
            raise DiagramError("the line has a control character; retype it as plain text.", number)
        if not line or line.startswith("%%"):
            continue
        for statement in _statements(line, number):
            builder.statement(statement, number)
    if builder.direction is None:
        raise DiagramError("The diagram is empty. Start with a line such as `flowchart LR`.")
    if builder.open_subgraphs:
        raise DiagramError("a subgraph is never closed: add a line with `end`.", builder.open_subgraphs[-1])
    return builder.diagram()


class _Builder:
    def __init__(self):
        self.direction: str | None = None
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []
        self.open_subgraphs: list[int] = []
        self.group_stack: list[str] = []  # the open subgraphs' ids ("" for one without an id)
        self.groups: dict[str, list[str]] = {}  # subgraph id -> the nodes first named inside it

    def statement(self, text: str, line: int) -> None:
        if self.direction is None:
            self._header(text, line)
            return
        word = text.split(maxsplit=1)[0]
        if word == "click" or word == "href":
            raise DiagramError("click actions and links are not supported.", line)
        if word in ("flowchart", "graph"):
            raise DiagramError("only one `flowchart` header is allowed.", line)
        if word == "subgraph":
            self._subgraph(text, line)
            return
        if word == "end" and text == "end":
            if not self.open_subgraphs:
                raise DiagramError("`end` without a `subgraph` to close.", line)
            self.open_subgraphs.pop()
            self.group_stack.pop()
            return
        if _IGNORED.match(text):
            if _HTML.search(_LINE_BREAK.sub(" ", text)):  # accTitle and the like reach the rendered picture
                raise DiagramError("HTML is not supported; write plain text.", line)
            return  # styling: nothing the interviewer reads
        self._chain(text, line)

    def _subgraph(self, text: str, line: int) -> None:
        """`subgraph id [Title]`: its title is checked like a label; nodes first named inside it are its members."""
        match = _SUBGRAPH.match(text)
        group_id = match["id"] if match else None
        _clean_label(match["title"].strip('[]" ') if match else "", line)
        if group_id and len(group_id) > MAX_ID_CHARS:
            raise DiagramError(f"the subgraph name `{group_id[:20]}…` is longer than {MAX_ID_CHARS} characters.", line)
        self.open_subgraphs.append(line)
        self.group_stack.append(group_id or "")
        if group_id:
            self.groups.setdefault(group_id, [])

    def _header(self, text: str, line: int) -> None:
        parts = text.split()
        if parts[0] not in ("flowchart", "graph"):
            raise DiagramError(
                f"only flowcharts are supported; start with `flowchart LR` or `flowchart TD`, not `{parts[0][:30]}`.",
                line,
            )
        direction = parts[1].upper() if len(parts) > 1 else "TD"
        if direction not in DIRECTIONS or len(parts) > 2:
            raise DiagramError(f"the direction must be one of {', '.join(DIRECTIONS)}.", line)
        self.direction = direction

    def _chain(self, text: str, line: int) -> None:
        """`a --> b -- label --> c & d`: node groups joined by arrows."""
        position, groups, arrows = 0, [], []
        while True:
            group, position = self._group(text, position, line)
            groups.append(group)
            if position >= len(text):
                break
            arrow = _arrow(text, position)
            if arrow is None:
                raise DiagramError(
                    f"could not read `{_excerpt(text[position:])}`; expected an arrow such as -->.", line
                )
            position, label, both = arrow
            arrows.append((_clean_label(label.strip().strip('"'), line), both))
            if position >= len(text):
                raise DiagramError("an arrow points at nothing.", line)
        for (sources, targets), (label, both) in zip(zip(groups, groups[1:], strict=False), arrows, strict=True):
            for source in sources:
                for target in targets:
                    if len(self.edges) >= MAX_EDGES:
                        raise DiagramError(f"the diagram has more than {MAX_EDGES} edges.", line)
                    self.edges.append(Edge(source, target, label, both))

    def _group(self, text: str, position: int, line: int) -> tuple[list[str], int]:
        """Nodes joined by `&`, from `position`; returns their ids and where the group ends."""
        ids = []
        while True:
            node_id, position = self._node(text, position, line)
            ids.append(node_id)
            rest = _AMPERSAND.match(text, position)
            if rest is None:
                return ids, position
            position = rest.end()

    def _node(self, text: str, position: int, line: int) -> tuple[str, int]:
        """One node reference, declaring or relabelling it when it has a shape; returns its id and where it ends."""
        while position < len(text) and text[position] == " ":
            position += 1
        match = _ID.match(text, position)
        if match is None:
            raise DiagramError(f"expected a node name at `{_excerpt(text[position:])}`.", line)
        node_id = match.group()
        # "a-->b" : the id pattern allows "-" and ".", so give back an arrow glued to the id.
        glued = re.search(r"(?:-{2,}|-\.|={2,}|<-|<=)", node_id)
        if glued:
            node_id = node_id[: glued.start()]
            if not node_id:
                raise DiagramError(f"expected a node name at `{_excerpt(text[position:])}`.", line)
        if len(node_id) > MAX_ID_CHARS:
            raise DiagramError(f"the node name `{node_id[:20]}…` is longer than {MAX_ID_CHARS} characters.", line)
        if node_id in RESERVED_IDS:
            raise DiagramError(
                f"`{node_id}` is a Mermaid keyword and cannot name a component; use another name, such as "
                f"`{node_id}1` or `{node_id.capitalize()}`.",
                line,
            )
        position += len(node_id)
        shape, label = None, None
        for opening, closing, name in SHAPES:
            if text.startswith(opening, position):
                end = _closing(text, position + len(opening), closing)
                if end is None:
                    continue
                shape, label = name, _drawable_label(text[position + len(opening) : end], node_id, line)
                position = end + len(closing)
                break
        if shape is None and text.startswith(_OPENERS, position):
            raise DiagramError(f"the shape after `{node_id}` is never closed.", line)
        existing = self.nodes.get(node_id)
        if existing is None and len(self.nodes) >= MAX_NODES:
            raise DiagramError(f"the diagram has more than {MAX_NODES} components.", line)
        if label is not None:
            label = _clean_label(label.strip().strip('"').strip(), line) or node_id
            self.nodes[node_id] = Node(node_id, label, kind_of(node_id, label, shape), shape)
        elif existing is None:
            self.nodes[node_id] = Node(node_id, node_id, kind_of(node_id, node_id, "rectangle"))
        if existing is None and self.group_stack and self.group_stack[-1] and node_id not in self.groups:
            self.groups[self.group_stack[-1]].append(node_id)
        return node_id, position

    def diagram(self) -> Diagram:
        nodes = [
            Node(node.id, node.label, "group", node.shape) if node.id in self.groups else node
            for node in self.nodes.values()
        ]
        groups = tuple((group_id, tuple(members)) for group_id, members in self.groups.items())
        return Diagram(self.direction or "TD", tuple(nodes), tuple(self.edges), groups)


def _arrow(text: str, position: int) -> tuple[int, str, bool] | None:
    """The arrow at `position`: where it (and a `|label|` after it) ends, its label, and whether it points both ways."""
    position = _SPACES.match(text, position).end()
    both = text.startswith("<", position)
    found = _text_arrow(text, position + both)
    if found is None:
        plain = _PLAIN_ARROW.match(text, position)
        if plain is None:
            return None
        found, both = (plain.end(), ""), bool(plain["both"])
    end, label = found
    end = _SPACES.match(text, end).end()
    pipe = _PIPE_TEXT.match(text, end)
    if pipe is not None:
        end, label = _SPACES.match(text, pipe.end()).end(), pipe["text"]
    return end, label, both


def _text_arrow(text: str, position: int) -> tuple[int, str] | None:
    """`-- text -->`, `== text ==>` or `-. text .->` at `position`: where it ends and its text. One scan, no regex
    backtracking, so a long line of spaces or garbage is read in linear time."""
    for opening, stop, closing in _TEXT_ARROWS:
        start = position + len(opening)
        if not text.startswith(opening, position) or not text[start : start + 1].isspace():
            continue
        end = text.find(stop, start)
        label = text[start:end] if end >= 0 else ""
        if not label.strip() or "|" in label or ">" in label:
            return None
        closed = closing.match(text, end)
        return (closed.end(), label) if closed else None
    return None


def _drawable_label(raw: str, node_id: str, line: int) -> str:
    """The label as written, refused where Mermaid could not draw it: brackets or quotes outside double quotes."""
    stripped = _clean_label(raw, line)  # HTML and length first: their messages say more than "brackets"
    if stripped.startswith('"'):
        if len(stripped) < 2 or not stripped.endswith('"') or stripped.count('"') != 2:
            raise DiagramError(f"the label of `{node_id}` has text outside its double quotes.", line)
        return stripped
    if any(mark in stripped for mark in _UNDRAWABLE):
        raise DiagramError(
            f"the label `{_excerpt(stripped)}` has brackets or quotes that Mermaid cannot draw; put it in double "
            f'quotes, as in {node_id}["{_excerpt(stripped.replace(chr(34), ""), 20)}"].',
            line,
        )
    return raw


def _closing(text: str, start: int, closing: str) -> int | None:
    """Where the shape's closing bracket is, skipping a quoted label."""
    if text.startswith('"', start):
        quote_end = text.find('"', start + 1)
        if quote_end < 0:
            return None
        start = quote_end + 1
    end = text.find(closing, start)
    return None if end < 0 else end


def _statements(line: str, number: int) -> list[str]:
    """A line split at `;` outside quotes and labels."""
    parts, current, depth, quoted = [], [], 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "[({":
            depth += 1
        elif not quoted and ch in "])}":
            depth = max(0, depth - 1)
        if ch == ";" and not quoted and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    if quoted:
        raise DiagramError("a label's quote (\") is never closed.", number)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def _clean_label(label: str, line: int) -> str:
    label = _LINE_BREAK.sub(" ", label)
    if _HTML.search(label):
        raise DiagramError("HTML in labels is not supported; write plain text.", line)
    label = " ".join(label.split())
    if len(label) > MAX_LABEL_CHARS:
        raise DiagramError(f"a label is longer than {MAX_LABEL_CHARS} characters.", line)
    return label


def _excerpt(text: str, size: int = 30) -> str:
    text = text.strip()
    return text if len(text) <= size else text[:size] + "…"
