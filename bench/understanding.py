"""Semantic understanding (interview/understanding): cold load and the time it adds to each candidate turn.

Run with `python -m bench.understanding [--problem chat-system] [--turns 60] [--cv]`. It measures the path the
interviewer takes (`interview.problems.meaning.understand`: the pitfall head and the item similarities). Cold load is
measured in a fresh interpreter: import, verify the two model files' sha256, open the ONNX session, encode the
problem's anchors and train its pitfall head. Per turn: new candidate turns (the problem's own phrasings, joined in
twos and threes so turns have several sentences). Prints a Markdown section for BENCHMARKS.md; a measurement, never
a pass/fail test. `--cv` adds the 5-fold cross-validated precision and recall of the nearest-phrasing classifier on
the problem files' phrasings (several minutes).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

from bench.common import ROOT

TARGET_P90_MS = 150.0

COLD = """
import json, sys, time
start = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from interview.problems import meaning
from interview.problems.catalog import find_problem
imported = time.perf_counter()
problem = find_problem(sys.argv[2])
meaning._encoder().encode(["warm"])
loaded = time.perf_counter()
meaning.prepare(problem)
prepared = time.perf_counter()
head = meaning._pitfall_classifier(problem)
print(json.dumps({"import": imported - start, "model": loaded - imported, "anchors": prepared - loaded,
                  "anchor_count": sum(len(a.positives) + len(a.negatives) for a in head.labels) + len(head.none),
                  "labels": len(head.labels)}))
"""


def cold_load(problem: str) -> dict:
    command = [sys.executable, "-c", COLD, str(ROOT), problem]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def candidate_turns(problem, count: int) -> list[str]:
    """Several-sentence turns built from the problem's own phrasings (mistakes, near misses and covered items)."""
    sentences = [s for p in problem.pitfalls for s in (*p.phrasings(), *p.correct_neighbours())]
    sentences += [s for entries in problem.evidence.values() for e in entries for s in e.examples]
    # Reworded ("So, ..."), so no sentence is one the encoder has already seen as a training phrasing.
    sentences = [f"So, {s[0].lower()}{s[1:]}" for s in sentences if len(s.split()) > 4]
    turns, index, size = [], 0, 2
    while len(turns) < count and sentences:
        turns.append(" ".join(sentences[(index + k * 7) % len(sentences)] for k in range(size)))
        index, size = index + 1, 5 - size  # alternate two and three sentences
    return turns


def per_turn(problem_id: str, count: int) -> dict:
    from interview.core.phases import PHASE_KEYS
    from interview.problems import meaning
    from interview.problems.catalog import find_problem
    from interview.problems.detect import covered_items

    problem = find_problem(problem_id)
    meaning.prepare(problem)
    times, cpu, found, checklist = [], [], 0, []
    for turn in candidate_turns(problem, count):
        start, start_cpu = time.perf_counter(), time.process_time()
        found += len(meaning.understand(problem, turn))
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        start = time.perf_counter()  # every phase's items, as a turn's notes and phase move read them
        for phase in PHASE_KEYS:
            covered_items(problem, phase, turn)
        checklist.append((time.perf_counter() - start) * 1000)
    quantiles, cpu_quantiles = statistics.quantiles(times, n=10), statistics.quantiles(cpu, n=10)
    return {
        "checklist_p50": statistics.median(checklist),
        "checklist_p90": statistics.quantiles(checklist, n=10)[8],
        "turns": len(times),
        "p50": statistics.median(times),
        "p90": quantiles[8],
        "max": max(times),
        "cpu_p50": statistics.median(cpu),
        "cpu_p90": cpu_quantiles[8],
        "found": found,
    }


def report(problem: str, cold: dict, turn: dict, load: str) -> str:
    met = "met" if turn["p90"] <= TARGET_P90_MS else "missed"
    cold_total = cold["import"] + cold["model"] + cold["anchors"]
    return "\n".join(
        [
            "## Semantic understanding: added time per turn (python -m bench.understanding)",
            "",
            f"all-MiniLM-L6-v2 int8 ONNX on onnxruntime (1 thread), problem `{problem}`: {cold['labels']} pitfalls, "
            f"{cold['anchor_count']} training phrasings (the problem's and the generic ones). Load average {load}.",
            "",
            "| Measure | Result | Target |",
            "|---|---|---|",
            f"| Cold load: import | {cold['import'] * 1000:.0f} ms | |",
            f"| Cold load: verify sha256 and open the model | {cold['model'] * 1000:.0f} ms | |",
            f"| Cold load: encode the phrasings and train the head (once per problem) | {cold['anchors'] * 1000:.0f} ms | |",
            f"| Cold load, total | {cold_total:.1f} s | |",
            f"| Per turn, p50 ({turn['turns']} turns of 2-3 sentences) | {turn['p50']:.1f} ms | |",
            f"| Per turn, p90 | {turn['p90']:.1f} ms | ≤ {TARGET_P90_MS:.0f} ms ({met}) |",
            f"| Per turn, slowest | {turn['max']:.1f} ms | |",
            f"| Per turn, CPU time p50 / p90 (what contention does not inflate) | {turn['cpu_p50']:.1f} / "
            f"{turn['cpu_p90']:.1f} ms | |",
            f"| Per turn, checklist coverage of all phases (terms, then their meaning check), p50 / p90 | "
            f"{turn['checklist_p50']:.1f} / {turn['checklist_p90']:.1f} ms | |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problem", default="chat-system")
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--cv", action="store_true", help="also cross-validate on the tuning data")
    args = parser.parse_args()
    try:
        load = " / ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        load = "unknown"
    print(report(args.problem, cold_load(args.problem), per_turn(args.problem, args.turns), load))
    if args.cv:
        print("\n" + cross_validated())


def cross_validated() -> str:
    from interview.problems.meaning import anchor_set
    from interview.understanding.encoder import MemoEncoder, MiniLmEncoder
    from interview.understanding.evaluate import cross_validate, format_report

    anchors = anchor_set()
    report_, fitted = cross_validate(anchors, MemoEncoder(MiniLmEncoder()))
    folds = "; ".join(
        f"{kind}: {t.min_similarity}/{t.min_margin}/{t.min_probability}" for f in fitted for kind, t in f.items()
    )
    return format_report(report_, "Cross-validated on the tuning data (5 folds)") + f"\n\nThresholds per fold: {folds}"


if __name__ == "__main__":
    main()
