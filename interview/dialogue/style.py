"""The interviewer's style: which move comes where Standard would follow up or probe, from the policy's style fields.

Coach (`hint_after_thin`, `praise_specific`): after thin answers in a row it offers the phase's next hint, then asks
the probe; when a turn covered a checklist item it opens by naming it, with the candidate's words, now and then.
Bar raiser (`challenge_vague`, `ask_rejected`): a claim with no number ("it will be fast") is asked for one, once per
claim; a technology chosen without naming what it beat is asked for the alternative, once per choice and not every
turn. A mistake is still challenged first, since these replace only a follow-up or a probe. Standard changes nothing.

Only the move changes: the notes the scores come from are not touched, and an offered hint is not a hint used.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from interview.core.notes import CoveredItem
from interview.core.steering import SteeringPolicy
from interview.core.substance import has_substance
from interview.dialogue.hints import next_hint_text
from interview.problems.schema import check_fields, read_toml, text
from interview.problems.terms import Pattern, Sentence, as_written, compile_pattern, find, sentences, words

if TYPE_CHECKING:
    from interview.core.state import Interview
    from interview.dialogue.moves import NextMove

CUES_PATH = Path(__file__).with_name("style.toml")
KINDS = ("hint_offer", "quantify", "alternative")  # a small model gets each written in code
REPLACED = ("follow_up", "probe")  # where a style's move may come instead
# "It will be fast." has no technical word, so Standard redirects it; to a bar raiser it is a claim to put a number on.
REPLACED_BY_QUANTIFY = (*REPLACED, "redirect")
PRAISED = ("probe", "advance")  # moves a coach may open by naming what was done well
PRAISE = "Good: you covered"
PRAISE_GAP = 3  # at most one praise in this many replies, so it stays worth something
ALTERNATIVE_GAP = 3  # at most one "what did you reject" in this many replies
PRAISE_OVERLAP = 2  # words the praised quote shares with the item, so the praise names what they said
QUOTE_WORDS = 5  # a quote stays shorter than the eval's parroting run (6 words)
HINT_LEAD = "Here is a hint:"
OFFERED_TOP = "direction"  # an offered hint never lists the answer; the specific tier is asked for, and charged
QUANTIFY_KEY, ALTERNATIVE_KEY = "quantify:", "alternative:"
_NUMBER = re.compile(r"\d|\b(?:hundred|thousand|million|billion|trillion)s?\b", re.IGNORECASE)
_CLAUSE = re.compile(r"[,;:()]|\s(?:but|and|while|whereas|so)\s|(?<=[.!?])\s+")
_COMMON = frozenset("the and for with per its any all not are was you our has how but from into that this than".split())
_DANGLING = frozenset("a an the with of to and or for in on at by is are as from that =".split())
_PAUSE = re.compile(r"[,;:()]")
_LOWER_FIRST = frozenset("it its the this that these those we our they their a an everything all each so".split())


@dataclass(frozen=True)
class Claim:
    id: str
    cues: Pattern
    question: str


@dataclass(frozen=True)
class Cues:
    claims: tuple[Claim, ...]
    choice_verbs: Pattern
    compared: Pattern
    technologies: tuple[tuple[str, Pattern], ...]  # (name as written in the question, its pattern)


@functools.cache
def cues() -> Cues:
    """The bar raiser's cue lists, read and checked once."""
    data = check_fields(read_toml(CUES_PATH), str(CUES_PATH), ("claim", "choice", "technologies"))
    claims = []
    for index, raw in enumerate(data["claim"]):
        where = f"{CUES_PATH} claim {index + 1}"
        check_fields(raw, where, ("id", "cues", "question"))
        claims.append(
            Claim(text(raw, "id", where), compile_pattern(text(raw, "cues", where)), text(raw, "question", where))
        )
    choice = check_fields(data["choice"], f"{CUES_PATH} [choice]", ("verbs", "already_compared"))
    technologies = tuple((name, compile_pattern(pattern)) for name, pattern in data["technologies"].items())
    return Cues(
        tuple(claims), compile_pattern(choice["verbs"]), compile_pattern(choice["already_compared"]), technologies
    )


