"""Our OpenAI-compatible client against llama-cpp-python's own server: a peer we did not write."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from interview.config import settings_for
from interview.providers.base import StreamInfo
from interview.providers.openai_compat import OpenAICompatibleProvider

pytest_plugins = ["tests.conftest_embedded"]
pytestmark = pytest.mark.slow

STARTUP_SECONDS = 180


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


@pytest.fixture(scope="module")
def server(model_cache, tmp_path_factory):
    port = _free_port()
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model_cache),
        "--chat_format",
        "chatml",
        "--interrupt_requests",
        "False",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "4096",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(base_url + "/models"):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-2000:]
                pytest.fail(f"llama_cpp.server did not come up (exit code {process.poll()}):\n{tail}")
            time.sleep(0.5)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
