"""Every control of the History page, in Chromium: search, filters, the downloads, Delete, Import, Open.

The shared server's database also holds other tests' interviews, so each test tags its own with a unique word and
searches for it. History's URL is `/history` throughout; Open is the only control that leaves it.
"""

from __future__ import annotations

import json
import uuid

import pytest

from interview.store import SQLiteStore
from interview.transcripts import export
from tests.browser.support import (
    HISTORY_PATH,
    INTERVIEW_PATH,
    choose,
    download_from,
    heading,
    interview_id,
    keyed,
    location,
    messages,
    nav_link,
    open_app,
    open_button,
    search_history,
    seed_interview,
    send,
    wait_for_location,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def open_history(page, url: str, search: str) -> None:
    page.goto(f"{url}{HISTORY_PATH}")
    wait_for_location(page, HISTORY_PATH, None)
    search_history(page, search)


def wait_until_listed(page, shown=(), hidden=()) -> None:
    """Wait until each of `shown` has a row (its Open button) on the page and none of `hidden` has."""
    for interview in shown:
        keyed(page, f"open_{interview.id}").wait_for(state="attached")
    for interview in hidden:
        keyed(page, f"open_{interview.id}").wait_for(state="detached")


def test_search_filters_and_row_downloads(app_server, page):
    tag = uuid.uuid4().hex[:10]
    system = seed_interview(
        app_server.db_path,
        f"Design a ticket booking system {tag}",
        "Seats are held for ten minutes while the buyer pays.",
        "How do you stop two buyers taking one seat?",
        level="mid",
    )
    explained = seed_interview(app_server.db_path, f"Design a metrics pipeline {tag}", mode="explain")
    open_history(page, app_server.url, tag)
    assert heading(page) == "Past interviews"
    wait_until_listed(page, shown=[system, explained])
    # "Open" alone names the Mode and Level filters' toggles; each row's Open button names its interview.
    filters = page.get_by_test_id("stSelectbox").get_by_role("button", name="Open", exact=True)
    assert page.get_by_role("button", name="Open", exact=True).count() == filters.count() == 2
    for interview in (system, explained):
        assert open_button(page, app_server.db_path, interview.id).is_visible()

    search_history(page, f"{tag} held for ten minutes")  # every word must match; transcripts too
    wait_until_listed(page, shown=[system], hidden=[explained])
    search_history(page, f"{tag} no-such-word")
    assert page.get_by_text("No interview matches that search.").is_visible()

    search_history(page, tag)
    choose(page, "history_mode", "explain", chat=False)
    wait_until_listed(page, shown=[explained], hidden=[system])
    choose(page, "history_mode", "All", chat=False)
    choose(page, "history_level", "mid", chat=False)
    wait_until_listed(page, shown=[system], hidden=[explained])
    assert location(page) == (HISTORY_PATH, None)

    name, markdown = download_from(page, keyed(page, f"md_{system.id}").get_by_role("button"), chat=False)
    assert name.endswith(".md") and "How do you stop two buyers taking one seat?" in markdown
    name, text = download_from(page, keyed(page, f"json_{system.id}").get_by_role("button"), chat=False)
    assert name.endswith(".json") and json.loads(text)["interview"]["id"] == system.id
    name, html = download_from(page, keyed(page, f"html_{system.id}").get_by_role("button"), chat=False)
    assert name.endswith(".html") and "Seats are held for ten minutes" in html and "<script" not in html.lower()
    assert location(page) == (HISTORY_PATH, None)


def test_delete_asks_first_and_forgets_the_open_interview(app_server, llm, page):
    tag = uuid.uuid4().hex[:10]
    llm.enqueue("Which events must the feed show first?")
    open_app(page, app_server.url)
    send(page, f"Design an activity feed {tag}", reply="Which events must the feed show first?")
    current = interview_id(page)

    nav_link(page, "History").click()
    wait_for_location(page, HISTORY_PATH, None)
    search_history(page, tag)
    delete = keyed(page, f"del_{current}").get_by_role("button")
    delete.click()
    page.get_by_text("Delete this interview for good?").wait_for()
    keyed(page, f"no_{current}").get_by_role("button").click()
    page.get_by_text("Delete this interview for good?").wait_for(state="detached")
    wait_idle(page, chat=False)
    assert SQLiteStore(app_server.db_path).load(current) is not None, "Keep it deleted the interview"

    delete.click()
    keyed(page, f"yes_{current}").get_by_role("button").click()
    keyed(page, f"open_{current}").wait_for(state="detached")
    wait_idle(page, chat=False)
    assert SQLiteStore(app_server.db_path).load(current) is None
    assert page.get_by_text("No interview matches that search.").is_visible()
    assert location(page) == (HISTORY_PATH, None)

    # The session's open interview was that one: the Interview page starts fresh, with no id in the URL.
    nav_link(page, "Interview").click()
    wait_for_location(page, INTERVIEW_PATH, None)
    assert messages(page) == []


def test_import_then_open(app_server, page, tmp_path):
    tag = uuid.uuid4().hex[:10]
    elsewhere = seed_interview(
        tmp_path / "elsewhere.db",
        f"Design a file sync service {tag}",
        "Clients sync in chunks of 4 MB and resume after a drop.",
        "How do you find which chunks changed?",
    )
    open_history(page, app_server.url, tag)
    wait_until_listed(page, hidden=[elsewhere])
    page.get_by_text("Import a JSON transcript").click()
    uploader = keyed(page, "import_file").locator('input[type="file"]')

    uploader.set_input_files({"name": "broken.json", "mimeType": "application/json", "buffer": b'{"schema": "no'})
    wait_idle(page, chat=False)
    keyed(page, "import_button").get_by_role("button").click()
    page.get_by_text("Nothing was imported").wait_for()
    wait_idle(page, chat=False)
    wait_until_listed(page, hidden=[elsewhere])
    assert page.get_by_test_id("stException").count() == 0

    data = export.to_json(elsewhere).encode()
    uploader.set_input_files({"name": "sync.json", "mimeType": "application/json", "buffer": data})
    wait_idle(page, chat=False)
    keyed(page, "import_button").get_by_role("button").click()
    page.get_by_text(f"Imported “Design a file sync service {tag}”.").wait_for()
    keyed(page, f"open_{elsewhere.id}").wait_for()
    wait_idle(page, chat=False)
    assert location(page) == (HISTORY_PATH, None)

    open_button(page, app_server.db_path, elsewhere.id).click()
    wait_for_location(page, INTERVIEW_PATH, elsewhere.id)
    assert messages(page) == [
        f"Question: Design a file sync service {tag}",
        "Clients sync in chunks of 4 MB and resume after a drop.",
        "How do you find which chunks changed?",
    ]
