"""The Progress page in Chromium: its URL, the scores CSV (built on click), and starting the recommended problem.

The shared server's database also holds other tests' interviews, so the test looks only for its own interview in
the CSV and reads the recommendation from the page rather than assuming one.
"""

from __future__ import annotations

import csv
import io
import time

import pytest

from interview.store import SQLiteStore
from tests.browser.support import (
    ID,
    INTERVIEW_PATH,
    download_from,
    heading,
    keyed,
    messages,
    nav_link,
    open_app,
    wait_for_location,
)
from tests.helpers import seed_scored

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROGRESS_PATH = "/progress"


def test_progress_csv_and_start_the_recommended_problem(app_server, llm, page):
    seeded = seed_scored(SQLiteStore(app_server.db_path), "web-crawler", time.time() - 3 * 86400, 1.0)
    open_app(page, app_server.url)
    nav_link(page, "Progress").click()
    wait_for_location(page, PROGRESS_PATH, None, chat=False)
    assert heading(page) == "Progress"

    name, text = download_from(page, keyed(page, "progress_csv").get_by_role("button"), chat=False)
    assert name == "interview-scores.csv"
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["interview_id"] == seeded.id)
    assert row["problem_id"] == "web-crawler" and row["reliability"] == "1"

    recommended = page.get_by_test_id("stMarkdownContainer").filter(has_text=" · ").first.inner_text()
    title = recommended.split(" · ")[0].strip()
    llm.enqueue("What matters most to its users?")
    keyed(page, "progress_start").get_by_role("button").click()
    wait_for_location(page, INTERVIEW_PATH, ID)
    assert messages(page)[0] == f"Question: {title}"