def restyle(
    interview: Interview,
    move: NextMove,
    new_covered: list[CoveredItem],
    policy: SteeringPolicy,
    *,
    thin: Callable[[str], bool],
    probe: Callable[[], tuple[str, str]],
) -> NextMove:
    """The move this style makes instead of `move` (on the draft `interview`, this turn noted); `move` under Standard.

    `thin` says whether a candidate turn was a thin answer; `probe` is the (item, question) Standard would probe.
    """
    turns = interview.candidate_messages()
    if not turns:
        return move
    text = turns[-1].content
    if move.kind in REPLACED_BY_QUANTIFY:
        hint = _offered_hint(interview, move, policy, thin, probe) if move.kind in REPLACED else None
        styled = hint or _bar_raiser_move(interview, move, text, policy)
        if styled is not None:
            return styled
    if move.kind in PRAISED and policy.praise_specific and new_covered and not _praised_lately(interview):
        said = "\n".join(m.content for m in turns)
        found = next((p for p in (praise(c, text, said) for c in new_covered) if p), "")
        if found:
            return dataclasses.replace(move, lead=f"{found} {move.lead}".strip())
    return move


def _offered_hint(
    interview: Interview,
    move: NextMove,
    policy: SteeringPolicy,
    thin: Callable[[str], bool],
    probe: Callable[[], tuple[str, str]],
) -> NextMove | None:
    """A coach's hint after `hint_after_thin` thin answers in a row (a hint starts the count again)."""
    if not policy.hint_after_thin or thin_run(interview, thin) < policy.hint_after_thin:
        return None
    offered = sum(1 for m in interview.notes.moves if m.kind == "hint_offer" and m.key == interview.phase)
    _, hint = next_hint_text(interview, offered, top=OFFERED_TOP)
    _, question = (move.key, move.question) if move.kind == "probe" else probe()
    return dataclasses.replace(
        move, kind="hint_offer", question=question, key=interview.phase, lead=f"{HINT_LEAD} {hint}"
    )


def thin_run(interview: Interview, thin: Callable[[str], bool]) -> int:
    """How many of the candidate's latest turns in a row were thin answers, counting back to the last hint offered."""
    hinted = {m.turn for m in interview.notes.moves if m.kind == "hint_offer"}
    turns = interview.candidate_messages()
    run = 0
    for number in range(len(turns), 0, -1):  # turn n is answered by the move recorded with turn == n
        if number in hinted or not thin(turns[number - 1].content):
            break
        run += 1
    return run


def _bar_raiser_move(interview: Interview, move: NextMove, text: str, policy: SteeringPolicy) -> NextMove | None:
    """A number asked for the turn's first claim not yet asked about, else the alternative to a fresh choice."""
    keys = {m.key for m in interview.notes.moves}
    if policy.challenge_vague:
        for claim_id, quote, question in vague_claims(text):
            if QUANTIFY_KEY + claim_id not in keys:
                said = f"You said “{quote}”."
                return dataclasses.replace(
                    move, kind="quantify", question=question, key=QUANTIFY_KEY + claim_id, lead=said, quote=quote
                )
    recent = [m.kind for m in interview.notes.moves[-(ALTERNATIVE_GAP - 1) :]]
    if policy.ask_rejected and move.kind in REPLACED and "alternative" not in recent:
        for name in chosen_technologies(text):
            if ALTERNATIVE_KEY + name.lower() not in keys:
                question = f"What did you consider instead of {name}, and why did you reject it?"
                return dataclasses.replace(
                    move, kind="alternative", question=question, key=ALTERNATIVE_KEY + name.lower(), lead="", quote=name
                )
    return None


def vague_claims(text: str) -> list[tuple[str, str, str]]:
    """(claim id, the candidate's words, question) for each claim made in a sentence that has no number."""
    found = []
    for sentence in sentences(text):
        if _NUMBER.search(sentence.text):
            continue
        for claim in cues().claims:
            span = find(claim.cues, sentence)
            if span is not None:
                found.append((claim.id, _claim_quote(sentence, span), claim.question))
    return found


def chosen_technologies(text: str) -> list[str]:
    """The technologies a sentence chooses ("I'd use Cassandra") without naming what they were chosen over."""
    known = cues()
    chosen: list[str] = []
    for sentence in sentences(text):
        if find(known.choice_verbs, sentence) is None or find(known.compared, sentence, negated_too=True) is not None:
            continue
        chosen += [name for name, pattern in known.technologies if name not in chosen and find(pattern, sentence)]
    return chosen


def praise(covered: CoveredItem, turn: str, said: str) -> str:
    """'Good: you covered <item>, with “<their words>”.': one thing done well, in specific terms. "" when the item's
    words would tell them more than they said (two or more new words) or the praise would repeat six of this turn's
    words in a row: praise that teaches the answer or parrots them is not worth giving."""
    if len(_plain_words(covered.item) - _plain_words(said)) >= 2:
        return ""
    item = covered.item[0].lower() + covered.item[1:] if covered.item[1:2].islower() else covered.item
    for quoted in _closest_words(covered.quote, covered.item):
        found = f"{PRAISE} {item.rstrip('.')}, with “{quoted}”."
        if not _repeats_run(found, turn):
            return found
    return ""


