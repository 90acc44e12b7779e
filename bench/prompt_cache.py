"""Per-turn latency of a 16-answer interview on the embedded model, against cold and raw llama.cpp evaluation.

    python -m bench.prompt_cache              # engine, raw llama.cpp, saved states and the real page in Chromium
    python -m bench.prompt_cache --no-browser # without Chromium

The eval's url-shortener strong script, then its weak one, go through the page's own engine operations. Each
reply records its prompt size, the prompt tokens llama.cpp had to evaluate (the rest it reused from its cache),
and the time to the model's first token and to the first text shown. Then, on the same model: the final prompt
evaluated cold, raw llama.cpp (`reset()` + `eval()`) on the same number of new tokens, and a second interview
taking the model in between two turns (switching back with and without the saved state). Last, the same 16 answers
are typed into the real page (`streamlit run`, embedded provider, headless Chromium), timing each from Enter to
the reply's first word in the DOM. Prints a Markdown section for BENCHMARKS.md; a measurement, never a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from interview.dialogue import engine
from interview.eval.scenarios import load_scenarios
from interview.problems import catalog
from interview.providers import embedded
from interview.providers.base import ProviderError, StreamInfo
from interview.providers.embedded import EmbeddedProvider, chatml_prompt
from interview.providers.llama_states import BUDGET_ENV

SEED = 7
TAIL_FROM = 5  # answers 5–16 are compared: the early turns have little to reuse
FIRST_WORD_TARGET = 0.25  # p90 of time to the first visible word ÷ the cold final prompt
EVALUATED_TARGET = 1.10  # tokens evaluated ÷ (new turn + per-turn tail)
PROBLEM = "url-shortener"
PREVIOUS = """\
Previous figures (same section, commit e2a0c24, before the reaction streamed and before saved states): time to the
first text shown through the engine 0.42–2.15 s, p90 over answers 5–16 1.05 s = 0.12x a cold 8.74 s for the
1,333-token final prompt; a median 85 tokens evaluated of a median 871-token prompt. Before the prompt layout of
#14 (issue #14): 0.9–28.6 s to the model's first token, median about 7 s, and 2–11 s to the first visible words
in Chromium for early replies, since the small-model guard held whole sentences."""


class TimedProvider(EmbeddedProvider):
    """The embedded provider, noting when its first token arrives."""

    first_token_at: float | None = None

    def stream(self, messages: list[dict], info: StreamInfo):
        self.first_token_at = None
        for chunk in super().stream(messages, info):
            if self.first_token_at is None:
                self.first_token_at = time.perf_counter()
            yield chunk


def scripted_answers() -> list[str]:
    scripts = {s.kind: s for s in load_scenarios() if s.problem_id == PROBLEM}
    return [turn.text for kind in ("strong", "weak") for turn in scripts[kind].turns]


def _ids(provider: EmbeddedProvider, messages: list[dict]) -> list[int]:
    return provider.llm().tokenize(chatml_prompt(messages).encode(), add_bos=False, special=True)


def _shared(first: list[int], second: list[int]) -> int:
    count = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        count += 1
    return count


def run_engine(provider: TimedProvider) -> tuple[list[dict], list[dict]]:
    """The 16 answers through the engine: a row per reply, and the last prompt sent."""
    problem = catalog.find_problem(PROBLEM)
    store = engine.NullStore()
    interview = engine.start_interview(problem.title, store, problem_id=problem.id)
    rows, previous_ids, messages = [], None, []
    for number, text in enumerate([None, *scripted_answers()]):
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
        row = {
            "answer": number,
            "move": turn.move.kind if turn.move else "",
            "prompt": usage.get("prompt_tokens", 0),
            "evaluated": usage.get("prompt_tokens_evaluated", 0),
            "new": 0,
            "tail": 0,
            "model_first_s": (provider.first_token_at - started) if provider.first_token_at else None,
            "first_shown_s": (shown_at - started) if shown_at else None,
        }
        if row["prompt"]:
            ids = _ids(provider, turn.messages)
            tail = turn.messages[-1] if len(turn.messages) > 2 and turn.messages[-1]["role"] == "system" else None
            row["tail"] = len(_ids(provider, [tail])) - 3 if tail else 0  # the reply's opening is not the tail's
            row["new"] = len(ids) - (_shared(previous_ids, ids) if previous_ids else 0)
            previous_ids, messages = ids, turn.messages
        rows.append(row)
    return rows, messages


def cold_and_raw(provider: EmbeddedProvider, messages: list[dict], rows: list[dict]) -> tuple[float, int]:
    """The final prompt evaluated cold; and raw llama.cpp on each reply's count of new tokens, into the rows."""
    llm = provider.llm()
    final = _ids(provider, messages)
    for row in rows:
        if row["evaluated"]:
            llm.reset()
            started = time.perf_counter()
            llm.eval(final[: row["evaluated"]])
            row["raw_s"] = time.perf_counter() - started
    llm.reset()
    started = time.perf_counter()
    llm.create_completion(chatml_prompt(messages), max_tokens=1, temperature=0.0)
    return time.perf_counter() - started, len(final)


