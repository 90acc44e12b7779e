"""The interviewer's next move, chosen in code on every turn for every model, and the notes it keeps.

Priority: open the interview; answer a question about scale with the problem's facts (or, outside the bank, those of
its kind of product), or let the model answer another clarifying question; challenge a fresh mistake (a pitfall or an
estimate off by more than 3x); redirect a turn with no substance; follow the candidate into the phase their turn is
already in; move on when the phase's items are covered; follow up on a thin answer; probe the phase's uncovered item
closest to what they just said, naming their component. A capable model phrases the move; a small model's reply is
the question written here, after at most a short reaction of its own.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from dataclasses import dataclass, field

from interview.core.heuristics import answered, asks_about_scale, asks_the_interviewer
from interview.core.notes import CoveredItem, EstimateCheck, InterviewerNotes, Move, RaisedMistake
from interview.core.phases import PHASE_KEYS, phase_by_key, spoken_title
from interview.core.state import Interview, Message
from interview.core.steering import CAPABLE, SteeringPolicy
from interview.core.substance import has_substance
from interview.dialogue import challenges, curveballs, gaps, pace, style, topic
from interview.dialogue.coverage import (
    LAST_ESTIMATING_PHASE,
    asked_questions,
    candidate_text,
    covers_an_estimate,
    open_items,
    unasked,
)
from interview.dialogue.facts import answer_to_scale_question
from interview.problems.detect import covered_items
from interview.problems.estimates import check_estimates
from interview.problems.numbers import parse_quantities
from interview.problems.scale_table import kind_for
from interview.whiteboard.checks import note_diagram
from interview.whiteboard.reactions import MOVE_KIND as REACTION

THIN_WORDS = 15  # a substantive answer shorter than this, that covers nothing new, gets a follow-up
ESTIMATE_KEY = challenges.ESTIMATE_KEY

# Code-written sentences, each used in turn so no opening repeats more than the candidate can notice.
FOLLOW_UPS = (
    "Can you make that concrete: which component does it, and how?",
    "Go one level deeper there: what exactly happens, step by step?",
    "What would that look like in practice, and what does it cost us?",
    "Say more about that: why that choice over the obvious alternative?",
)
REDIRECTS = ("Let's stay on the design.", "Let's bring it back to the system.", "Back to the design for a moment.")
MOVE_ONS = ("Let's move on to {phase}.", "Let's turn to {phase}.", "Next, {phase}.")
FIRST_QUESTION = "What would you like to clarify first?"


@dataclass(frozen=True)
class NextMove:
    """One reply's plan: what code says first (`lead`), the question it asks, and how a capable model is told."""

    kind: str  # open | answer | clarify | challenge | redirect | follow_up | probe | advance | curveball; a style's hint_offer | quantify | alternative
    question: str
    key: str = ""  # the pitfall, estimate or checklist item it is about
    lead: str = ""  # said before the question: the restated problem, the scale facts, "Let's move on to …"
    quote: str = ""  # the candidate's words it reacts to (a challenge quotes the mistake)

    @property
    def written_in_code(self) -> bool:
        """Moves a small model never voices: the reply is exactly `lead` + `question`. After a fix or a misreading
        the lead is the reaction, so the model's own would come before it."""
        if self.lead.startswith(challenges.ANSWERED_LEADS):
            return True
        return self.kind in ("open", "answer", "challenge", "redirect", "follow_up", "curveball", *style.KINDS)

    def text(self) -> str:
        return f"{self.lead} {self.question}".strip()

    def instruction(self) -> str:
        """The move as an instruction for a model that phrases it in its own words."""
        styled = style.instruction(self)  # a style's own move, or a coach's praise before this one
        if styled:
            return styled
        if self.kind == "open":
            return f"Restate the problem in one sentence, then ask: {self.question}"
        if self.kind == "answer":
            return f"They asked about scale. Give exactly these numbers: {self.lead} Then ask: {self.question}"
        if self.kind == "challenge" and not self.quote:
            return f"They have not said how they handle this. Ask it in your own words, without the answer: {self.question}"
        if self.kind == "challenge":
            when = "earlier" if challenges.refers_back(self.lead) else "just"
            concern = (
                f"Say first what worries you, as here: {self.lead} "
                if self.lead not in ("", challenges.EARLIER)
                else ""
            )
            return (
                f"Push back on what they {when} said (“{self.quote}”). {concern}Ask this in your own words, and do "
                f"not give the answer: {self.question}"
            )
        if self.kind == "clarify":
            return f"Answer their question in one or two sentences as the interviewer (decide the scope; do not design for them), then ask: {self.question}"
        if self.kind == "redirect":
            return f"Their last turn had no technical content. Steer back to the design and ask: {self.question}"
        if self.kind == "follow_up":
            return f"Their answer was thin. Ask them to go deeper, for example: {self.question}"
        if self.kind == "curveball" and self.lead.startswith(curveballs.LABEL):
            change = self.lead.removeprefix(curveballs.LABEL).strip()
            return (
                f"The label “{curveballs.LABEL}” is already shown. Right after it, tell them in your own words that "
                f"this requirement has changed: {change} Do not say how to adapt. Then ask: {self.question}"
            )
        if self.kind == "curveball":
            return f"Their answer did not adapt the design to the requirement change. Ask again: {self.question}"
        if self.kind == "advance":
            return f"Say in a few words that you are moving on ({self.lead}), then ask: {self.question}"
        if self.lead.startswith(challenges.FIXED):
            return f"Say in a few words that their fix answers the problem you raised, then ask: {self.question}"
        if self.lead.startswith(challenges.FILLED):
            return f"Say in a few words that their answer covers what you asked, then ask: {self.question}"
        if self.lead.startswith(challenges.WITHDRAWN):
            return f"Say in a few words that you had misread them, then ask: {self.question}"
        return f"React in at most one short sentence, then ask this in your own words: {self.question}"