def _repeats_run(text: str, turn: str) -> bool:
    """True when `text` has `QUOTE_WORDS` + 1 words in a row from the turn (the eval's parroting run)."""
    size = QUOTE_WORDS + 1
    said, mine = words(turn), words(text)
    runs = {said[i : i + size] for i in range(len(said) - size + 1)}
    return any(mine[i : i + size] in runs for i in range(len(mine) - size + 1))


def _praised_lately(interview: Interview) -> bool:
    return any(m.lead.startswith(PRAISE) for m in interview.notes.moves[-(PRAISE_GAP - 1) :])


def _claim_quote(sentence: Sentence, span: tuple[int, int]) -> str:
    """At most `QUOTE_WORDS` of the candidate's words ending with the claim, or around it when it comes first, and
    never past a comma: "we need a fast database", "should be unique and fast"."""
    said = sentence.words[span[0] : span[1]]
    claim = as_written(sentence.text, said) or " ".join(said)
    at = sentence.text.find(claim)
    if at < 0:
        return claim
    room = max(QUOTE_WORDS - len(claim.split()), 0)
    before = _PAUSE.split(sentence.text[:at])[-1].split()[-min(room, 3) :] if room else []
    after = [w for w in _PAUSE.split(sentence.text[at + len(claim) :])[0].split() if re.search(r"\w", w)]
    quote = " ".join([*before, claim, *after[: room - len(before)]]).strip(" .,;:!?")
    if quote.split(" ", 1)[0].lower() in _LOWER_FIRST and sentence.text.startswith(quote.split(" ", 1)[0]):
        quote = quote[0].lower() + quote[1:]
    return quote


def _closest_words(quote: str, item: str) -> list[str]:
    """Runs of at most `QUOTE_WORDS` of the candidate's words, each within one clause, sharing at least
    `PRAISE_OVERLAP` words with the item, most shared first (none when the item was found by meaning, or barely)."""
    wanted = _stems(item)
    runs = []
    for clause in _CLAUSE.split(quote):
        said = clause.split()
        for first in range(max(len(said) - QUOTE_WORDS, 0) + 1):
            run = said[first : first + QUOTE_WORDS]
            while len(words(" ".join(run))) > QUOTE_WORDS:  # "one-to-one" is three words to the parroting check
                run = run[:-1]
            while run and run[-1].lower().strip(" .,;:!?=") in _DANGLING:  # "ranked by relevance with a"
                run = run[:-1]
            runs.append(" ".join(run).strip(" .,;:!?="))
    scored = [(len(wanted & _stems(run)), run) for run in dict.fromkeys(runs) if run and has_substance(run)]
    return [run for shared, run in sorted(scored, key=lambda row: -row[0]) if shared >= PRAISE_OVERLAP]


def _plain_words(text: str) -> set[str]:
    """Words of three letters or more, plurals folded and nothing else: what counts as saying a word."""
    found = {word for word in words(text) if len(word) >= 3 and word not in _COMMON}
    return {word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word for word in found}


def _stems(text: str) -> set[str]:
    """Words of four letters or more, roughly stemmed: "synced" and "sync", "devices" and "device" match."""
    return {re.sub(r"(?:ing|ed|s)$", "", word)[:5] for word in words(text) if len(word) >= 4}


def instruction(move: NextMove) -> str:
    """How a capable model is told a style's move, or "" for a move no style changed."""
    if move.kind == "hint_offer":
        return (
            f"They have given thin answers in a row. Offer this hint kindly, in your own words, without giving the "
            f"answer: {move.lead.removeprefix(HINT_LEAD).strip()} Then ask: {move.question}"
        )
    if move.kind == "quantify":
        return f"They made a claim with no number (“{move.quote}”). Ask them to put numbers on it: {move.question}"
    if move.kind == "alternative":
        return f"They chose {move.quote} without saying what they rejected. Ask, in your own words: {move.question}"
    if move.lead.startswith(PRAISE):  # "Good: you covered …, with “…”." then the move's own lead
        said, _, rest = move.lead.partition("”.")
        then = dataclasses.replace(move, lead=rest.strip()).instruction()
        return f"Begin by naming what they did well, in these terms: {said}”. Then: {then}"
    return ""
