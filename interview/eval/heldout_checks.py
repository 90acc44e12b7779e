"""Checks on a held-out interview run: planted mistakes, false pushback, feedback, phase reached, replies on topic.

All of them read only what the run stored, so a saved run can be rescored without a model.
"""

from __future__ import annotations

import re
from typing import Any

from interview.core.phases import PHASE_KEYS
from interview.core.scorecard import Scorecard
from interview.eval.checks import content_words
from interview.eval.pushback import no_template_overuse, unquoted

ANSWER_MOVES = ("clarify", "answer")  # moves that answer the candidate's question
DESIGN_PHASES = PHASE_KEYS[PHASE_KEYS.index("high_level") :]  # content that presents a design
MIN_SHARED_LETTERS = 4
# Words nearly every system design turn uses: sharing one of them says nothing about following the candidate.
GENERIC_WORDS = frozenset(
    """data service server request time scale user client system store storage read write million billion second
    minute hour day per large small every each also first fine high level support work keep build""".split()
)
_DIGIT = re.compile(r"\d")


def _move(reply: dict[str, Any]) -> dict[str, Any]:
    return reply.get("move") or {}


def challenges(reply: dict[str, Any], key: str | None = None) -> bool:
    """The move code chose for this reply is a challenge (of `key`, when given)."""
    move = _move(reply)
    return move.get("kind") == "challenge" and (key is None or move.get("key") == key)


def names_component(text: str, component: str) -> bool:
    """The reply names the component: the phrase itself, or every content word of it."""
    if not component:
        return False
    if component.lower() in text.lower():
        return True
    wanted = content_words(component)
    return bool(wanted) and wanted <= content_words(text)


def shared_word(reply: str, turn: str) -> str:
    """A content word of the turn the reply uses too (4+ letters, not a stopword or a word every design uses)."""
    shared = content_words(reply) & content_words(turn)
    found = sorted(w for w in shared if len(w) >= MIN_SHARED_LETTERS and w not in GENERIC_WORDS)
    return found[0] if found else ""


def refers_to_turn(reply: dict[str, Any]) -> list:
    """[refers, how]: names the turn's component, answers its question, challenges its mistake, or shares a word."""
    text = reply["text"]
    if names_component(text, reply.get("component", "")):
        return [True, "component"]
    if reply.get("asked_scale") and _DIGIT.search(text):
        return [True, "answered"]
    if reply.get("asks") and _move(reply).get("kind") in ANSWER_MOVES:
        return [True, "answered"]
    if reply.get("mistake") and challenges(reply, reply["mistake"]):
        return [True, "challenged"]
    word = shared_word(text, reply.get("candidate", ""))
    if word:
        return [True, f"word:{word}"]
    return [False, "no link to the turn"]


def score_reply(reply: dict[str, Any]) -> dict[str, Any]:
    """The held-out checks of one reply to a scripted turn; None where a check does not apply."""
    content = reply.get("content_phase", "")
    after = reply.get("phase_after", reply["phase"])
    found: dict[str, Any] = {
        "refers": refers_to_turn(reply) if reply["complete"] else [False, "incomplete reply"],
        "numbers": bool(_DIGIT.search(reply["text"])) if reply.get("asked_scale") else None,
        "challenged_now": challenges(reply, reply["mistake"]) if reply.get("mistake") else None,
        "held_in_requirements": after == PHASE_KEYS[0] and content in DESIGN_PHASES,
        "behind_content": bool(content) and PHASE_KEYS.index(after) < PHASE_KEYS.index(content),
    }
    return found


def named_in_gaps(card: Scorecard | None, note: str) -> list | None:
    """[named, detail]: a gap of the feedback carries the pitfall's note (outside quotes); None without a card."""
    if card is None or card.is_prose:
        return None
    wanted = _folded(note)  # quotes dropped from both: the check is that the card's own words carry the note
    for gap in card.gaps:
        if wanted and wanted in _folded(gap):
            return [True, f"named by {gap[:80]!r}"]
    return [False, "no gap carries its note"]


def _folded(text: str) -> str:
    return " ".join(unquoted(text).lower().rstrip(".").split())


def _card(result: dict[str, Any]) -> Scorecard | None:
    data = (result.get("feedback") or {}).get("card")
    return Scorecard.from_dict(data) if data else None


def planted_outcomes(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Per planted mistake: challenged in the next reply or any later one, noted at all, named in the feedback."""
    replies = [r for r in result["replies"] if r.get("turn")]
    raised = {m.get("key") for m in (result.get("notes") or {}).get("mistakes", [])}
    card = _card(result)
    outcomes = []
    for index, reply in enumerate(replies):
        mistake = reply.get("mistake")
        if not mistake:
            continue
        later = next((r["turn"] for r in replies[index:] if challenges(r, mistake)), None)
        outcomes.append(
            {
                "mistake": mistake,
                "turn": reply["turn"],
                "challenged_now": challenges(reply, mistake),
                "move_now": f"{_move(reply).get('kind', '')}:{_move(reply).get('key', '')}",
                "challenged_at_turn": later,
                "noted": mistake in raised,
                "named": named_in_gaps(card, (result.get("pitfall_notes") or {}).get(mistake, "")),
            }
        )
    return outcomes


def score_interview(result: dict[str, Any]) -> None:
    """Attach the held-out checks to each reply and the interview, and the pushback record the tables print."""
    for reply in result["replies"]:
        if reply.get("turn"):
            reply["heldout"] = score_reply(reply)
    planted = planted_outcomes(result)
    scripted = [r for r in result["replies"] if r.get("turn")]
    challenged = [r for r in scripted if challenges(r)]
    planted_ids = {p["mistake"] for p in planted}
    result["heldout"] = {
        "planted": planted,
        "false_pushback": [
            {"turn": r["turn"], "key": _move(r).get("key", ""), "said": r["candidate"]}
            for r in challenged
            if result["candidate"] == "strong"
        ],
        "unplanted_challenges": [
            {"turn": r["turn"], "key": _move(r).get("key", "")}
            for r in challenged
            if result["candidate"] == "flawed" and _move(r).get("key") not in planted_ids
        ],
        "held_in_requirements": sum(1 for r in scripted if r["heldout"]["held_in_requirements"]),
        "behind_content": sum(1 for r in scripted if r["heldout"]["behind_content"]),
        "final_phase": result.get("final_phase"),
    }
    # the shape report.scenario_table and runner.summarize read, filled from the moves code chose
    result["pushback"] = {
        "planted": [
            {
                "mistake": p["mistake"],
                "challenged": [p["challenged_now"], p["move_now"]],
                "named": p["named"],
            }
            for p in planted
        ],
        "false_pushback": [f["said"] for f in result["heldout"]["false_pushback"]],
        "templates": list(no_template_overuse([r["text"] for r in result["replies"] if r["complete"]])),
    }