def _last_candidate_turn(interview: Interview) -> tuple[int, Message | None]:
    """The latest candidate chat message and how many the candidate has sent."""
    turns = interview.candidate_messages()
    return len(turns), (turns[-1] if turns else None)


def _rotate(options: tuple[str, ...], used: int) -> str:
    return options[used % len(options)]


def probe(interview: Interview) -> tuple[str, str]:
    """(item, question): the phase's uncovered item closest to the last turn, or a phase question; never one asked."""
    asked = asked_questions(interview)
    still_open = open_items(interview, interview.phase, unsaid=True)
    options = [(item, question) for item, question in still_open if question not in asked]
    if options:
        _, last = _last_candidate_turn(interview)
        return options[pace.closest(options, last.content if last else "")]
    # Generic phase questions: not asked in any wording, and not already answered by the candidate.
    said = candidate_text(interview)
    questions = phase_by_key(interview.phase).questions
    if interview.problem is not None and len(open_items(interview, interview.phase)) * 2 <= len(
        interview.problem.evidence[interview.phase]
    ):
        questions = questions[1:]  # most of the phase's checklist covered: its overview question has been answered
    fresh = unasked(interview, questions)
    unanswered = [q for q in fresh if not answered(q, said)]
    if not fresh and interview.is_last_phase:
        return "", CLOSING  # every wrap-up question asked: the interviewer is done, not asking again
    return "", (unanswered or fresh or list(questions[-1:]))[0]


CLOSING = "That's all I wanted to cover today. Press End interview when you're ready for your feedback."


