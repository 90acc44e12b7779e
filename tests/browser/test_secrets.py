"""An API key in the server's environment is sent to the model server and nowhere else.

A distinctive key is set as INTERVIEW_API_KEY for a `streamlit run` on the custom provider; after a few turns and
every export, the key must not appear in the exports, the database files, the server's output, the served HTML,
the rendered page or anything the server sent the browser over its websocket. The fake server must have received
it as the bearer token, which proves the key was live in the app all along.
"""

from __future__ import annotations

import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.browser.support import StreamlitServer, download, messages, open_app, send, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRET_PART = f"DISTINCTIVE-{uuid.uuid4().hex}"
API_KEY = f"sk-test-{SECRET_PART}"
TURNS = [
    ("Design a web crawler", "How many pages a day should it fetch?"),
    ("A billion pages a day, politely.", "What does politely mean for your design?"),
]


@pytest.fixture(scope="module")
def server(browser, llm_server, tmp_path_factory):
    server = StreamlitServer(llm_server.base_url, tmp_path_factory.mktemp("secrets"), INTERVIEW_API_KEY=API_KEY)
    server.start()
    yield server
    server.stop()


def leaks(name: str, data: bytes | str) -> list[str]:
    """The places in `data` that hold the key, or its unique part (as in a partly masked key)."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    return [f"{name}: {needle!r}" for needle in (API_KEY, SECRET_PART, SECRET_PART[-16:]) if needle in text]


def test_api_key_never_leaves_the_model_request(server, llm, page, tmp_path):
    frames: list[bytes | str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
    for _, reply in TURNS:
        llm.enqueue(reply)
    open_app(page, server.url)
    for answer, reply in TURNS:
        send(page, answer, reply=reply)
    assert messages(page)[-1] == TURNS[-1][1]

    # Live: every model request carried the key as its bearer token.
    chat = [r for r in llm.requests if r["path"].endswith("/chat/completions")]
    assert len(chat) == len(TURNS)
    assert all(r["headers"].get("authorization") == f"Bearer {API_KEY}" for r in chat)

    places: dict[str, bytes | str] = {}
    for label in ("Markdown transcript", "JSON transcript", "Printable HTML"):
        name, text = download(page, label)
        assert TURNS[0][0] in text and TURNS[-1][1] in text, f"{name} is not the transcript"
        places[f"export {name}"] = text
    places["rendered interview page"] = page.content()
    with urllib.request.urlopen(server.url, timeout=10) as response:
        places["served HTML"] = response.read()
    page.get_by_role("link", name="History").click()
    page.get_by_text(TURNS[0][0]).first.wait_for()
    wait_idle(page, chat=False)
    places["rendered history page"] = page.content()
    places["websocket frames"] = "\n".join(f if isinstance(f, str) else f.decode("latin-1") for f in frames)
    assert TURNS[-1][1] in places["websocket frames"]

    db = server.db_path
    live_files = [Path(f"{db}{suffix}") for suffix in ("", "-wal", "-shm")]
    places.update({f"database file {p.name} (server running)": p.read_bytes() for p in live_files if p.exists()})
    assert TURNS[-1][1].encode() in b"".join(p.read_bytes() for p in live_files if p.exists())
    server.stop()  # a clean stop checkpoints the WAL into the main file; look again
    places.update({f"database file {p.name} (server stopped)": p.read_bytes() for p in live_files if p.exists()})
    places["server output"] = server.log_text()
    assert "Uvicorn server started" in places["server output"] or "You can now view" in places["server output"]

    found = [leak for name, data in places.items() for leak in leaks(name, data)]
    assert found == [], f"the API key leaked into: {found}"
