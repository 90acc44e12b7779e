"""`python -m interview.eval --heldout-sentences` and `--heldout`: the held-out figures of issue #25."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interview.core.phases import PHASE_KEYS
from interview.eval import curveball_check, heldout_data, heldout_report, heldout_sentences, report, runner
from interview.eval.heldout_checks import score_interview
from interview.eval.heldout_run import run_interview


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The held-out options of the eval's command line."""
    group = parser.add_argument_group("held-out set (issue #25; measure only, never tune on it)")
    group.add_argument("--heldout-sentences", action="store_true", help="pitfall detection on the held-out sentences")
    group.add_argument("--heldout", action="store_true", help="run the held-out interview scripts through the engine")
    group.add_argument(
        "--curveballs", action="store_true", help="every requirement change, answered by held-out candidates"
    )
    group.add_argument("--heldout-dir", type=Path, default=heldout_data.HELDOUT_DIR, help="held-out data folder")
    group.add_argument("--heldout-ids", help="comma-separated held-out interview ids (default: all)")
    group.add_argument(
        "--sentence-phase", default=heldout_sentences.SENTENCE_PHASE, help="phase each sentence is said in"
    )


def _default_path(kind: str) -> Path:
    return Path("eval-results") / f"{kind}-{datetime.now():%Y%m%d-%H%M%S}.json"


def _save(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str), encoding="utf-8")


def _sentence_report(args: argparse.Namespace) -> dict[str, Any]:
    if args.sentence_phase not in PHASE_KEYS:
        raise ValueError(f"unknown phase {args.sentence_phase!r}; choose from {', '.join(PHASE_KEYS)}")
    pitfalls = heldout_data.load_sentences(args.heldout_dir)
    found = heldout_sentences.sentence_report(pitfalls, args.sentence_phase)
    found["not_covered"] = heldout_data.uncovered_pitfalls(pitfalls)
    return found


def run_sentences(args: argparse.Namespace, out=None) -> dict[str, Any]:
    """Print the per-pitfall table of the held-out sentences and save it as JSON."""
    out = out or sys.stdout
    found = _sentence_report(args)
    data = {"meta": {"date": datetime.now(UTC).isoformat(timespec="seconds"), "phase": found["phase"]}, **found}
    print(f"== Held-out sentences (each a fresh turn in phase {found['phase']!r})", file=out)
    print(heldout_sentences.sentence_table(found), file=out)
    if found["not_covered"]:
        print(f"\npitfalls with no held-out sentences: {', '.join(found['not_covered'])}", file=out)
    path = args.out or _default_path("heldout-sentences")
    _save(path, data)
    print(f"\nresults saved to {path}", file=out)
    data["path"] = str(path)
    return data


def _chosen(args: argparse.Namespace) -> list[heldout_data.HeldOutInterview]:
    scripts = heldout_data.load_interviews(args.heldout_dir / heldout_data.INTERVIEWS_FILE)
    wanted = [part.strip() for part in (args.heldout_ids or "").split(",") if part.strip()]
    unknown = sorted(set(wanted) - {s.id for s in scripts})
    if unknown:
        raise ValueError(f"unknown held-out interview {unknown[0]!r}; choose from {', '.join(s.id for s in scripts)}")
    return [s for s in scripts if not wanted or s.id in wanted]


def _assemble(meta: dict, results: list[dict[str, Any]], sentence_totals: dict[str, Any], complete: bool) -> dict:
    near = sentence_totals["all"]
    near_misses = [near["near_miss_any_pushback"], near["near_misses"]]
    return {
        "meta": {**meta, "complete": complete},
        "heldout_summary": heldout_report.heldout_summary(results, near_misses),
        "summary": runner.summarize(results, {}),  # the existing per-reply and feedback figures
        "sentence_totals": sentence_totals,
        "interviews": results,
    }


def _print_summary(data: dict[str, Any], out) -> None:
    print(report.summary_table(data["summary"]), end="\n\n", file=out)
    print(heldout_report.summary_tables(data["heldout_summary"]), file=out)


