"""Shared helpers: realistic Markdown replies, token chunking, medians, Markdown tables, app environments."""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from interview.providers.config import APP_ENV_VARS

ROOT = Path(__file__).resolve().parent.parent
CHARS_PER_TOKEN = 4


_TOPICS = (
    ("Requirements", "the URL shortener", "create, redirect and expire short links"),
    ("Capacity estimates", "the write path", "100M new links a month and a 100:1 read ratio"),
    ("API design", "the public API", "idempotent creates and cacheable redirects"),
    ("Data model", "the link store", "a key-value table keyed by the short code"),
    ("Caching", "the redirect path", "a read-through cache in front of the store"),
    ("Scaling", "the whole system", "stateless web servers behind a load balancer"),
)


def _section(index: int) -> str:
    title, subject, focus = _TOPICS[index % len(_TOPICS)]
    n = index + 1
    paragraph = (
        f"Let's look at {subject} next (part {n}). The main goal is {focus}, so every choice below is judged by "
        f"latency, cost and how it fails. Keep the **hot path** short: one cache lookup, one store read on a miss, "
        f"and a `301` or `302` back to the client. Which of these would you change first, and why?"
    )
    follow_up = (
        "A common mistake here is to add a queue before the store is the bottleneck. Measure first: at roughly "
        f"{1200 * n:,} requests per second a single primary with two replicas is comfortably enough."
    )
    bullets = "\n".join(
        [
            f"- **Availability**: redirects keep working if one zone of {n + 2} fails",
            f"- **Latency**: p99 under {20 + n} ms for a cache hit",
            "- **Consistency**: a new link is readable within one second",
            f"- **Cost**: about ${40 * n} a month of storage at the current growth",
        ]
    )
    code = "\n".join(
        [
            "```python",
            "ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'",
            "",
            f"def encode(number: int, width: int = {6 + n % 3}) -> str:",
            "    digits = []",
            "    while number:",
            "        number, rest = divmod(number, 62)",
            "        digits.append(ALPHABET[rest])",
            "    return ''.join(reversed(digits)).rjust(width, '0')",
            "```",
        ]
    )
    table = "\n".join(
        [
            "| Component | Choice | Why |",
            "|-----------|--------|-----|",
            f"| Store | DynamoDB | {n} ms reads at any scale |",
            "| Cache | Redis | hot links fit in memory |",
            "| IDs | counter ranges | no coordination per write |",
        ]
    )
    numbered = "\n".join(["1. Check the cache.", "2. Read the store on a miss.", "3. Fill the cache and redirect."])
    return "\n\n".join([f"## {title}", paragraph, bullets, follow_up, code, table, numbered])


def markdown_reply(tokens: int) -> str:
    """A realistic interviewer reply of exactly `tokens` * 4 characters.

    Headings, paragraphs, bullet and numbered lists, a fenced code block and a table, repeated with variations.
    """
    target = tokens * CHARS_PER_TOKEN
    parts: list[str] = []
    used = 0
    index = 0
    while used + len(_section(index)) + 2 <= target - 300:  # leave room for a closing paragraph
        parts.append(_section(index))
        used += len(parts[-1]) + 2
        index += 1
    closing = (  # asks a question early: the app appends its own question to a reply that asks none
        "What happens on a redirect, end to end? Walk me through it from the browser to the store and back. "
        "To sum up: start simple, measure, and add a piece only when a number says you need it. "
    )
    parts += [closing.strip()] * (1 + target // len(closing))  # closing paragraphs, cut to the exact length
    return "\n\n".join(parts)[:target]


def token_chunks(text: str, size: int = CHARS_PER_TOKEN) -> list[str]:
    """Split text into `size`-character "tokens" whose concatenation is the text."""
    return [text[i : i + size] for i in range(0, len(text), size)]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**overrides: str) -> dict[str, str]:
    """A copy of os.environ without the app's variables, plus `overrides`."""
    env = {k: v for k, v in os.environ.items() if k not in APP_ENV_VARS}
    env.update(overrides)
    return env


@contextlib.contextmanager
def app_environment(base_url: str) -> Iterator[Path]:
    """Point the real page at a fake server and a fresh database, in a scratch working directory (no `.env`)."""
    import streamlit as st

    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="bench-app-") as tmp:
        os.environ.clear()
        os.environ.update(
            clean_env(
                INTERVIEW_PROVIDER="custom",
                INTERVIEW_BASE_URL=base_url,
                INTERVIEW_MODEL="fake-model",
                INTERVIEW_TIMEOUT="60",
                INTERVIEW_DB=str(Path(tmp) / "interviews.db"),
            )
        )
        os.chdir(tmp)
        st.cache_resource.clear()
        st.cache_data.clear()
        try:
            yield Path(tmp)
        finally:
            st.cache_resource.clear()
            st.cache_data.clear()
            os.chdir(saved_cwd)
            os.environ.clear()
            os.environ.update(saved_env)


def wait_for_page(timeout: float = 900.0, poll: float = 5.0) -> None:
    """Other work may leave the page briefly unimportable (e.g. `interview.store` being written): wait until it imports.

    Checked in a fresh interpreter each time, so a half-written module never sticks in this process's imports.
    """
    import subprocess
    import sys
    import time

    deadline = time.monotonic() + timeout
    check = "import interview.store, ui.interview_page, ui.history_page"
    while True:
        done = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True)
        if done.returncode == 0:
            return
        error = (done.stderr.strip().splitlines() or ["?"])[-1]
        if time.monotonic() > deadline:
            raise RuntimeError(f"the page still does not import after {timeout:.0f} s: {error}")
        print(f"waiting for the page to import ({error})…", file=sys.stderr, flush=True)
        time.sleep(poll)