def switching(provider: TimedProvider, messages: list[dict]) -> dict:
    """Another interview takes the model between two turns of this one: switching back, with and without states."""
    other = [messages[0], {"role": "user", "content": "I would start from the read path: a cache in front of a KV."}]
    next_turn = [*messages, {"role": "assistant", "content": "Go on."}, {"role": "user", "content": "Done."}]
    results = {}
    for label, budget in (("saved", None), ("not saved", "0")):
        if budget is None:
            os.environ.pop(BUDGET_ENV, None)
        else:
            os.environ[BUDGET_ENV] = budget
        llm = provider.llm()
        states = embedded.prompt_states(llm)
        states.saved.clear()
        llm.reset()
        for turn in (messages, other, next_turn):
            if turn is next_turn:  # this interview's state, saved when the other one took the model
                state_bytes = max((state.size for state in states.saved), default=0)
                held_tokens = max((len(state.tokens) for state in states.saved), default=0)
            info = StreamInfo()
            started = time.perf_counter()
            try:
                for _ in provider.stream(turn, info):
                    break  # the first token is all this measures
            except ProviderError:
                pass
            first = (provider.first_token_at or time.perf_counter()) - started
        results[label] = {
            "evaluated": info.usage.get("prompt_tokens_evaluated", 0),
            "prompt": info.usage.get("prompt_tokens", 0),
            "first_s": first,
            "state_bytes": state_bytes,
            "held_tokens": held_tokens,
        }
    os.environ.pop(BUDGET_ENV, None)
    return results


def browser_first_words(answers: list[str]) -> tuple[list[float], float]:
    """The 16 answers typed into the real page on the embedded model: seconds from Enter to the reply's first word."""
    from playwright.sync_api import sync_playwright

    from tests.browser.support import BROWSER_ARGS, CHAT_BOX, VIEWPORT, StreamlitServer, wait_idle

    first_word_js = """(count) => {
      const all = document.querySelectorAll('[data-testid="stChatMessage"]');
      if (all.length < count) return false;
      const boxes = all[count - 1].querySelectorAll('[data-testid="stMarkdownContainer"]');
      return [...boxes].some((box) => /[A-Za-z0-9]/.test(box.innerText));
    }"""
    chromium = next(path for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(path).exists())
    started_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-prompt-cache-") as workdir:
        server = StreamlitServer("http://127.0.0.1:9", Path(workdir))
        for name in ("INTERVIEW_BASE_URL", "INTERVIEW_MODEL"):
            server.env.pop(name, None)
        server.env["INTERVIEW_PROVIDER"] = "embedded"
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=BROWSER_ARGS)
                page = browser.new_page(viewport=VIEWPORT)
                page.set_default_timeout(300_000)
                page.goto(server.url)
                wait_idle(page, 120)
                timings = []
                for text in [catalog.find_problem(PROBLEM).title, *answers]:
                    count = len(page.query_selector_all('[data-testid="stChatMessage"]'))
                    box = page.locator(CHAT_BOX)
                    box.fill(text)
                    sent = time.perf_counter()
                    box.press("Enter")
                    page.wait_for_function(first_word_js, arg=count + 2, polling=20)
                    timings.append(time.perf_counter() - sent)
                    wait_idle(page, 300)
                browser.close()
        finally:
            server.stop()
    return timings, time.perf_counter() - started_all


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else (values[0] if values else 0.0)


def tail_p90(rows: list[dict], key: str = "first_shown_s") -> float:
    """The 90th percentile of `key` over answers TAIL_FROM to the end."""
    return p90([row[key] for row in rows if row["answer"] >= TAIL_FROM and row.get(key) is not None])


def evaluated_ratio(rows: list[dict]) -> float:
    """The worst reply's tokens evaluated ÷ (new turn + per-turn tail)."""
    called = [row for row in rows if row["prompt"] and row["new"] + row["tail"]]
    return max((row["evaluated"] / (row["new"] + row["tail"]) for row in called), default=0.0)


