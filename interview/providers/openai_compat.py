"""OpenAI-compatible chat completions over SSE: OpenAI, OpenRouter, Ollama, any custom server."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import openai

from interview.providers.base import Provider, ProviderError, StreamInfo
from interview.providers.config import PRESETS, Preset, ProviderSettings

_KEY_PATTERN = re.compile(r"\b(sk|rk|or|key)-[A-Za-z0-9_\-*.]{4,}", re.IGNORECASE)
_CONTEXT_HINTS = ("context length", "context_length", "maximum context", "too many tokens", "context window")


def redact(text: str, secret: str = "") -> str:
    """Remove the key and anything shaped like a key from a server's message."""
    if secret:
        text = text.replace(secret, "[redacted]")
    return _KEY_PATTERN.sub("[redacted]", text)


def _server_detail(exc: Exception, secret: str) -> str:
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    detail = str(message or getattr(exc, "message", "") or exc)
    detail = redact(" ".join(detail.split()), secret)
    return detail[:240]


class _StreamErrorEvent(Exception):
    """An `error` object sent inside a 200 stream, as OpenRouter and some proxies do."""

    def __init__(self, error: object):
        message = error.get("message") if isinstance(error, dict) else error
        self.message = str(message or "an error occurred during streaming")
        super().__init__(self.message)


def sse_data(lines: Iterable[str]) -> Iterator[str]:
    """The data of each server-sent event: multi-line data joined, comments and other fields skipped."""
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield "\n".join(data)
                data = []
        elif line.startswith("data:"):
            data.append(line[6:] if line.startswith("data: ") else line[5:])
    if data:
        yield "\n".join(data)


class OpenAICompatibleProvider(Provider):
    """Streams from any server that speaks the chat-completions protocol."""

    def __init__(self, settings: ProviderSettings, max_retries: int = 2):
        self.settings = settings
        self.name = settings.provider
        # A provider outside the presets is treated as a plain server: no key required, nothing extra.
        self.preset = PRESETS.get(self.name) or Preset(self.name, self.name, settings.base_url, settings.model)
        self.model = settings.model
        self.context_tokens = settings.context_tokens
        self.max_retries = max_retries
        self._client: openai.OpenAI | None = None

    def client(self) -> openai.OpenAI:
        if self._client is None:
            if self.preset.needs_key and not self.settings.api_key:
                raise ProviderError(
                    "missing_key",
                    f"No API key for {self.preset.label}. Set {self.preset.key_env} in your environment or `.env`, "
                    "or paste a key in the sidebar (it stays in this browser session only).",
                )
            if not self.settings.base_url:
                raise ProviderError(
                    "missing_base_url",
                    "No server address. Set INTERVIEW_BASE_URL (for example http://localhost:8000/v1) "
                    "or type one in the sidebar.",
                )
            self._client = openai.OpenAI(
                api_key=self.settings.api_key or "not-needed",
                base_url=self.settings.base_url,
                timeout=self.settings.timeout_seconds,
                max_retries=self.max_retries,
                default_headers=dict(self.preset.extra_headers),
            )
        return self._client

    def stream(self, messages: list[dict], info: StreamInfo) -> Iterator[str]:
        if not self.model:
            raise ProviderError("missing_model", "No model name. Set INTERVIEW_MODEL or type a model in the sidebar.")
        extra = {"stream_options": {"include_usage": True}} if self.preset.reports_usage else {}
        started = False  # after the response headers, a connection error means the stream broke mid-reply
        received = False
        try:
            # The client sends the request (auth, retries, status errors); we read the SSE body ourselves,
            # because building a pydantic object per chunk costs most of the client's CPU per token.
            completions = self.client().chat.completions.with_streaming_response
            with completions.create(model=self.model, messages=messages, stream=True, **extra) as response:
                started = True
                for data in sse_data(response.iter_lines()):
                    if data.startswith("[DONE]"):
                        break
                    for content in _event_text(json.loads(data), info):
                        received = True
                        yield content
        except ProviderError:
            raise
        except openai.APIStatusError as exc:
            raise self._status_error(exc) from None
        except openai.APITimeoutError:
            raise ProviderError(
                "timeout",
                f"The model server at {self.settings.base_url} did not answer within "
                f"{self.settings.timeout_seconds:g} seconds. Try again, or raise INTERVIEW_TIMEOUT.",
            ) from None
        except openai.APIConnectionError:
            if started:
                raise ProviderError("dropped", "The model server dropped the connection mid-reply.") from None
            raise self._connection_error() from None
        except _StreamErrorEvent as exc:  # an `error` event inside a 200 stream
            detail = redact(" ".join(exc.message.split()), self.settings.api_key)[:240]
            if any(hint in detail.lower() for hint in _CONTEXT_HINTS):
                raise self._context_error(detail) from None
            raise ProviderError("stream_error", f"The model server reported an error mid-reply: {detail}") from None
        except (ValueError, AttributeError):  # bad JSON, or JSON of the wrong shape
            raise ProviderError("bad_stream", "The model server sent a malformed chunk mid-reply.") from None
        except Exception as exc:  # the transport's own errors while reading the body
            if "Timeout" in type(exc).__name__:
                raise ProviderError(
                    "timeout",
                    f"The model server stopped sending for {self.settings.timeout_seconds:g} seconds mid-reply. "
                    "Try again, or raise INTERVIEW_TIMEOUT.",
                ) from None
            if started:
                raise ProviderError("dropped", "The model server dropped the connection mid-reply.") from None
            raise ProviderError("dropped", f"The connection broke ({type(exc).__name__}).") from None
        _check_finished(info, received)

    def _connection_error(self) -> ProviderError:
        where = self.settings.base_url
        if self.preset.start_command:
            return ProviderError(
                "unreachable",
                f"Cannot reach {self.preset.label} at {where}. Start it with `{self.preset.start_command}`, then retry.",
            )
        return ProviderError("unreachable", f"Cannot reach the model server at {where}. Is it running?")

    def _context_error(self, detail: str) -> ProviderError:
        return ProviderError(
            "context_length",
            f"The conversation is longer than the model's context window ({detail}). "
            "Lower INTERVIEW_CONTEXT_TOKENS so older turns are summarised, or use a model with a longer context.",
        )

    def _status_error(self, exc: openai.APIStatusError) -> ProviderError:
        status = exc.status_code
        detail = _server_detail(exc, self.settings.api_key)
        key_env = self.preset.key_env or "the API key"
        if status == 401:
            return ProviderError("auth", f"The server rejected the API key (401). Check {key_env}.")
        if status == 403:
            return ProviderError(
                "forbidden", f"Access denied (403): this key may not use model '{self.model}'. {detail}"
            )
        if status == 404:
            pull = self.preset.pull_command
            fix = f" Run `{pull} {self.model}`." if pull else " Pick another model in the sidebar."
            return ProviderError("not_found", f"Model '{self.model}' was not found (404).{fix}")
        if status == 429:
            return ProviderError(
                "rate_limit",
                f"Rate limited (429) even after {self.max_retries} retries. Wait a minute, then press Retry.",
            )
        if status in (400, 413) and any(hint in detail.lower() for hint in _CONTEXT_HINTS):
            return self._context_error(detail)
        if status >= 500:
            return ProviderError(
                "server", f"The model server failed ({status}) after {self.max_retries} retries. Try again shortly."
            )
        return ProviderError("http", f"The model server refused the request ({status}): {detail}")

    def list_models(self) -> list[str]:
        try:
            return sorted(model.id for model in self.client().with_options(max_retries=0, timeout=3).models.list())
        except (ProviderError, openai.OpenAIError, ValueError):
            return []


