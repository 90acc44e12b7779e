"""Scores from the interviewer's notes: coverage, mistakes left unfixed, estimate accuracy and hints, with quotes.

No model sets a number here. A capable model may word strengths and gaps (see `generate`); the gaps always
name every mistake the candidate left unfixed.
"""

from __future__ import annotations

import re

from interview.core.notes import CoveredItem, InterviewerNotes, RaisedMistake, RequirementChange
from interview.core.phases import PHASE_KEYS
from interview.core.quotes import overlaps_any
from interview.core.scorecard import DIMENSIONS, DimensionScore, Scorecard
from interview.core.sentences import split_sentences
from interview.core.state import Interview
from interview.core.substance import has_substance
from interview.feedback.normalise import implied_hire_signal
from interview.feedback.rules import HINT_NOTE, PHASE_DIMENSIONS, rule_scorecard, too_little_to_assess
from interview.problems.detect import covered_items
from interview.problems.numbers import parse_quantities
from interview.whiteboard.board import diagram_lines, latest_diagram
from interview.whiteboard.diagram import Diagram

MAX_QUOTES = 3
STRONG_HIRE = "Strong hire"
MAX_STRENGTHS = 4
MAX_UNCOVERED_GAPS = 3
MIN_ON_TOPIC_TURNS = 3
MIN_WEIGHING_WORDS = 6  # words besides the trade-off phrase: enough to name two options or a cost
DIMENSION_PHASES = {dimension: phase for phase, dimension in PHASE_DIMENSIONS.items()}
_TRADE_OFF = re.compile(
    r"\b(rather than|instead of|trade[- ]?offs?|at the cost of|versus|vs\.?|downside|whereas|unlike|the cost is|"
    r"in exchange|cheaper|simpler but|but it|costs? (?:us )?more|we lose|we gain|compared (?:to|with))\b",
    re.IGNORECASE,
)
DIAGRAM_PHASE = "high_level"  # the dimension the whiteboard is evidence for
NOT_REACHED = "Not assessed: the interview did not reach this phase."
FIXED_ONCE_CHALLENGED = "fixed only once challenged"
PROMPTED_NOTE = f"Capped at 3: a mistake here was {FIXED_ONCE_CHALLENGED}."


def evidence_scorecard(interview: Interview) -> Scorecard:
    """The card computed from the notes; every dimension 1 when there was too little to assess."""
    covered = _coverage(interview)
    # Vague but on the problem (several on-topic turns that cover something) still earns its evidence; a pun
    # among gibberish that happens to name a checklist item does not.
    on_topic = covered and len(_on_topic_turns(interview, covered)) >= MIN_ON_TOPIC_TURNS
    if too_little_to_assess(interview) and not on_topic:
        return rule_scorecard(interview)
    notes = interview.notes
    hinted = {hint.get("phase") for hint in interview.hints if hint.get("tier") == "specific"}
    reached = _reached_phases(interview)
    prompted = _fixed_when_challenged(notes)
    rows = []
    for key, label in DIMENSIONS:
        if key == "estimates":
            row = _estimates_row(interview, covered, notes, label, reached)
        elif key == "trade_offs":
            row = _trade_offs_row(interview, label)
        elif key == "communication":
            row = _communication_row(interview, label)
        else:
            row = _coverage_row(interview, key, label, covered, notes, reached)
        phase = DIMENSION_PHASES.get(key)
        if phase in hinted and row.score and row.score > 3:
            row.score, row.comment = 3, f"{row.comment} {HINT_NOTE}".strip()
        if prompted.get(key) and row.score and row.score > 3:  # a real interviewer notes what needed a push
            row.score, row.comment = 3, f"{row.comment} {PROMPTED_NOTE}".strip()
        rows.append(row)
    overall = round(sum(row.score for row in rows) / len(rows), 2)
    signal = implied_hire_signal(overall)
    if signal == STRONG_HIRE and (notes.open_mistakes() or sum(prompted.values()) > 1):
        signal = "Hire"  # a strong hire leaves no mistake standing and needs at most one push
    return Scorecard(
        dimensions=rows,
        strengths=_strengths(covered, notes),
        gaps=_gaps(interview, covered, notes, reached),
        hire_signal=signal,
        level=interview.level,
        hints_used=len(interview.hints),
        overall=overall,
        source="evidence",
    )


