"""The whiteboard in Chromium: Mermaid typed beside the chat is drawn as an SVG by Streamlit's bundled Mermaid
(no network), and a broken edit keeps the last good drawing. Also writes docs/whiteboard.png for the README.

Streamlit shows the SVG Mermaid made as an `<img>` (so it can offer "Download as PNG"); the tests read that SVG.
"""

from __future__ import annotations

import re
import time

import pytest

from interview.store import SQLiteStore
from tests.browser.support import (
    click_button,
    count_containing,
    interview_id,
    keyed,
    open_app,
    save_screenshot,
    send,
    wait_for_text,
    wait_idle,
)
from tests.helpers import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOT = ROOT / "docs" / "whiteboard.png"
CHART = '[data-testid="stMermaidChart"]'
DRAWING = """flowchart TD
    client[Mobile clients] --> cdn([CDN])
    client --> lb[Load balancer]
    lb --> api[Booking API x3]
    api --> cache[(Redis cache)]
    api --> db[(Postgres primary)]
    db -. replicates .-> replica[(Read replica)]
    api -- booked --> queue[[Kafka]]
    queue --> worker[Email worker]"""


# The SVG behind the chart's image, once Mermaid has drawn it (the image's address is a data: or blob: URL).
_DRAWN_SVG_JS = """async (selector) => {
  const exception = document.querySelector('[data-testid="stException"]');
  if (exception) return 'the app raised: ' + exception.innerText;
  const image = document.querySelector(selector + ' img');
  return image && image.src ? await (await fetch(image.src)).text() : '';
}"""


def drawn_text(page, containing: str, timeout: float = 30) -> str:
    """The words of the chart's SVG (Mermaid puts each word in its own tspan), once they include `containing`."""
    deadline = time.monotonic() + timeout
    while True:
        svg = page.evaluate(_DRAWN_SVG_JS, CHART)
        if svg.startswith("the app raised"):
            raise AssertionError(svg)
        words = " ".join(re.sub(r"<[^>]*>", " ", svg).split())
        if "<svg" in svg and containing in words:
            return words
        if time.monotonic() > deadline:
            raise AssertionError(f"no drawing holding {containing!r} after {timeout:g}s; last: {svg[:300]!r}")
        page.wait_for_timeout(200)


def type_diagram(page, source: str) -> None:
    box = page.get_by_label("Diagram (Mermaid)", exact=True)
    box.fill(source)
    box.press("Control+Enter")  # a text area sends its value on Ctrl+Enter (or when it loses focus)
    wait_idle(page)


def test_typing_a_diagram_draws_it(app_server, llm, page, tmp_path):
    llm.enqueue("Let us start. Who books tickets, and how many at peak?")
    open_app(page, app_server.url)
    send(page, "Design a ticket booking system", reply="how many at peak?")
    assert page.get_by_label("Diagram (Mermaid)", exact=True).count() == 0  # requirements: the board is closed
    keyed(page, "whiteboard_open").locator("label").click()
    wait_idle(page)

    click_button(page, "Starter")
    wait_idle(page)
    assert "Load balancer" in drawn_text(page, "Database")  # drawn in the page, by the bundled Mermaid

    type_diagram(page, DRAWING)
    words = drawn_text(page, "Email worker")
    for label in ("Redis cache", "Read replica", "Kafka", "replicates", "Booking API x3"):
        assert label in words
    assert "Load balancer" in words and "API service" not in words  # the starter's drawing is gone
    assert page.locator(f"{CHART} img").get_attribute("alt") == "The candidate's system design diagram"
    stored = SQLiteStore(app_server.db_path).load(interview_id(page))
    assert stored.diagram_source() == DRAWING

    # A broken edit: the message names the line, and the last good drawing stays.
    type_diagram(page, DRAWING + "\n    worker -->")
    alert = page.get_by_test_id("stAlertContentError")
    alert.first.wait_for()
    assert "Line 10" in alert.first.inner_text()
    assert "Email worker" in drawn_text(page, "Email worker")
    assert page.get_by_test_id("stMermaidError").count() == 0

    type_diagram(page, DRAWING)
    assert page.get_by_test_id("stAlertContentError").count() == 0

    # Opened by hand, the board stays open into high-level design (where it would open by itself anyway).
    click_button(page, "Next phase")
    wait_idle(page)
    click_button(page, "Next phase")
    page.get_by_text("Phase 3 of 7: High-level design").wait_for()
    wait_idle(page)
    assert "Email worker" in drawn_text(page, "Email worker")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.locator("main.stMain").evaluate("main => main.scrollTo(0, 215)")  # the phase bar, chat and board in view
    save_screenshot(page, tmp_path, SCREENSHOT)


ONE_DB = "flowchart LR\n  C[Client] --> A[API] --> D[(Links DB)]"
REACTION = "I see an arrow from API straight to one Links DB"


def test_a_single_database_at_high_level_draws_one_reaction_and_no_second_challenge(app_server, llm, page):
    llm.enqueue("What would you like to clarify first?")
    open_app(page, app_server.url)
    send(page, "Design a URL shortener", reply="clarify first?")
    for _ in range(2):
        click_button(page, "Next phase")
        wait_idle(page)
    page.get_by_text("Phase 3 of 7: High-level design").wait_for()
    requests = len(llm.chat_requests())

    type_diagram(page, ONE_DB)  # the board opened by itself at high-level design
    wait_for_text(page, REACTION)  # on the rerun that saved it, with no answer sent
    assert count_containing(page, REACTION) == 1
    assert len(llm.chat_requests()) == requests  # written in code: no model call
    type_diagram(page, ONE_DB + "\n  A --> S[Stats service]")
    assert count_containing(page, REACTION) == 1  # the same pitfall on the next edit: no second reaction

    llm.enqueue("How would the API servers scale out?")
    send(page, "The API servers are stateless behind a load balancer.", reply="scale out?")
    assert count_containing(page, REACTION) == 1
    told = llm.chat_requests()[-1]["messages"][-1]["content"]  # this turn's instructions: the move chosen in code
    assert "requests that need it" not in told and "one Links DB" not in told
    stored = SQLiteStore(app_server.db_path).load(interview_id(page))
    assert [m.kind for m in stored.notes.moves].count("reaction") == 1
    assert stored.notes.moves[-1].key != "diagram:single-instance:D"
