"""Embedded model speed: our EmbeddedProvider against raw llama_cpp streaming, same prompt and settings.

Run from the repository root: `python -m bench.bench_embedded [--runs 3] [--max-tokens 128]`.
Each path runs in its own process so load time and peak RSS are not shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

PROMPT = [
    {"role": "system", "content": "You are a senior staff engineer. Be thorough."},
    {"role": "user", "content": "Explain step by step how to design a URL shortener that serves 10k requests/s."},
]
SEED = 42


def _peak_rss_mb() -> float:
    # ru_maxrss is KiB on Linux but bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _time_stream(chunks) -> tuple[str, float | None, float]:
    start = time.perf_counter()
    first, pieces = None, []
    for piece in chunks:
        if piece:
            first = first if first is not None else time.perf_counter() - start
            pieces.append(piece)
    return "".join(pieces), first, time.perf_counter() - start


def _ours(max_tokens: int):
    from interview.providers.base import ProviderError, StreamInfo
    from interview.providers.embedded import EmbeddedProvider

    provider = EmbeddedProvider(max_tokens=max_tokens, temperature=0.0, seed=SEED)
    started = time.perf_counter()
    llm = provider.llm()
    load = time.perf_counter() - started

    def run():
        stream = provider.stream(PROMPT, StreamInfo())

        def pieces():
            try:
                yield from stream
            except ProviderError as exc:  # "length" is expected: the prompt asks for more than max_tokens
                if exc.kind != "length":
                    raise

        return _time_stream(pieces())

    return llm, load, run


def _raw(max_tokens: int):
    import llama_cpp

    from interview.providers.embedded import REPEAT_PENALTY
    from interview.providers.model_files import ensure_model

    path = ensure_model()
    started = time.perf_counter()
    llm = llama_cpp.Llama(
        model_path=str(path), n_ctx=8192, n_threads=os.cpu_count(), verbose=False, chat_format="chatml"
    )
    load = time.perf_counter() - started

    def run():
        chunks = llm.create_chat_completion(
            messages=PROMPT,
            stream=True,
            max_tokens=max_tokens,
            temperature=0.0,
            repeat_penalty=REPEAT_PENALTY,  # the same sampling as ours, so only the path differs
            seed=SEED,
        )
        return _time_stream(chunk["choices"][0]["delta"].get("content") for chunk in chunks)

    return llm, load, run


def measure(variant: str, runs: int, max_tokens: int) -> dict:
    """Load once, stream `runs` times; medians of time to first token and throughput."""
    from interview.providers.model_files import ensure_model

    ensure_model()  # assembling or verifying the cache is not part of either path's load time
    llm, load, run = (_ours if variant == "ours" else _raw)(max_tokens)
    ttfts, decode_rates, overall_rates, texts, counts = [], [], [], [], []
    for _ in range(runs):
        llm.reset()  # forget the previous run's prompt so every run pays for prompt processing
        text, ttft, total = run()
        tokens = len(llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))
        ttfts.append(ttft or total)
        decode_rates.append((tokens - 1) / max(1e-9, total - (ttft or total)))
        overall_rates.append(tokens / total)
        texts.append(text)
        counts.append(tokens)
    return {
        "variant": variant,
        "load_s": load,
        "ttft_s": statistics.median(ttfts),
        "tokens": statistics.median(counts),
        "decode_tps": statistics.median(decode_rates),
        "overall_tps": statistics.median(overall_rates),
        "peak_rss_mb": _peak_rss_mb(),
        "text": texts[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--variant", choices=["ours", "raw"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(measure(args.variant, args.runs, args.max_tokens)))
        return

    from interview.providers.model_files import ensure_model

    # Read the model file once so the page cache is warm for both paths: otherwise the first pays for the disk.
    with ensure_model().open("rb") as model_file:
        while model_file.read(1 << 24):
            pass
    results = []
    for variant in ("ours", "raw"):
        command = [sys.executable, "-m", "bench.bench_embedded", "--variant", variant, "--runs", str(args.runs)]
        command += ["--max-tokens", str(args.max_tokens)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))

    import llama_cpp

    print(
        f"{platform.machine()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
        f"llama-cpp-python {llama_cpp.__version__} · max_tokens={args.max_tokens} · temperature 0 · "
        f"seed {SEED} · median of {args.runs} runs\n"
    )
    labels = {"ours": "EmbeddedProvider.stream", "raw": "Llama.create_chat_completion(stream=True)"}
    print("| path | load (s) | time to first token (s) | tokens | decode tok/s | end-to-end tok/s | peak RSS (MB) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in results:
        print(
            f"| {labels[row['variant']]} | {row['load_s']:.2f} | {row['ttft_s']:.2f} | {row['tokens']:.0f} | "
            f"{row['decode_tps']:.1f} | {row['overall_tps']:.1f} | {row['peak_rss_mb']:.0f} |"
        )
    same = results[0]["text"] == results[1]["text"]
    print(f"\nSame text from both paths at temperature 0: {'yes' if same else 'no'}")
    print(f"Decode tok/s, ours ÷ raw: {results[0]['decode_tps'] / results[1]['decode_tps']:.3f}")


if __name__ == "__main__":
    main()