def note_turn(interview: Interview, text: str) -> list[RaisedMistake]:
    """Update the notes from the candidate's latest turn; returns the mistakes it newly signalled."""
    notes, phase, problem = interview.notes, interview.phase, interview.problem
    checks = check_estimates(problem, text)
    if PHASE_KEYS.index(phase) > PHASE_KEYS.index(LAST_ESTIMATING_PHASE):
        # After the estimates a figure is a design parameter ("at ~30 bookings/s, row locks are fine"): only a slip
        # in the candidate's own arithmetic is challenged; a right figure still counts.
        checks = [check for check in checks if check.verdict == "ok" or check.slip]
    wrong_sentences = {check.quote for check in checks if check.verdict == "off"}
    known, start = notes.covered_items(), len(notes.covered)
    for key in PHASE_KEYS[: PHASE_KEYS.index(phase) + 1]:  # this phase, and ground an earlier one left open
        for cover in covered_items(problem, key, text):  # this turn alone: the quote is verbatim
            if cover.item not in known and (key != LAST_ESTIMATING_PHASE or covers_an_estimate(cover, wrong_sentences)):
                notes.covered.append(CoveredItem(key, cover.item, cover.quote))
    challenges.withdraw(problem, notes, text, candidate_text(interview), phase)
    right = challenges.redone_estimates(notes, text) | {
        ESTIMATE_KEY + c.quantity: c.quote for c in checks if c.verdict == "ok"
    }
    challenges.note_fixes(problem, notes, text, right, (candidate_text(interview), phase))
    fresh: list[RaisedMistake] = []
    noted = {(e.quantity, e.quote) for e in notes.estimates}
    for check in checks:
        # A sentence with a wrong number earns no credit for the given fact it restates alongside it.
        if (check.quantity, check.quote) in noted or (check.verdict == "ok" and check.quote in wrong_sentences):
            continue
        noted.add((check.quantity, check.quote))
        notes.estimates.append(
            EstimateCheck(check.quantity, check.stated, check.expected, check.quote, check.verdict == "ok")
        )
        key = ESTIMATE_KEY + check.quantity
        # One recheck per turn: the candidate redoes their arithmetic once, not figure by figure over later turns.
        if (
            check.verdict == "off"
            and notes.raised(key) is None
            and not any(m.key.startswith(ESTIMATE_KEY) for m in fresh)
        ):
            note = f"Estimate off by more than 3x: {check.said} for {check.quantity}; recheck the arithmetic."
            fresh.append(RaisedMistake(key, phase, check.quote, check.question, note, asked=False))
    for mistake in challenges.pitfall_mistakes(problem, notes, text, candidate_text(interview), phase):
        fresh.append(mistake)
        # The sentence that makes a mistake is no evidence of an item it also touches ("a SELECT for each night…")
        notes.covered[start:] = [c for c in notes.covered[start:] if not mistake.quote or c.quote != mistake.quote]
    fresh += note_diagram(interview, text, candidate_text(interview))  # after the words just said
    curveballs.note_adaptation(interview, text)
    notes.mistakes.extend(m for m in fresh if all(m is not kept for kept in notes.mistakes))
    return fresh


def _items_done(interview: Interview) -> bool:
    """Nothing left to ask in the phase: its checklist is covered, or every question for it was asked already."""
    if interview.problem is not None and not open_items(interview, interview.phase):
        return True
    item, question = probe(interview)  # else it asks the same question again, or one already answered
    return question in asked_questions(interview) or (not item and answered(question, candidate_text(interview)))


@dataclass(frozen=True)
class Plan:
    """A turn's decision: the move, the notes as they stand after this turn, and whether the phase moves on."""

    move: NextMove
    notes: InterviewerNotes = field(compare=False)
    phase: str = field(default="", compare=False)  # the phase the interview moves to ("" stays)
    reason: str = field(default="", compare=False)  # why: "covered" (its items are done) or "content" (followed)


def plan(interview: Interview, now: float, policy: SteeringPolicy = CAPABLE) -> Plan:
    """Choose the next move and the notes it keeps, in the policy's style (Standard by default); changes nothing
    (`apply` does)."""
    draft = dataclasses.replace(
        interview, notes=copy.deepcopy(interview.notes), phase_history=list(interview.phase_history)
    )
    turn_count, last = _last_candidate_turn(draft)
    # A reaction to the board answered no turn, so a retry never replays it.
    previous = next((move for move in reversed(draft.notes.moves) if move.kind != REACTION), None)
    if previous is not None and previous.turn == turn_count and previous.kind != "open":
        return Plan(_replay(previous), draft.notes)  # a retry answers the same turn the same way
    covered = len(draft.notes.covered)
    move = _choose(draft, last, now)
    answered = challenges.answered_lead(draft.notes, last.content, move.kind, interview.notes) if last else ""
    if answered:
        move = dataclasses.replace(move, lead=f"{answered} {move.lead}".strip())  # said before moving on
    thin, asks = (lambda text: _thin(draft, text)), (lambda: probe(draft))
    move = style.restyle(draft, move, draft.notes.covered[covered:], policy, thin=thin, probe=asks)
    draft.notes.moves.append(Move(move.kind, move.key, move.question, turn_count, move.lead, move.quote))
    moved = draft.phase != interview.phase
    reason = draft.phase_history[-1]["reason"] if moved else ""
    return Plan(move, draft.notes, phase=draft.phase if moved else "", reason=reason)


