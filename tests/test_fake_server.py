"""The fake chat-completions server, checked with the real openai client over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openai
import pytest

from tests.fake_llm_server import Blackhole, FakeLLMServer, Fault, Reply, refused_url

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = [
    {"role": "system", "content": "You are an interviewer."},
    {"role": "user", "content": "Design a URL shortener."},
]


def client(base_url: str, max_retries: int = 0, timeout: float = 10) -> openai.OpenAI:
    return openai.OpenAI(base_url=base_url, api_key="test", max_retries=max_retries, timeout=timeout)


def stream(server_or_url: FakeLLMServer | str, **kwargs) -> openai.Stream:
    base_url = server_or_url if isinstance(server_or_url, str) else server_or_url.base_url
    options = {k: kwargs.pop(k) for k in ("max_retries", "timeout") if k in kwargs}
    return client(base_url, **options).chat.completions.create(
        model="fake-model", messages=MESSAGES, stream=True, **kwargs
    )


def collect(chunks) -> tuple[str, list[str | None], list]:
    """Joined content, finish reasons seen, and usage objects seen."""
    text, finishes, usages = "", [], []
    for chunk in chunks:
        if chunk.usage is not None:
            usages.append(chunk.usage)
        for choice in chunk.choices:
            text += choice.delta.content or ""
            if choice.finish_reason:
                finishes.append(choice.finish_reason)
    return text, finishes, usages


def test_stream_joins_to_enqueued_text_and_records_request(fake_llm):
    reply = "Let's start with requirements.\n\n- Reads per second?\n- Custom aliases?"
    fake_llm.enqueue(reply)
    chunks = list(stream(fake_llm))
    text, finishes, usages = collect(chunks)
    assert text == reply
    assert finishes == ["stop"]
    assert usages == []
    assert chunks[0].choices[0].delta.role == "assistant"
    assert len(chunks) > 5  # word-sized chunks, not one blob
    [body] = fake_llm.chat_requests()
    assert body["messages"] == MESSAGES
    assert body["model"] == "fake-model" and body["stream"] is True
    [request] = fake_llm.requests
    assert request["method"] == "POST" and request["path"] == "/v1/chat/completions"
    assert request["headers"]["authorization"] == "Bearer test"


def test_chunk_size_usage_and_default_reply(fake_llm):
    fake_llm.enqueue(Reply(text="abcdefghij", chunk_size=3))
    chunks = list(stream(fake_llm, stream_options={"include_usage": True}))
    contents = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert contents == ["abc", "def", "ghi", "j"]
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens == 1
    text, finishes, _ = collect(stream(fake_llm))
    assert text == "Fake interviewer reply 2. What would you like to clarify?"
    assert finishes == ["stop"]


def test_non_streaming_completion(fake_llm):
    fake_llm.enqueue("Plain answer.")
    completion = client(fake_llm.base_url).chat.completions.create(model="fake-model-2", messages=MESSAGES)
    assert completion.choices[0].message.content == "Plain answer."
    assert completion.choices[0].finish_reason == "stop"
    assert completion.model == "fake-model-2"


def test_models_list(fake_llm):
    models = client(fake_llm.base_url).models.list()
    assert [m.id for m in models.data] == ["fake-model", "fake-model-2"]
    assert fake_llm.requests[0]["path"] == "/v1/models"


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, openai.BadRequestError),
        (401, openai.AuthenticationError),
        (403, openai.PermissionDeniedError),
        (404, openai.NotFoundError),
        (500, openai.InternalServerError),
        (503, openai.InternalServerError),
    ],
)
def test_status_errors(fake_llm, status, error):
    fake_llm.enqueue(Fault(status=status))
    with pytest.raises(error) as caught:
        stream(fake_llm)
    assert caught.value.status_code == status
    assert caught.value.body["message"]
    assert len(fake_llm.chat_requests()) == 1


def test_not_found_names_the_model_and_message_override(fake_llm):
    fake_llm.enqueue(Fault(status=404))
    with pytest.raises(openai.NotFoundError, match="fake-model"):
        stream(fake_llm)
    fake_llm.enqueue(Fault(status=403, message="No access for key sk-secret123"))
    with pytest.raises(openai.PermissionDeniedError) as caught:
        stream(fake_llm)
    assert caught.value.body["message"] == "No access for key sk-secret123"


def test_context_length_error(fake_llm):
    fake_llm.enqueue(Fault(context_length=True))
    with pytest.raises(openai.BadRequestError) as caught:
        stream(fake_llm)
    assert caught.value.code == "context_length_exceeded"
    assert "maximum context length is 8192 tokens" in caught.value.body["message"]


def test_rate_limit_exhausts_retries(fake_llm):
    fake_llm.enqueue(Fault(status=429, times=3))
    fake_llm.enqueue("After the limit.")
    started = time.monotonic()
    with pytest.raises(openai.RateLimitError):
        stream(fake_llm, max_retries=2)
    assert time.monotonic() - started < 2  # retry-after-ms keeps the client's backoff short
    assert len(fake_llm.chat_requests()) == 3
    assert collect(stream(fake_llm))[0] == "After the limit."


def test_rate_limit_once_then_success_with_retries(fake_llm):
    fake_llm.enqueue(Fault(status=429))
    fake_llm.enqueue("Recovered.")
    assert collect(stream(fake_llm, max_retries=2))[0] == "Recovered."
    assert len(fake_llm.chat_requests()) == 2


def test_server_error_retried_then_success(fake_llm):
    fake_llm.enqueue(Fault(status=500, times=2))
    fake_llm.enqueue("Third time lucky.")
    assert collect(stream(fake_llm, max_retries=2))[0] == "Third time lucky."


def test_dropped_stream_raises_connection_error(fake_llm):
    fake_llm.enqueue(Reply(text="one two three four", drop_after=2))
    received = []
    with pytest.raises(openai.APIConnectionError) as caught:
        for chunk in stream(fake_llm):
            received.append(chunk.choices[0].delta.content)
    assert not isinstance(caught.value, openai.APITimeoutError)
    assert "".join(filter(None, received)) == "one two "
    assert "incomplete chunked read" in str(caught.value.__cause__)


def test_malformed_chunk_raises_json_error(fake_llm):
    fake_llm.enqueue(Reply(text="one two three", malformed_after=1))
    received = []
    with pytest.raises(json.JSONDecodeError):
        for chunk in stream(fake_llm):
            received.append(chunk.choices[0].delta.content)
    assert "".join(filter(None, received)) == "one "


def test_error_event_raises_api_error(fake_llm):
    fake_llm.enqueue(Reply(text="one two three", error_event_after=2))
    with pytest.raises(openai.APIError, match="Upstream provider error") as caught:
        collect(stream(fake_llm))
    assert not isinstance(caught.value, (openai.APIStatusError, openai.APIConnectionError))
    assert caught.value.body == {"message": "Upstream provider error", "code": 502}


def test_missing_finish_reason(fake_llm):
    fake_llm.enqueue(Reply(text="cut short", finish_reason=None))
    text, finishes, _ = collect(stream(fake_llm))
    assert text == "cut short"
    assert finishes == []


def test_length_finish_reason(fake_llm):
    fake_llm.enqueue(Reply(text="too long", finish_reason="length"))
    assert collect(stream(fake_llm))[1] == ["length"]


def test_refused_connection():
    with pytest.raises(openai.APIConnectionError) as caught:
        stream(refused_url())
    assert not isinstance(caught.value, openai.APITimeoutError)


def test_connect_timeout():
    with Blackhole() as hole:
        started = time.monotonic()
        with pytest.raises(openai.APITimeoutError):
            stream(hole.base_url, timeout=1)
        assert time.monotonic() - started < 3


def test_read_timeout(fake_llm):
    fake_llm.enqueue(Reply(text="late", delay_before_headers=3))
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        stream(fake_llm, timeout=0.5)
    assert time.monotonic() - started < 2


def test_twenty_parallel_streams(fake_llm):
    fake_llm.default = Reply(delay=0.005)

    def one(_: int) -> str:
        text, finishes, _ = collect(stream(fake_llm))
        assert finishes == ["stop"]
        return text

    with ThreadPoolExecutor(max_workers=20) as pool:
        texts = list(pool.map(one, range(20)))
    expected = {f"Fake interviewer reply {n}. What would you like to clarify?" for n in range(1, 21)}
    assert set(texts) == expected
    assert len(fake_llm.chat_requests()) == 20


def test_close_cuts_a_slow_stream():
    server = FakeLLMServer().start()
    server.enqueue(Reply(text="one two three four five", delay=5))
    chunks = stream(server)
    next(chunks)
    started = time.monotonic()
    server.close()
    assert time.monotonic() - started < 2
    with pytest.raises(openai.APIConnectionError):
        list(chunks)


def _control(server_url: str, path: str, payload: object | None = None) -> object:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(server_url + path, data=data, method="GET" if data is None else "POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_control_endpoints(fake_llm):
    assert _control(fake_llm.url, "/_control/enqueue", {"text": "Scripted.", "chunk_size": 2})["pending"] == 1
    _control(fake_llm.url, "/_control/enqueue", [{"status": 429, "times": 2}, "after"])
    assert fake_llm.pending() == 4
    assert collect(stream(fake_llm))[0] == "Scripted."
    recorded = _control(fake_llm.url, "/_control/requests")
    assert [r["body"]["messages"] for r in recorded] == [MESSAGES]
    _control(fake_llm.url, "/_control/reset", {})
    assert fake_llm.pending() == 0 and fake_llm.requests == []


def test_standalone_process(tmp_path):
    script = tmp_path / "script.json"
    script.write_text(json.dumps(["From the script.", {"status": 401}]))
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_llm_server", "--port", "0", "--script", str(script)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready = process.stdout.readline()
        base_url = ready.rsplit(" ", 1)[-1].strip()
        assert base_url.startswith("http://127.0.0.1:")
        assert collect(stream(base_url))[0] == "From the script."
        with pytest.raises(openai.AuthenticationError):
            stream(base_url)
        assert collect(stream(base_url))[0] == "Fake interviewer reply 3. What would you like to clarify?"
        recorded = _control(base_url.removesuffix("/v1"), "/_control/requests")
        assert len(recorded) == 3
    finally:
        process.terminate()
        assert process.wait(timeout=5) == 0
