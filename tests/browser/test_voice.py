"""Answering by voice in Chromium: a fake microphone plays an espeak-ng recording into the chat input's recorder, the
app transcribes it on this machine, shows what was heard as the candidate's message, and the interviewer replies."""

from __future__ import annotations

import os
import shutil
import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.speech import render_wav
from tests.browser.support import BROWSER_ARGS, VIEWPORT, messages, open_app, send, wait_for_text, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SPOKEN = "I would put Redis in front of the database and send every new post to Kafka."
MIC = '[data-testid="stChatInputMicButton"]'
APPROVE = '[data-testid="stChatInputApproveButton"]'
BLOCKED = "blocked"  # a microphone is there, but the browser denies the page access to it


def _require_speech_tools() -> None:
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        reason = f"{' and '.join(missing)} not installed (install with: sudo apt-get install espeak-ng sox)"
        if os.environ.get("REQUIRE_SPEECH") == "1":
            pytest.fail(f"{reason} (REQUIRE_SPEECH=1, so the voice tests may not be skipped)", pytrace=False)
        pytest.skip(reason)


def microphone_file(folder: Path, text: str | None) -> tuple[Path, float]:
    """A 48 kHz WAV for Chromium's fake microphone: `text` spoken (or silence), with quiet before and after."""
    _require_speech_tools()
    target = folder / "microphone.wav"
    if text is None:
        subprocess.run(["sox", "-n", "-r", "48000", "-b", "16", "-c", "1", str(target), "trim", "0", "3"], check=True)
    else:
        spoken = render_wav(text, folder / "spoken.wav")
        subprocess.run(
            ["sox", str(spoken), "-r", "48000", "-b", "16", "-c", "1", str(target), "pad", "0.5", "2"], check=True
        )
    with wave.open(str(target)) as reader:
        return target, reader.getnframes() / reader.getframerate()


@pytest.fixture
def microphone_page(request, browser, chromium_path, tmp_path) -> Iterator[tuple]:
    """(tab, seconds of audio): a Chromium whose microphone plays the parameter spoken (silence for None), allowed
    unless BLOCKED."""
    blocked = request.param == BLOCKED
    wav, seconds = microphone_file(tmp_path, None if blocked else request.param)
    allow = [] if blocked else ["--use-fake-ui-for-media-stream"]  # without it the permission request is denied
    args = [*BROWSER_ARGS, *allow, "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={wav}"]
    chromium = browser.browser_type.launch(executable_path=chromium_path, headless=True, args=args)
    context = chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page, seconds
    context.close()
    chromium.close()


def record(page, seconds: float) -> None:
    """Press the microphone, let the whole file (`seconds` long) play once, and send the recording."""
    page.locator(MIC).click()
    page.locator(APPROVE).wait_for(state="visible")
    page.wait_for_timeout(int(seconds * 1000) - 500)  # the file loops: stop in its trailing quiet
    page.locator(APPROVE).click()


@pytest.mark.parametrize("microphone_page", [SPOKEN], indirect=True, ids=["spoken"])
def test_a_spoken_answer_is_transcribed_shown_and_answered(app_server, llm, microphone_page):
    page, seconds = microphone_page
    llm.enqueue("What will you store for each user's feed?")
    llm.enqueue("Why Kafka rather than writing to the feeds directly?")
    llm.enqueue("And when Redis is down?")
    open_app(page, app_server.url)
    send(page, "Design a news feed", reply="What will you store for each user's feed?")
    record(page, seconds)
    wait_for_text(page, "Why Kafka rather than writing to the feeds directly?", timeout=60)
    wait_idle(page)
    heard = messages(page)[2]
    for word in ("Redis", "database", "Kafka"):
        assert word in heard, f"{word!r} not heard in {heard!r}"
    sent = llm.chat_requests()[-1]["messages"]
    assert [m["content"] for m in sent if m["role"] == "user"][-1] == heard, "the model got exactly what was shown"
    send(page, "I type this one instead.", reply="And when Redis is down?")  # typing still works
    assert messages(page)[-2:] == ["I type this one instead.", "And when Redis is down?"]


@pytest.mark.parametrize("microphone_page", [None], indirect=True, ids=["silence"])
def test_a_silent_recording_is_explained_and_nothing_is_sent(app_server, llm, microphone_page):
    page, seconds = microphone_page
    llm.enqueue("What will you store for each user's feed?")
    open_app(page, app_server.url)
    send(page, "Design a news feed", reply="What will you store for each user's feed?")
    record(page, seconds)
    wait_for_text(page, "Nothing was heard", selector='[data-testid="stAlert"]', timeout=60)
    wait_idle(page)
    assert len(messages(page)) == 2, "a silent recording must not add a message"
    assert len(llm.chat_requests()) == 1
    send(page, "Then I'll type it.", reply=None)
    assert messages(page)[2] == "Then I'll type it."


@pytest.mark.parametrize("microphone_page", [BLOCKED], indirect=True, ids=["blocked"])
def test_a_blocked_microphone_says_so_and_typing_still_works(app_server, llm, microphone_page):
    page, _ = microphone_page
    llm.enqueue("What will you store for each user's feed?")
    open_app(page, app_server.url)
    assert page.get_by_text("If the browser blocks the microphone, allow it for this site").is_visible()
    page.locator(MIC).click()
    page.mouse.move(0, 0)
    page.locator(MIC).hover()  # Streamlit's own tooltip on the microphone button, now marked with an error
    page.get_by_text("Microphone access denied").wait_for(state="visible")
    send(page, "Design a news feed", reply="What will you store for each user's feed?")
    assert llm.chat_requests()[-1]["messages"][1]["content"] == "Design a news feed"


# Replaces the browser's speech synthesis in every frame with a recorder kept on the top window.
_SPEECH_SPY = """
window.__spoken = window.__spoken || [];
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (utterance) => window.top.__spoken.push([utterance.text, utterance.lang]);
  window.speechSynthesis.cancel = () => {};
}
"""


def test_replies_are_read_aloud_by_the_browser_when_asked(app_server, llm, page):
    page.add_init_script(_SPEECH_SPY)
    llm.enqueue("What will you **store** for each user's feed?")
    llm.enqueue("And **when** Redis is <b>down</b>?")
    open_app(page, app_server.url)
    send(page, "Design a news feed", reply="What will you store for each user's feed?")
    assert page.evaluate("window.__spoken") == [], "off by default"
    page.get_by_text("Read replies aloud").click()
    wait_idle(page)
    send(page, "I would cache the feeds in Redis.", reply="Redis is <b>down</b>?")
    page.wait_for_function("window.__spoken.length > 0")
    assert page.evaluate("window.__spoken") == [["And when Redis is <b>down</b>?", "en-US"]], "as text, no Markdown"
