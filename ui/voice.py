"""Voice answers in the chat input: the recording is transcribed on this machine and sent as the candidate's text."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable

import streamlit as st
import streamlit.components.v1 as components

from interview.core.state import Interview, Message
from interview.providers import speech
from interview.providers.config import ConfigError, ProviderSettings
from interview.providers.factory import make_provider
from ui.alerts import alert

# Speaks in the page's own window (so a rerun does not cut it off) with the browser's speech synthesis; the text
# arrives as a JSON string literal, never as markup.
_SPEAK_JS = """<script>
const text = %s;
let synth = window.speechSynthesis;
try { synth = window.parent.speechSynthesis || synth; } catch (error) { /* another origin: speak from here */ }
if (synth) {
  synth.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = "en-US";
  synth.speak(utterance);
}
</script>"""
MICROPHONE_HINT = (
    "🎙️ You can answer by voice: press the microphone in the chat box, speak, then send. It is transcribed on this "
    "machine. If the browser blocks the microphone, allow it for this site (the lock icon in the address bar), or type."
)


@functools.cache
def voice_enabled() -> bool:
    """Whether the chat input offers recording: only when the local speech model is installed."""
    return speech.available()


def chat_input_options() -> dict:
    """Extra st.chat_input arguments: a microphone recording 16 kHz WAV, the rate Whisper wants."""
    return {"accept_audio": True, "audio_sample_rate": speech.SAMPLE_RATE} if voice_enabled() else {}


def show_hint() -> None:
    """How to answer by voice, shown on the start screen when voice is on."""
    if voice_enabled():
        st.caption(MICROPHONE_HINT)


def transcription_client(current_settings: Callable[[], ProviderSettings]) -> Callable[[], object] | None:
    """Makes an OpenAI client when the candidate chose OpenAI's speech to text (offered only with an OpenAI key)."""
    try:
        settings = current_settings()
    except ConfigError:
        return None  # the sidebar already says what is wrong
    if settings.provider != "openai" or not settings.api_key or not voice_enabled():
        return None
    chosen = st.sidebar.toggle(
        "Transcribe my voice with OpenAI",
        key="voice_openai",
        help="Off: recordings are transcribed on this machine. On: sent to OpenAI, and on this machine if that fails.",
    )
    # A factory: the client is built only when a recording arrives, not on every rerun of the page.
    return (lambda: make_provider(settings).client()) if chosen else None


def submitted_text(value, interview: Interview | None, make_client: Callable[[], object] | None = None) -> str | None:
    """The text of a chat input submission: typed text as is, a recording transcribed; None when nothing to send."""
    if value is None or isinstance(value, str):
        return value
    typed = (value.text or "").strip()
    recording = getattr(value, "audio", None)
    if recording is None:
        return typed
    vocabulary = speech.vocabulary_for(interview.problem if interview else None)
    try:
        with st.spinner("Transcribing your answer…"):
            client = make_client() if make_client else None
            heard, _where = speech.transcribe_with_fallback(recording.getvalue(), vocabulary, client)
    except speech.SpeechError as exc:
        alert("warning", f"{exc} Nothing was sent, and the interview is as it was.", icon="🎙️")
        return typed or None
    return f"{typed} {heard}".strip()


def queue_read_aloud(message: Message) -> None:
    """Remember a finished reply to be spoken at the end of the run, when the candidate asked for that."""
    if st.session_state.get("voice_read_aloud") and message.complete and message.content.strip():
        st.session_state.voice_to_speak = message.content


def read_aloud() -> None:
    """The read-aloud toggle, and the queued reply spoken by the browser (its speech synthesis, nothing installed)."""
    st.sidebar.toggle(
        "Read replies aloud",
        key="voice_read_aloud",
        help="Your browser speaks each new reply from the interviewer with its own speech synthesis.",
    )
    text = st.session_state.pop("voice_to_speak", None)
    if text and st.session_state.get("voice_read_aloud"):
        spoken = re.sub(r"[*_`#|~]+|^\s*>", " ", text, flags=re.MULTILINE)  # Markdown marks, not words
        literal = json.dumps(" ".join(spoken.split())).replace("<", "\\u003c")  # cannot close the script tag
        components.html(_SPEAK_JS % literal, height=0)
