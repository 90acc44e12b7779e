"""A fake OpenAI-compatible chat-completions server for tests, in-process or standalone (stdlib only).

In process: ``with FakeLLMServer() as server:`` then ``server.enqueue("text")`` or ``server.enqueue(Fault(status=429))``
and point ``openai.OpenAI(base_url=server.base_url)`` at it. Standalone, for a separate ``streamlit run`` or a browser:
``python -m tests.fake_llm_server --port 8765 --script replies.json``, where the script is a JSON list of entries (a
string, or an object with `Reply` fields), and ``POST /_control/enqueue`` (one entry or a list),
``GET /_control/requests`` and ``POST /_control/reset`` drive it over HTTP.

What the real openai 3.x client (on httpx2) raises, observed against this server: a stream dropped mid-reply
(`drop_after`) raises `openai.APIConnectionError` while iterating (cause: `httpx2.RemoteProtocolError`, an incomplete
chunked read); a malformed chunk (`malformed_after`) raises a bare `json.JSONDecodeError` (a `ValueError`, not an
`openai.APIError`); an SSE ``error`` event raises `openai.APIError` (not an `APIStatusError`) with the event's
``error`` object as ``body``; a refused port raises `openai.APIConnectionError`; a connect or read timeout raises
`openai.APITimeoutError` (a subclass of `APIConnectionError`, so catch it first).
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import signal
import socket
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_TEXT = "Fake interviewer reply {n}. What would you like to clarify?"
MODELS = ("fake-model", "fake-model-2")
CONTEXT_LENGTH_MESSAGE = (
    "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens."
)

# status -> (message, type, code), shaped like OpenAI's own error bodies.
_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("Invalid request.", "invalid_request_error", None),
    401: ("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    403: ("You are not allowed to use this model.", "permission_error", "model_not_allowed"),
    404: (
        "The model `{model}` does not exist or you have no access to it.",
        "invalid_request_error",
        "model_not_found",
    ),
    429: ("Rate limit reached for requests.", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request.", "server_error", None),
    502: ("Bad gateway.", "server_error", None),
    503: ("The engine is currently overloaded, please try again later.", "server_error", None),
}
_WORDS = re.compile(r"\S+\s*|\s+")


@dataclass
class Reply:
    """One scripted answer to a chat-completions request; the defaults give a normal streamed reply."""

    text: str | None = None  # None: the default numbered reply
    chunk_size: int | None = None  # characters per chunk; None: one word (with its trailing space) per chunk
    delay: float = 0.0  # seconds between chunks
    delay_before_headers: float = 0.0  # seconds before any byte of the response
    finish_reason: str | None = "stop"  # None: the stream ends without a finish reason (still sends [DONE])
    status: int = 200  # not 200: an OpenAI-style JSON error body instead of a reply
    message: str | None = None  # error text override
    times: int = 1  # how many consecutive chat requests this entry answers
    drop_after: int | None = None  # send N content chunks, then close the socket mid-body
    malformed_after: int | None = None  # send N content chunks, then `data: {not json`, then end
    error_event_after: int | None = None  # send N content chunks, then an SSE `error` event (as OpenRouter does)
    context_length: bool = False  # shortcut: 400 context_length_exceeded
    headers: dict[str, str] | None = None  # extra response headers
    raw_event: str | None = None  # sent verbatim as the data of the first event after the role chunk
    keepalive_comments: bool = False  # an SSE comment line before every event, as OpenRouter sends while it waits
    cached_tokens: int | None = None  # usage's prompt_tokens_details.cached_tokens, as OpenAI reports a reused prefix


Fault = Reply  # same fields; reads better for errors, e.g. Fault(status=429, times=3)


def parse_entry(entry: str | dict[str, Any] | Reply) -> Reply:
    """A Reply from a script entry: a string (the reply text) or a dict of Reply fields."""
    if isinstance(entry, Reply):
        return entry
    if isinstance(entry, str):
        return Reply(text=entry)
    if isinstance(entry, dict):
        unknown = set(entry) - {f.name for f in fields(Reply)}
        if unknown:
            raise ValueError(f"unknown Reply fields: {sorted(unknown)}")
        return Reply(**entry)
    raise ValueError(f"a script entry must be a string or an object, not {type(entry).__name__}")


def split_chunks(text: str, chunk_size: int | None) -> list[str]:
    """Content chunks whose concatenation is exactly `text`."""
    if chunk_size:
        return [text[i : i + chunk_size] for i in range(0, len(text), chunk_size)]
    return _WORDS.findall(text)


class _Aborted(Exception):
    """The server is closing, or the client went away: stop answering this request."""


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 with chunked streams, so a socket closed mid-body is a visible error, not a normal EOF end.
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # keep test output clean

    def setup(self) -> None:
        super().setup()
        self.server.fake.track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake.track(self.connection, add=False)

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        fake = self.server.fake
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        path = self.path.split("?", 1)[0]
        try:
            if path.startswith("/_control/"):
                self._control(path, body)
                return
            fake.record(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            if self.command == "GET" and path.endswith("/models"):
                self._send_json(200, fake.models_payload())
            elif self.command == "POST" and path.endswith("/audio/transcriptions"):
                self._transcription(raw)
            elif self.command == "POST" and path.endswith("/chat/completions"):
                if not isinstance(body, dict):
                    self._send_error(Reply(status=400, message="The request body is not valid JSON."), "")
                else:
                    self._chat(body)
            else:
                self._send_error(Reply(status=404, message=f"Unknown path {self.command} {path}."), "")
        except (_Aborted, OSError):
            self.close_connection = True

    def _control(self, path: str, body: Any) -> None:
        fake = self.server.fake
        if self.command == "GET" and path == "/_control/requests":
            self._send_json(200, fake.requests)
        elif self.command == "POST" and path == "/_control/reset":
            fake.reset()
            self._send_json(200, {"ok": True})
        elif self.command == "POST" and path == "/_control/enqueue":
            try:
                for entry in body if isinstance(body, list) else [body]:
                    fake.enqueue(parse_entry(entry))
            except (TypeError, ValueError) as exc:
                self._send_json(400, {"error": {"message": str(exc), "type": "invalid_request_error", "code": None}})
                return
            self._send_json(200, {"ok": True, "pending": fake.pending()})
        else:
            self._send_json(404, {"error": {"message": f"Unknown control {path}.", "type": "not_found", "code": None}})

    def _transcription(self, upload: bytes) -> None:
        # OpenAI's speech to text: keeps the multipart upload; answers `fake.transcript`, or a 500 when it is None.
        fake = self.server.fake
        fake.transcription_uploads.append(upload)
        if fake.transcript is None:
            self._send_json(500, {"error": {"message": "transcription failed", "type": "server_error", "code": None}})
        else:
            self._send_json(200, {"text": fake.transcript})

    def _chat(self, body: dict[str, Any]) -> None:
        fake = self.server.fake
        reply, number = fake.next_reply()
        fake.sleep(reply.delay_before_headers)
        model = str(body.get("model") or MODELS[0])
        if reply.context_length or reply.status != 200:
            self._send_error(reply, model)
            return
        text = reply.text if reply.text is not None else DEFAULT_TEXT.format(n=number)
        completion_id = f"chatcmpl-fake-{number}"
        if not body.get("stream"):
            message = {"role": "assistant", "content": text}
            payload = {
                "id": completion_id,
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "message": message, "finish_reason": reply.finish_reason}],
                "usage": _usage(body, text),
            }
            self._send_json(200, payload, reply.headers)
            return
        self._stream(reply, body, model, completion_id, text)

    def _stream(self, reply: Reply, body: dict[str, Any], model: str, completion_id: str, text: str) -> None:
        fake = self.server.fake
        envelope = {"id": completion_id, "object": "chat.completion.chunk", "created": int(time.time()), "model": model}

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
            return {**envelope, "choices": [choice]}

        self.keepalive_comments = reply.keepalive_comments
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in (reply.headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self._event(chunk({"role": "assistant", "content": ""}))
        if reply.raw_event is not None:
            self._write_chunk(b"data: " + reply.raw_event.encode() + b"\n\n")
        for sent, piece in enumerate(split_chunks(text, reply.chunk_size)):
            if sent == reply.drop_after:
                self._drop()
                return
            if sent == reply.malformed_after:
                self._write_chunk(b"data: {not json\n\n")
                self._end_and_close()
                return
            if sent == reply.error_event_after:
                self._error_event()
                return
            if sent:
                fake.sleep(reply.delay)
            self._event(chunk({"content": piece}))
        # An `_after` count at or past the number of chunks fires once all content is sent.
        if reply.drop_after is not None:
            self._drop()
            return
        if reply.malformed_after is not None:
            self._write_chunk(b"data: {not json\n\n")
            self._end_and_close()
            return
        if reply.error_event_after is not None:
            self._error_event()
            return
        if reply.finish_reason is not None:
            self._event(chunk({}, reply.finish_reason))
        options = body.get("stream_options")
        if isinstance(options, dict) and options.get("include_usage"):
            usage = _usage(body, text)
            if reply.cached_tokens is not None:
                usage["prompt_tokens_details"] = {"cached_tokens": reply.cached_tokens}
            self._event({**envelope, "choices": [], "usage": usage})
        self._write_chunk(b"data: [DONE]\n\n")
        self._write_chunk(b"")

    def _event(self, payload: dict[str, Any]) -> None:
        if self.keepalive_comments:
            self._write_chunk(b": OPENROUTER PROCESSING\n\n")
        self._write_chunk(b"data: " + json.dumps(payload).encode() + b"\n\n")

    def _error_event(self) -> None:
        error = {"error": {"message": "Upstream provider error", "code": 502}}
        self._write_chunk(b"event: error\ndata: " + json.dumps(error).encode() + b"\n\n")
        self._end_and_close()

    def _write_chunk(self, data: bytes) -> None:
        """One HTTP/1.1 chunk; empty data writes the terminating chunk."""
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _end_and_close(self) -> None:
        self._write_chunk(b"")
        self.close_connection = True

    def _drop(self) -> None:
        # A FIN mid-body without the terminating chunk: the client sees an incomplete chunked read.
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send_error(self, reply: Reply, model: str) -> None:
        status = 400 if reply.context_length else reply.status
        if reply.context_length:
            default, kind, code = CONTEXT_LENGTH_MESSAGE, "invalid_request_error", "context_length_exceeded"
        else:
            default, kind, code = _ERRORS.get(status, ("Request failed.", "server_error", None))
        message = reply.message if reply.message is not None else default.replace("{model}", model)
        headers = {}
        if status == 429 or status >= 500:
            headers["retry-after-ms"] = "5"  # keep the client's own retries fast
        headers.update(reply.headers or {})
        self._send_json(status, {"error": {"message": message, "type": kind, "param": None, "code": code}}, headers)

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    """Rough word counts standing in for token counts."""
    prompt = sum(len(str(m.get("content") or "").split()) for m in body.get("messages") or [] if isinstance(m, dict))
    completion = len(text.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # 20+ clients connecting at once must not overflow the accept backlog
    fake: FakeLLMServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (OSError, _Aborted)):
            super().handle_error(request, client_address)


class FakeLLMServer:
    """A started-on-demand fake chat-completions server on 127.0.0.1; use as a context manager."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, default: Reply | None = None):
        self.default = default or Reply()
        self._lock = threading.Lock()
        self._queue: deque[list[Any]] = deque()  # [reply, answers left]
        self._requests: list[dict[str, Any]] = []
        self._counter = itertools.count(1)
        self.transcript: str | None = "Transcribed by the fake server."  # None: /audio/transcriptions fails
        self.transcription_uploads: list[bytes] = []
        self._connections: set[socket.socket] = set()
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.fake = self
        self.host, self.port = self._httpd.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"
        self.base_url = f"{self.url}/v1"

    def start(self) -> FakeLLMServer:
        """Serve in a daemon thread; returns self."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-llm", daemon=True
            )
            self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving, wake sleeping handlers and cut open connections."""
        self._closing.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def enqueue(self, reply: str | dict[str, Any] | Reply) -> None:
        """Answer the next chat request(s) with this reply (a string is a normal streamed reply)."""
        reply = parse_entry(reply)
        with self._lock:
            self._queue.append([reply, max(1, reply.times)])

    def pending(self) -> int:
        """Chat requests the queue will still answer before falling back to the default reply."""
        with self._lock:
            return sum(left for _, left in self._queue)

    def reset(self) -> None:
        """Forget queued replies and recorded requests, and restart the reply numbering."""
        with self._lock:
            self._queue.clear()
            self._requests.clear()
            self._counter = itertools.count(1)
            self.transcript = "Transcribed by the fake server."
            self.transcription_uploads.clear()

    @property
    def requests(self) -> list[dict[str, Any]]:
        """A snapshot of every API request: method, path, headers (lower-case keys) and parsed JSON body."""
        with self._lock:
            return list(self._requests)

    def chat_requests(self) -> list[Any]:
        """The bodies of the chat-completions requests, in arrival order."""
        return [r["body"] for r in self.requests if r["method"] == "POST" and r["path"].endswith("/chat/completions")]

    def models_payload(self) -> dict[str, Any]:
        """The `GET /models` answer."""
        data = [{"id": name, "object": "model", "created": 1700000000, "owned_by": "fake"} for name in MODELS]
        return {"object": "list", "data": data}

    def record(self, method: str, path: str, headers: dict[str, str], body: Any) -> None:
        """Keep one request for later inspection."""
        with self._lock:
            self._requests.append({"method": method, "path": path, "headers": headers, "body": body})

    def next_reply(self) -> tuple[Reply, int]:
        """The reply for the next chat request and that request's 1-based number."""
        with self._lock:
            number = next(self._counter)
            if not self._queue:
                return self.default, number
            entry = self._queue[0]
            entry[1] -= 1
            if entry[1] <= 0:
                self._queue.popleft()
            return entry[0], number

    def sleep(self, seconds: float) -> None:
        """Wait, but give up at once when the server closes."""
        if seconds > 0 and self._closing.wait(seconds):
            raise _Aborted

    def track(self, connection: socket.socket, add: bool) -> None:
        """Remember open client connections so close() can cut them."""
        with self._lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)


