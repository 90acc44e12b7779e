"""Voice answers in the chat input: the recording is transcribed on this machine and sent as the candidate's text."""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st

from interview import speech
from interview.config import ConfigError, ProviderSettings
from interview.model import Interview
from interview.providers.factory import make_provider

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


def transcription_client(current_settings: Callable[[], ProviderSettings]):
    """An OpenAI client when the candidate chose OpenAI's speech to text (offered only with an OpenAI key), else None."""
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
    return make_provider(settings).client() if chosen else None


def submitted_text(value, interview: Interview | None, client=None) -> str | None:
    """The text of a chat input submission: typed text as is, a recording transcribed; None when nothing to send."""
    if value is None or isinstance(value, str):
        return value
    typed = (value.text or "").strip()
    recording = getattr(value, "audio", None)
    if recording is None:
        return typed
    vocabulary = speech.vocabulary_for(interview.problem_id if interview else None)
    try:
        with st.spinner("Transcribing your answer…"):
            heard, _where = speech.transcribe_with_fallback(recording.getvalue(), vocabulary, client)
    except speech.SpeechError as exc:
        st.warning(f"{exc} Nothing was sent, and the interview is as it was.", icon="🎙️")
        return typed or None
    return f"{typed} {heard}".strip()
