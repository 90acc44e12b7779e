"""Diagram pitfalls: what the candidate drew that an interviewer pushes back on, noted like the spoken pitfalls.

Each becomes a `RaisedMistake` keyed `diagram:<check>:<node id>`, raised once and challenged by the same moves as
any other mistake. It counts as fixed when a later diagram no longer has it (the quote names the change) or when
the candidate's words clear it ("the database has a standby replica").

Single instances are checked for databases only: one holds the only copy of the data, so losing the machine loses
writes. A cache holds copies the database can refill and a search index is rebuilt from the source of truth, so one
box there costs latency, not data. A queue is nearly always drawn as a named broker (Kafka, SQS, Pub/Sub) that
replicates by default, as are the databases named in `REPLICATED_BY_DESIGN`; one box for those is a cluster.
"""

from __future__ import annotations

from dataclasses import dataclass

from interview.core.notes import RaisedMistake
from interview.core.state import Interview
from interview.problems.terms import any_in, compile_pattern, sentences
from interview.whiteboard.board import diagrams_by_turn
from interview.whiteboard.diagram import Diagram
from interview.whiteboard.kinds import has_any

KEY_PREFIX = "diagram:"
PHASE = "high_level"  # diagram mistakes are design evidence, whenever they were drawn
MAX_NEW_PER_TURN = 2  # the rest are found again on a later turn, so one drawing cannot queue a challenge per box
SINGLE_KINDS = ("database",)
REPLICATED_BY_DESIGN = ("dynamo", "dynamodb", "cassandra", "spanner", "cockroach", "cockroachdb", "bigtable", "hbase", "scylla", "scylladb", "cosmos", "cosmosdb", "firestore", "aurora")  # fmt: skip
STARTS_WORK = ("client", "worker", "group")  # what needs nothing to reach it: it starts requests or pulls work
REPLICA_WORDS = ("replica", "replicas", "standby", "follower", "followers", "secondary", "mirror")

# Words that clear each check when the candidate says them (term patterns, as in the problem files).
CLEARED_BY = {
    "single-instance": "replica*|replicat*|standby|failover|fail over|multi az|across zones|availability zones|cluster*",
    "client-to-database": "(through|via|behind|only) ~ (api|service*|backend|server*|gateway)",
    "no-read-cache": "cache*|caching|redis|memcache*|cdn",
    "queue-without-consumer": "consumer*|worker*|subscriber*|subscribe*|(read*|pull*|poll*|consum*) ~ (from|the|off|it)",
    "unreached": "",
}
_CLEARING = {check: compile_pattern(terms) for check, terms in CLEARED_BY.items() if terms}


@dataclass(frozen=True)
class DiagramPitfall:
    check: str
    node_id: str
    question: str  # the pushback: asks about the part, does not give the answer
    note: str  # one line for the feedback
    quote: str  # the diagram part, e.g. "Diagram: API service -> Links DB"

    @property
    def key(self) -> str:
        return f"{KEY_PREFIX}{self.check}:{self.node_id}"


def find_pitfalls(graph: Diagram, read_heavy: str = "") -> list[DiagramPitfall]:
    """Every pitfall in the diagram, most serious first: single instances, clients at the database, no read cache,
    a queue nobody reads, a component nothing reaches."""
    found = _single_instances(graph) + _clients_at_database(graph)
    if read_heavy:
        found += _no_read_cache(graph, read_heavy)
    return found + _unread_queues(graph) + _unreached(graph)


def _quote(graph: Diagram, node_id: str) -> str:
    """'Diagram: API service -> Links DB': the first edge into the node, or the node alone."""
    label = graph.node(node_id).label
    into = next((graph.node(source).label for source in graph.sources(node_id)), "")
    return f"Diagram: {into} -> {label}" if into else f"Diagram: {label}"


def _group_mates(graph: Diagram, node_id: str) -> list[str]:
    """The other members of the subgraphs holding the node, and those subgraphs when drawn as nodes (their titles)."""
    mates = []
    for group_id, members in graph.groups:
        if node_id in members:
            mates += [group_id] + [member for member in members if member != node_id]
    return mates


