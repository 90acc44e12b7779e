"""Rerun cost of the History and Progress pages for a heavy user: 50, 300 and 1,000 saved, scored interviews.

    python -m bench.history_rerun            # prints a Markdown section for BENCHMARKS.md
    python -m bench.history_rerun --quick    # 50 interviews only

Each interview has a 20-message transcript, a scorecard and raised mistakes, stored through the store's import (one
transaction per interview). The page is opened once, then rerun without input (what every click or keystroke
there costs). "Script ms" is the script's own time (median over the reruns; see `bench.rerun.script_timer`);
"first run ms" includes reading the score records, which reruns read again only when an interview changed.
A measurement, never a pass/fail test.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass

from bench.common import ROOT, median, table
from bench.rerun import CANDIDATE, script_timer

BEFORE_AND_AFTER = """\
Before #18 History took 0.3 s per rerun at 50 interviews and 1.3–1.9 s at 300 (issue #18): it loaded every
interview to build three downloads each. Now it reads one page of 20 summaries and builds a download only when its
button is clicked; Progress reads scores and raised mistakes (no transcripts) once, and on a rerun only checks the
interview count and latest activity. Progress's first run at 50 includes importing pandas and Altair for the chart."""
SIZES = (50, 300, 1000)
TARGET_MS = 150.0
PAGES = (("History", "app_pages/history.py"), ("Progress", "app_pages/progress.py"))
HEADERS = ("interviews", "page", "first run ms", "rerun script ms", "rerun script CPU ms", "target ≤ 150 ms")


@dataclass
class PageResult:
    interviews: int
    page: str
    first_ms: float
    script_ms: float
    script_cpu_ms: float


def seed(store, count: int) -> None:
    """`count` scored interviews over the bank's problems, one a day, each with a 20-message transcript."""
    from interview.core.notes import RaisedMistake
    from interview.core.scorecard import DIMENSIONS, DimensionScore, Scorecard
    from interview.core.state import Message
    from interview.dialogue import engine
    from interview.problems import catalog
    from interview.transcripts import export

    problems = catalog.load_bank()
    pick = random.Random(7)
    start = time.time() - count * 86400.0
    for n in range(count):
        problem = problems[n % len(problems)]
        interview = engine.start_interview(problem.title, engine.NullStore(), problem_id=problem.id)
        for turn in range(19):
            role = "user" if turn % 2 == 0 else "assistant"
            interview.add(Message(role, CANDIDATE.format(n=turn), interview.phase))
        for message in interview.messages:
            message.created_at = start + n * 86400.0
        interview.created_at = interview.updated_at = start + n * 86400.0
        interview.scorecard = Scorecard(
            dimensions=[
                DimensionScore(name=name, key=key, score=pick.randint(1, 4), evidence=[f"Said {key} at turn {n}"])
                for key, name in DIMENSIONS
            ],
            source="model",
        )
        interview.notes.mistakes = [
            RaisedMistake(key="no-monitoring", phase="deep_dive", quote="", question="", note="No monitoring")
        ] * pick.randint(0, 1)
        engine.import_interview(export.to_json(interview), store)


def measure(count: int, reruns: int) -> list[PageResult]:
    from streamlit.testing.v1 import AppTest

    from bench.common import app_environment, wait_for_page
    from interview.store import SQLiteStore
    from tests.fake_llm_server import FakeLLMServer

    wait_for_page()
    results = []
    with FakeLLMServer() as server, app_environment(server.base_url) as tmp:
        with SQLiteStore(tmp / "interviews.db") as store:
            seed(store, count)
        for name, script in PAGES:
            at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
            at.run()
            with script_timer() as times:
                at.switch_page(script)
                at.run()
                for _ in range(reruns):
                    at.run()
            if at.exception:
                raise RuntimeError(f"the {name} page failed: {at.exception[0].message}")
            rerun_times = times[1:]
            results.append(
                PageResult(
                    count,
                    name,
                    times[0][0] * 1e3,
                    median([t[0] for t in rerun_times]) * 1e3,
                    median([t[1] for t in rerun_times]) * 1e3,
                )
            )
    return results


def rows(results: list[PageResult]) -> list[list[str]]:
    return [
        [
            r.interviews,
            r.page,
            f"{r.first_ms:.0f}",
            f"{r.script_ms:.0f}",
            f"{r.script_cpu_ms:.0f}",
            "✅ met" if r.script_ms <= TARGET_MS else "❌ missed",
        ]
        for r in results
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 interviews and 3 reruns")
    args = parser.parse_args()
    sizes, reruns = ((50,), 3) if args.quick else (SIZES, 10)
    results = [result for size in sizes for result in measure(size, reruns)]
    print("## History and Progress rerun time (python -m bench.history_rerun)\n")
    print(table(HEADERS, rows(results)) + "\n\n" + BEFORE_AND_AFTER)


if __name__ == "__main__":
    main()