def refused_url() -> str:
    """A base URL on a port that was bound and closed, so connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


class Blackhole:
    """A base URL where TCP connects hang: a full listen queue that never accepts, so new SYNs are dropped."""

    def __init__(self, fillers: int = 3):
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(0)
        self.port = self._listener.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._fillers: list[socket.socket] = []
        for _ in range(fillers):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", self.port))  # completes or stays pending; either fills the queue
            self._fillers.append(filler)
        time.sleep(0.05)  # let the handshakes settle into the accept queue

    def close(self) -> None:
        """Close the fillers and the listener."""
        for sock in [*self._fillers, self._listener]:
            sock.close()

    def __enter__(self) -> Blackhole:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def main(argv: list[str] | None = None) -> None:
    """Run the server in the foreground until interrupted or terminated."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--script", help="JSON file: a list of entries (a string, or an object of Reply fields)")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between chunks of the default reply")
    parser.add_argument("--chunk-size", type=int, default=None, help="characters per chunk of the default reply")
    args = parser.parse_args(argv)
    server = FakeLLMServer(args.host, args.port, default=Reply(delay=args.delay, chunk_size=args.chunk_size))
    if args.script:
        with open(args.script, encoding="utf-8") as handle:
            script = json.load(handle)
        for entry in script if isinstance(script, list) else [script]:
            server.enqueue(entry)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server.start()
    print(f"fake LLM server ready at {server.base_url}", flush=True)  # callers wait for this line
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


if __name__ == "__main__":
    main()
