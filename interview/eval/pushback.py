"""Checks on how the interviewer handles planted mistakes: challenged at once, named in feedback, no stock templates."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from interview.core.scorecard import Scorecard
from interview.eval.checks import Result, words

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


def scenario_pushback(result: dict[str, Any]) -> dict[str, Any]:
    """Per scenario: each planted mistake challenged in the next reply and named in the gaps; false pushback; templates."""
    replies = result["replies"]
    card_data = (result.get("feedback") or {}).get("card")
    card = Scorecard.from_dict(card_data) if card_data else None
    planted = []
    for reply in replies:
        if not reply.get("mistake"):
            continue
        terms = tuple(reply.get("challenge_terms") or ())
        outcome = challenged(reply["text"], terms) if reply["complete"] else (False, "the reply did not finish")
        named = gaps_name(card, terms) if card is not None and not card.is_prose else None
        planted.append(
            {"mistake": reply["mistake"], "challenged": list(outcome), "named": list(named) if named else None}
        )
    false_pushback = []
    if result["candidate"] == "strong":
        false_pushback = [r["candidate"] for r in replies if (r.get("move") or {}).get("kind") == "challenge"]
    return {
        "planted": planted,
        "false_pushback": false_pushback,
        "templates": list(no_template_overuse([r["text"] for r in replies if r["complete"]])),
    }


def pushback_summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The run's pushback figures: challenged and named shares, false pushback, template overuse, score order."""
    planted = [p for result in results for p in (result.get("pushback") or {}).get("planted", [])]
    challenged_count = sum(1 for p in planted if p["challenged"][0])
    named = [p for p in planted if p["named"] is not None]
    named_count = sum(1 for p in named if p["named"][0])
    summary: dict[str, Any] = {}
    if planted:
        summary["mistakes_challenged"] = (
            f"{challenged_count}/{len(planted)} ({100 * challenged_count / len(planted):.0f}%)"
        )
    if named:
        summary["mistakes_named_in_gaps"] = f"{named_count}/{len(named)} ({100 * named_count / len(named):.0f}%)"
    summary["false_pushback"] = sum(len((r.get("pushback") or {}).get("false_pushback", [])) for r in results)
    overused = [r for r in results if not (r.get("pushback") or {}).get("templates", [True])[0]]
    summary["interviews_with_an_overused_template"] = f"{len(overused)}/{len(results)}"
    means: dict[str, dict[str, float]] = {}
    for result in results:
        mean = (result.get("feedback") or {}).get("mean")
        if mean is not None:
            means.setdefault(result["problem"], {})[result["candidate"]] = mean
    for higher, lower in (("strong", "weak"), ("weak", "gibberish"), ("strong", "flawed")):
        outcomes = [
            ordered_scores(by_kind.get(higher), by_kind.get(lower), f"{problem}: {higher} > {lower}")
            for problem, by_kind in means.items()
        ]
        applicable = [o for o in outcomes if o is not None]
        if applicable:
            summary[f"{higher}_above_{lower}"] = f"{sum(1 for o in applicable if o[0])}/{len(applicable)}"
            summary[f"{higher}_above_{lower}_detail"] = [o[1] for o in applicable]
    return summary
