"""The interviewer reacts to the whiteboard: a saved edit that draws a new pitfall is challenged in the chat at once.

`plan_reaction` decides and changes nothing; `apply_reaction` writes the plan into the interview, and the engine
saves. The reaction is that pitfall's challenge: its mistake is noted as asked, so no later reply asks it again. One
reaction per edit, for the most serious pitfall the edit drew that was never raised; the edit's other new pitfalls,
and any drawn before, wait for the next answer as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from interview.core.notes import Move, RaisedMistake
from interview.core.phases import PHASE_KEYS
from interview.core.state import Interview, Message
from interview.whiteboard.board import graph_of, latest_diagram
from interview.whiteboard.checks import DiagramPitfall, as_mistake, find_pitfalls, unraised_pitfalls
from interview.whiteboard.diagram import Diagram

FROM_PHASE = "high_level"  # before this the board is a sketch; the interview is still about requirements and numbers
MOVE_KIND = "reaction"  # its Move answers no candidate turn, so `moves.plan` never replays it as a reply

# What the interviewer says, per check it reacts to: `{label}` is the component, `{source}` what draws into it,
# `{read_heavy}` the problem's fact. One or two sentences that ask, never answer. A queue nobody reads and a box
# nothing reaches are how a box looks the moment it is added, before its arrows: reacting would interrupt the
# drawing, so those wait for the next answer.
SAID = {
    "single-instance": "I see an arrow from {source} straight to one {label}, with no replica: what happens to the "
    "requests that need it when that machine is down?",
    "client-to-database": "I see {source} talking to {label} directly, with no service in between: who decides what "
    "each client may read or change there, and what happens when the schema changes?",
    "no-read-cache": "Looking at your diagram, every read goes to {label} with no cache in front of it. The problem "
    "says “{read_heavy}”: what does that cost {label} at peak?",
}
SAID_WITHOUT_SOURCE = {
    "single-instance": "I see one {label} in your diagram, with no replica: what happens to the requests that need "
    "it when that machine is down?",
}


@dataclass(frozen=True)
class Reaction:
    """What a board edit draws from the interviewer: the message, and the mistake it challenges (already asked)."""

    text: str
    mistake: RaisedMistake
    turn: int  # candidate answers so far: the reaction comes between two answers


def may_react(interview: Interview) -> bool:
    """An interview running in interview mode, at high-level design or later, with no answer waiting for a reply."""
    return (
        interview.mode == "interview"
        and interview.scorecard is None
        and interview.ended_at is None
        and interview.phase_index >= PHASE_KEYS.index(FROM_PHASE)
        and not interview.awaits_reply()
    )


def plan_reaction(interview: Interview) -> Reaction | None:
    """The reaction to the latest saved diagram, or None; changes nothing (`apply_reaction` does)."""
    if not may_react(interview):
        return None
    drawn = [pitfall for pitfall in unraised_pitfalls(interview) if pitfall.check in SAID]
    fresh = _introduced(interview, drawn)  # most serious first
    graph = latest_diagram(interview)
    if not fresh or graph is None:
        return None
    pitfall = fresh[0]
    turn = len(interview.candidate_messages())
    return Reaction(reaction_text(pitfall, graph, interview), as_mistake(pitfall, asked=True), turn)


def _introduced(interview: Interview, pitfalls: list[DiagramPitfall]) -> list[DiagramPitfall]:
    """The pitfalls the latest version drew that the version before it did not have (the rest wait for an answer)."""
    before = (graph_of(version.source) for version in reversed(interview.diagrams[:-1]))
    previous = next((graph for graph in before if graph is not None), None)
    if previous is None:
        return pitfalls
    problem = interview.problem
    had = find_pitfalls(previous, problem.read_heavy if problem else "")
    seen = {pitfall.key for pitfall in had} | {pitfall.question for pitfall in had}  # a renamed id asks the same
    return [pitfall for pitfall in pitfalls if pitfall.key not in seen and pitfall.question not in seen]


def reaction_text(pitfall: DiagramPitfall, graph: Diagram, interview: Interview) -> str:
    """The interviewer's words for one pitfall, naming the components as the candidate labelled them."""
    node = graph.node(pitfall.node_id)
    sources = [graph.node(source) for source in graph.sources(pitfall.node_id)]
    if pitfall.check == "client-to-database":  # the client may be drawn at either end of a two-way arrow
        linked = sources + [graph.node(target) for target in graph.targets(pitfall.node_id)]
        sources = [other for other in linked if other.kind == "client"]
    template = SAID[pitfall.check]
    if not sources and "{source}" in template:
        template = SAID_WITHOUT_SOURCE.get(pitfall.check, "")
    if not template or node is None:
        return f"Looking at your diagram: {pitfall.question}"
    problem = interview.problem
    return template.format(
        label=node.label,
        source=sources[0].label if sources else "",
        read_heavy=problem.read_heavy if problem else "",
    )


def apply_reaction(interview: Interview, reaction: Reaction, now: float) -> Message:
    """Note the mistake as challenged and the move made, and add the message; the engine saves both."""
    mistake = reaction.mistake
    interview.notes.mistakes.append(mistake)
    interview.notes.moves.append(Move(MOVE_KIND, mistake.key, mistake.question, reaction.turn, quote=mistake.quote))
    return interview.add(Message("assistant", reaction.text, interview.phase, created_at=now))
