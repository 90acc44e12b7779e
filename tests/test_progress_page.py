"""The Progress page through AppTest on interviews seeded through the store, and History's pages."""

from __future__ import annotations

import csv
import io
import json
import time

from interview.core.scorecard import DIMENSIONS
from interview.problems import catalog
from interview.store import SQLiteStore
from tests.helpers import ROOT, download_data, seed_scored

DAY = 86400.0


def in_category(category: str) -> int:
    """How many bank problems the category holds (the bank grows; the page must count them all)."""
    return sum(problem.category == category for problem in catalog.load_bank())


def page_app(script: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.run()
    at.switch_page(script)
    return at.run()


def text(at) -> str:
    return "\n".join(e.value for kind in ("markdown", "caption", "info", "subheader") for e in at.get(kind))


def test_empty_state_says_what_to_do_and_starts_the_recommended_problem(app_env):
    at = page_app("app_pages/progress.py")
    assert not at.exception
    assert "No interviews yet" in text(at)
    assert "Weakest dimensions" not in text(at)
    at.button(key="progress_start").click()
    at = at.run()
    assert not at.exception
    interview = at.session_state.interview
    assert interview is not None and interview.problem_id == "url-shortener"  # first category, nothing practised
    assert "Design a URL shortener" in "\n".join(m.value for m in at.markdown)  # on the Interview page now


def test_unscored_then_one_interview(app_env, tmp_path):
    store = SQLiteStore(tmp_path / "interviews.db")
    interview = seed_scored(store, "url-shortener", time.time() - DAY, 3.0)
    card, interview.scorecard = interview.scorecard, None
    store.save_interview(interview)
    at = page_app("app_pages/progress.py")
    assert not at.exception
    assert "None of your interviews is scored yet" in text(at)
    interview.scorecard = card  # scored meanwhile (in another tab, say): scoring leaves updated_at as it was
    store.save_interview(interview)
    at = at.run()
    assert "One scored interview so far" in text(at)
    assert "**Requirements**: 3.0/4 in your one scored interview" in text(at)  # all equal: the first dimension
    assert f"Web services**: 1 of {in_category('Web services')} practised" in text(at)
    assert f"**1 of {len(catalog.load_bank())}** bank problems practised, in 1 of" in text(at)


def test_progress_on_seeded_interviews(app_env, tmp_path):
    store = SQLiteStore(tmp_path / "interviews.db")
    now = time.time()
    good = {"reliability": 3.0, "requirements": 4.0, "estimates": 3.0, "communication": 4.0}
    low = {"reliability": 1.0, "requirements": 2.0, "estimates": 2.0, "communication": 3.0}  # 2.0 overall
    monitoring = [("no-monitoring", "No monitoring or alerting")]
    seed_scored(store, "chat-system", now - 20 * DAY, good)
    seed_scored(store, "url-shortener", now - 10 * DAY, low, monitoring, "no replicas")
    seed_scored(store, "rate-limiter", now - 8 * DAY, {**good, "reliability": 2.0}, monitoring)
    seed_scored(store, "news-feed", now - 6 * DAY, good, [("estimate:qps", "QPS off by 100x")])
    seed_scored(store, "news-feed", now - 2 * DAY, low, monitoring, "single database")
    at = page_app("app_pages/progress.py")
    assert not at.exception
    shown = text(at)
    assert "**Reliability**: 2.0/4 on average over the last 5 scored interviews" in shown
    assert "Evidence: single database (Reliability)" in shown  # from the latest interview that scored it
    assert "No monitoring or alerting: in 3 of the last 4 interviews" in shown
    assert "QPS off by 100x" not in shown  # raised once only
    assert f"Web services**: 2 of {in_category('Web services')} practised" in shown
    assert f"Storage**: 0 of {in_category('Storage')} practised" in shown
    categories = len({problem.category for problem in catalog.load_bank()})
    assert f"**4 of {len(catalog.load_bank())}** bank problems practised, in 3 of {categories} categories" in shown
    assert "**Estimates**: 2.6/4" in shown  # the second weakest
    # Review queue: news-feed (2.0/4 two days ago, its first low attempt in a row) is due a day later, and so is the
    # URL shortener (10 days ago); the chat system and the rate limiter scored well and are not queued.
    assert at.button(key="review_news-feed") and at.button(key="review_url-shortener")
    assert not any(b.key in ("review_chat-system", "review_rate-limiter") for b in at.button)
    (chart,) = at.get("vega_lite_chart")  # scores over time: a heatmap of dimension by interview
    spec = json.loads(chart.proto.spec)
    assert spec["layer"][0]["mark"]["type"] == "rect" and spec["layer"][1]["encoding"]["text"]["field"] == "score"
    assert spec["encoding"]["y"]["sort"] == [name for _, name in DIMENSIONS]
    assert spec["encoding"]["x"]["field"] == "interview"
    rows = list(csv.DictReader(io.StringIO(download_data(at.get("download_button")[0]))))
    assert len(rows) == 5 and rows[1]["problem_id"] == "url-shortener" and rows[1]["reliability"] == "1"
    at.button(key="review_news-feed").click()
    at = at.run()
    assert not at.exception
    assert at.session_state.interview.problem_id == "news-feed"


def test_history_shows_twenty_at_a_time(app_env, tmp_path):
    store = SQLiteStore(tmp_path / "interviews.db")
    seeded = [seed_scored(store, None, 1_000_000 + n, 3.0, question=f"Design system {n:02}") for n in range(45)]
    at = page_app("app_pages/history.py")
    assert not at.exception

    def listed(at):
        return [b.key.removeprefix("open_") for b in at.button if b.key and b.key.startswith("open_")]

    newest_first = [i.id for i in reversed(seeded)]
    assert listed(at) == newest_first[:20]
    assert len(at.get("download_button")) == 60 and all(b.proto.deferred_file_id for b in at.get("download_button"))
    at.button(key="history_next").click()
    at = at.run()
    assert listed(at) == newest_first[20:40]
    at.button(key="history_next").click()
    at = at.run()
    assert listed(at) == newest_first[40:] and at.button(key="history_next").disabled
    assert "Page 3 of 3" in "\n".join(c.value for c in at.caption)
    at.button(key="history_prev").click()
    at = at.run()
    assert listed(at) == newest_first[20:40]
    at.text_input(key="history_search").set_value("system 07")  # a new search starts from its first page
    at = at.run()
    assert listed(at) == [seeded[7].id] and not any(b.key == "history_next" for b in at.button)
    at.text_input(key="history_search").set_value("")
    at = at.run()
    assert listed(at) == newest_first[:20] and at.button(key="history_prev").disabled