def _coverage(interview: Interview) -> list[CoveredItem]:
    """Checklist items covered anywhere in the interview: the notes, plus what a turn covered out of phase.

    Each turn is read on its own, so every quote is the candidate's words from one message, verbatim. Words the
    interviewer noted as a mistake are evidence of nothing (a rate limiter's per-node counters are no estimate of
    memory).
    """
    mistakes = [m.quote for m in interview.notes.mistakes if m.quote and not m.withdrawn]
    found = {c.item: c for c in interview.notes.covered if not overlaps_any(c.quote, mistakes)}
    for text in [m.content for m in interview.candidate_messages()]:
        for phase in PHASE_KEYS:
            for cover in covered_items(interview.problem, phase, text):
                if not overlaps_any(cover.quote, mistakes):
                    found.setdefault(cover.item, CoveredItem(phase, cover.item, cover.quote))
    graph = latest_diagram(interview)
    for line in diagram_lines(graph) if graph else []:  # what was drawn and never said, quoted as drawn
        for cover in covered_items(interview.problem, DIAGRAM_PHASE, line, drawn=True):
            found.setdefault(cover.item, CoveredItem(DIAGRAM_PHASE, cover.item, f"Diagram: {line}"))
    return list(found.values())


def _on_topic_turns(interview: Interview, covered: list[CoveredItem]) -> list[str]:
    """The candidate's turns with technical substance or that covered a checklist item."""
    quotes = [c.quote for c in covered if c.quote]
    return [
        m.content
        for m in interview.candidate_messages()
        if has_substance(m.content) or any(quote in m.content for quote in quotes)
    ]


def _prompted_fix(mistake: RaisedMistake) -> bool:
    """Fixed only after the interviewer raised it; a withdrawn misreading is no mistake."""
    return mistake.fixed and mistake.asked and not mistake.withdrawn


def _fixed_when_challenged(notes: InterviewerNotes) -> dict[str, int]:
    """Per dimension, the mistakes fixed only after the interviewer raised them (a withdrawn misreading is none)."""
    counts: dict[str, int] = {}
    for m in notes.mistakes:
        key = "estimates" if m.key.startswith("estimate:") else PHASE_DIMENSIONS.get(m.phase)
        if key and _prompted_fix(m):
            counts[key] = counts.get(key, 0) + 1
    return counts


def _reached_phases(interview: Interview) -> set[str]:
    return {change["phase"] for change in interview.phase_history} | {m.phase for m in interview.messages}


def _items(interview: Interview, phase: str) -> list[str]:
    problem = interview.problem
    return list(problem.checklist[phase]) if problem else []


def _unfixed(notes: InterviewerNotes, phase: str) -> list[str]:
    return [m.note for m in notes.open_mistakes() if m.phase == phase and not m.key.startswith("estimate:")]


def _quotes(covered: list[CoveredItem], phase: str) -> list[str]:
    """The candidate's words first; one drawn part keeps a place when the diagram covered something."""
    quotes = []
    for cover in covered:
        if cover.phase == phase and cover.quote and cover.quote not in quotes:
            quotes.append(cover.quote)
    said = [quote for quote in quotes if not quote.startswith("Diagram: ")]
    drawn = [quote for quote in quotes if quote.startswith("Diagram: ")]
    return (
        (said[: MAX_QUOTES - 1] + drawn[:1] + said[MAX_QUOTES - 1 :] + drawn[1:])[:MAX_QUOTES]
        if drawn
        else said[:MAX_QUOTES]
    )


def _score_from_share(share: float) -> int:
    return 1 + min(3, int(3 * share + 0.5))


def _coverage_row(
    interview: Interview, key: str, label: str, covered: list[CoveredItem], notes: InterviewerNotes, reached: set[str]
) -> DimensionScore:
    phase = DIMENSION_PHASES[key]
    items = _items(interview, phase)
    done = [c for c in covered if c.phase == phase]
    unfixed = _unfixed(notes, phase)
    graph = latest_diagram(interview) if phase == DIAGRAM_PHASE else None
    drew = _drawing(graph)
    if not items:  # a free-typed question: no checklist, so coverage is judged by substance in the phase
        turns = [m.content for m in interview.candidate_messages() if m.phase == phase and has_substance(m.content)]
        if phase not in reached and not turns and not graph:
            return DimensionScore(key=key, name=label, score=1, comment=NOT_REACHED, assessed=False)
        score = max(1, min(4, 1 + len(turns) + bool(graph and graph.edges)) - len(unfixed))
        evidence = [_first_sentence(text) for text in turns[:MAX_QUOTES]]
        if graph and graph.edges:
            evidence = evidence[: MAX_QUOTES - 1] + [f"Diagram: {diagram_lines(graph)[0]}"]
        return DimensionScore(
            key=key, name=label, score=score, evidence=evidence, comment=_join(drew, _comment(unfixed))
        )
    if phase not in reached and not done and not unfixed and not graph:
        return DimensionScore(key=key, name=label, score=1, comment=NOT_REACHED, assessed=False)
    score = max(1, _score_from_share(len(done) / len(items)) - len(unfixed))
    shown = sum(1 for c in done if c.quote.startswith("Diagram: "))
    counted = f"Covered {len(done)} of {len(items)} checklist items" + (
        f", {shown} of them on the diagram." if shown else "."
    )
    comment = _join(counted, drew, _comment(unfixed))
    return DimensionScore(key=key, name=label, score=score, evidence=_quotes(covered, phase), comment=comment)


