"""Per-turn latency of a 16-answer interview on the embedded model, against a cold evaluation of the final prompt.

    python -m bench.prompt_cache

The eval's url-shortener strong script, then its weak one, go through the page's own engine operations. Each
reply records its prompt size, the prompt tokens llama.cpp had to evaluate (the rest it reused from its cache),
and the time to the model's first token and to the first text shown. The final prompt is then evaluated cold.
Prints a Markdown section for BENCHMARKS.md; a measurement, never a pass/fail test.
"""

from __future__ import annotations

import statistics
import time

from interview import bank, engine
from interview.eval.scenarios import load_scenarios
from interview.providers.base import StreamInfo
from interview.providers.embedded import EmbeddedProvider, chatml_prompt

SEED = 7
BEFORE_AND_AFTER = """\
The prompt layout of #14 is what makes this possible: the stable instructions come first and never change, the
conversation follows, and for the embedded model nothing comes after it (code asks the question), so llama.cpp
reuses everything up to the new turn. Before this layout, the same 16-answer interview took 0.9–28.6 s to the model's
first token (median about 7 s; issue #14). Not measured yet: the time to the first visible word in Chromium, and raw
llama.cpp evaluating the same number of new tokens."""
TAIL_FROM = 5  # answers 5–16 are compared: the early turns have little to reuse


class TimedProvider(EmbeddedProvider):
    """The embedded provider, noting when its first token arrives."""

    first_token_at: float | None = None

    def stream(self, messages: list[dict], info: StreamInfo):
        self.first_token_at = None
        for chunk in super().stream(messages, info):
            if self.first_token_at is None:
                self.first_token_at = time.perf_counter()
            yield chunk


def run() -> tuple[list[dict], float, int]:
    provider = TimedProvider(seed=SEED)
    provider.llm().reset()
    scripts = {s.kind: s for s in load_scenarios() if s.problem_id == "url-shortener"}
    answers = [turn.text for kind in ("strong", "weak") for turn in scripts[kind].turns]
    problem = bank.find_problem("url-shortener")
    store = engine.NullStore()
    interview = engine.start_interview(problem.title, store, problem_id=problem.id)
    rows = []
    for number, text in enumerate([None, *answers]):
        if text is not None:
            engine.answer(interview, text, store)
        provider.first_token_at = None
        started = time.perf_counter()
        shown_at = None
        with engine.reply(interview, provider, store) as turn:
            for chunk in turn.chunks():
                if shown_at is None and chunk.strip():
                    shown_at = time.perf_counter()
        usage = turn.info.usage or {}
        model_first = provider.first_token_at
        rows.append(
            {
                "answer": number,
                "move": turn.move.kind if turn.move else "",
                "prompt": usage.get("prompt_tokens", 0),
                "evaluated": usage.get("prompt_tokens_evaluated", 0),
                "model_first_s": (model_first - started) if model_first else None,
                "first_shown_s": (shown_at - started) if shown_at else None,
            }
        )
    llm = provider.llm()
    final = chatml_prompt(turn.messages)
    llm.reset()
    started = time.perf_counter()
    llm.create_completion(final, max_tokens=1, temperature=0.0)
    cold = time.perf_counter() - started
    return rows, cold, len(llm.tokenize(final.encode(), add_bos=False, special=True))


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def tail_p90(rows: list[dict]) -> float:
    """The 90th percentile of the time to the first text shown, over answers TAIL_FROM to the end."""
    tail = [row["first_shown_s"] for row in rows if row["answer"] >= TAIL_FROM and row["first_shown_s"] is not None]
    return statistics.quantiles(tail, n=10)[-1] if len(tail) >= 2 else (tail[0] if tail else 0.0)


def report(rows: list[dict], cold: float, final_tokens: int) -> str:
    lines = [
        "| answer | move | prompt tokens | evaluated | to model's first token (s) | to first text shown (s) |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['answer']} | {row['move']} | {row['prompt']} | {row['evaluated']} | "
            f"{_seconds(row['model_first_s'])} | {_seconds(row['first_shown_s'])} |"
        )
    p90 = tail_p90(rows)
    called = [row for row in rows if row["prompt"]]
    lines += [
        "",
        f"- Cold evaluation of the final prompt ({final_tokens} tokens): {cold:.2f} s.",
        f"- 90th percentile of time to the first text shown, answers {TAIL_FROM}–16: {p90:.2f} s, "
        f"{p90 / cold:.2f}x the cold cost (target ≤ 0.25x).",
        f"- Replies that called the model: {len(called)} of {len(rows)}; the rest were written in code. Tokens "
        f"evaluated per model call: median {statistics.median(r['evaluated'] for r in called) if called else 0:.0f} "
        f"of a median {statistics.median(r['prompt'] for r in called) if called else 0:.0f}-token prompt.",
    ]
    return "\n".join(lines) + "\n\n" + BEFORE_AND_AFTER


def main() -> None:
    rows, cold, final_tokens = run()
    print("## Per-turn latency on the embedded model (python -m bench.prompt_cache)\n")
    print(report(rows, cold, final_tokens))


if __name__ == "__main__":
    main()
