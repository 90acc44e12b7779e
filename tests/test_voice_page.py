"""The voice controls on the interview page, through Streamlit's AppTest (recordings themselves: tests/browser)."""

from tests.helpers import new_app


def test_typing_still_works_with_the_microphone_on(app_env):
    app_env.enqueue("What would you like to clarify first?")
    at = new_app()
    assert any("You can answer by voice" in caption.value for caption in at.caption)
    at.chat_input(key="chat_input").set_value("Design a URL shortener")
    at = at.run()
    assert not at.exception
    assert at.session_state.interview.messages[0].content == "Design a URL shortener"
    assert not [t for t in at.get("toggle") if t.key == "voice_openai"], "offered only with an OpenAI key"


def test_openai_transcription_is_an_option_only_with_an_openai_key(app_env, monkeypatch):
    monkeypatch.setenv("INTERVIEW_PROVIDER", "openai")
    at = new_app()
    assert not [toggle for toggle in at.get("toggle") if toggle.key == "voice_openai"]
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-voice-option")
    at = new_app()
    choice = at.toggle(key="voice_openai")
    assert choice.label == "Transcribe my voice with OpenAI" and choice.value is False  # local by default
    choice.set_value(True)
    at = at.run()
    assert not at.exception and at.toggle(key="voice_openai").value is True
