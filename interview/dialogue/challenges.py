"""How a challenge opens: the interviewer's concern in its own words, so the candidate hears which decision it doubts.

The question alone ("Two devices edited the same file offline: whose edits survive?") can read as a new topic; a real
interviewer first says what bothers them, never the fix. The concern comes from the pitfall's data (`concern`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from interview.core.notes import EstimateCheck, InterviewerNotes, Move, RaisedMistake
from interview.dialogue.pace import content_words
from interview.problems.detect import addressed, clearing_sentence, detect_pitfalls, pitfalls_for
from interview.problems.estimates import SLIP_LABEL
from interview.problems.load import Pitfall, Problem
from interview.problems.numbers import Quantity, parse_quantities
from interview.problems.rebuttals import conceded_change, defends, misread_claim
from interview.problems.terms import sentences

# Taken in turn, so no opening is heard more than twice in an interview of six challenges.
FRESH_OPENINGS = ("I'm worried about {}.", "One thing I'd push on: {}.", "Let me stop you on {}.")
EARLIER_OPENINGS = (
    "I want to come back to {}.",
    "Going back to something you said earlier: I'm worried about {}.",
    "One more thing from earlier: {}.",
)
ESTIMATE_KEY = "estimate:"  # a raised mistake's key for an estimate off by more than 3x: the prefix, then the quantity
EARLIER = "Going back to something you said earlier."  # a mistake with no concern, raised on a later turn


def concern_for(problem: Problem | None, key: str) -> str:
    """The pitfall's concern; "" for an estimate, a diagram check or a pitfall without one."""
    return next((pitfall.concern for pitfall in pitfalls_for(problem) if pitfall.id == key), "")


BACK_AGAIN = "That brings back the problem we discussed earlier."  # a fixed mistake committed again, in words


def settled(notes: InterviewerNotes, text: str) -> list[str]:
    """The raised mistakes' keys not to detect again: all but a pitfall fixed on an earlier turn, which the
    candidate can bring back ("drop the heartbeats: a run on a dead worker is just lost")."""
    return [m.key for m in notes.mistakes if not m.fixed or m.key.startswith(ESTIMATE_KEY) or m.fix_quote in text]


def pitfall_mistakes(
    problem: Problem | None, notes: InterviewerNotes, text: str, transcript: str, phase: str
) -> list[RaisedMistake]:
    """The pitfalls this turn signals, as mistakes waiting to be raised: new ones (not yet in the notes), and fixed
    ones said again, reopened in place (only words bring a fix back, not an absence)."""
    found = []
    for hit in detect_pitfalls(problem, text, transcript, phase, settled(notes, text)):
        back = notes.raised(hit.id)
        if back is None:
            found.append(RaisedMistake(hit.id, phase, hit.quote, hit.question, hit.note, asked=False))
        elif hit.quote and _CHANGES_MIND.search(text):
            found.append(reopen(back, hit.quote))
    return found


# Undoing a fix is a change of mind said aloud ("to simplify, drop the heartbeats"); without one, a pitfall signalled
# again after its fix is more likely a misreading of the same design (held-out round 18 showed one).
_CHANGES_MIND = re.compile(
    r"\b(drop|dropping|remove|removing|get rid of|simplif\w*|instead|scratch|go back|revert\w*|rip out|no longer"
    r"|do without|skip|cut)\b",
    re.IGNORECASE,
)


def reopen(mistake: RaisedMistake, quote: str) -> RaisedMistake:
    """A fixed mistake said again: open, waiting to be raised, quoting the new words (the old fix stays on record)."""
    mistake.fixed, mistake.asked, mistake.quote = False, False, quote
    return mistake


def came_back(mistake: RaisedMistake) -> bool:
    """An open mistake with a fix on record (not a withdrawn misreading): the candidate undid their fix."""
    return not mistake.fixed and not mistake.withdrawn and bool(mistake.fix_quote)


BACK_TO_LAST = "Let me come back to my last question."  # the candidate went on without answering it
SAME_TOPIC = 0.5  # share of the shorter question's content words that makes two questions one topic


def lead(
    problem: Problem | None,
    mistake: RaisedMistake,
    estimates: list[EstimateCheck],
    *,
    fresh: bool,
    used: int,
    last_question: str = "",
) -> str:
    """Said before the challenge's question: the concern in an opening taken in turn (`used` challenges so far), or
    for a wrong estimate which way it looks off; for something never said that the last question already asked,
    that it comes back to it."""
    estimate = _estimate_of(mistake, estimates)
    if estimate is not None:
        looks = (
            f"That looks too {'low' if estimate.stated < estimate.expected else 'high'} to me for {_read(estimate)}."
        )
        return looks if fresh else f"{EARLIER} {looks}"
    if not mistake.quote:  # something never said ("no monitoring" at wrap-up): ask, without a worry about words
        return BACK_TO_LAST if _same_topic(last_question, mistake.question) else ""
    concern = concern_for(problem, mistake.key)
    if not concern:
        return "" if fresh else EARLIER
    openings = FRESH_OPENINGS if fresh else EARLIER_OPENINGS
    opening = openings[used % len(openings)].format(concern)
    return f"{BACK_AGAIN} {opening}" if came_back(mistake) else opening


