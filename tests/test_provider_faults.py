"""The OpenAI-compatible provider against the fake server: every fault gives a specific message."""

import pytest

from interview.providers.base import ProviderError, StreamInfo
from interview.providers.config import settings_for
from interview.providers.openai_compat import OpenAICompatibleProvider, redact, sse_data
from tests.fake_llm_server import Blackhole, Fault, Reply, refused_url

TEXT = "Let us start with requirements. What matters most to you?"


def provider_for(base_url, name="custom", timeout="5", **env):
    env = {"INTERVIEW_TIMEOUT": timeout, "INTERVIEW_MODEL": "fake-model", **env}
    if name == "custom":
        env["INTERVIEW_BASE_URL"] = base_url
    settings = settings_for(name, env=env, base_url=base_url)
    return OpenAICompatibleProvider(settings)


def collect(provider, messages=None):
    info, text = StreamInfo(), ""
    try:
        for chunk in provider.stream(messages or [{"role": "user", "content": "hi"}], info):
            text += chunk
    except ProviderError as exc:
        return text, info, exc
    return text, info, None


def test_streams_text_and_finish_reason(fake_llm):
    fake_llm.enqueue(TEXT)
    text, info, error = collect(provider_for(fake_llm.base_url))
    assert (text, info.finish_reason, error) == (TEXT, "stop", None)
    assert fake_llm.chat_requests()[0]["model"] == "fake-model"
    assert fake_llm.chat_requests()[0]["stream"] is True


def test_openrouter_sends_attribution_headers_and_asks_for_usage(fake_llm):
    fake_llm.enqueue(TEXT)
    provider = provider_for(fake_llm.base_url, name="openrouter", OPENROUTER_API_KEY="k")
    text, info, error = collect(provider)
    assert error is None and info.usage["completion_tokens"] > 0
    request = next(r for r in fake_llm.requests if r["path"].endswith("/chat/completions"))
    assert request["headers"]["x-title"] and request["headers"]["http-referer"]
    assert request["headers"]["authorization"] == "Bearer k"


def test_the_server_s_reused_prompt_prefix_is_recorded(fake_llm):
    fake_llm.enqueue(Reply(text=TEXT, cached_tokens=1024))
    provider = provider_for(fake_llm.base_url, name="openrouter", OPENROUTER_API_KEY="k")
    _, info, error = collect(provider)
    assert error is None and info.usage["cached_tokens"] == 1024
    fake_llm.enqueue(TEXT)
    _, info, _ = collect(provider)
    assert "cached_tokens" not in info.usage, "no figure is invented when the server reports none"


@pytest.mark.parametrize(
    ("fault", "kind", "words"),
    [
        (Fault(status=401), "auth", "401"),
        (Fault(status=403), "forbidden", "403"),
        (Fault(status=404), "not_found", "was not found (404)"),
        (Fault(status=429, times=3), "rate_limit", "429"),
        (Fault(status=500, times=3), "server", "500"),
        (Fault(status=503, times=3), "server", "503"),
        (Fault(context_length=True), "context_length", "context window"),
        (Reply(text=TEXT, drop_after=3), "dropped", "dropped the connection mid-reply"),
        (Reply(text=TEXT, malformed_after=3), "bad_stream", "malformed"),
        (Reply(text=TEXT, error_event_after=3), "stream_error", "Upstream provider error"),
        (Reply(text=TEXT, finish_reason=None), "incomplete", "ended before the model finished"),
        (Reply(text="", finish_reason=None), "empty", "closed the stream without a reply"),
        (Reply(text=TEXT, finish_reason="length"), "length", "length limit"),
    ],
)
def test_each_fault_has_a_specific_message(fake_llm, fault, kind, words):
    fake_llm.enqueue(fault)
    text, _, error = collect(provider_for(fake_llm.base_url))
    assert error is not None and error.kind == kind
    assert words in error.message
    if fault.drop_after or fault.malformed_after or fault.error_event_after:
        assert text and TEXT.startswith(text), "the partial reply is kept"


