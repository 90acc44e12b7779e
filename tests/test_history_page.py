"""The History page through AppTest: list, search, filter, open, export, delete with confirmation, import."""

import json

from interview.dialogue import engine
from interview.store import SQLiteStore
from interview.transcripts import export
from tests.helpers import download_data, shown_markdown


def seed(db_path):
    store = SQLiteStore(db_path)
    first = engine.start_interview("Design a URL shortener", store, level="mid", style="bar_raiser")
    engine.record(first, first.add_user("Reads dominate; 100M links a day."), store)
    second = engine.start_interview("Design a chat system like Slack", store, mode="explain")
    return first, second


def history_app():
    from streamlit.testing.v1 import AppTest

    from tests.helpers import ROOT

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.run()
    at.switch_page("app_pages/history.py")
    return at.run()


def captions(at):
    return "\n".join(c.value for c in at.caption)


def test_lists_searches_and_filters(app_env, tmp_path):
    first, second = seed(tmp_path / "interviews.db")
    at = history_app()
    assert not at.exception
    shown = shown_markdown(at)
    assert "Design a URL shortener" in shown and "Design a chat system like Slack" in shown
    assert "mid" in captions(at) and "1 turn" in captions(at) and "1 turns" not in captions(at)
    assert captions(at).count("Bar raiser interviewer") == 1  # the explain-mode row names no interviewer
    at.text_input(key="history_search").set_value("slack")
    at = at.run()
    shown = shown_markdown(at)
    assert "Slack" in shown and "URL shortener" not in shown
    at.text_input(key="history_search").set_value("")
    at.selectbox(key="history_mode").set_value("explain")
    at = at.run()
    shown = shown_markdown(at)
    assert "Slack" in shown and "URL shortener" not in shown


def test_export_and_delete_after_confirmation(app_env, tmp_path):
    first, _ = seed(tmp_path / "interviews.db")
    at = history_app()
    markdown = download_data(next(b for b in at.get("download_button") if f"md_{first.id}" in b.proto.id))
    assert "Reads dominate; 100M links a day." in markdown
    html = download_data(next(b for b in at.get("download_button") if f"html_{first.id}" in b.proto.id))
    assert "<script" not in html.lower() and "Reads dominate" in html
    at.button(key=f"del_{first.id}").click()
    at = at.run()
    assert "Delete this interview for good?" in "\n".join(w.value for w in at.warning)
    assert SQLiteStore(tmp_path / "interviews.db").load(first.id) is not None, "nothing deleted before confirming"
    at.button(key=f"yes_{first.id}").click()
    at = at.run()
    assert SQLiteStore(tmp_path / "interviews.db").load(first.id) is None


def test_open_continues_the_interview_on_the_interview_page(app_env, tmp_path):
    first, _ = seed(tmp_path / "interviews.db")
    at = history_app()
    at.button(key=f"open_{first.id}").click()
    at = at.run()
    assert not at.exception
    assert at.session_state.interview.id == first.id
    assert at.query_params["interview"] in (first.id, [first.id])
    shown = shown_markdown(at)
    assert "Reads dominate; 100M links a day." in shown  # the interview page, restored
    # Continuing from that URL is covered by test_app.test_resume_in_a_new_session_from_the_url.


def test_import_round_trip_and_bad_file(app_env, tmp_path):
    first, _ = seed(tmp_path / "elsewhere.db")
    data = export.to_json(first).encode()
    at = history_app()
    upload = at.get("file_uploader")
    assert upload, "the import panel offers a file uploader"
    store = SQLiteStore(tmp_path / "interviews.db")
    imported = engine.import_interview(data, store)
    assert imported.question == first.question
    bad = json.dumps({"schema": "nope"}).encode()
    try:
        engine.import_interview(bad, store)
    except ValueError as exc:
        assert "Nothing was imported" in str(exc)
    else:
        raise AssertionError("a bad file must be refused")