def apply(interview: Interview, decided: Plan, now: float) -> None:
    """Write a plan into the interview: its notes, and the phase it moves to. The engine saves."""
    interview.notes = decided.notes
    if decided.phase:
        interview.move_to_phase(decided.phase, decided.reason, now)


def _replay(move: Move) -> NextMove:
    return NextMove(move.kind, move.question, move.key, move.lead, move.quote)


def _opening(question: str) -> str:
    """ "Design a podcast platform" restated as "Let's design a podcast platform.", not "Let's design this: Design…"."""
    verb = re.match(r"(?:design|build)\s+(?=\S)", question, re.IGNORECASE)
    return f"Let's design {question[verb.end() :]}." if verb else f"Let's design this: {question}."


def _choose(interview: Interview, last: Message | None, now: float) -> NextMove:
    """The move for the candidate's last turn; it notes the turn and may move the phase on, so it runs on a draft."""
    problem = interview.problem
    if not interview.has_opened() or last is None:
        restated = problem.prompt if problem else _opening(interview.question.rstrip(". "))
        return NextMove("open", FIRST_QUESTION, lead=restated)
    text = last.content
    asks = asks_the_interviewer(text, scoping=interview.phase in _SCOPING)
    followed = _follow_candidate(interview, text, now)
    fresh = note_turn(interview, text)
    if asks_about_scale(text):  # a problem outside the bank gets the facts of its kind of product, never a guess
        facts = problem.scale_facts if problem else kind_for(interview.question).facts
        item, question = probe(interview)
        return NextMove("answer", question, item, lead=answer_to_scale_question(facts, text))
    if asks and (has_substance(text) or interview.is_last_phase):  # the wrap-up invites their questions
        # A clarifying question, also one inside a scoping turn ("who are the users? … I think the core is …"): the
        # model answers it (a small one in its one sentence), code asks next; a mistake in it is raised next turn.
        item, question = probe(interview)
        return NextMove("clarify", question, item, quote=text)
    kept = challenges.kept_after_challenge(problem, interview.notes, text, candidate_text(interview), interview.phase)
    if kept is not None and not fresh:  # they answered a challenge by keeping what it doubted: press once
        lead = challenges.PRESS_LEAD.format(challenges.concern_for(problem, kept[0].key))
        return NextMove("challenge", challenges.PRESS_QUESTION, kept[0].key, lead=lead, quote=kept[1])
    pending = fresh or [m for m in interview.notes.mistakes if not m.asked and not m.fixed]
    if pending:
        mistake = pending[0]
        mistake.asked = True
        if mistake.key.startswith(ESTIMATE_KEY):  # "walk me through the arithmetic" covers every number in the turn
            for other in (m for m in pending if m.key.startswith(ESTIMATE_KEY) and m.quote == mistake.quote):
                other.asked = True
        # A mistake noted on an earlier turn is raised (as earlier) once nothing newer is wrong.
        used = _count(interview, "challenge")
        asked = interview.notes.moves[-1].question if interview.notes.moves else ""
        lead = challenges.lead(
            problem, mistake, interview.notes.estimates, fresh=bool(fresh), used=used, last_question=asked
        )
        return NextMove("challenge", mistake.question, mistake.key, lead=lead, quote=mistake.quote)
    if not has_substance(text, topic.on_topic(interview, text)):
        return _redirect(interview)
    changed = _requirement_change(interview, followed)
    if changed is not None:
        return changed
    if followed is not None:
        if followed.bring_back:
            return NextMove("advance", pace.BRING_BACK, pace.BRING_BACK_KEY, lead=followed.lead)
        item, question = probe(interview)
        return NextMove("advance", question, item, lead=followed.lead)
    moved_on = _move_on(interview, now) if not interview.is_last_phase and _items_done(interview) else None
    if moved_on is not None:
        return moved_on
    if len(text.split()) < THIN_WORDS and not _covered_by(interview, text):
        question = _rotate(FOLLOW_UPS, _count(interview, "follow_up"))
        if question not in asked_questions(interview):
            return NextMove("follow_up", question)
    item, question = probe(interview)
    lead = challenges.coming_back(interview.notes, item) or _their_component(text, item, question)
    return NextMove("probe", question, item, lead=lead)


