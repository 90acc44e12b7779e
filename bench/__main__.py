"""Run every benchmark in one go, print a Markdown report and write it to BENCHMARKS.md.

    python -m bench                  # everything (several minutes; the embedded model takes longest)
    python -m bench --quick          # a fast smoke run with small inputs and few repeats
    python -m bench --skip-embedded  # leave out bench/bench_embedded.py

These are measurements, never pass/fail tests: the command always writes the report, and marks each target as met
or missed. It exits non-zero only when a benchmark could not run at all.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench.common import ROOT, median, table

WS_TARGET = 25.0  # ours ≤ 25× the reply size
OVERHEAD_TARGET = 0.05  # < 5% per token
TTFT_TARGET_MS = 10.0  # < 10 ms added
RERUN_TARGET_MS = 150.0  # ≤ 150 ms at 200 messages
COLD_TARGET_S = 3.0  # ≤ 3 s to the first page served
GROWTH_TARGET = 1.1  # log-log slope of rerun time against messages: 1.0 is linear
EMBEDDED_TARGET = 0.90  # embedded decode speed at least 90% of raw llama.cpp
# Everything after this line in the output file belongs to other suites and is carried over unchanged.
KEEP_MARKER = "<!-- sections below are written by other suites and kept by python -m bench -->"


def load_average() -> str:
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def machine() -> list[list[str]]:
    import openai
    import streamlit

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        nproc = str(os.cpu_count())
    return [
        ["CPUs (`nproc`)", nproc],
        ["CPU model", cpu],
        ["OS", f"{platform.system()} {platform.release()}"],
        ["Python", platform.python_version()],
        ["streamlit", streamlit.__version__],
        ["openai", openai.__version__],
    ]


def yes(met: bool) -> str:
    return "✅ met" if met else "❌ missed"


class Report:
    def __init__(self) -> None:
        self.sections: list[str] = []
        self.summary: list[list[str]] = []
        self.failures: list[str] = []

    def section(self, title: str, body: str) -> None:
        self.sections.append(f"## {title}\n\n{body.strip()}\n")
        print(f"\n## {title}\n\n{body.strip()}\n", flush=True)

    def target(self, what: str, result: str, target: str, met: bool) -> None:
        self.summary.append([what, result, target, yes(met)])

    def attempt(self, title: str, run: Callable[[], None]) -> None:
        print(f"… {title}", file=sys.stderr, flush=True)
        start = time.perf_counter()
        try:
            run()
        except Exception as exc:  # one broken benchmark must not lose the others
            detail = "".join(traceback.format_exception_only(exc)).strip()
            traceback.print_exc()
            self.failures.append(f"{title}: {detail}")
            self.section(title, f"**Could not run:** `{detail}`")
            self.summary.append([title, "could not run", "—", "⚠️ error"])
        print(f"  ({time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)


def bench_ws_bytes(report: Report, quick: bool) -> None:
    from bench import ws_bytes

    results = ws_bytes.run(quick=quick)
    notes = """
Bytes of the ForwardMsgs the script enqueues (`ScriptRunContext.enqueue`, summed `ByteSize()`), for a realistic
Markdown reply (headings, paragraphs, lists, a fenced code block and a table; 4 characters per token). *naive* is
`st.write_stream(generator of raw chunks)`; *ours* is `st.write_stream(BlockStreamer(chunks))` in the same
standalone AppTest script; *ours (page)* is the real page: in a started interview the candidate answers and the fake
server streams the same reply in 4-character chunks. "Reply ForwardMsg bytes" counts only the Markdown elements
carrying the reply; "All bytes" is every ForwardMsg of the run (for the page, that includes the sidebar, the
transcript and the rest of the page). "× reply" = reply ForwardMsg bytes ÷ reply size. "Elements / cut mid-line"
counts the Markdown elements the reply ends up in, and how many begin in the middle of a line of the reply (a visible
rendering fault). This is an upper bound on the wire: a live server may coalesce queued deltas to the same element
between flushes, which AppTest never does.
"""
    report.section("1. Websocket bytes while streaming", notes + "\n" + table(ws_bytes.HEADERS, ws_bytes.rows(results)))
    cut = sum(r.mid_line for r in results if r.pattern.startswith("ours"))
    report.target(
        "Reply elements starting mid-line (ours, all cases)",
        f"{cut} of {sum(r.elements for r in results if r.pattern.startswith('ours'))}",
        "0 (blocks close at line starts)",
        cut == 0,
    )
    for result in results:
        if result.pattern.startswith("ours"):
            report.target(
                f"Websocket bytes, {result.label}, {result.pattern}",
                f"{result.ratio:.1f}× reply ({result.bytes_reply:,} B)",
                f"≤ {WS_TARGET:g}×",
                result.ratio <= WS_TARGET,
            )


def bench_overhead(report: Report, quick: bool) -> None:
    from bench import overhead

    throughput, first, layers = overhead.run(quick=quick)
    raw, ours = throughput.paths["raw"], throughput.paths["ours"]
    notes = f"""