def _single_instances(graph: Diagram) -> list[DiagramPitfall]:
    found = []
    for node in graph.nodes:
        if node.kind not in SINGLE_KINDS or node.replicated or has_any(node.label, REPLICATED_BY_DESIGN):
            continue
        if has_any(node.label, REPLICA_WORDS):
            continue  # it is itself the standby or mirror of another
        linked = [
            graph.node(other)
            for other in graph.targets(node.id) + graph.sources(node.id) + _group_mates(graph, node.id)
        ]
        if any(other is not None and (other.replicated or has_any(other.label, REPLICA_WORDS)) for other in linked):
            continue  # a replica drawn next to it, or in the same subgraph (a cluster drawn as a group)
        label = node.label
        found.append(
            DiagramPitfall(
                "single-instance",
                node.id,
                f"Your diagram shows one {label}. What happens to the requests that need it when that machine fails "
                "or is taken down for maintenance?",
                f"Diagram: {label} is a single instance with no replica, a single point of failure.",
                _quote(graph, node.id),
            )
        )
    return found


def _clients_at_database(graph: Diagram) -> list[DiagramPitfall]:
    found = []
    for edge in graph.edges:
        source, target = graph.node(edge.source), graph.node(edge.target)
        pairs = [(source, target)] + ([(target, source)] if edge.both_ways else [])
        for client, store in pairs:
            if client.kind == "client" and store.kind == "database" and all(p.node_id != store.id for p in found):
                found.append(
                    DiagramPitfall(
                        "client-to-database",
                        store.id,
                        f"In your diagram {client.label} talks to {store.label} directly. Who decides what each "
                        "client may read or change there, and what happens when the schema changes?",
                        f"Diagram: clients talk to {store.label} directly, with no service in between.",
                        f"Diagram: {client.label} -> {store.label}",
                    )
                )
    return found


def _no_read_cache(graph: Diagram, read_heavy: str) -> list[DiagramPitfall]:
    if graph.of_kind("cache") or graph.of_kind("cdn"):
        return []
    stores = [node for node in graph.of_kind("database") if graph.sources(node.id)]
    if not stores:
        return []
    store = stores[0]
    return [
        DiagramPitfall(
            "no-read-cache",
            store.id,
            f"The problem says “{read_heavy}”. In your diagram every read goes to {store.label}: what does that "
            "cost it at peak, and what would you change?",
            f"Diagram: every read goes to {store.label}, with no cache on a read-heavy path.",
            _quote(graph, store.id),
        )
    ]


def _unread_queues(graph: Diagram) -> list[DiagramPitfall]:
    found = []
    for queue in graph.of_kind("queue"):
        # A consumer is an edge out of the queue, or a worker drawn pulling from it (an arrow into it).
        if graph.targets(queue.id) or any(graph.node(s).kind == "worker" for s in graph.sources(queue.id)):
            continue
        found.append(
            DiagramPitfall(
                "queue-without-consumer",
                queue.id,
                f"What reads the messages in {queue.label}, and what happens to them once they are there?",
                f"Diagram: nothing consumes {queue.label}, so its messages are never processed.",
                _quote(graph, queue.id),
            )
        )
    return found


def _unreached(graph: Diagram) -> list[DiagramPitfall]:
    if not graph.edges:
        return []  # boxes drawn before any arrows: too early to say what reaches what
    reached = {node_id for node in graph.nodes for node_id in graph.targets(node.id)}
    for group_id, members in graph.groups:
        if group_id in reached:
            reached.update(members)  # an arrow into a subgraph reaches what is inside it
    found = []
    for node in graph.nodes:
        if node.id in reached or node.kind in STARTS_WORK:
            continue
        if graph.targets(node.id) and node.kind in ("service", "gateway", "load_balancer"):
            continue  # it sends without being called: a scheduler or producer drawn as a service
        found.append(
            DiagramPitfall(
                "unreached",
                node.id,
                f"In your diagram nothing connects to {node.label}. How does a request or a write get there?",
                f"Diagram: nothing reaches {node.label}, so its part of the design is unexplained.",
                f"Diagram: {node.label}",
            )
        )
    return found


