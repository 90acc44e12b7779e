"""Checks on how the interviewer handles planted mistakes: challenged at once, named in feedback, no stock templates."""

from __future__ import annotations

import re
from collections import Counter

from interview.eval.checks import Result, words
from interview.feedback.card import Scorecard

MAX_TEMPLATE_USES = 2  # one interview may reuse a sentence opening twice, not more
TEMPLATE_WORDS = 4  # a sentence's opening words that make its template
MIN_TEMPLATE_SENTENCE_WORDS = 6  # shorter sentences ("What else?") are too short to call a template

# Text inside quotes is the candidate's own words: it names nothing on the scorecard's behalf.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def mentions_any(text: str, terms: tuple[str, ...] | list[str]) -> str:
    """The first term (lowercase) that occurs in `text`, or ""."""
    lowered = text.lower()
    return next((term for term in terms if term.lower() in lowered), "")


def challenged(reply: str, terms: tuple[str, ...]) -> Result:
    """The reply asks a question and names the mistake with one of its challenge terms."""
    term = mentions_any(reply, terms)
    if "?" not in reply:
        return False, "the reply asks no question"
    if not term:
        return False, "the reply does not name the mistake"
    return True, f"names it ({term!r})"


def unquoted(text: str) -> str:
    return _QUOTED.sub(" ", text)


def gaps_name(card: Scorecard, terms: tuple[str, ...]) -> Result:
    """A gap in the feedback names the mistake in the card's own words (a quote of the candidate doesn't count)."""
    for gap in card.gaps:
        term = mentions_any(unquoted(gap), terms)
        if term:
            return True, f"named by {gap[:80]!r}"
    return False, "no gap names it"


def sentence_templates(replies: list[str]) -> Counter:
    """How often each sentence opening (its first few words) is used across one interview's replies."""
    counts: Counter = Counter()
    for reply in replies:
        for sentence in _SENTENCE.findall(reply):
            tokens = words(sentence)
            if len(tokens) >= MIN_TEMPLATE_SENTENCE_WORDS:
                counts[" ".join(tokens[:TEMPLATE_WORDS])] += 1
    return counts


def no_template_overuse(replies: list[str], limit: int = MAX_TEMPLATE_USES) -> Result:
    overused = {opening: n for opening, n in sentence_templates(replies).items() if n > limit}
    if overused:
        worst = max(overused, key=overused.get)
        return False, f"{worst!r}… used {overused[worst]} times"
    return True, "no sentence opening used more than twice"


def ordered_scores(higher: float | None, lower: float | None, names: str) -> Result | None:
    """`higher` scores strictly above `lower` (e.g. strong above weak); None when either is missing."""
    if higher is None or lower is None:
        return None
    if higher > lower:
        return True, f"{names}: {higher:.2f} > {lower:.2f}"
    return False, f"{names}: {higher:.2f} is not above {lower:.2f}"