The fake server runs in its own process on loopback and streams a {throughput.tokens:,}-token Markdown reply in
4-character chunks as fast as it can. *Raw* iterates the openai stream (new client, `choices[0].delta.content`).
*Ours* is the page's path: `make_provider` → `ReplyTurn.chunks()` (`OpenAICompatibleProvider.stream` and
`MarkerFilter`) → `BlockStreamer`. Our provider sends the request through the openai client (auth, retries, status
errors) but reads the SSE body itself with `json.loads`, skipping the pydantic object the client builds per chunk,
which is most of the client's CPU per token. The third row keeps the client's own stream and puts our layers on
top: what our layers alone add when they run between the client's parsing (their CPU caches are cold there, so
they cost more than replayed in a tight loop, below). Same messages, rotating order, one warm-up round, median of
{throughput.repeats}. Overheads are the median of path ÷ raw within each round (paired, so drifting machine load
cancels out); the targets also show the ratio of the two medians. Wall time includes the server's pace; client CPU
time is where per-token work shows.
"""
    layer_notes = f"""
Where our layers' per-token cost goes, without network noise: the same {layers.tokens:,} chunks replayed from memory
through a stub provider, CPU time minus that of iterating the bare list, median of {layers.repeats}. The percentage
is of the raw client's CPU per token above.
"""
    report.section(
        "2. Per-token overhead of our generator path",
        notes
        + "\n"
        + table(overhead.THROUGHPUT_HEADERS, overhead.throughput_rows(throughput))
        + "\n"
        + layer_notes
        + "\n"
        + table(overhead.LAYER_HEADERS, overhead.layer_rows(layers, raw.cpu / throughput.tokens)),
    )
    notes = f"""