def _drawing(graph: Diagram | None) -> str:
    """What the diagram showed, in one sentence for the high-level design comment."""
    if graph is None or not graph.nodes:
        return ""
    kinds = sorted({node.kind.replace("_", " ") for node in graph.nodes if node.kind != "group"})
    return (
        f"The diagram showed {len(graph.nodes)} component{'' if len(graph.nodes) == 1 else 's'} "
        f"({', '.join(kinds)}) and {len(graph.edges)} connection{'' if len(graph.edges) == 1 else 's'}."
    )


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _comment(unfixed: list[str]) -> str:
    return " ".join(f"Left unfixed: {note}" for note in unfixed)


def _estimates_row(
    interview: Interview, covered: list[CoveredItem], notes: InterviewerNotes, label: str, reached: set[str]
) -> DimensionScore:
    right = [check for check in notes.estimates if check.ok]
    wrong = [m for m in notes.open_mistakes() if m.key.startswith("estimate:")]
    if interview.problem is None:  # no targets to check against: the figures worked out, less any slip left
        return _own_estimates_row(interview, label, wrong, reached)
    items = _items(interview, "estimates")
    done = [c for c in covered if c.phase == "estimates"]
    share = len(done) / len(items) if items else 0.0
    score = _score_from_share(share)
    if right:  # a right estimate shows the arithmetic was done, whatever the checklist's wording
        score = max(score, 4 if len(right) >= 3 else 3)
    score = max(1, score - len(wrong))
    quotes = []
    for quote in [check.quote for check in right] + [c.quote for c in done]:
        if quote and quote not in quotes:
            quotes.append(quote)
    assessed = bool(right or wrong or done or "estimates" in reached)
    comment = f"{len(right)} estimate{'' if len(right) == 1 else 's'} checked right"
    comment += f", {len(wrong)} left off by more than 3x." if wrong else "."
    if not assessed:
        return DimensionScore(key="estimates", name=label, score=1, comment=NOT_REACHED, assessed=False)
    return DimensionScore(key="estimates", name=label, score=score, evidence=quotes[:MAX_QUOTES], comment=comment)


def _own_estimates_row(interview: Interview, label: str, wrong: list, reached: set[str]) -> DimensionScore:
    """For a question outside the bank: sentences that work out a rate, a size or a bandwidth, said in any phase."""
    figured = [s for s in _sentences(interview) if any(q.kind in _ESTIMATE_KINDS for q in parse_quantities(s))]
    if not figured and not wrong and "estimates" not in reached:
        return DimensionScore(key="estimates", name=label, score=1, comment=NOT_REACHED, assessed=False)
    score = max(1, _score_for_statements(len(figured)) - len(wrong))
    comment = f"{len(figured)} statement{'' if len(figured) == 1 else 's'} working out traffic or storage"
    comment += f", {len(wrong)} left off by their own arithmetic." if wrong else "."
    return DimensionScore(key="estimates", name=label, score=score, evidence=figured[:MAX_QUOTES], comment=comment)


_ESTIMATE_KINDS = ("rate", "bytes", "byte_rate")


def _score_for_statements(count: int) -> int:
    """1 for none, 2 for one, 3 for two or three, 4 for more."""
    return 1 if not count else 2 if count == 1 else 3 if count <= 3 else 4


def _sentences(interview: Interview) -> list[str]:
    turns = [message.content for message in interview.candidate_messages() if has_substance(message.content)]
    return [sentence for turn in turns for sentence in split_sentences(turn)]


