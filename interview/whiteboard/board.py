"""What the interviewer model is told about the whiteboard: a compact, bounded summary, never the raw source.

The summary of the diagram a candidate answer was drawn with is appended to that answer in the conversation, only
on the turns where it changed. That history never changes afterwards, so the head of the prompt and the turns before
the latest stay byte-identical for a server's prompt cache, and every model (also one with no per-turn instructions)
sees it. A capable model also gets the current diagram in its per-turn instructions.
"""

from __future__ import annotations

import functools

from interview.core.state import Interview
from interview.whiteboard.diagram import Diagram, DiagramError
from interview.whiteboard.parse import parse

MAX_BLOCK_CHARS = 1_500  # about 400 tokens: past this the lists name their first entries and count the rest
MAX_CHANGE_CHARS = 400
BLOCK_TITLE = "Whiteboard (as of this answer):"
TAIL_TITLE = "The candidate's whiteboard now:"
TAIL_RULE = "Read it as part of their answer; ask about what it shows or leaves out, do not redraw it for them."


@functools.lru_cache(maxsize=1024)  # above core.state.MAX_DIAGRAM_VERSIONS, so a reply never parses a version twice
def graph_of(source: str) -> Diagram | None:
    """The parsed diagram, or None for a stored version this parser no longer reads (it is skipped, not fatal)."""
    try:
        return parse(source)
    except DiagramError:
        return None


def bounded_list(title: str, entries: list[str], budget: int) -> str:
    """'Title: a; b; c.' within about `budget` characters: the first entries, then how many more there are."""
    shown: list[str] = []
    used = len(title) + 2
    for entry in entries:
        if shown and used + len(entry) + 2 > budget:
            break
        shown.append(entry)
        used += len(entry) + 2
    more = len(entries) - len(shown)
    return f"{title}: " + "; ".join(shown) + (f"; and {more} more." if more else ".")


def compact_summary(graph: Diagram, budget: int = MAX_BLOCK_CHARS) -> str:
    """Components, then edges, in at most about `budget` characters."""
    if not graph.nodes:
        return "The diagram is empty."
    lines = [bounded_list("Components", graph.components(), budget // 2)]
    if graph.edges:
        lines.append(bounded_list("Edges", graph.edge_lines(), budget // 2))
    return "\n".join(lines)


def _clip(text: str, limit: int = MAX_CHANGE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def diagrams_by_turn(interview: Interview) -> dict[int, Diagram]:
    """The last readable diagram drawn for each candidate answer, by answer number (1 = the first answer).

    The list's order is the truth: a version saved after another never counts as an earlier answer's (a tab that
    was behind, or an imported file, may carry a smaller turn), so the latest version is always the current one.
    """
    found: dict[int, Diagram] = {}
    turn = 1
    for version in interview.diagrams:
        turn = max(turn, version.turn)
        graph = graph_of(version.source)
        if graph is not None:
            found[turn] = graph
    return found


def turn_blocks(interview: Interview) -> dict[int, str]:
    """The whiteboard block to append to each candidate answer whose diagram changed since the answer before."""
    blocks: dict[int, str] = {}
    seen: Diagram | None = None
    for turn, graph in sorted(diagrams_by_turn(interview).items()):
        if seen is not None and graph == seen:
            continue
        change = graph.changes_since(seen)
        lines = [BLOCK_TITLE, compact_summary(graph)] + ([_clip(change)] if change else [])
        blocks[turn] = "\n".join(lines)
        seen = graph
    return blocks


def tail_text(interview: Interview) -> str:
    """The current diagram and what changed since the interviewer's last reply, for per-turn instructions."""
    by_turn = diagrams_by_turn(interview)
    if not by_turn:
        return ""
    answered = len(interview.candidate_messages())
    current_turn = max(by_turn)
    current = by_turn[current_turn]
    before = [graph for turn, graph in sorted(by_turn.items()) if turn < current_turn]
    change = current.changes_since(before[-1] if before else None) if current_turn >= answered else ""
    lines = [TAIL_TITLE, compact_summary(current)] + ([_clip(change)] if change else [])
    lines.append(TAIL_RULE)
    return "\n".join(lines)


def diagram_lines(graph: Diagram) -> list[str]:
    """The diagram as short plain lines: every edge, then the components no edge touches."""
    linked = {e.source for e in graph.edges} | {e.target for e in graph.edges}
    return graph.edge_lines() + [node.label for node in graph.nodes if node.id not in linked]


def latest_diagram(interview: Interview) -> Diagram | None:
    """The latest readable diagram, or None when nothing readable was drawn."""
    by_turn = diagrams_by_turn(interview)
    return by_turn[max(by_turn)] if by_turn else None


def quoted_lines(interview: Interview) -> list[str]:
    """ "Diagram: API service -> Links DB" for every line of every version: what feedback may quote as drawn."""
    lines: list[str] = []
    for graph in diagrams_by_turn(interview).values():
        lines += [f"Diagram: {line}" for line in diagram_lines(graph) if f"Diagram: {line}" not in lines]
    return lines
