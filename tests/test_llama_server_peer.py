"""Our OpenAI-compatible client against llama-cpp-python's own server: a peer we did not write."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from interview.providers.base import ProviderError, StreamInfo
from interview.providers.config import settings_for
from interview.providers.openai_compat import OpenAICompatibleProvider

pytest_plugins = ["tests.conftest_embedded"]
pytestmark = pytest.mark.slow

STARTUP_SECONDS = 180
PEER_KEY = "peer-secret-key-123"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str, extra=()) -> bool:
    """True once the server answers; a key-protected server answering 401 is up too."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except urllib.error.HTTPError as exc:
        return exc.code == 401 and "--api_key" in extra
    except (OSError, urllib.error.URLError):
        return False


LAUNCHER = Path(__file__).with_name("llama_server_launcher.py")  # llama_cpp.server, loading as the provider does


@contextlib.contextmanager
def llama_server(model_path, log_dir, *extra: str):
    """A running `python -m llama_cpp.server` on a free loopback port; yields (base_url, process)."""
    port = _free_port()
    log_path = log_dir / f"server-{port}.log"
    command = [
        sys.executable, str(LAUNCHER), "--model", str(model_path), "--chat_format", "chatml",
        "--interrupt_requests", "False", "--host", "127.0.0.1", "--port", str(port), *extra,
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(base_url + "/models", extra):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-2000:]
                pytest.fail(f"llama_cpp.server did not come up (exit code {process.poll()}):\n{tail}")
            time.sleep(0.5)
        yield base_url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(model_cache, tmp_path_factory):
    with llama_server(model_cache, tmp_path_factory.mktemp("llama-server"), "--n_ctx", "4096") as (base_url, _):
        yield base_url


@pytest.fixture(scope="module")
def guarded_server(model_cache, tmp_path_factory):
    """A peer that wants an API key and has a small context window."""
    log_dir = tmp_path_factory.mktemp("llama-server-guarded")
    with llama_server(model_cache, log_dir, "--n_ctx", "1024", "--api_key", PEER_KEY) as (base_url, process):
        yield base_url, process


def test_two_turn_conversation_streams_from_llama_cpp_server(server):
    provider = OpenAICompatibleProvider(settings_for("custom", env={}, base_url=server, model="peer"))
    messages = [
        {"role": "system", "content": "You are a concise interviewer. Reply in one short sentence."},
        {"role": "user", "content": "Name one database that suits a URL shortener."},
    ]
    first_info = StreamInfo()
    first = "".join(provider.stream(messages, first_info))
    assert first.strip()
    assert first_info.finish_reason == "stop"

    messages += [{"role": "assistant", "content": first}, {"role": "user", "content": "Why that one?"}]
    second_info = StreamInfo()
    chunks = list(provider.stream(messages, second_info))
    assert len(chunks) > 1, "the server should stream the reply in pieces"
    assert "".join(chunks).strip()
    assert second_info.finish_reason == "stop"


def peer_provider(base_url, key=""):
    return OpenAICompatibleProvider(
        settings_for("custom", env={"INTERVIEW_TIMEOUT": "60"}, base_url=base_url, model="peer", api_key=key),
        max_retries=0,
    )


def stream_error(provider, messages):
    text = ""
    with pytest.raises(ProviderError) as caught:
        for chunk in provider.stream(messages, StreamInfo()):
            text += chunk
    return caught.value, text


SHORT = [{"role": "user", "content": "Say hello."}]


def test_peer_wrong_key_is_a_401_message(guarded_server):
    base_url, _ = guarded_server
    error, _ = stream_error(peer_provider(base_url, key="wrong-key"), SHORT)
    assert error.kind == "auth" and "401" in error.message
    assert "wrong-key" not in error.message


def test_peer_overlong_prompt_is_explained(guarded_server):
    """llama.cpp's server streams 200 and then nothing when the prompt exceeds n_ctx."""
    base_url, _ = guarded_server
    long_prompt = [{"role": "user", "content": "scale " * 3000}]
    error, text = stream_error(peer_provider(base_url, key=PEER_KEY), long_prompt)
    assert text == ""
    assert error.kind == "empty" and "INTERVIEW_CONTEXT_TOKENS" in error.message


def test_context_budget_keeps_a_long_interview_inside_the_peer_window(guarded_server):
    from interview.dialogue import engine

    base_url, _ = guarded_server
    provider = peer_provider(base_url, key=PEER_KEY)
    provider.context_tokens = 1024  # what INTERVIEW_CONTEXT_TOKENS=1024 sets
    interview = engine.start_interview("Design a URL shortener", engine.NullStore())
    for turn in range(12):
        interview.add_user(f"Answer {turn}: we shard by hash of the short code and cache hot links in Redis.")
        interview.add(engine.Message("assistant", f"Question {turn}: how do you handle cache misses?", "requirements"))
    interview.add_user("What should I cover next?")
    with engine.reply(interview, provider, engine.NullStore()) as reply:
        text = "".join(reply.chunks())
    message = reply.message
    assert reply.summarised > 0
    assert message.complete, message.error
    assert text.strip()


def test_peer_refused_after_it_stops(model_cache, tmp_path):
    with llama_server(model_cache, tmp_path, "--n_ctx", "512") as (base_url, _):
        pass
    error, _ = stream_error(peer_provider(base_url), SHORT)
    assert error.kind == "unreachable" and "Cannot reach" in error.message


def test_peer_killed_mid_reply_keeps_the_partial_text(model_cache, tmp_path):
    with llama_server(model_cache, tmp_path, "--n_ctx", "1024") as (base_url, process):
        provider = peer_provider(base_url)
        messages = [{"role": "user", "content": "Write a long, detailed essay about database replication."}]
        text = ""
        with pytest.raises(ProviderError) as caught:
            for chunk in provider.stream(messages, StreamInfo()):
                text += chunk
                if len(text) > 40 and process.poll() is None:
                    process.kill()
        assert caught.value.kind in ("dropped", "incomplete"), caught.value.message
        assert len(text) > 40
