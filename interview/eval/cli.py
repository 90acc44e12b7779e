"""Command line for the scripted-candidate eval: pick a provider, run scenarios, print tables, save JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interview.eval import (
    checks,
    estimate_turns,
    heldout_cli,
    rebuttals_check,
    report,
    runner,
    scripts_check,
    styles,
)
from interview.eval.judge import QUESTIONS, judge_interview
from interview.eval.scenarios import CANDIDATE_KINDS, load_scenarios, select
from interview.providers.base import Provider
from interview.providers.config import PRESETS, ConfigError, choose_provider, load_dotenv_file, settings_for
from interview.providers.factory import make_provider

DEFAULT_SEED = 7  # a fixed sampling seed (where the provider takes one) makes before/after runs comparable
QUICK_MAX_TURNS = 4  # reaches every script's scale question


def limits() -> dict[str, float]:
    """The check thresholds, recorded with every result so runs can be compared fairly."""
    return {
        "max_words": checks.MAX_WORDS,
        "max_block_lines": checks.MAX_BLOCK_LINES,
        "max_list_items": checks.MAX_LIST_ITEMS,
        "max_new_components": checks.MAX_NEW_COMPONENTS,
        "parrot_run": checks.PARROT_RUN,
        "prompt_echo_run": checks.PROMPT_ECHO_RUN,
        "answer_leak_share": checks.ANSWER_LEAK_SHARE,
        "reask_earlier": checks.REASK_EARLIER,
        "self_repeat": checks.SELF_REPEAT,
    }


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m interview.eval",
        description="Run scripted candidates through the interviewer and score every reply with fixed checks.",
    )
    parser.add_argument("--provider", help="provider preset (default: the app's own choice, as on the page)")
    parser.add_argument("--model", default="", help="model name (default: the provider's default)")
    parser.add_argument("--problems", help="comma-separated bank ids (default: every problem in scenarios.toml)")
    parser.add_argument("--candidates", help=f"comma-separated candidate kinds from {', '.join(CANDIDATE_KINDS)}")
    parser.add_argument("--max-turns", type=int, help="candidate turns per scenario (default: the whole script)")
    parser.add_argument(
        "--quick", action="store_true", help=f"first problem only and {QUICK_MAX_TURNS} turns, unless overridden"
    )
    parser.add_argument("--no-feedback", action="store_true", help="skip the scorecard and its checks")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="sampling seed for providers that take one")
    parser.add_argument("--minutes-per-turn", type=float, default=runner.MINUTES_PER_TURN, help="simulated pace")
    parser.add_argument("--scenarios", type=Path, help="scenario file (default: the packaged scenarios.toml)")
    parser.add_argument("--out", type=Path, help="JSON results file (default: eval-results/<timestamp>.json)")
    parser.add_argument("--judge-provider", help="optional judge model's provider preset")
    parser.add_argument("--judge-model", default="", help="judge model name")
    parser.add_argument("--quiet", action="store_true", help="no per-reply progress on stderr")
    parser.add_argument("--rescore", type=Path, help="re-run the checks on a saved results file; no model is called")
    heldout_cli.add_arguments(parser)
    styles.add_arguments(parser)
    scripts_check.add_arguments(parser)
    estimate_turns.add_arguments(parser)
    rebuttals_check.add_arguments(parser)
    return parser


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def make_eval_provider(name: str | None, model: str, seed: int | None) -> Provider:
    """The provider the page would build for these settings, with the eval's seed where supported."""
    settings = settings_for(name or choose_provider(), model=model)
    provider = make_provider(settings)
    if seed is not None and hasattr(provider, "seed"):
        provider.seed = seed
    return provider


def make_judge(name: str | None, model: str, say) -> Provider | None:
    """The judge provider, or None (with a note) when none was asked for or it is not configured."""
    if not name:
        return None
    try:
        settings = settings_for(name, model=model)
    except ConfigError as exc:
        say(f"judge skipped: {exc}")
        return None
    preset = PRESETS[settings.provider]
    if preset.needs_key and not settings.api_key:
        say(f"judge skipped: {name} has no API key configured")
        return None
    if preset.base_url_editable and not settings.base_url:
        say(f"judge skipped: {name} has no server address configured")
        return None
    return make_provider(settings)


def judge_summary(results: list[dict[str, Any]]) -> dict[str, str]:
    """Per question: how many interviews the judge rated good, out of those it answered."""
    summary = {}
    for key in QUESTIONS:
        verdicts = [r["judge"][key] for r in results if key in (r.get("judge") or {})]
        answered = [v for v in verdicts if v["good"] is not None]
        if verdicts:
            summary[key] = f"{sum(1 for v in answered if v['good'])}/{len(answered)}"
    return summary


