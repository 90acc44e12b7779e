"""Helpers for the browser tests: a `streamlit run` subprocess, and page actions that wait for the app to settle.

Playwright is imported only by the fixtures in `conftest.py`, so this module loads without it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from interview.core.state import Interview, Message
from interview.dialogue import engine
from interview.providers.config import APP_ENV_VARS
from interview.store import SQLiteStore
from tests.helpers import ROOT

APP_SCRIPT = ROOT / "streamlit_app.py"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}
MESSAGE = '[data-testid="stChatMessage"]'
CHAT_BOX = '[data-testid="stChatInput"] textarea'
INTERVIEW_PATH = "/"  # the default page is served at the app's root, whatever its url_path
HISTORY_PATH = "/history"
ID = re.compile(r"[0-9a-f]{32}")

# The app is idle: connected, no script run under way, no "Running..." widget, and (on the interview page, when
# `chat` is true) the chat box on screen. An exception on the page ends the wait with its text.
_IDLE_JS = """(chat) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testConnectionState !== 'CONNECTED' || app.dataset.testScriptState !== 'notRunning') {
    return false;
  }
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  const exception = document.querySelector('[data-testid="stException"]');
  if (exception) return 'the app raised: ' + exception.innerText;
  if (!chat) return true;
  const box = document.querySelector('[data-testid="stChatInput"] textarea');
  return !!box && box.getClientRects().length > 0;
}"""
_COUNT_CONTAINING_JS = """([selector, text]) =>
  [...document.querySelectorAll(selector)].filter((el) => el.innerText.includes(text)).length"""
_MORE_CONTAINING_JS = f"""([selector, text, before]) => {{
  const exception = document.querySelector('[data-testid="stException"]');
  if (exception) return 'the app raised: ' + exception.innerText;
  return ({_COUNT_CONTAINING_JS})([selector, text]) > before;
}}"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(llm_base_url: str, db_path: Path, **extra: str) -> dict[str, str]:
    """The process environment for `streamlit run`: the caller's, less every app variable, plus the fake server's."""
    env = {name: value for name, value in os.environ.items() if name not in APP_ENV_VARS}
    env.update(
        INTERVIEW_PROVIDER="custom",
        INTERVIEW_BASE_URL=llm_base_url,
        INTERVIEW_MODEL="fake-model",
        INTERVIEW_DB=str(db_path),
        INTERVIEW_TIMEOUT="5",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class StreamlitServer:
    """`python -m streamlit run streamlit_app.py` on a free loopback port, its output in `log_path`.

    It runs in `workdir` (so no developer `.env` is read) against `db_path`; `start()` may be called again after
    `kill()` or `stop()`, and picks a new port. `launcher` replaces `-m streamlit` after the interpreter.
    """

    def __init__(
        self,
        llm_base_url: str,
        workdir: Path,
        db_path: Path | None = None,
        launcher: tuple[str, ...] = ("-m", "streamlit"),
        **extra_env: str,
    ):
        self.workdir = workdir
        self.launcher = launcher
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.db_path = db_path or workdir / "interviews.db"
        self.log_path = workdir / "streamlit.log"
        self.env = app_environment(llm_base_url, self.db_path, **extra_env)
        self.proc: subprocess.Popen | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None, "the server is not started"
        return self.proc.pid

    def start(self, timeout: float = 60, port: int | None = None) -> StreamlitServer:
        self.port = port or free_port()
        command = [
            sys.executable,
            *self.launcher,
            "run",
            str(APP_SCRIPT),
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",  # other people edit the sources while tests run; never offer a rerun for that
            "--client.toolbarMode",
            "minimal",
            # Only the workdir's secrets (none unless a test writes them), never a developer's in the repo or home.
            "--secrets.files",
            str(self.workdir / ".streamlit" / "secrets.toml"),
        ]
        with open(self.log_path, "ab") as log:
            log.write(f"--- starting on port {self.port}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                command, cwd=self.workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        self._wait_healthy(timeout)
        return self

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"streamlit was not healthy after {timeout:g}s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: no cleanup of any kind, as in a crash or an OOM kill."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def status_kb(self, field: str) -> int:
        """A memory figure in kB from /proc/<pid>/status, e.g. VmRSS or VmHWM (peak RSS)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
        raise KeyError(field)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


# --- page actions -------------------------------------------------------------------------------------------------


def wait_idle(page: Any, timeout: float = 30, chat: bool = True) -> None:
    """Wait until no script run is under way, and still none a moment later (reruns follow each other closely)."""
    for attempt in range(3):
        if attempt:
            page.wait_for_timeout(150)
        state = page.wait_for_function(_IDLE_JS, arg=chat, timeout=timeout * 1000, polling=100).json_value()
        if isinstance(state, str):
            raise AssertionError(state)  # fail at once with the app's own error, not after a timeout


def open_app(page: Any, url: str, timeout: float = 60) -> None:
    page.goto(url)
    wait_idle(page, timeout)


def count_containing(page: Any, text: str, selector: str = MESSAGE) -> int:
    return page.evaluate(_COUNT_CONTAINING_JS, [selector, text])


def wait_for_text(page: Any, text: str, selector: str = MESSAGE, timeout: float = 30, before: int = 0) -> None:
    """Wait until more than `before` elements matching `selector` contain `text` (or the app shows an exception)."""
    handle = page.wait_for_function(
        _MORE_CONTAINING_JS, arg=[selector, text, before], timeout=timeout * 1000, polling=50
    )
    state = handle.json_value()
    if isinstance(state, str):
        raise AssertionError(state)


def submit(page: Any, text: str) -> int:
    """Type `text` into the chat box and press Enter without waiting; returns how many messages held it before."""
    before = count_containing(page, text)
    box = page.locator(CHAT_BOX)
    box.fill(text)
    box.press("Enter")
    return before


def send(page: Any, text: str, reply: str | None = None, timeout: float = 30) -> None:
    """Send a chat message and wait for the run it starts to end (and for `reply`, when given, to be shown)."""
    before = submit(page, text)
    wait_for_text(page, text, timeout=timeout, before=before)  # the run has started: our message is on screen
    if reply is not None:
        wait_for_text(page, reply, timeout=timeout)
    wait_idle(page, timeout)


def messages(page: Any) -> list[str]:
    """The text of every chat message on the page, avatar excluded."""
    return [text.strip() for text in page.locator(f'{MESSAGE} [data-testid="stChatMessageContent"]').all_inner_texts()]


def click_button(page: Any, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()


def download(page: Any, label: str) -> tuple[str, str]:
    """Click a download button; returns the browser's suggested file name and the file's text."""
    return download_from(page, page.get_by_role("button", name=label, exact=True))


def download_from(page: Any, button: Any, chat: bool = True) -> tuple[str, str]:
    """Click this download button; returns the suggested file name and the file's text once the app is idle."""
    with page.expect_download() as info:
        button.click()
    item = info.value
    text = Path(item.path()).read_text(encoding="utf-8")
    wait_idle(page, chat=chat)
    return item.suggested_filename, text


def interview_id(page: Any) -> str:
    """The ?interview=<id> of the page's URL."""
    return parse_qs(urlparse(page.url).query)["interview"][0]


def location(page: Any) -> tuple[str, str | None]:
    """The page's URL path and its ?interview= value (None when there is none)."""
    url = urlparse(page.url)
    return url.path, parse_qs(url.query).get("interview", [None])[0]


def wait_for_location(
    page: Any, path: str, interview: str | re.Pattern | None, timeout: float = 30, chat: bool | None = None
) -> None:
    """Wait until the URL has this path and ?interview= (a value, a pattern, or None for none), then for the app.

    `chat` (whether the idle page shows the chat box) defaults to whether `path` is the Interview page's.
    """
    deadline = time.monotonic() + timeout
    while True:
        shown_path, shown_id = location(page)
        if shown_path == path and (
            interview.fullmatch(shown_id or "") if isinstance(interview, re.Pattern) else shown_id == interview
        ):
            break
        exception = page.get_by_test_id("stException")
        if exception.count():
            raise AssertionError(f"the app raised: {exception.first.inner_text()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"the URL is {page.url}, not path {path!r} with interview={interview!r}")
        page.wait_for_timeout(100)
    wait_idle(page, timeout, chat=path == INTERVIEW_PATH if chat is None else chat)


def heading(page: Any) -> str:
    """The page's title (its first h1)."""
    return page.locator("h1").first.inner_text().strip()


def keyed(page: Any, key: str) -> Any:
    """The element of the widget created with `key=` (Streamlit marks its container with `st-key-<key>`)."""
    return page.locator(f".st-key-{key}")


def choose(page: Any, key: str, option: str, chat: bool = True) -> None:
    """Pick `option` in the selectbox created with `key=`, and wait for the run it starts."""
    box = keyed(page, key).get_by_role("combobox")
    box.press("ArrowDown")  # opens the list (a click on the box only focuses it)
    box.fill(option)  # filters it, so a long list need not be scrolled
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page, chat=chat)


def search_history(page: Any, text: str) -> None:
    """Type `text` into History's search box and wait for the filtered list."""
    box = page.get_by_label("Search questions and transcripts")
    box.fill(text)
    box.press("Enter")
    wait_idle(page, chat=False)


def nav_link(page: Any, title: str) -> Any:
    """A page's link in the sidebar navigation."""
    return page.get_by_test_id("stSidebarNav").get_by_role("link").filter(has_text=title)


def open_button(page: Any, db_path: Path, interview_id: str) -> Any:
    """History's Open button for this stored interview, found by its name ("Open: <question>, 5 Dec"), as a screen
    reader names it."""
    interview = SQLiteStore(db_path).load(interview_id)
    assert interview is not None, f"interview {interview_id} is not stored"
    day = datetime.fromtimestamp(interview.created_at)
    return page.get_by_role("button", name=f"Open: {interview.question}, {day.day} {day:%b}", exact=True)


def seed_interview(db_path: Path, question: str, *turns: str, **settings: Any) -> Interview:
    """A stored interview: the question, then `turns` alternating candidate and interviewer."""
    store = SQLiteStore(db_path)
    interview = engine.start_interview(question, store, **settings)
    for index, text in enumerate(turns):
        role = "user" if index % 2 == 0 else "assistant"
        engine.record(interview, interview.add(Message(role, text, interview.phase)), store)
    return interview


def save_screenshot(page: Any, folder: Path, picture: Path) -> Path:
    """Photograph the page (pointer moved away, so no hover effects) into `folder`; copy it to the docs' `picture`
    when that is missing or UPDATE_SCREENSHOT=1, so an ordinary test run leaves the committed picture alone."""
    page.mouse.move(1390, 890)
    page.wait_for_timeout(300)
    shot = folder / picture.name
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000, "the page looks empty"
    if os.environ.get("UPDATE_SCREENSHOT") == "1" or not picture.exists():
        picture.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, picture)
    return shot
