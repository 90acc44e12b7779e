"""Turning down a pitfall's remedy in the first person commits the pitfall, unless the remedy was already given."""

from __future__ import annotations

from interview.problems.catalog import find_problem
from interview.problems.declined_fix import turned_down_remedy
from interview.problems.load import generic_pitfalls
from interview.problems.terms import alternatives


def _pitfall(problem_id: str, pitfall_id: str):
    return next(p for p in find_problem(problem_id).pitfalls if p.id == pitfall_id)


def test_turning_down_the_remedy_commits_the_pitfall() -> None:
    said = "Submissions run straight on the judge hosts. I'd skip containers and seccomp, they add start-up time."
    quote = turned_down_remedy(_pitfall("online-judge", "unsandboxed-execution"), said, said)
    assert quote == "I'd skip containers and seccomp, they add start-up time."


def test_a_remedy_given_in_an_earlier_turn_is_not_turned_down_again() -> None:
    earlier = "Every run happens in a container with a seccomp filter and no network."
    said = "I'd skip containers for the sample tests in the editor, since those run in the browser."
    assert turned_down_remedy(_pitfall("online-judge", "unsandboxed-execution"), said, f"{earlier}\n{said}") is None


def test_only_the_thing_turned_down_counts_not_what_follows_and() -> None:
    said = "For the celebrities we skip the fan-out and merge their recent posts into the feed at read time."
    assert turned_down_remedy(_pitfall("photo-sharing", "celebrity-fanout"), said, said) is None


def test_a_generic_remedy_turned_down_is_scope_not_a_mistake() -> None:
    monitoring = next(p for p in generic_pitfalls() if p.id == "no-monitoring")
    said = "I'd leave dashboards out for this discussion."
    assert turned_down_remedy(monitoring, said, said) is None


def test_alternatives_split_only_outside_parentheses() -> None:
    assert alternatives("cache*|(read|write) ~ through|cdn") == ["cache*", "(read|write) ~ through", "cdn"]
