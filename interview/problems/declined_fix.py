"""A candidate who turns down a pitfall's remedy in the first person commits the pitfall: "I'd skip containers"."""

from __future__ import annotations

import functools
import re

from interview.problems.load import Pitfall
from interview.problems.terms import Pattern, alternatives, any_in, any_mentioned, compile_pattern, sentences

# First-person words that turn something down, up to the thing turned down.
_REFUSES = re.compile(
    r"\b(?:i|we)(?:'d|'ll|'m| would| will| am)?\s+(?:(?:deliberately|intentionally|explicitly|also|just|rather)\s+)?"
    r"(?:skip|avoid|leave out|leave (?:[\w'-]+ ){1,4}out|keep (?:[\w'-]+ ){1,4}out|turn off|switch off|disable|forgo|omit"
    r"|not (?:use|add|build|run|bother with|do|want|need)|(?:not|never) \w+ing|don't (?:use|add|want|need|see))\b"
    r"|\brather than (?:adding|using|building|running|doing|keeping|paying for)\b",
    re.IGNORECASE,
)
# Where the thing turned down ends: a reason or a new clause.
_OBJECT_END = re.compile(
    r"[,:;.!?]|\s[—–-]\s|\s(?:because|since|so|as|which|that|it|they|and|but|then|while)\s", re.IGNORECASE
)


def turned_down_remedy(pitfall: Pitfall, turn_text: str, transcript: str) -> str | None:
    """The sentence in which the candidate turns down the pitfall's remedy, unless an earlier turn gave it (this
    turn's reasons name it again: "I'd skip containers. Container start-up adds 300 ms")."""
    remedies = () if pitfall.generic else _remedies(pitfall)  # generic remedies ("logs") are often just out of scope
    if not remedies:
        return None
    earlier = transcript.replace(turn_text, " ")
    for sentence in sentences(turn_text):
        for refusal in _REFUSES.finditer(sentence.text):
            end = _OBJECT_END.search(sentence.text, refusal.end())
            named = sentence.text[refusal.start() : end.start() if end else len(sentence.text)]
            refused = [remedy for remedy in remedies if any_mentioned([remedy], named)]
            if refused and not any_in(refused, earlier):
                return sentence.text
    return None


@functools.cache
def _remedies(pitfall: Pitfall) -> tuple[Pattern, ...]:
    """Each word or phrase that clears the pitfall, as its own pattern."""
    sources = [p.source for signal in pitfall.signals for p in (*signal.cleared_by, *signal.missing)]
    return tuple(dict.fromkeys(compile_pattern(alt.strip()) for source in sources for alt in alternatives(source)))