def _move_on(interview: Interview, now: float) -> NextMove | None:
    """The phase's items are done: with time left, back to open ground first; else on to the next phase."""
    gap = gaps.back_to_gap(interview, now)
    if gap is not None:
        return NextMove("probe", gap.question, gap.item, lead=gap.lead)
    if not interview.advance_phase("covered", now):
        return None
    item, question = probe(interview)
    lead = _rotate(MOVE_ONS, _count(interview, "advance")).format(phase=spoken_title(interview.phase))
    return NextMove("advance", question, item, lead=lead)


def _redirect(interview: Interview) -> NextMove:
    """Back to the design after a turn without substance; in the wrap-up ("Thanks, that's all from me.") just on."""
    item, question = probe(interview)
    if interview.is_last_phase:
        return NextMove("probe", question, item)
    return NextMove("redirect", question, item, lead=_rotate(REDIRECTS, _count(interview, "redirect")))


def _requirement_change(interview: Interview, followed: pace.PhaseMove | None) -> NextMove | None:
    """A requirement change when one is due (never on a turn that moved the phase), or the change asked again."""
    again = curveballs.ask_again(interview)
    if again is not None:
        question = curveballs.AGAIN_QUESTION
        return NextMove("curveball", question, curveballs.KEY_PREFIX + again.id, lead=curveballs.AGAIN)
    curveball = curveballs.due(interview) if followed is None else None
    if curveball is None:
        return None
    curveballs.introduce(interview, curveball)
    lead = curveballs.announce(interview, curveball)
    return NextMove("curveball", curveball.question, curveballs.KEY_PREFIX + curveball.id, lead=lead)


def _their_component(text: str, item: str, question: str) -> str:
    """ "You mentioned the Redis registry." when the probe is about a part of what they just said, else ""."""
    named = pace.mention(text, f"{item} {question}")
    # Only when the question is about it: "You mentioned the gateway. A send times out…" read as a non sequitur.
    return f"You mentioned {named}." if named and pace.content_words(named) & pace.content_words(question) else ""


def _follow_candidate(interview: Interview, text: str, now: float) -> pace.PhaseMove | None:
    """Move the draft to the phase the candidate's turn is already in (a substantive statement only), and say so."""
    if not has_substance(text) or interview.is_last_phase or text.rstrip().endswith("?"):
        return None  # a question asks for something; it presents nothing to follow
    if challenges.disowns_last(interview.notes, text):
        return None  # "I said a room type, not a room number" corrects the interviewer; it does not move on
    said = [m.content for m in interview.candidate_messages()]
    numbers = any(q.kind in _ESTIMATE_KINDS for turn in said for q in parse_quantities(turn))
    brought_back = any(move.key == pace.BRING_BACK_KEY for move in interview.notes.moves)
    followed = pace.follow_candidate(
        interview.problem, interview.phase, text, numbers, brought_back, _count(interview, "advance")
    )
    if followed is not None:
        interview.move_to_phase(followed.phase, "content", now)
    return followed


_ESTIMATE_KINDS = ("rate", "byte_rate", "bytes", "count", "keyspace")
_SCOPING = ("requirements", "estimates")  # where a question inside a turn asks the interviewer, not themselves


def _count(interview: Interview, kind: str) -> int:
    return sum(1 for move in interview.notes.moves if move.kind == kind)


def _thin(interview: Interview, text: str) -> bool:
    """A substantive answer that is short and covers nothing: the condition for a follow-up in `_choose`."""
    return has_substance(text) and len(text.split()) < THIN_WORDS and not _covered_by(interview, text)


def _covered_by(interview: Interview, text: str) -> bool:
    return any(c.quote and c.quote in text for c in interview.notes.covered)