def run(browser: bool = True) -> dict:
    provider = TimedProvider(seed=SEED)
    provider.llm().reset()
    embedded.prompt_states(provider.llm()).saved.clear()
    rows, messages = run_engine(provider)
    cold, final_tokens = cold_and_raw(provider, messages, rows)
    switch = switching(provider, messages)
    results = {"rows": rows, "cold": cold, "final_tokens": final_tokens, "switch": switch, "browser": None}
    if browser:
        try:
            timings, seconds = browser_first_words(scripted_answers())
        except Exception as exc:  # no Chromium or Playwright: the rest still stands
            results["browser_error"] = f"{type(exc).__name__}: {exc}"
        else:
            for row, seconds_to_word in zip(rows, timings, strict=False):
                row["page_first_word_s"] = seconds_to_word
            results["browser"] = {"seconds": seconds, "replies": len(timings)}
    return results


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def report(results: dict) -> str:
    rows, cold = results["rows"], results["cold"]
    lines = [
        "| answer | move | prompt tokens | evaluated | new turn + tail | to model's first token (s) | "
        "to first text from the engine (s) | to first word in Chromium (s) | raw llama.cpp, same tokens (s) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        new = f"{row['new']} + {row['tail']}" if row["prompt"] else ""
        lines.append(
            f"| {row['answer']} | {row['move']} | {row['prompt']} | {row['evaluated']} | {new} | "
            f"{_seconds(row['model_first_s'])} | {_seconds(row['first_shown_s'])} | "
            f"{_seconds(row.get('page_first_word_s'))} | {_seconds(row.get('raw_s'))} |"
        )
    called = [row for row in rows if row["prompt"]]
    engine_p90 = tail_p90(rows)
    lines += [
        "",
        f"- Cold evaluation of the final prompt ({results['final_tokens']} tokens): {cold:.2f} s.",
        f"- Tokens evaluated ÷ (new turn + per-turn tail), worst reply: {evaluated_ratio(rows):.2f} "
        f"(target ≤ {EVALUATED_TARGET:.2f}); the embedded model has no per-turn tail (code asks the question).",
        f"- Engine: p90 of time to the first text, answers {TAIL_FROM}–16: {engine_p90:.2f} s, "
        f"{engine_p90 / cold:.2f}x the cold cost.",
    ]
    if results.get("browser"):
        page_p90 = tail_p90(rows, "page_first_word_s")
        browser = results["browser"]
        lines.append(
            f"- Chromium: p90 of time to the first visible word, answers {TAIL_FROM}–16: {page_p90:.2f} s, "
            f"{page_p90 / cold:.2f}x the cold cost (target ≤ {FIRST_WORD_TARGET}x). Driving the page for all "
            f"{browser['replies']} replies took {browser['seconds']:.0f} s. The page samples without a fixed seed, "
            "so its replies (and so its later prompts) differ in wording from the engine's."
        )
    else:
        lines.append(f"- Chromium: not measured ({results.get('browser_error', '--no-browser')}).")
    raw = [(row["evaluated"], row["raw_s"], row["model_first_s"]) for row in called if row.get("raw_s")]
    if raw:
        lines.append(
            f"- Raw llama.cpp evaluating each reply's new tokens from an empty context: median "
            f"{statistics.median(r[1] for r in raw):.2f} s against a median {statistics.median(r[2] for r in raw):.2f} "
            f"s to our first token (ours also samples that token, and attends to the held conversation)."
        )
    lines.append(
        f"- Replies that called the model: {len(called)} of {len(rows)}; the rest were written in code. Median "
        f"{statistics.median(r['evaluated'] for r in called) if called else 0:.0f} tokens evaluated of a median "
        f"{statistics.median(r['prompt'] for r in called) if called else 0:.0f}-token prompt."
    )
    saved, not_saved = results["switch"]["saved"], results["switch"]["not saved"]
    lines += [
        "",
        "Another interview takes the model between two turns of this one (the final prompt, then another "
        "candidate's first answer, then this interview's next turn):",
        "",
        "| switching back | tokens evaluated | to first token (s) | saved state |",
        "|---|---|---|---|",
        f"| with saved states ({BUDGET_ENV} default) | {saved['evaluated']} of {saved['prompt']} | "
        f"{saved['first_s']:.2f} | {saved['state_bytes'] / 1e6:.1f} MB for {saved['held_tokens']} tokens "
        f"({saved['state_bytes'] / max(saved['held_tokens'], 1) / 1e3:.1f} KB per token) |",
        f"| {BUDGET_ENV}=0 | {not_saved['evaluated']} of {not_saved['prompt']} | {not_saved['first_s']:.2f} | none |",
    ]
    return (
        "\n".join(lines)
        + "\n\nTimes come from one run on 2 cores and are noisy; the token counts are not.\n\n"
        + PREVIOUS
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.prompt_cache", description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="leave out the real page in Chromium")
    args = parser.parse_args(argv)
    results = run(browser=not args.no_browser)
    print("## Per-turn latency on the embedded model (python -m bench.prompt_cache)\n")
    print(report(results))


if __name__ == "__main__":
    main()