def _estimate_of(mistake: RaisedMistake, estimates: list[EstimateCheck]) -> EstimateCheck | None:
    """The estimate check a raised estimate mistake was noted from, or None for any other mistake."""
    return next((e for e in estimates if ESTIMATE_KEY + e.quantity == mistake.key and e.quote == mistake.quote), None)


def _same_topic(one: str, other: str) -> bool:
    """Two questions about one thing ("The guest clicks 'book' twice..." and "The guest double-clicks 'book'...")."""
    first, second = content_words(one), content_words(other)
    return bool(first and second) and len(first & second) >= SAME_TOPIC * min(len(first), len(second))


def _read(estimate: EstimateCheck) -> str:
    """'bids per second, average' said as 'bids per second on average'."""
    return estimate.quantity.replace(", average", " on average").replace(", peak", " at peak")


def refers_back(lead_text: str) -> bool:
    """The challenge is about an earlier turn, not the one just said."""
    lead_text = lead_text.removeprefix(WITHDRAWN).lstrip()
    if lead_text.startswith(EARLIER):
        return True
    return any(lead_text.startswith(opening.split("{}")[0]) for opening in EARLIER_OPENINGS)


FIXED = "That takes care of the problem I raised."  # said before the next question when the turn fixed it
FILLED = "That covers what I asked about."  # the same for a gap: something never said is no problem they raised
WITHDRAWN = "Fair enough, I misread that."  # said when the candidate showed the challenge misread them
ANSWERED_LEADS = (FIXED, FILLED, WITHDRAWN)


def last_challenge(notes: InterviewerNotes) -> Move | None:
    """The interviewer's last move when it was a challenge (the turn being read answers it), else None."""
    last = notes.moves[-1] if notes.moves else None
    return last if last is not None and last.kind == "challenge" else None


def answered_lead(notes: InterviewerNotes, text: str, kind: str, before: InterviewerNotes) -> str:
    """What the interviewer says before a move of this kind when this turn answered its challenge: that it misread
    them (before anything but an answer to their question), that the fix works (before a question), or "". Only for
    what this turn settled (`before` are the notes without it): a fix said again is no news."""
    settled = {m.key for m in before.mistakes if m.fixed}
    if [m for m in notes.withdrawn_by(text) if m.key not in settled] and kind not in ("answer", "clarify"):
        return WITHDRAWN
    fixed = notes.fixed_by(text) if kind in ("probe", "advance", "follow_up") else []
    fixed = [m for m in fixed if m.key not in settled]
    if not fixed:
        return ""
    return FIXED if any(mistake.quote for mistake in fixed) else FILLED


def disowns_last(notes: InterviewerNotes, text: str) -> bool:
    """This turn answers the last move's challenge by saying it misread them: a correction, not a move onwards."""
    return last_challenge(notes) is not None and bool(misread_claim(text))


def withdraw(problem: Problem | None, notes: InterviewerNotes, text: str, transcript: str, phase: str) -> None:
    """Withdraw the pitfall the last move challenged when this turn says the challenge misread them ("No, that's the
    option I ruled out") and does not commit it again: a real interviewer takes that back, and it is no mistake."""
    last = last_challenge(notes)
    if last is None or all(pitfall.id != last.key for pitfall in pitfalls_for(problem)):
        return
    mistake = notes.raised(last.key)
    claim = misread_claim(text)
    if mistake is None or mistake.fixed or not claim:
        return
    others = [m.key for m in notes.mistakes if m.key != last.key]
    rest = " ".join(s.text for s in sentences(text) if s.text != claim)  # the claim names the option to disown it
    if all(hit.id != last.key or not hit.quote for hit in detect_pitfalls(problem, rest, transcript, phase, others)):
        mistake.fixed, mistake.withdrawn, mistake.fix_quote = True, True, claim


