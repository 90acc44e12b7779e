"""Turning down a pitfall's remedy in the first person commits the pitfall, unless the remedy was already given."""

from __future__ import annotations

from interview.problems.catalog import find_problem
from interview.problems.declined_fix import turned_down_remedy
from interview.problems.detect import clearing_sentence
from interview.problems.load import generic_pitfalls
from interview.problems.terms import alternatives


def _pitfall(problem_id: str, pitfall_id: str):
    return next(p for p in find_problem(problem_id).pitfalls if p.id == pitfall_id)


def test_turning_down_the_remedy_commits_the_pitfall() -> None:
    said = "Submissions run straight on the judge hosts. I'd skip containers and seccomp, they add start-up time."
    quote = turned_down_remedy(_pitfall("online-judge", "unsandboxed-execution"), said, said)
    assert quote == "I'd skip containers and seccomp, they add start-up time."


def test_not_bothering_to_do_the_remedy_commits_the_pitfall() -> None:
    said = "I wouldn't bother filtering out people the user has already swiped on; the pool is large."
    quote = turned_down_remedy(_pitfall("dating-matching", "reshows-swiped-profiles"), said, said)
    assert quote == said


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


def _refused(problem_id: str, pitfall_id: str, said: str) -> str | None:
    return turned_down_remedy(_pitfall(problem_id, pitfall_id), said, said)


def test_a_design_that_goes_without_the_remedy_commits_the_pitfall() -> None:
    said = "The client draws what the snapshot says. No client-side prediction, and no rewinding on the server either."
    assert _refused("multiplayer-game-backend", "no-lag-handling", said) is not None
    assert _refused("online-judge", "unsandboxed-execution", "Skip containers -> start-up cost adds up.") is not None


def test_saying_what_goes_wrong_without_the_remedy_is_no_decision() -> None:
    said = "No client-side prediction means every input waits a round trip, so the client predicts its own moves."
    assert _refused("multiplayer-game-backend", "no-lag-handling", said) is None


def test_a_remedy_that_is_itself_an_absence_is_not_turned_down_by_saying_it() -> None:
    said = "Each run gets a fresh container, no network, seccomp and a read-only root."
    assert _refused("online-judge", "unsandboxed-execution", said) is None


def test_a_question_about_the_remedy_answered_no_commits_the_pitfall() -> None:
    said = "Do click events need their own IDs or a dedup step? Hmm, I don't think so: a click is just an increment."
    assert _refused("ad-click-aggregation", "no-click-dedup", said) == said
    asked = "Do click events need their own IDs? Yes: the redirect stamps each click, and Flink drops repeats."
    assert _refused("ad-click-aggregation", "no-click-dedup", asked) is None


def test_a_remedy_weighed_and_set_aside_commits_the_pitfall_unless_the_turn_comes_back_to_it() -> None:
    kept = "I did think about erasure coding, but I'd keep plain replication: any replica can serve a read."
    assert _refused("object-storage", "triple-replicate-everything", kept) is not None
    both = "I considered erasure coding everywhere, but small objects stay replicated and large ones are erasure coded."
    assert _refused("object-storage", "triple-replicate-everything", both) is None


def test_a_remedy_turned_down_is_no_fix_of_the_challenge_it_answers() -> None:
    pitfall = _pitfall("online-judge", "unsandboxed-execution")
    assert clearing_sentence(pitfall, "Skip containers -> start-up cost x 100 tests adds up.") == ""
    assert clearing_sentence(pitfall, "Each run goes into a gVisor container with no network.") != ""


def test_a_failure_the_design_must_not_have_is_a_requirement_not_a_remedy_gone_without() -> None:
    said = "Orders and payments need strong correctness: no lost orders, no double charges."
    assert _refused("food-delivery", "no-order-idempotency", said) is None
    assert _refused("ad-click-aggregation", "no-click-dedup", "I care about no double counting of clicks.") is None


def test_a_question_about_turning_the_remedy_down_decides_nothing_by_itself() -> None:
    said = "Should we skip the dedup step? No: every click carries an ID and Flink drops repeats."
    assert _refused("ad-click-aggregation", "no-click-dedup", said) is None
