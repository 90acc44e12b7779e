"""Starting an interview warms the understanding of its problem in the background, so the first answer does not wait."""

from __future__ import annotations

import threading

from interview.dialogue import engine
from interview.problems import meaning
from interview.problems.catalog import find_problem
from tests.helpers import new_interview


def test_the_warm_up_builds_the_problems_classifiers_before_the_first_answer() -> None:
    problem = find_problem("online-judge")
    meaning._pitfall_classifier.cache_clear()
    interview = new_interview("Design an online judge like LeetCode")
    assert interview.problem == problem and meaning.enabled()
    thread = meaning.prepare_in_background(problem)
    assert thread is not None
    thread.join(timeout=120)
    built = meaning._pitfall_classifier.cache_info()
    assert not thread.is_alive() and built.currsize >= 1
    meaning.understand(problem, "Each submission runs straight on the API server that received it.")
    assert meaning._pitfall_classifier.cache_info().misses == built.misses, "the first answer built nothing"


def test_warm_up_is_a_no_op_when_understanding_is_switched_off(monkeypatch) -> None:
    monkeypatch.setenv(meaning.SWITCH, "off")
    assert meaning.prepare_in_background(find_problem("online-judge")) is None
    engine.warm_up(new_interview("Design an online judge like LeetCode"))  # starts nothing, raises nothing


def test_the_warm_up_is_never_a_daemon_even_when_started_from_one() -> None:
    """A page's script runs in a daemon thread; a daemon warm-up would be killed mid-build at exit (an abort)."""
    started = []
    page = threading.Thread(
        target=lambda: started.append(meaning.prepare_in_background(find_problem("cdn"))), daemon=True
    )
    page.start()
    page.join()
    assert started and started[0] is not None and not started[0].daemon
    started[0].join(timeout=120)