def note_fixes(
    problem: Problem | None, notes: InterviewerNotes, text: str, right: dict[str, str], context: tuple[str, str]
) -> None:
    """Mark the asked mistakes this turn fixes: a right estimate of it (`right`: key to quote), the words that clear
    a pitfall, the pitfall's topic taken the right way, or a change said after granting its challenge.

    `context` is everything the candidate said and the phase, to check a granted change does not commit it again."""
    by_id = {pitfall.id: pitfall for pitfall in pitfalls_for(problem)}
    last = last_challenge(notes)
    for mistake in notes.open_mistakes():
        pitfall = by_id.get(mistake.key)
        answers_it = last is not None and last.key == mistake.key
        if not mistake.asked or (answers_it and defends(text)):
            continue  # a defence keeps the design, whatever words it uses ("I didn't say we need a cache")
        quote = right.get(mistake.key, "")
        if not quote and pitfall is not None:
            quote = clearing_sentence(pitfall, text) or addressed(pitfall, text)
            if not quote and answers_it:
                quote = _granted_change(problem, notes, pitfall, text, context)
        if quote:
            mistake.fixed, mistake.fix_quote = True, quote


def _granted_change(
    problem: Problem | None, notes: InterviewerNotes, pitfall: Pitfall, text: str, context: tuple[str, str]
) -> str:
    """The change the candidate says after granting the challenge ("Fair. Let me fix that: …"), when what follows
    it does not commit the pitfall again; else ""."""
    change = conceded_change(text)
    if not change:
        return ""
    said = [s.text for s in sentences(text)]
    rest = " ".join(said[said.index(change) :]) if change in said else change
    others = [m.key for m in notes.mistakes if m.key != pitfall.id]
    hits = detect_pitfalls(problem, rest, *context, others)
    return "" if any(hit.id == pitfall.id and hit.quote for hit in hits) else change


# The candidate answered a challenge by committing to the very thing it doubted: a real interviewer presses once,
# with the worry and a new question, instead of moving on as if it had been answered.
PRESS_LEAD = "So you'd keep it that way. My worry stands: {}."
PRESS_QUESTION = "What happens to it at the scale we estimated, and where does it break first?"


def kept_after_challenge(
    problem: Problem | None, notes: InterviewerNotes, text: str, transcript: str, phase: str
) -> tuple[RaisedMistake, str] | None:
    """The pitfall the last move challenged and the sentence that keeps it, when this turn says it again in its own
    words and has not fixed it, and it has not been pressed yet; else None."""
    last = last_challenge(notes)
    if last is None or last.key.startswith(ESTIMATE_KEY):
        return None
    mistake = notes.raised(last.key)
    if mistake is None or mistake.fixed or not concern_for(problem, last.key):
        return None
    if sum(1 for move in notes.moves if move.kind == "challenge" and move.key == last.key) > 1:
        return None
    others = [m.key for m in notes.mistakes if m.key != last.key]
    hit = next((h for h in detect_pitfalls(problem, text, transcript, phase, others) if h.id == last.key), None)
    return (mistake, hit.quote) if hit is not None and hit.quote and hit.quote != mistake.quote else None


COMING_BACK = "Let me come back to {}."  # a probe for an estimate the candidate was challenged on and left as it was
SAME_FIGURE = 2.0  # an item's figure within this factor of a challenged estimate's target is that estimate


def _challenged_estimates(notes: InterviewerNotes) -> Iterator[tuple[RaisedMistake, EstimateCheck]]:
    """The open estimate mistakes that were asked, each with the check it was noted from."""
    for mistake in notes.open_mistakes():
        estimate = _estimate_of(mistake, notes.estimates)
        if mistake.asked and estimate is not None and estimate.expected > 0:
            yield mistake, estimate


def _same_figure(figures: list[Quantity], estimate: EstimateCheck) -> Quantity | None:
    """The first figure within `SAME_FIGURE` of what the estimate should have been, or None."""
    return next(
        (f for f in figures if f.value > 0 and abs(math.log(f.value / estimate.expected)) < math.log(SAME_FIGURE)),
        None,
    )


def redone_estimates(notes: InterviewerNotes, text: str) -> dict[str, str]:
    """The challenged slips in the candidate's own arithmetic this turn redoes, by key, each with the sentence that
    does: "250 TB a day" after "100M x 2.5 MB = 25 TB a day" (a slip has no target for a right check to name)."""
    figures = parse_quantities(text)
    redone = {}
    for mistake, estimate in _challenged_estimates(notes):
        figure = _same_figure(figures, estimate) if estimate.quantity.startswith(SLIP_LABEL) else None
        if figure is not None:
            redone[mistake.key] = figure.sentence
    return redone


def coming_back(notes: InterviewerNotes, item: str) -> str:
    """Said before a probe of an estimate item whose challenge went unanswered, so it does not sound like a new
    question: "Let me come back to new short links per second on average."; else ""."""
    figures = parse_quantities(item)
    for _, estimate in _challenged_estimates(notes):
        if _same_figure(figures, estimate) is not None:
            return COMING_BACK.format(_read(estimate))
    return ""