def _meta(
    args: argparse.Namespace, provider: Provider, judge: Provider | None, planned: list[str], max_turns: int | None
) -> dict[str, Any]:
    """What a run was, recorded with its results so runs can be compared."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "provider": provider.name,
        "model": provider.model,
        "seed": args.seed,
        "minutes_per_turn": args.minutes_per_turn,
        "max_turns": max_turns,
        "feedback": not args.no_feedback,
        "judge": judge.label() if judge else None,
        "scenarios_planned": planned,
        "limits": limits(),
    }


def run_eval(args: argparse.Namespace, out=None) -> dict[str, Any]:
    """Run the selected scenarios, print the tables, save and return the results."""
    out = out or sys.stdout
    say = (lambda _text: None) if args.quiet else (lambda text: print(text, file=sys.stderr, flush=True))
    scenarios = load_scenarios(args.scenarios)
    problems = _split(args.problems)
    if args.quick and not problems:
        problems = [scenarios[0].problem_id]
    chosen = select(scenarios, problems, _split(args.candidates))
    max_turns = args.max_turns or (QUICK_MAX_TURNS if args.quick else None)
    provider = make_eval_provider(args.provider, args.model, args.seed)
    judge = make_judge(args.judge_provider, args.judge_model, say)
    path = args.out or Path("eval-results") / f"{datetime.now():%Y%m%d-%H%M%S}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = _meta(args, provider, judge, [s.name for s in chosen], max_turns)
    started = time.monotonic()
    say(f"running {len(chosen)} scenarios on {provider.label()}")
    results: list[dict[str, Any]] = []
    data: dict[str, Any] = {}
    interrupted = False
    for scenario in chosen:
        try:
            result = runner.run_scenario(
                scenario,
                provider,
                max_turns=max_turns,
                minutes_per_turn=args.minutes_per_turn,
                feedback=not args.no_feedback,
                progress=say,
            )
            if judge is not None:
                result["judge"] = judge_interview(judge, result)
        except KeyboardInterrupt:  # keep what finished: a long run stopped early still yields figures
            interrupted = True
            say(f"interrupted during {scenario.name}; reporting the {len(results)} finished scenarios")
            break
        results.append(result)
        print(report.scenario_table(result), end="\n\n", file=out, flush=True)
        data = _assemble(meta, results, judge is not None, time.monotonic() - started, complete=False)
        _save(path, data)  # after every scenario, so a stopped run leaves usable results
    data = _assemble(meta, results, judge is not None, time.monotonic() - started, complete=not interrupted)
    _save(path, data)
    if interrupted:
        print(f"(partial run: {len(results)} of {len(chosen)} scenarios finished)", file=out)
    print(report.summary_table(data["summary"]), file=out)
    for problem, outcome in data["strong_above_weak"].items():
        print(f"strong above weak, {problem}: {'ok' if outcome[0] else 'FAIL'} ({outcome[1]})", file=out)
    print(f"\nresults saved to {path}", file=out)
    data["path"] = str(path)
    return data


def rescore_file(args: argparse.Namespace, out=None) -> dict[str, Any]:
    """Re-run every check on a saved results file and print the tables again."""
    out = out or sys.stdout
    data = json.loads(args.rescore.read_text(encoding="utf-8"))
    results = data["scenarios"]
    scenarios = load_scenarios()
    for result in results:
        runner.attach_mistakes(result, scenarios)
        runner.rescore(result)
        print(report.scenario_table(result), end="\n\n", file=out)
    meta = {**(data.get("meta") or {}), "limits": limits(), "rescored": datetime.now(UTC).isoformat(timespec="seconds")}
    judged = any(result.get("judge") for result in results)
    data = _assemble(meta, results, judged, meta.get("elapsed_seconds") or 0.0, complete=meta.get("complete", True))
    print(report.summary_table(data["summary"]), file=out)
    for problem, outcome in data["strong_above_weak"].items():
        print(f"strong above weak, {problem}: {'ok' if outcome[0] else 'FAIL'} ({outcome[1]})", file=out)
    path = args.out or args.rescore
    _save(path, data)
    print(f"\nresults saved to {path}", file=out)
    return data


def _assemble(meta: dict, results: list[dict[str, Any]], judged: bool, elapsed: float, complete: bool) -> dict:
    strong_weak = runner.compare_strong_weak(results)
    summary = runner.summarize(results, strong_weak)
    if judged:
        summary["judge"] = judge_summary(results)
    meta = {**meta, "elapsed_seconds": round(elapsed, 1), "complete": complete}
    return {"meta": meta, "summary": summary, "strong_above_weak": strong_weak, "scenarios": results}


def _save(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str), encoding="utf-8")


def _run(args: argparse.Namespace) -> dict[str, Any]:
    if args.styles:
        return styles.run_styles(args, make_eval_provider)
    if args.scripts:
        return scripts_check.run_scripts(args, sys.stdout)
    if args.estimate_turns:
        return estimate_turns.run_estimate_turns(args, sys.stdout)
    if args.rebuttals:
        return rebuttals_check.run_rebuttals(args, sys.stdout)
    if args.heldout_sentences:
        return heldout_cli.run_sentences(args)
    if args.curveballs:
        return heldout_cli.run_curveballs(args)
    if args.heldout:
        return (
            heldout_cli.rescore_interviews(args)
            if args.rescore
            else heldout_cli.run_interviews(args, make_eval_provider)
        )
    return rescore_file(args) if args.rescore else run_eval(args)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if os.path.exists(".env"):
        load_dotenv_file()
    try:
        _run(args)
    except (ConfigError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
