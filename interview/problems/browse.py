"""Finding a bank problem: the bank by category, a search over titles, categories and aliases, and the problems
close to a typed question that matches none."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from interview.problems import catalog
from interview.problems.catalog import Listing
from interview.problems.load import Problem
from interview.problems.match import rank, related
from interview.problems.terms import words

MAX_CLOSE = 2  # problems offered for one typed question
MIN_CLOSE_SCORE = 1  # one keyword or distinctive title word in common is enough to offer a problem
_DESIGN_PREFIX = re.compile(r"^design\s+(?:(?:a|an|the)\s+)?", re.IGNORECASE)
# Words any question may hold: a match on these alone says nothing about which problem is near.
_GENERIC_EVIDENCE = frozenset({"app", "app*", "apps", "application*", "platform*", "service*", "site*", "system*"})


def by_category(problems: list[Listing]) -> list[tuple[str, list[Listing]]]:
    """The problems grouped by category, categories in the order they first appear (the bank's order)."""
    groups: dict[str, list[Listing]] = {}
    for problem in problems:
        groups.setdefault(problem.category, []).append(problem)
    return list(groups.items())


def label(problem: Listing | Problem, found_as: str = "") -> str:
    """How the picker names a problem: its title without "Design a" first, since a narrow sidebar cuts the end, then
    its category and difficulty: "URL shortener · Web services, easy"; with the name a search found it by, when the
    rest does not show why: "Payment system (“google pay”) · Payments, hard"."""
    found = f" (“{found_as}”)" if found_as else ""
    return f"{short_title(problem.title)}{found} · {problem.category}, {problem.difficulty}"


def short_title(title: str) -> str:
    """The title without its leading "Design a", "Design an" or "Design the"; as it is when it has none."""
    short = _DESIGN_PREFIX.sub("", title, count=1)
    return short[:1].upper() + short[1:] if short else title


@functools.cache
def _shown_words(problem: Listing) -> frozenset[str]:
    """The words of what its label shows: title, category and difficulty."""
    return frozenset(word for source in (problem.title, problem.category, problem.difficulty) for word in words(source))


@functools.cache
def _search_words(problem: Listing) -> frozenset[str]:
    return _shown_words(problem) | {word for alias in problem.aliases for word in words(alias)}


def _holds(source_words: Iterable[str], part: str) -> bool:
    return any(word.startswith(part) for word in source_words)


def found_as(problem: Listing, query: str) -> str:
    """The alias a search found the problem by, when its label does not show why ("google pay" for the payment
    system on "google"); "" when the title, category or difficulty already hold the query."""
    unshown = [part for part in words(query) if not _holds(_shown_words(problem), part)]
    for alias in problem.aliases if unshown else ():
        if any(_holds(words(alias), part) for part in unshown):
            return alias.replace("*", "").strip()
    return ""


def search(problems: list[Listing], query: str) -> list[Listing]:
    """The problems whose title, category, difficulty or aliases hold every word of the query (as a word or a word's
    start): "storage hard" finds the hard storage problems."""
    wanted = words(query)
    if not wanted:
        return list(problems)
    return [problem for problem in problems if all(_holds(_search_words(problem), part) for part in wanted)]


@functools.lru_cache(maxsize=64)  # the page asks on every rerun of an unmatched interview
def close_problems(question: str) -> tuple[Problem, ...]:
    """Bank problems near a typed question that matches none of them: at most two, from the match's partial scores."""
    if catalog.match_problem(question) is not None:
        return ()
    titles = {problem.id: problem.title for problem in catalog.load_bank()}
    near = [
        found.problem_id
        for found in rank(question, titles)
        if found.score >= MIN_CLOSE_SCORE and not set(found.evidence) <= _GENERIC_EVIDENCE
    ]
    chosen = list(dict.fromkeys([*related(question), *near]))[:MAX_CLOSE]  # a named neighbour says more than a word
    return tuple(problem for problem in (catalog.find_problem(pid) for pid in chosen) if problem)
