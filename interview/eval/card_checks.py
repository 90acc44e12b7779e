"""Fixed checks on a scorecard: it parses, its evidence is quoted verbatim, and it orders the candidates right."""

from __future__ import annotations

import re
import statistics

from interview.core.scorecard import Scorecard
from interview.eval.checks import Result

_CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _normalize(text: str) -> str:
    return " ".join(text.translate(_CURLY).split()).casefold()


def _quote_fragments(quote: str) -> list[str]:
    """A quote's parts, split at ellipses (the usual way to shorten a quote), outer punctuation removed."""
    parts = re.split(r"\.\.\.|…", _normalize(quote))
    return [part.strip(" \"'`.,;:!?") for part in parts if part.strip(" \"'`.,;:!?")]


def scorecard_parses(card: Scorecard | None) -> Result:
    """A structured scorecard with scored dimensions, not the prose fallback."""
    if card is None:
        return False, "no scorecard"
    if card.is_prose:
        return False, f"prose fallback: {card.note or 'unparsed'}"
    if not card.dimensions:
        return False, "no dimensions"
    bad = [d.key or "?" for d in card.dimensions if not isinstance(d.score, int)]
    if bad:
        return False, f"dimensions without an integer score: {', '.join(bad)}"
    return True, f"{len(card.dimensions)} dimensions"


def evidence_verbatim(card: Scorecard, transcript: str) -> Result | None:
    """Every quoted evidence string appears in the transcript; None when the card quotes nothing."""
    # Case, whitespace, curly quotes and outer punctuation are folded; a quote shortened with "…" passes when each
    # part appears, since that is how people shorten quotes.
    haystack = _normalize(transcript)
    quotes = [q for d in card.dimensions for q in d.evidence if _quote_fragments(q)]
    if not quotes:
        return None
    missing = [q for q in quotes if not all(part in haystack for part in _quote_fragments(q))]
    if missing:
        return False, f"{len(missing)}/{len(quotes)} quotes not in the transcript, e.g. '{missing[0][:80]}'"
    return True, f"{len(quotes)} quotes found"


def lowest_scores(card: Scorecard) -> Result:
    """Every dimension scored 1 (for silent and gibberish candidates)."""
    scores = {d.key or "?": d.score for d in card.dimensions}
    if not scores:
        return False, "no dimensions"
    above = {key: score for key, score in scores.items() if score != 1}
    if above:
        return False, "scored above 1: " + ", ".join(f"{k}={v}" for k, v in above.items())
    return True, f"all {len(scores)} dimensions scored 1"


def assessed_dimensions(card: Scorecard) -> int:
    """How many dimensions the model actually scored, rather than leaving them to be filled in as not assessed."""
    return sum(1 for d in card.dimensions if d.assessed)


def mean_score(card: Scorecard) -> float | None:
    scores = [d.score for d in card.dimensions if isinstance(d.score, int)]
    return statistics.fmean(scores) if scores else None


def strong_above_weak(strong_card: Scorecard, weak_card: Scorecard) -> Result:
    """The strong candidate's mean score is above the weak candidate's for the same problem."""
    strong, weak = mean_score(strong_card), mean_score(weak_card)
    if strong is None or weak is None:
        return False, "a scorecard has no scores"
    return strong > weak, f"strong {strong:.2f} vs weak {weak:.2f}"
