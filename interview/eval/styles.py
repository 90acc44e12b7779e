"""The style comparison (`python -m interview.eval --styles`): the same scripts under each interviewer style.

By default the moves are made in code (`CodeMovesProvider`: the small-model policy with an empty reaction, so every
reply is exactly the move code chose), which needs no model and measures what the styles decide. Per style it reports
how the moves differ, and per script it checks that the scores are the same whatever the style: the card comes from
the notes, and no style's move changes them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interview.core.state import STYLE_NAMES, STYLES
from interview.core.steering import SMALL_MODEL
from interview.dialogue import style as style_moves
from interview.eval import report, runner
from interview.eval.scenarios import load_scenarios, select
from interview.providers.base import Provider, StreamInfo

PUSHBACK_KINDS = ("challenge", "quantify", "alternative")  # moves that question what the candidate said
REPLY_CHECKS = ("praise_openers", "answer_leaks", "parroting", "over_word_limit", "reasks")  # the eval's checks
COUNTED_KINDS = ("challenge", "quantify", "alternative", "follow_up", "hint_offer", "redirect", "probe", "advance")


class CodeMovesProvider(Provider):
    """The small-model policy with no reaction of its own: every reply is the move written in code."""

    name = "code moves"
    model = "none"
    policy = SMALL_MODEL

    def stream(self, messages: list[dict], info: StreamInfo) -> Iterator[str]:
        info.finish_reason = "stop"
        yield ""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--styles",
        action="store_true",
        help="run the scripts under each interviewer style (moves made in code unless --provider is given)",
    )


def style_figures(results: list[dict[str, Any]]) -> dict[str, Any]:
    """One style's moves over its scripts: counts per kind, challenges per turn, praise, phase moves by time."""
    moves = [move for result in results for move in result["notes"]["moves"] if move["kind"] != "open"]
    turns = sum(len(result["replies"]) - 1 for result in results)
    kinds = Counter(move["kind"] for move in moves)
    pushback = sum(kinds[kind] for kind in PUSHBACK_KINDS)
    by_time = sum(1 for r in results for change in r.get("phase_history", []) if change.get("reason") == "time")
    checked = runner.reply_summary([reply for result in results for reply in result["replies"]])
    return {
        "candidate_turns": turns,
        "challenges_per_turn": round(pushback / turns, 3) if turns else None,
        **{kind: kinds[kind] for kind in COUNTED_KINDS},
        "praise": sum(1 for move in moves if move["lead"].startswith(style_moves.PRAISE)),
        "after_thin_answers": f"{kinds['follow_up']} follow-ups, {kinds['hint_offer']} hints offered",
        "hints_charged": sum(((r.get("feedback") or {}).get("card") or {}).get("hints_used", 0) for r in results),
        "phase_moves_by_time": by_time,
        **{key: checked[key] for key in REPLY_CHECKS},
    }


def _scores(result: dict[str, Any]) -> dict[str, Any] | None:
    card = (result.get("feedback") or {}).get("card")
    if not card:
        return None
    return {"overall": card.get("overall"), **{row["key"]: row.get("score") for row in card.get("dimensions", [])}}


def score_equality(by_style: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Per script: are the card's scores the same under every style? Lists the scripts where they are not."""
    names = [f"{r['problem']}/{r['candidate']}" for r in next(iter(by_style.values()))]
    differ = []
    for index, name in enumerate(names):
        scores = {style: _scores(results[index]) for style, results in by_style.items()}
        if len({json.dumps(s, sort_keys=True) for s in scores.values()}) > 1:
            differ.append({"script": name, "scores": scores})
    return {"equal": f"{len(names) - len(differ)}/{len(names)}", "differ": differ}


SUMMARY_ROWS = (
    ("candidate_turns", "Candidate turns"),
    ("challenges_per_turn", "Challenges per turn (challenge, quantify, alternative)"),
    ("challenge", "Challenges of a mistake"),
    ("quantify", "Numbers asked for a vague claim"),
    ("alternative", "Rejected alternative asked for"),
    ("follow_up", "Follow-ups (after a thin answer)"),
    ("hint_offer", "Hints offered (after thin answers)"),
    ("hints_charged", "Hints charged to the score"),
    ("praise", "Specific praise (a covered item, quoted)"),
    ("redirect", "Redirects"),
    ("probe", "Probes"),
    ("advance", "Phase moves announced"),
    ("phase_moves_by_time", "Phase moves by time"),
    ("praise_openers", "Replies opening with praise (stock-praise check)"),
    ("answer_leaks", "Checklist items spelled out (answer-leak check)"),
    ("parroting", "Parroting (≥6 copied words)"),
    ("over_word_limit", "Replies over the word limit"),
    ("reasks", "Re-asks of covered ground"),
)


def summary_table(figures: dict[str, dict[str, Any]], equality: dict[str, Any]) -> str:
    styles = list(figures)
    rows = [[title, *[figures[s].get(key) for s in styles]] for key, title in SUMMARY_ROWS]
    lines = ["== Styles", report.table(["metric", *[STYLE_NAMES[s] for s in styles]], rows)]
    lines.append(f"\nscores equal across styles: {equality['equal']} scripts")
    for found in equality["differ"]:
        lines.append(f"  DIFFER {found['script']}: {json.dumps(found['scores'], sort_keys=True)}")
    return "\n".join(lines)


def run_styles(args: argparse.Namespace, make_provider, out=None) -> dict[str, Any]:
    """Every selected script under each style; prints the comparison, saves and returns the results."""
    out = out or sys.stdout
    say = (lambda _text: None) if args.quiet else (lambda text: print(text, file=sys.stderr, flush=True))
    chosen = select(load_scenarios(args.scenarios), _split(args.problems), _split(args.candidates))
    provider = make_provider(args.provider, args.model, args.seed) if args.provider else CodeMovesProvider()
    by_style: dict[str, list[dict[str, Any]]] = {}
    for style in STYLES:
        say(f"style {style}: {len(chosen)} scripts on {provider.label()}")
        by_style[style] = [
            runner.run_scenario(
                scenario,
                provider,
                max_turns=args.max_turns,
                minutes_per_turn=args.minutes_per_turn,
                feedback=not args.no_feedback,
                style=style,
            )
            for scenario in chosen
        ]
    figures = {style: style_figures(results) for style, results in by_style.items()}
    equality = score_equality(by_style)
    print(summary_table(figures, equality), file=out)
    data = {
        "meta": {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "provider": provider.name,
            "model": provider.model,
            "minutes_per_turn": args.minutes_per_turn,
            "max_turns": args.max_turns,
            "scenarios": [s.name for s in chosen],
        },
        "figures": figures,
        "scores_equal": equality,
        "scenarios": {style: [_brief(r) for r in results] for style, results in by_style.items()},
    }
    path = args.out or Path("eval-results") / f"{datetime.now():%Y%m%d-%H%M%S}-styles.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    print(f"\nresults saved to {path}", file=out)
    data["path"] = str(path)
    return data


def _brief(result: dict[str, Any]) -> dict[str, Any]:
    """What the comparison needs of a run: each reply's move and text, the scores, the phase history."""
    replies = [
        {"turn": r["turn"], "phase": r["phase"], "candidate": r["candidate"], "text": r["text"], "move": r["move"]}
        for r in result["replies"]
    ]
    return {
        "problem": result["problem"],
        "candidate": result["candidate"],
        "replies": replies,
        "scores": _scores(result),
        "phase_history": result.get("phase_history", []),
    }


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]