def run_interviews(args: argparse.Namespace, make_provider, out=None) -> dict[str, Any]:
    """Run the held-out scripts on the chosen provider, print the tables, save and return the results."""
    out = out or sys.stdout
    say = (lambda _text: None) if args.quiet else (lambda text: print(text, file=sys.stderr, flush=True))
    scripts = _chosen(args)
    sentences = _sentence_report(args)
    provider = make_provider(args.provider, args.model, args.seed)
    path = args.out or _default_path("heldout")
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "provider": provider.name,
        "model": provider.model,
        "seed": args.seed,
        "minutes_per_turn": args.minutes_per_turn,
        "feedback": not args.no_feedback,
        "interviews_planned": [s.id for s in scripts],
    }
    started = time.monotonic()
    say(f"running {len(scripts)} held-out interviews on {provider.label()}")
    results: list[dict[str, Any]] = []
    interrupted = False
    for script in scripts:
        try:
            result = run_interview(
                script, provider, minutes_per_turn=args.minutes_per_turn, feedback=not args.no_feedback, progress=say
            )
        except KeyboardInterrupt:  # keep what finished
            interrupted = True
            say(f"interrupted during {script.id}; reporting the {len(results)} finished interviews")
            break
        results.append(result)
        print(report.scenario_table(result), file=out)
        print(heldout_report.interview_notes(result), end="\n\n", file=out, flush=True)
        meta["elapsed_seconds"] = round(time.monotonic() - started, 1)
        _save(path, _assemble(meta, results, sentences["totals"], complete=False))
    data = _assemble(meta, results, sentences["totals"], complete=not interrupted)
    _save(path, data)
    _print_summary(data, out)
    print(f"\nresults saved to {path}", file=out)
    data["path"] = str(path)
    return data


def rescore_interviews(args: argparse.Namespace, out=None) -> dict[str, Any]:
    """Re-run every check on a saved held-out run, without any model, and print the tables again."""
    out = out or sys.stdout
    data = json.loads(args.rescore.read_text(encoding="utf-8"))
    results = data["interviews"]
    for result in results:
        runner.score_replies(result["replies"], result.get("problem_id") or "")
        score_interview(result)
    meta = {**data.get("meta", {}), "rescored": datetime.now(UTC).isoformat(timespec="seconds")}
    totals = data.get("sentence_totals") or _sentence_report(args)["totals"]  # the figures saved with the run
    data = _assemble(meta, results, totals, complete=meta.get("complete", True))
    _print_summary(data, out)
    path = args.out or args.rescore
    _save(path, data)
    print(f"\nresults saved to {path}", file=out)
    return data


def run_curveballs(args: argparse.Namespace, out=None) -> dict[str, Any]:
    """Print the requirement-change check's figures and failures, and save them as JSON."""
    out = out or sys.stdout
    answers = curveball_check.load_answers(args.heldout_dir)
    found = curveball_check.run_all(answers, [p.strip() for p in (args.problems or "").split(",") if p.strip()])
    data = {"meta": {"date": datetime.now(UTC).isoformat(timespec="seconds"), "moves": "made in code"}, **found}
    print("== Requirement changes (held-out answers; moves made in code)", file=out)
    for name, figure in found["summary"].items():
        print(f"{name}: {figure}", file=out)
    for row in found["rows"]:
        wrong = row["introduced"] != 1 or not row["allowed"] or not row["labelled"]
        wrong = wrong or (row["kind"] == "adapts" and not row.get("credited"))
        wrong = wrong or (row["kind"] == "ignores" and (row.get("adapted") or not row.get("gap_named")))
        if wrong:
            print(f"  {row['problem']}/{row['curveball']} {row['kind']}: {row['answer'][:90]}", file=out)
    path = args.out or _default_path("curveballs")
    _save(path, data)
    print(f"\nresults saved to {path}", file=out)
    return data
