"""Loading the question bank cold: a fresh Python process reads, parses and validates every problem file.

    python -m bench.bank_load            # prints a Markdown section for BENCHMARKS.md
    python -m bench.bank_load --quick    # 3 processes instead of 9

Each run is a new interpreter (`python -m bench.bank_load --child`), so nothing is cached in memory: it imports the
bank's modules, then `catalog.all_problems()` reads every `interview/problems/bank/*.toml`, parses the TOML and
validates each problem (fields, checklist, pitfalls, every term pattern checked against the grammar, scale inputs);
then the first typed question is matched (`match_problem`, which reads the `[match]` tables). The files are in the OS
cache after the first run, as on a server. Wall time is what a person waits; CPU time is what the load itself costs, which other jobs on
the machine barely move. Median over the runs. A measurement, never a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass

from bench.common import ROOT, clean_env, median, table

TARGET_MS = 150.0
HEADERS = ("Bank load, fresh process", "median", "fastest")


@dataclass
class LoadRun:
    problems: int
    megabytes: float
    import_ms: float  # importing interview.problems.catalog (no file is read)
    load_ms: float  # all_problems(): read, parse and validate every file
    load_cpu_ms: float
    match_ms: float  # the first match_problem() after the load


def child() -> None:
    """Run in a fresh interpreter: time the import, the load and the first match; print them as JSON."""
    start = time.perf_counter()
    from interview.problems import catalog, schema

    imported = time.perf_counter()
    cpu = time.process_time()
    problems = catalog.all_problems()
    loaded = time.perf_counter()
    load_cpu = time.process_time() - cpu
    catalog.match_problem("Design a file sync service like Dropbox")
    matched = time.perf_counter()
    size = sum(path.stat().st_size for path in schema.PROBLEMS_DIR.glob("*.toml"))
    result = LoadRun(
        len(problems),
        size / 1e6,
        (imported - start) * 1e3,
        (loaded - imported) * 1e3,
        load_cpu * 1e3,
        (matched - loaded) * 1e3,
    )
    print(json.dumps(result.__dict__))


def measure(runs: int) -> list[LoadRun]:
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-m", "bench.bank_load", "--child"],
            cwd=ROOT,
            env=clean_env(),
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        results.append(LoadRun(**json.loads(done.stdout.strip().splitlines()[-1])))
    return results


def rows(results: list[LoadRun]) -> list[list[str]]:
    def ms(values: list[float]) -> list[str]:
        return [f"{median(values):.0f} ms", f"{min(values):.0f} ms"]

    first = results[0]
    return [
        ["Problems, size of their files", f"{first.problems}, {first.megabytes:.2f} MB", ""],
        ["Import the bank's modules", *ms([r.import_ms for r in results])],
        ["Read, parse and validate the whole bank (wall)", *ms([r.load_ms for r in results])],
        ["  … CPU time", *ms([r.load_cpu_ms for r in results])],
        ["First typed question matched (reads the [match] tables)", *ms([r.match_ms for r in results])],
        ["Processes", str(len(results)), ""],
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 processes")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    results = measure(3 if args.quick else 9)
    print("## Question bank load (python -m bench.bank_load)\n")
    print(table(HEADERS, rows(results)))


if __name__ == "__main__":
    main()