def test_retry_after_a_transient_429_succeeds(fake_llm):
    fake_llm.enqueue(Fault(status=429, times=1))
    fake_llm.enqueue(TEXT)
    assert collect(provider_for(fake_llm.base_url))[0] == TEXT


def test_ollama_messages_say_what_to_run(fake_llm):
    fake_llm.enqueue(Fault(status=404))
    _, _, error = collect(provider_for(fake_llm.base_url, name="ollama"))
    assert "ollama pull fake-model" in error.message
    _, _, error = collect(provider_for(refused_url(), name="ollama"))
    assert error.kind == "unreachable" and "ollama serve" in error.message


def test_connection_refused():
    _, _, error = collect(provider_for(refused_url()))
    assert error.kind == "unreachable" and "Cannot reach" in error.message


def test_connect_timeout():
    with Blackhole() as hole:
        _, _, error = collect(provider_for(hole.base_url, timeout="1"))
    assert error.kind in ("timeout", "unreachable")
    assert "did not answer within 1 seconds" in error.message or "Cannot reach" in error.message


def test_read_timeout(fake_llm):
    fake_llm.enqueue(Reply(text=TEXT, delay_before_headers=3, times=3))
    _, _, error = collect(provider_for(fake_llm.base_url, timeout="0.5"))
    assert error.kind == "timeout" and "0.5 seconds" in error.message


def test_server_that_stalls_mid_reply_times_out_and_keeps_the_partial_text(fake_llm):
    fake_llm.enqueue(Reply(text=TEXT, delay=3))
    text, _, error = collect(provider_for(fake_llm.base_url, timeout="0.5"))
    assert error.kind == "timeout" and "mid-reply" in error.message
    assert text and TEXT.startswith(text) and text != TEXT


def test_keepalive_comments_are_skipped(fake_llm):
    fake_llm.enqueue(Reply(text=TEXT, keepalive_comments=True))
    provider = provider_for(fake_llm.base_url, name="openrouter", OPENROUTER_API_KEY="k")
    text, info, error = collect(provider)
    assert error is None and text == TEXT
    assert info.finish_reason == "stop" and info.usage["completion_tokens"] > 0


def test_sse_data_follows_the_event_stream_format():
    lines = [": comment", "event: message", 'data: {"a":', "data:1}", "", "", "id: 7", "data: [DONE]"]
    assert list(sse_data(lines)) == ['{"a":\n1}', "[DONE]"]


@pytest.mark.parametrize("event", ['["a list"]', '{"choices": ["not an object"]}', "{not json"])
def test_events_of_the_wrong_shape_are_malformed_not_a_crash(fake_llm, event):
    fake_llm.enqueue(Reply(text=TEXT, raw_event=event))
    _, _, error = collect(provider_for(fake_llm.base_url))
    assert error.kind == "bad_stream" and "malformed" in error.message


def test_a_delta_that_is_not_an_object_carries_no_text(fake_llm):
    fake_llm.enqueue(Reply(text=TEXT, raw_event='{"choices": [{"delta": 5}]}'))
    assert collect(provider_for(fake_llm.base_url))[:1] == (TEXT,)


def test_missing_key_names_the_variable():
    provider = OpenAICompatibleProvider(settings_for("openai", env={}))
    _, _, error = collect(provider)
    assert error.kind == "missing_key" and "OPENAI_API_KEY" in error.message


def test_key_never_appears_in_error_messages(fake_llm):
    key = "sk-test-DISTINCTIVE-9f8e7d6c"
    fake_llm.enqueue(Fault(status=401, message=f"Incorrect API key provided: {key}"))
    fake_llm.enqueue(Fault(status=418, message=f"teapot {key}"))
    provider = provider_for(fake_llm.base_url, name="custom", INTERVIEW_API_KEY=key)
    assert key not in collect(provider)[2].message
    assert key not in collect(provider)[2].message
    assert redact(f"key sk-abcdef123456 and {key}", key) == "key [redacted] and [redacted]"


def test_models_list(fake_llm):
    assert provider_for(fake_llm.base_url).list_models() == ["fake-model", "fake-model-2"]
    assert provider_for(refused_url()).list_models() == []