def _trade_offs_row(interview: Interview, label: str) -> DimensionScore:
    """Statements weighing options, and how the design bent to a requirement change: one point up or down."""
    weighed = [s for s in _sentences(interview) if _weighs_options(s)]
    score = _score_for_statements(len(weighed))
    comment = f"{len(weighed)} statement{'' if len(weighed) == 1 else 's'} weighing one option against another."
    evidence = weighed[:MAX_QUOTES]
    for change in _answered_changes(interview):
        if change.adapted:
            score, comment = min(4, score + 1), f"{comment} Adapted the design to the requirement change."
            evidence = [change.quote, *[quote for quote in evidence if quote != change.quote]][:MAX_QUOTES]
        else:
            score, comment = max(1, score - 1), f"{comment} {change.note}"
    return DimensionScore(key="trade_offs", name=label, score=score, evidence=evidence, comment=comment)


def _weighs_options(sentence: str) -> bool:
    """A statement that names what is weighed: "There's a trade-off." or a question about one names nothing."""
    if sentence.endswith("?") or not _TRADE_OFF.search(sentence):
        return False
    return len(re.findall(r"[\w']+", _TRADE_OFF.sub(" ", sentence))) >= MIN_WEIGHING_WORDS


def _answered_changes(interview: Interview) -> list[RequirementChange]:
    """Requirement changes the candidate has answered at least once (one asked at the very end is not held against
    them)."""
    turns = len(interview.candidate_messages())
    return [change for change in interview.notes.changes if change.adapted or turns > change.turn]


def _communication_row(interview: Interview, label: str) -> DimensionScore:
    turns = [m.content for m in interview.candidate_messages()]
    clear = [t for t in turns if has_substance(t)]
    share = len(clear) / len(turns) if turns else 0.0
    mean_words = sum(len(t.split()) for t in clear) / len(clear) if clear else 0.0
    score = 4 if share >= 0.9 and mean_words >= 25 else 3 if share >= 0.75 else 2 if share >= 0.5 else 1
    comment = f"{len(clear)} of {len(turns)} answers had technical substance, {mean_words:.0f} words on average."
    evidence = [_first_sentence(t) for t in sorted(clear, key=len, reverse=True)[:1]]
    return DimensionScore(key="communication", name=label, score=score, evidence=evidence, comment=comment)


def _first_sentence(text: str) -> str:
    """The turn's first sentence that says something: "OK." or "Sure." before it is no evidence."""
    found = split_sentences(text)
    return next((sentence for sentence in found if len(sentence.split()) >= MIN_EVIDENCE_WORDS), text.strip())


MIN_EVIDENCE_WORDS = 4


def _asked(quote: str) -> bool:
    return quote.rstrip().endswith("?")


def _strengths(covered: list[CoveredItem], notes: InterviewerNotes) -> list[str]:
    quoted: set[str] = set()
    strengths = []
    credited: set[str] = set()
    for check in notes.estimates:
        if check.ok and check.quote not in quoted and check.quantity not in credited:  # one quote per estimate
            quoted.add(check.quote)
            credited.add(check.quantity)
            strengths.append(f"Right estimate of {check.quantity}: “{check.quote}”")
    items = [c for c in covered if c.phase != "estimates" and c.quote not in quoted]
    # A question only asked about an item: said as asked, after the items the candidate stated.
    strengths += [f"{c.item}: “{c.quote}”" for c in items if not _asked(c.quote)]
    strengths += [f"{c.item}: asked “{c.quote}”" for c in items if _asked(c.quote)]
    strengths = [f"Adapted to the requirement change: “{c.quote}”" for c in notes.changes if c.adapted] + strengths
    strengths += [f"Fixed when challenged: “{m.fix_quote}”" for m in notes.mistakes if _prompted_fix(m) and m.fix_quote]
    return strengths[:MAX_STRENGTHS]


def _gaps(interview: Interview, covered: list[CoveredItem], notes: InterviewerNotes, reached: set[str]) -> list[str]:
    """Every mistake left unfixed, then those fixed only once challenged (a real debrief names them too), then the
    most important checklist items never covered."""
    gaps = [m.note for m in notes.open_mistakes()] + [c.note for c in _answered_changes(interview) if not c.adapted]
    gaps += [f"{m.note.rstrip('.')} ({FIXED_ONCE_CHALLENGED})." for m in notes.mistakes if _prompted_fix(m)]
    done = {c.item for c in covered}
    missing = [
        f"Not covered: {item}."
        for phase in PHASE_KEYS
        if phase in reached
        for item in _items(interview, phase)
        if item not in done
    ]
    return gaps + missing[:MAX_UNCOVERED_GAPS]
