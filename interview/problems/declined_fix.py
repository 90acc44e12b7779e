"""A candidate who turns down a pitfall's remedy in the first person commits the pitfall: "I'd skip containers"."""

from __future__ import annotations

import functools
import re

from interview.problems.load import Pitfall
from interview.problems.terms import Pattern, alternatives, any_in, any_mentioned, compile_pattern, sentences

# First-person words that turn something down, up to the thing turned down; a terse "Skip X ->" counts too.
_REFUSES = re.compile(
    r"\b(?:i|we)(?:'d|'ll|'m| would| will| am)?\s+(?:(?:deliberately|intentionally|explicitly|also|just|rather)\s+)?"
    r"(?:skip|avoid|leave out|leave (?:[\w'-]+ ){1,4}out|keep (?:[\w'-]+ ){1,4}out|turn off|switch off|disable|forgo|omit"
    r"|not (?:use|add|build|run|bother with|do|want|need|put)|(?:not|never) \w+ing"
    r"|don't (?:use|add|want|need|see|put|do|run|keep|include|bother with))\b"
    r"|\b(?:i|we) wouldn't (?:bother with|use|add|put|run|include)\b"
    r"|\b(?:i|we)(?:'d| would)?(?: not|n't| won't| wouldn't| don't) bother \w+ing\b"  # "I wouldn't bother filtering"
    r"|\brather than (?:adding|using|building|running|doing|keeping|paying for)\b"
    r"|(?:^|[;:]\s*|->\s*)(?:skip|no need for)\b",
    re.IGNORECASE,
)
# "no X" opening a clause: the design goes without X ("No client-side prediction, and no rewinding either")
_GOES_WITHOUT = re.compile(r"(?:^|[,;:(—–]\s*|->\s*|\band\s+|\bso\s+)no\s+(?!need\b|more\b|longer\b)", re.IGNORECASE)
# What follows a "no X" that says what goes wrong without it, so the candidate explains rather than decides
_WITHOUT_IT = re.compile(
    r"\b(?:means|would|leads? to|causes?|makes|lets|is how|breaks|fails)\b|\band (?:one|every|a|the) \w+ (?:can|will)\b",
    re.IGNORECASE,
)
# "no double charges", "no lost clicks": a failure the design must not have, said as a requirement
_A_FAILURE = re.compile(
    r"\b(?:doubl\w*|duplicat\w*|lost|loss|losing|miss\w*|drop\w*|stale|downtime|oversell\w*|overbook\w*|errors?"
    r"|single point|outages?|corrupt\w*|leak\w*|race\w*|conflicts?)\b",
    re.IGNORECASE,
)
# Weighing the remedy and keeping something else: "I did think about erasure coding, but I'd keep replication"
_CONSIDERED = re.compile(
    r"\b(?:i|we)(?: did| also| briefly)? (?:thought about|think about|considered|looked at|weighed)\s+", re.IGNORECASE
)
_SKIPPING = re.compile(r"\b(?:skipping|dropping|not|no|without|removing|leaving)\b", re.IGNORECASE)
_BUT = re.compile(r"\bbut\b", re.IGNORECASE)
# A question to themselves about the remedy, answered no: "Do clicks need IDs or a dedup step? Hmm, I don't think so"
_ANSWERED_NO = re.compile(
    r"^\W*(?:(?:hmm+|well|honestly|nah|so)\W+)*(?:no\b|nope\b|nah\b|not really|i don't think so|don't think so"
    r"|probably not|i wouldn't|i would not|i'd say no|not (?:needed|necessary|worth)|i'd skip|i'd not)",
    re.IGNORECASE,
)
_NEGATIVE_REMEDY = re.compile(r"(?:no|non|not|never|without|zero)\b")
# Where the thing turned down ends: a reason or a new clause.
_OBJECT_END = re.compile(
    r"[,:;.!?]|\s[—–-]\s|->|\s(?:because|since|so|as|which|that|it|they|and|but|then|while)\s", re.IGNORECASE
)


def turned_down_remedy(pitfall: Pitfall, turn_text: str, transcript: str) -> str | None:
    """The sentence in which the candidate turns down the pitfall's remedy, unless an earlier turn gave it (this
    turn's reasons name it again: "I'd skip containers. Container start-up adds 300 ms")."""
    remedies = () if pitfall.generic else _remedies(pitfall)  # generic remedies ("logs") are often just out of scope
    if not remedies:
        return None
    earlier = transcript.replace(turn_text, " ")
    for quote, objects in _turned_down_in(turn_text):
        refused = _refused_in(objects, remedies)
        if refused and not any_in(refused, earlier):
            return quote
    return None


@functools.lru_cache(maxsize=64)  # every pitfall of the problem reads the same turn
def _turned_down_in(turn_text: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """For each sentence that turns something down: its quote (a question with its answer), and what it turns down."""
    said = [sentence.text for sentence in sentences(turn_text)]
    found = []
    for index, sentence in enumerate(said):
        objects = tuple(_turned_down_objects(sentence, said[index + 1 :]))
        if objects:
            found.append((f"{sentence} {said[index + 1]}" if sentence.rstrip().endswith("?") else sentence, objects))
    return tuple(found)


def _refused_in(objects: tuple[tuple[str, str], ...], remedies: tuple[Pattern, ...]) -> list[Pattern]:
    """The remedies a sentence turns down, or goes without, or asks about and then answers no."""
    for named, rest in objects:
        refused = [remedy for remedy in remedies if any_mentioned([remedy], named)]
        if rest and (any_in(remedies, rest) or _SKIPPING.search(named)):
            continue  # weighed and set aside, unless the turn comes back to a remedy: "…, but cold data is erasure coded"
        if refused:
            return refused
    return []


def _turned_down_objects(sentence: str, after: list[str]) -> list[tuple[str, str]]:
    """The words for what the sentence turns down, each up to where its object ends, and for an option weighed and
    set aside, the rest of the turn ("" otherwise)."""
    if sentence.rstrip().endswith("?"):  # "Do we need dedup? No." turns it down; "Should we skip dedup? No." keeps it
        asks_for_it = not (_REFUSES.search(sentence) or _SKIPPING.search(sentence))
        return [(sentence, "")] if asks_for_it and after and _ANSWERED_NO.match(after[0]) else []
    objects = [(_object_after(sentence, found.end(), found.start()), "") for found in _REFUSES.finditer(sentence)]
    for without in _GOES_WITHOUT.finditer(sentence):
        named = _object_after(sentence, without.end(), without.start())
        if not (_WITHOUT_IT.search(named) or _A_FAILURE.search(named)):
            objects.append((named, ""))
    for weighed in _CONSIDERED.finditer(sentence):
        kept_other = _BUT.search(sentence, weighed.end())
        if kept_other:
            objects.append(
                (sentence[weighed.end() : kept_other.start()], " ".join([sentence[kept_other.end() :], *after]))
            )
    return objects


def _object_after(sentence: str, start: int, refusal_start: int) -> str:
    end = _OBJECT_END.search(sentence, start)
    return sentence[refusal_start : end.start() if end else len(sentence)]


@functools.cache
def _remedies(pitfall: Pitfall) -> tuple[Pattern, ...]:
    """Each word or phrase that clears the pitfall, as its own pattern."""
    sources = [p.source for signal in pitfall.signals for p in (*signal.cleared_by, *signal.missing)]
    found = [alt.strip() for source in sources for alt in alternatives(source)]
    # a remedy that is itself an absence ("no network") cannot be turned down by saying "no"
    return tuple(dict.fromkeys(compile_pattern(alt) for alt in found if not _NEGATIVE_REMEDY.match(alt)))
