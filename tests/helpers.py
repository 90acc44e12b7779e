"""Helpers that tests import: the page under AppTest, and what its downloads serve.

Fixtures live in `conftest.py`; everything a test imports by name lives here.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def new_app(query: dict | None = None):
    """A fresh AppTest of the real page, with these query parameters, already run once."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


MEDIA: dict[str, bytes] = {}


def capture_media(monkeypatch) -> None:
    """Keep a copy of every file AppTest's in-memory media store receives, so tests can read downloads."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    original = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        MEDIA[file_id] = path_or_data.encode() if isinstance(path_or_data, str) else bytes(path_or_data)
        return file_id

    MEDIA.clear()
    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)


def download_data(button) -> str:
    """The text a download button in an AppTest run would serve."""
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
    return MEDIA[file_id].decode()