From the start of a reply to the first text chunk: a short reply from the same fake server, median of
{first.repeats} after two warm-up rounds, the three paths interleaved. *Raw, new client* builds an `openai.OpenAI`
for the request as a tutorial script does on each rerun; *ours* does what `stream_reply` does per reply (build the
provider, which builds a new client; build the turn's messages; first string out of `BlockStreamer`).
"""
    report.section(
        "3. Time to first token", notes + "\n" + table(overhead.FIRST_TOKEN_HEADERS, overhead.first_token_rows(first))
    )
    report.target(
        "Per-token overhead vs the raw openai stream, client CPU (paired / of medians)",
        f"{ours.cpu_overhead * 100:+.1f}% / {ours.cpu_of_medians * 100:+.1f}%",
        f"< {OVERHEAD_TARGET * 100:g}% (both)",
        max(ours.cpu_overhead, ours.cpu_of_medians) < OVERHEAD_TARGET,
    )
    report.target(
        "Per-token overhead vs the raw openai stream, wall time (paired / of medians)",
        f"{ours.wall_overhead * 100:+.1f}% / {ours.wall_of_medians * 100:+.1f}%",
        f"< {OVERHEAD_TARGET * 100:g}% (both)",
        max(ours.wall_overhead, ours.wall_of_medians) < OVERHEAD_TARGET,
    )
    layer_share = layers.full / (raw.cpu / throughput.tokens * 1e6)
    report.target(
        "Per-token overhead, our layers on replayed chunks",
        f"{layer_share * 100:.1f}% ({layers.full:.2f} µs/token)",
        f"< {OVERHEAD_TARGET * 100:g}%",
        layer_share < OVERHEAD_TARGET,
    )
    report.target(
        "Time to first token added over the raw client",
        f"{first.added * 1e3:+.2f} ms",
        f"< {TTFT_TARGET_MS:g} ms",
        first.added * 1e3 < TTFT_TARGET_MS,
    )


def bench_rerun(report: Report, quick: bool) -> None:
    from bench import rerun

    results = rerun.run(quick=quick)
    notes = f"""
The real page (`streamlit_app.py` in AppTest, fake server configured) with a stored interview of N messages
(alternating candidate answers and Markdown replies, every third reply with code, a table and lists), median of
{results[0].reruns} plain reruns after the first run. "Rerun script ms" is wall time; "Script CPU ms" is the script
thread's CPU time, which load from other processes barely moves, so growth is judged on it. "CPU ms per added
message" is the marginal cost between consecutive sizes: roughly constant means linear growth; the growth target
fits time ∝ messages^k over all sizes (least squares on the logs), so one noisy size cannot decide it. AppTest does not register
`st.download_button` data with a media file manager (there is no server), so the live server adds a hash of the three
export files per rerun.
"""
    body = notes + "\n" + table(rerun.HEADERS, rerun.rows(results))
    errors = sorted({r.url_error for r in results if r.url_error})
    if errors:
        body += (
            "\n\n**Opening the interview through `?interview=<id>` failed**, so these runs put the stored interview "
            "in session state instead. The page raised: "
            + "; ".join(f"`{e.replace(chr(96), chr(39))}`" for e in errors)
            + "."
        )
    report.section("4. Rerun cost with a long interview", body)
    at_200 = next((r for r in results if r.messages == 200), None)
    if at_200 is not None:
        report.target(
            "Rerun script time, 200 messages",
            f"{at_200.script_ms:.0f} ms",
            f"≤ {RERUN_TARGET_MS:g} ms",
            at_200.script_ms <= RERUN_TARGET_MS,
        )
    if len(results) >= 2:
        slope = rerun.growth_exponent(results)
        report.target(
            f"Rerun growth {results[0].messages} → {results[-1].messages} messages (script CPU)",
            f"time ∝ messages^{slope:.2f}",
            f"exponent ≤ {GROWTH_TARGET:g} (1 = linear)",
            slope <= GROWTH_TARGET,
        )
    if errors:
        report.target("Open a stored interview by link", errors[0], "no error", False)


def bench_cold_start(report: Report, quick: bool) -> None:
    from bench import cold_start
    from bench.common import median

    results = cold_start.run(quick=quick)
    notes = """
`python -m streamlit run streamlit_app.py --server.headless true --server.port <free>` from a scratch directory
with none of the app's variables set (so the app picks the embedded model by itself), polling every 10 ms. Then a
websocket client asks for the first script run, as a browser does on load. The model checks read the server's
`/proc/<pid>/maps` after that first run.
"""
    report.section("5. Cold start", notes + "\n" + table(cold_start.HEADERS, cold_start.rows(results)))
    served = median([r.served_s for r in results])
    first_run = median([r.first_run_s for r in results])
    report.target("Cold start to page served", f"{served:.2f} s", f"≤ {COLD_TARGET_S:g} s", served <= COLD_TARGET_S)
    report.target(
        "Cold start to first page rendered (stricter than the issue asks)",
        f"{first_run:.2f} s",
        f"≤ {COLD_TARGET_S:g} s",
        first_run <= COLD_TARGET_S,
    )
    loaded = any(r.llama_mapped or r.gguf_mapped for r in results)
    report.target(
        "Embedded model not loaded at startup", "loaded" if loaded else "not loaded", "not loaded", not loaded
    )


def bench_embedded(report: Report, quick: bool) -> None:
    script = ROOT / "bench" / "bench_embedded.py"
    if not script.exists():
        report.section("6. Embedded model", "`bench/bench_embedded.py` does not exist yet; skipped.")
        return
    command = [sys.executable, "-m", "bench.bench_embedded"]
    if quick:
        command += ["--runs", "1", "--max-tokens", "32"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    shown = " ".join(["python", "-m", "bench.bench_embedded", *command[3:]])
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"`{shown}` exited with {done.returncode}:\n{tail}")
    report.section("6. Embedded model", f"Output of `{shown}` (its own method and table):\n\n{done.stdout.strip()}")
    ratio = re.search(r"Decode tok/s, ours ÷ raw: ([0-9.]+)", done.stdout)
    if ratio is None:
        raise RuntimeError(f"`{shown}` did not print the decode ratio")
    report.target(
        "Embedded model decode speed, ours ÷ raw llama.cpp",
        f"{float(ratio.group(1)) * 100:.0f}%",
        f"≥ {EMBEDDED_TARGET * 100:g}%",
        float(ratio.group(1)) >= EMBEDDED_TARGET,
    )


def render(report: Report, argv: list[str], started: datetime.datetime, seconds: float, load: str) -> str:
    command = " ".join(["python -m bench", *argv])
    missed = [row for row in report.summary if not row[3].startswith("✅")]
    lines = [
        "# Benchmarks",
        "",
        "Generated by `python -m bench` (also `make bench`); `--quick` gives a fast smoke run and `--skip-embedded` "
        "leaves out the embedded model. Re-run it to refresh this file. These are measurements, not tests.",
        "",
        f"- Command: `{command}`",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC (took {seconds / 60:.1f} min)",
        "",
        table(
            ["Machine", ""], [*machine(), ["Load average (1/5/15 min) at start → end", f"{load} → {load_average()}"]]
        ),
        "",
        "## Targets",
        "",
        table(["Measurement", "Result", "Target", ""], report.summary),
        "",
    ]
    if missed:
        lines += ["Missed or not measured: " + "; ".join(row[0] for row in missed) + ".", ""]
    return "\n".join(lines) + "\n" + "\n".join(report.sections)


def _kept_sections(path: Path) -> str:
    """What other suites (the browser's parallel-session test) recorded below the marker, kept across runs."""
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    return text[text.index(KEEP_MARKER) :].strip() if KEEP_MARKER in text else ""


def bench_history(report: Report, quick: bool) -> None:
    from bench import history_rerun

    sizes, reruns = ((50,), 3) if quick else (history_rerun.SIZES, 10)
    results = [result for size in sizes for result in history_rerun.measure(size, reruns)]
    report.section(
        "8. History and Progress with many interviews",
        (history_rerun.__doc__ or "").split("\n\n", 2)[-1]
        + "\n"
        + table(history_rerun.HEADERS, history_rerun.rows(results))
        + "\n\n"
        + history_rerun.BEFORE_AND_AFTER,
    )
    for result in results:
        report.target(
            f"{result.page} rerun, {result.interviews} interviews",
            f"{result.script_ms:.0f} ms",
            f"≤ {history_rerun.TARGET_MS:g} ms",
            result.script_ms <= history_rerun.TARGET_MS,
        )


def bench_bank_load(report: Report, quick: bool) -> None:
    from bench import bank_load

    results = bank_load.measure(3 if quick else 9)
    report.section(
        "9. Question bank load",
        (bank_load.__doc__ or "").split("\n\n", 2)[-1] + "\n" + table(bank_load.HEADERS, bank_load.rows(results)),
    )
    wall = median([r.load_ms for r in results])
    cpu = median([r.load_cpu_ms for r in results])
    report.target(
        "Whole bank read, parsed and validated, fresh process (wall; CPU)",
        f"{wall:.0f} ms; {cpu:.0f} ms",
        f"≤ {bank_load.TARGET_MS:g} ms",
        wall <= bank_load.TARGET_MS,
    )


def bench_prompt_cache(report: Report) -> None:
    from bench import prompt_cache

    results = prompt_cache.run()
    report.section("7. Per-turn latency on the embedded model", prompt_cache.report(results))
    cold = results["cold"]
    if results.get("browser"):
        ratio = prompt_cache.tail_p90(results["rows"], "page_first_word_s") / cold
        what = "Time to first visible word in Chromium, p90 of answers 5–16"
    else:  # no Chromium here: the engine's first text stands in, and says so
        ratio = prompt_cache.tail_p90(results["rows"]) / cold
        what = "Time to first text from the engine (Chromium not run), p90 of answers 5–16"
    target = prompt_cache.FIRST_WORD_TARGET
    report.target(what, f"{ratio:.2f}× the cold final prompt", f"≤ {target}×", ratio <= target)
    evaluated = prompt_cache.evaluated_ratio(results["rows"])
    report.target(
        "Embedded tokens evaluated per reply ÷ (new turn + per-turn tail), worst reply",
        f"{evaluated:.2f}",
        f"≤ {prompt_cache.EVALUATED_TARGET:.2f}",
        evaluated <= prompt_cache.EVALUATED_TARGET,
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small inputs and few repeats: a smoke run")
    parser.add_argument("--skip-embedded", action="store_true", help="do not run bench/bench_embedded.py")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md", help="where to write the report")
    args = parser.parse_args(argv)

    # Quiet AppTest's bare-mode warnings (AppTest re-reads this option); each benchmark reports page errors itself.
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "critical")

    started = datetime.datetime.now(datetime.UTC)
    load = load_average()
    clock = time.perf_counter()
    report = Report()
    report.attempt("1. Websocket bytes while streaming", lambda: bench_ws_bytes(report, args.quick))
    report.attempt("2–3. Per-token overhead and time to first token", lambda: bench_overhead(report, args.quick))
    report.attempt("4. Rerun cost with a long interview", lambda: bench_rerun(report, args.quick))
    report.attempt("5. Cold start", lambda: bench_cold_start(report, args.quick))
    if args.skip_embedded:
        report.section("6. Embedded model", "Skipped (`--skip-embedded`).")
    else:
        report.attempt("6. Embedded model", lambda: bench_embedded(report, args.quick))
        if not args.quick:
            report.attempt("7. Per-turn latency on the embedded model", lambda: bench_prompt_cache(report))
    report.attempt("8. History and Progress with many interviews", lambda: bench_history(report, args.quick))
    report.attempt("9. Question bank load", lambda: bench_bank_load(report, args.quick))

    text = render(report, argv, started, time.perf_counter() - clock, load)
    kept = _kept_sections(args.output)
    args.output.write_text(text.rstrip() + ("\n\n" + kept if kept else "") + "\n", encoding="utf-8")
    print("\n## Targets\n\n" + table(["Measurement", "Result", "Target", ""], report.summary))
    print(f"\nWrote {args.output}", file=sys.stderr)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