def _label_of(graphs: list[Diagram], node_id: str) -> str:
    """The label the node had in the latest diagram that drew it, lowercased; "" when none did."""
    for graph in reversed(graphs):
        node = graph.node(node_id)
        if node is not None:
            return node.label.lower()
    return ""


def _drawn(interview: Interview) -> tuple[list[Diagram], list[DiagramPitfall]]:
    """The readable diagram of each answer, oldest first, and the pitfalls in the latest."""
    graphs = [graph for _, graph in sorted(diagrams_by_turn(interview).items())]
    problem = interview.problem
    return graphs, find_pitfalls(graphs[-1], problem.read_heavy if problem else "") if graphs else []


def note_diagram_fixes(interview: Interview, text: str = "") -> bool:
    """Mark open diagram mistakes the latest diagram, or the words in `text`, fixed; True when one was."""
    return _mark_fixes(interview, text, *_drawn(interview))


def _mark_fixes(interview: Interview, text: str, graphs: list[Diagram], found: list[DiagramPitfall]) -> bool:
    """A mistake counts as fixed by the drawing only when its component is still drawn (under its id, or its label
    if the id was renamed) and no longer has the pitfall: deleting a challenged component fixes nothing."""
    current = graphs[-1] if graphs else None
    previous = graphs[-2] if len(graphs) > 1 else None
    present = {pitfall.key for pitfall in found}
    changed = False
    for mistake in interview.notes.open_mistakes():
        if not mistake.key.startswith(KEY_PREFIX):
            continue
        _, check, node_id = mistake.key.split(":", 2)
        said = next((s.text for s in sentences(text) if check in _CLEARING and any_in((_CLEARING[check],), s.text)), "")
        if said:
            mistake.fixed, mistake.fix_quote, changed = True, said, True
            continue
        if current is None or mistake.key in present:
            continue
        label = _label_of(graphs, node_id)
        node = current.node(node_id) or next((n for n in current.nodes if label and n.label.lower() == label), None)
        if node is None or f"{KEY_PREFIX}{check}:{node.id}" in present:
            continue  # removed rather than fixed, or renamed and still wrong
        change = current.changes_since(previous).removeprefix("Changed since last turn: ").rstrip(".")
        mistake.fixed, mistake.fix_quote, changed = True, f"Diagram: {change}" if change else "Diagram: redrawn", True
    return changed


def note_diagram(interview: Interview, text: str, transcript: str) -> list[RaisedMistake]:
    """Mark diagram mistakes the latest diagram or `text` fixed; return the new ones (at most two), not yet asked."""
    graphs, found = _drawn(interview)
    _mark_fixes(interview, text, graphs, found)
    return [as_mistake(pitfall, asked=False) for pitfall in _unraised(interview, found, transcript)[:MAX_NEW_PER_TURN]]


def unraised_pitfalls(interview: Interview) -> list[DiagramPitfall]:
    """The latest diagram's pitfalls never raised, nor cleared by anything the candidate said; changes nothing."""
    transcript = "\n".join(m.content for m in interview.candidate_messages())
    return _unraised(interview, _drawn(interview)[1], transcript)


def as_mistake(pitfall: DiagramPitfall, asked: bool) -> RaisedMistake:
    return RaisedMistake(pitfall.key, PHASE, pitfall.quote, pitfall.question, pitfall.note, asked=asked)


def _unraised(interview: Interview, found: list[DiagramPitfall], transcript: str) -> list[DiagramPitfall]:
    notes = interview.notes
    # A component whose id was renamed keeps its label, so its pitfall asks the same question: never twice.
    asked_before = {m.question for m in notes.mistakes if m.key.startswith(KEY_PREFIX)}
    return [
        pitfall
        for pitfall in found
        if notes.raised(pitfall.key) is None
        and pitfall.question not in asked_before
        and not (pitfall.check in _CLEARING and any_in((_CLEARING[pitfall.check],), transcript))
    ]
