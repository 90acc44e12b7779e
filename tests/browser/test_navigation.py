"""Navigation in Chromium: the page shown and the URL agree after every move (issues 19 and 23).

The Interview page is the default page, so Streamlit serves it at the app's root: its URL is `/`, with
`?interview=<id>` while an interview is open. History is `/history`. AppTest cannot follow `st.switch_page` or a
sidebar link, so these run in a real browser against the shared server.
"""

from __future__ import annotations

import re
import uuid

import pytest

from interview.problems import browse, catalog
from interview.store import SQLiteStore
from tests.browser.support import (
    HISTORY_PATH,
    ID,
    INTERVIEW_PATH,
    choose,
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

INTERVIEW_TITLE = "System design interview"
HISTORY_TITLE = "Past interviews"
NO_MATCH = "That interview link does not match any saved interview"
WELCOME = "Type a design question below"


def token() -> str:
    return uuid.uuid4().hex[:10]


def test_open_from_history_shows_that_interview_at_its_url(app_server, llm, page):
    tag = token()
    older = seed_interview(
        app_server.db_path,
        f"Design a photo sharing service {tag}",
        "Uploads up to 20 MB; feeds are read far more than written.",
        "Where would you keep the photos themselves?",
    )
    llm.enqueue("Who uses the rate limiter, and how strict must it be?")
    open_app(page, app_server.url)
    assert location(page) == (INTERVIEW_PATH, None)
    send(page, f"Design a rate limiter {tag}", reply="Who uses the rate limiter")
    wait_for_location(page, INTERVIEW_PATH, ID)
    current = interview_id(page)

    nav_link(page, "History").click()
    wait_for_location(page, HISTORY_PATH, None)
    search_history(page, f"photo sharing service {tag}")
    keyed(page, f"open_{current}").wait_for(state="detached")
    assert location(page) == (HISTORY_PATH, None)
    open_button(page, app_server.db_path, older.id).click()
    wait_for_location(page, INTERVIEW_PATH, older.id)
    assert heading(page) == INTERVIEW_TITLE
    transcript = [
        f"Question: Design a photo sharing service {tag}",
        "Uploads up to 20 MB; feeds are read far more than written.",
        "Where would you keep the photos themselves?",
    ]
    assert messages(page) == transcript

    # The URL really names what is shown: a reload brings back the same interview.
    page.reload()
    wait_for_location(page, INTERVIEW_PATH, older.id)
    assert messages(page) == transcript

    # And back to the one started in this session.
    nav_link(page, "History").click()
    wait_for_location(page, HISTORY_PATH, None)
    search_history(page, tag)
    assert location(page) == (HISTORY_PATH, None)
    open_button(page, app_server.db_path, current).click()
    wait_for_location(page, INTERVIEW_PATH, current)
    assert messages(page)[0] == f"Question: Design a rate limiter {tag}"


def test_sidebar_links_change_the_url(app_server, llm, page):
    llm.enqueue("What should the crawler fetch first?")
    open_app(page, app_server.url)
    assert location(page) == (INTERVIEW_PATH, None)
    send(page, f"Design a web crawler {token()}", reply="What should the crawler fetch first?")
    wait_for_location(page, INTERVIEW_PATH, ID)
    current = interview_id(page)
    shown = messages(page)

    nav_link(page, "History").click()
    wait_for_location(page, HISTORY_PATH, None)
    assert heading(page) == HISTORY_TITLE

    nav_link(page, "Interview").click()
    wait_for_location(page, INTERVIEW_PATH, current)  # the session's interview, and its id in the URL
    assert heading(page) == INTERVIEW_TITLE
    assert messages(page) == shown
    page.reload()
    wait_for_location(page, INTERVIEW_PATH, current)
    assert messages(page) == shown

    # A session with no interview: the Interview link leads to a clean root URL.
    page.goto(f"{app_server.url}{HISTORY_PATH}")
    wait_for_location(page, HISTORY_PATH, None)
    nav_link(page, "Interview").click()
    wait_for_location(page, INTERVIEW_PATH, None)
    assert page.get_by_text(WELCOME).is_visible()


def test_new_interview_drops_the_id_from_the_url(app_server, llm, page):
    llm.enqueue("How many messages a day?")
    open_app(page, app_server.url)
    assert location(page) == (INTERVIEW_PATH, None)
    send(page, f"Design a chat system {token()}", reply="How many messages a day?")
    wait_for_location(page, INTERVIEW_PATH, ID)

    page.get_by_role("button", name="New interview", exact=True).click()
    wait_for_location(page, INTERVIEW_PATH, None)
    assert messages(page) == []
    assert page.get_by_text(WELCOME).is_visible()
    page.reload()
    wait_for_location(page, INTERVIEW_PATH, None)
    assert messages(page) == []


def test_start_this_question_puts_the_new_id_in_the_url(app_server, llm, page):
    problem = catalog.load_bank()[1]
    llm.enqueue("First, what is being stored?")
    llm.enqueue(f"Let us start on {problem.title}: who calls it?")
    open_app(page, app_server.url)
    assert location(page) == (INTERVIEW_PATH, None)
    send(page, f"Design a key-value store {token()}", reply="First, what is being stored?")
    wait_for_location(page, INTERVIEW_PATH, ID)
    previous = interview_id(page)

    search = keyed(page, "bank_search").get_by_role("textbox")
    search.fill(problem.title.removeprefix("Design ").removeprefix("a ").removeprefix("an "))
    search.press("Enter")
    wait_idle(page)
    choose(page, "bank_choice", browse.label(problem))
    assert page.get_by_text(f"{problem.title} · {problem.category} · {problem.difficulty}", exact=True).is_visible()
    assert location(page) == (INTERVIEW_PATH, previous)  # picking a question starts nothing yet
    start = page.get_by_role("button", name="Start this question", exact=True)
    box = start.bounding_box()  # in view without scrolling the sidebar: it sat below the settings, off screen
    assert box is not None and box["y"] + box["height"] <= page.viewport_size["height"]
    start.click()
    wait_for_location(page, INTERVIEW_PATH, re.compile(rf"(?!{previous})[0-9a-f]{{32}}"))
    page.get_by_text("who calls it?").wait_for()
    wait_idle(page)
    started = interview_id(page)
    assert location(page) == (INTERVIEW_PATH, started) and started != previous
    assert messages(page) == [f"Question: {problem.title}", f"Let us start on {problem.title}: who calls it?"]
    stored = SQLiteStore(app_server.db_path).load(started)
    assert stored is not None and stored.problem_id == problem.id
    page.reload()
    wait_for_location(page, INTERVIEW_PATH, started)
    assert messages(page)[0] == f"Question: {problem.title}"


def test_a_close_bank_problem_is_offered_and_started_with_one_click(app_server, llm, page):
    problem = catalog.find_problem("photo-sharing")
    llm.enqueue("What should it do first?")
    llm.enqueue(f"Let us start on {problem.title}: who uploads?")
    open_app(page, app_server.url)
    send(page, f"Design Google Photos {token()}", reply="What should it do first?")
    typed = interview_id(page)
    assert page.get_by_text("This question is not in the question bank").is_visible()
    page.get_by_role("button", name=f"Practise: {problem.title}").click()
    wait_for_location(page, INTERVIEW_PATH, re.compile(rf"(?!{typed})[0-9a-f]{{32}}"))
    page.get_by_text("who uploads?").wait_for()
    wait_idle(page)
    assert messages(page) == [f"Question: {problem.title}", f"Let us start on {problem.title}: who uploads?"]
    stored = SQLiteStore(app_server.db_path).load(interview_id(page))
    assert stored is not None and stored.problem_id == problem.id
    assert SQLiteStore(app_server.db_path).load(typed).question.startswith("Design Google Photos")  # kept


def test_deleted_or_malformed_id_gives_a_notice_and_a_clean_url(app_server, page):
    gone = seed_interview(app_server.db_path, f"Design a news feed {token()}")
    SQLiteStore(app_server.db_path).delete(gone.id)
    for bad in (gone.id, "0" * 32, "not-an-id"):
        page.goto(f"{app_server.url}/?interview={bad}")
        wait_for_location(page, INTERVIEW_PATH, None)
        assert page.get_by_text(NO_MATCH).is_visible(), bad
        assert messages(page) == []
        assert heading(page) == INTERVIEW_TITLE


# -- issue 23: the exact steps of each report, at Playwright's default viewport, the URL checked after every step ----


def start_and_clear(page, url: str, llm, question: str) -> str:
    """Open `/`, type a question, wait for the reply, click New interview; returns the interview's id."""
    llm.enqueue("How many requests a second at peak?")
    open_app(page, url)
    assert location(page) == (INTERVIEW_PATH, None)
    send(page, question, reply="How many requests a second at peak?")
    wait_for_location(page, INTERVIEW_PATH, ID)
    started = interview_id(page)
    page.get_by_role("button", name="New interview", exact=True).click()
    page.get_by_text(WELCOME).wait_for()
    wait_idle(page)
    assert location(page) == (INTERVIEW_PATH, None)  # as soon as the fresh page shows, not eventually
    assert messages(page) == []
    return started


def test_new_interview_clears_the_url_at_the_default_viewport(app_server, llm, default_viewport_page):
    page = default_viewport_page
    start_and_clear(page, app_server.url, llm, f"Design an API rate limiter {token()}")
    page.reload()
    wait_for_location(page, INTERVIEW_PATH, None)
    assert messages(page) == [] and page.get_by_text(WELCOME).is_visible()


def test_the_sidebar_moves_the_url_after_new_interview_and_open(app_server, llm, default_viewport_page):
    page = default_viewport_page
    question = f"Design an API rate limiter {token()}"
    started = start_and_clear(page, app_server.url, llm, question)

    nav_link(page, "History").click()
    wait_for_location(page, HISTORY_PATH, None)
    assert heading(page) == HISTORY_TITLE
    open_button(page, app_server.db_path, started).click()
    wait_for_location(page, INTERVIEW_PATH, started)
    assert messages(page)[0] == f"Question: {question}"

    nav_link(page, "History").click()
    wait_for_location(page, HISTORY_PATH, None)
    assert heading(page) == HISTORY_TITLE

    nav_link(page, "Interview").click()
    wait_for_location(page, INTERVIEW_PATH, started)  # the interview opened from History, and its id
    assert heading(page) == INTERVIEW_TITLE
    assert messages(page)[0] == f"Question: {question}"
    page.reload()
    wait_for_location(page, INTERVIEW_PATH, started)
    assert messages(page)[0] == f"Question: {question}"
    assert "use_container_width" not in app_server.log_text()  # no page run logged the deprecation