def _event_text(event: Any, info: StreamInfo) -> Iterator[str]:
    """The text in one SSE event, in order; the usage and the finish reason go on `info`."""
    if not isinstance(event, dict):
        raise ValueError("an SSE event that is not a JSON object")
    if event.get("error"):
        raise _StreamErrorEvent(event["error"])
    usage = event.get("usage")
    if isinstance(usage, dict):
        info.usage = {key: value for key, value in usage.items() if value is not None}
        details = usage.get("prompt_tokens_details")
        if isinstance(details, dict) and isinstance(details.get("cached_tokens"), int):
            info.usage["cached_tokens"] = details["cached_tokens"]  # the server reused the prefix
    for choice in event.get("choices") or ():
        delta = choice.get("delta")
        content = delta.get("content") if isinstance(delta, dict) else None
        if isinstance(content, str) and content:
            yield content
        if choice.get("finish_reason"):
            info.finish_reason = choice["finish_reason"]


def _check_finished(info: StreamInfo, received: bool) -> None:
    """A stream that ended without a finish, or cut at the length limit, is an error worth naming."""
    if info.finish_reason is None and not received:
        # llama.cpp's server answers an over-long prompt this way when streaming: 200, then nothing.
        raise ProviderError(
            "empty",
            "The model server closed the stream without a reply. If the interview is long, it may not fit the "
            "server's context window: set INTERVIEW_CONTEXT_TOKENS to that window so older turns are summarised.",
        )
    if info.finish_reason is None:
        raise ProviderError("incomplete", "The reply ended before the model finished (the stream closed early).")
    if info.finish_reason == "length":
        raise ProviderError("length", "The reply hit the model's length limit and was cut off.")
