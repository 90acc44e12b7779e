"""Which bank problem a typed question asks for: aliases, keywords and title words, with a confidence threshold.

This module must not import `interview.problems.catalog` (the bank's `match_problem` imports it); callers pass the titles.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from interview.problems import schema
from interview.problems.terms import Pattern, compile_pattern, find, sentences, words

ALIAS_POINTS = 3  # one alias ("bit.ly", "url shortener") is enough on its own
KEYWORD_POINTS = 1  # each distinct keyword or distinctive title word
THRESHOLD = 2  # below this the question matches nothing
_TITLE_STOP_WORDS = frozenset({"design", "a", "an", "the", "like", "or", "and", "for", "of", "system", "service"})


@dataclass(frozen=True)
class MatchTerms:
    aliases: tuple[Pattern, ...]
    keywords: tuple[Pattern, ...]
    related: tuple[Pattern, ...] = ()  # products and asks near this problem but not it: offered, never matched


@dataclass(frozen=True)
class Match:
    problem_id: str
    score: int
    evidence: tuple[str, ...]  # the aliases and keywords that matched, to show why


def parse_match_terms(raw: Any, where: str) -> MatchTerms:
    table = schema.check_table(raw, f"{where}: [match]", "match")
    return MatchTerms(
        aliases=schema.patterns(table, "aliases", f"{where}: [match]", minimum=2),
        keywords=schema.patterns(table, "keywords", f"{where}: [match]", minimum=2),
        related=schema.patterns(table, "related", f"{where}: [match]"),
    )


@functools.cache
def match_terms() -> dict[str, MatchTerms]:
    """The [match] table of every problem file, by problem id."""
    return {
        pid: parse_match_terms(data.get("match"), str(path)) for pid, (path, data) in schema.problem_files().items()
    }


def _title_words(titles: Mapping[str, str]) -> dict[str, tuple[Pattern, ...]]:
    """Per problem, the title words that appear in no other title (so "system" or "distributed" don't count)."""
    per_title = {pid: set(words(title)) - _TITLE_STOP_WORDS for pid, title in titles.items()}
    result = {}
    for pid, own in per_title.items():
        others = set().union(*(w for other, w in per_title.items() if other != pid))
        result[pid] = tuple(compile_pattern(word) for word in sorted(own - others))
    return result


def rank(text: str, titles: Mapping[str, str] | None = None) -> list[Match]:
    """Every problem with a non-zero score for the question, best first."""
    found = sentences(text)
    title_words = _title_words(titles or {})
    ranked = []
    for pid, terms in match_terms().items():
        score, evidence, seen = 0, [], set()  # seen: word positions already counted, so a word scores once
        for alias in terms.aliases:
            spans = [(number, find(alias, sentence)) for number, sentence in enumerate(found)]
            spans = [(number, span) for number, span in spans if span]
            if spans:
                score += ALIAS_POINTS
                evidence.append(alias.source)
                seen.update((number, i) for number, (start, end) in spans for i in range(start, end))
        for keyword in terms.keywords + title_words.get(pid, ()):
            for number, sentence in enumerate(found):
                span = find(keyword, sentence)
                if span and (number, span[0]) not in seen:
                    seen.add((number, span[0]))
                    score += KEYWORD_POINTS
                    evidence.append(keyword.source)
                    break
        if score:
            ranked.append(Match(pid, score, tuple(evidence)))
    return sorted(ranked, key=lambda match: -match.score)


def related(text: str) -> list[str]:
    """The problems a question names a near neighbour of ("Design Spotify": video streaming), in bank order."""
    found = sentences(text)
    return [
        pid
        for pid, terms in match_terms().items()
        if any(find(term, sentence) for term in terms.related for sentence in found)
    ]


def match_question(text: str, titles: Mapping[str, str] | None = None) -> Match | None:
    """The best-scoring problem when it clears the threshold and beats the runner-up; otherwise None."""
    ranked = rank(text, titles)
    if not ranked or ranked[0].score < THRESHOLD:
        return None
    if len(ranked) > 1 and ranked[1].score == ranked[0].score:
        return None  # a tie is a guess, and a wrong problem is worse than none
    return ranked[0]
