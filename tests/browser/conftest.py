"""Browser fixtures: the fake LLM server, a `streamlit run` subprocess pointed at it, and headless Chromium.

Without Chromium (or Playwright) these tests are skipped with a plain reason; with REQUIRE_BROWSER=1 (set by
`.ci/run`) they fail instead, so CI cannot pass without having run them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.browser.support import BROWSER_ARGS, VIEWPORT, StreamlitServer
from tests.fake_llm_server import FakeLLMServer


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1, so the browser tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        _unavailable("Chromium is not installed (install it with: sudo apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path) -> Iterator:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=BROWSER_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def llm_server() -> Iterator[FakeLLMServer]:
    """One fake OpenAI-compatible server for the whole browser suite, on loopback (Streamlit reaches it over TCP)."""
    with FakeLLMServer() as server:
        yield server


@pytest.fixture
def llm(llm_server) -> FakeLLMServer:
    """The shared fake server with an empty queue and no recorded requests."""
    llm_server.reset()
    return llm_server


@pytest.fixture(scope="session")
def app_server(browser, llm_server, tmp_path_factory) -> Iterator[StreamlitServer]:
    """A Streamlit server shared by the tests that need nothing special of it (each test has its own session)."""
    server = StreamlitServer(llm_server.base_url, tmp_path_factory.mktemp("app"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def context(browser) -> Iterator:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def default_viewport_page(browser) -> Iterator:
    """A tab at Playwright's default viewport (1280×720), as a person scripting the browser gets it."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(request, context, tmp_path):
    """A fresh tab in a fresh browser context; on failure its screenshot is saved next to the test's tmp_path."""
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and not page.is_closed():
        shot = tmp_path / "failure.png"
        try:
            page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the failing page: {shot}")
        except Exception as exc:  # the page may be gone; the report matters more
            print(f"no screenshot: {exc}")
