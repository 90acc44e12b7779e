"""The interview page: sidebar settings, replayed history, chat input, streamed reply."""

from __future__ import annotations

import streamlit as st

from interview import bank, engine
from interview.config import PRESETS, ConfigError, settings_for
from interview.export import shown_notes
from interview.feedback.card import Scorecard
from interview.model import LEVELS, MODES, Interview, Message, is_valid_id, phase_title
from interview.phases import PHASES
from interview.providers.base import Provider
from interview.providers.factory import make_provider
from interview.streaming import BlockStreamer
from ui import voice, whiteboard
from ui.downloads import download_buttons
from ui.resources import embedded_notice, get_store, prepare_embedded

MODE_LABELS = {"interview": "Interview me", "explain": "Explain a design"}
ROLE_AVATARS = {"user": "🧑‍💻", "assistant": "🧑‍🏫"}


def current_settings():
    name = st.session_state.provider_name
    return settings_for(
        name,
        model=st.session_state.model_overrides.get(name, ""),
        api_key=st.session_state.session_keys.get(name, ""),
        base_url=st.session_state.base_url_overrides.get(name, ""),
    )


def active_interview() -> Interview | None:
    return st.session_state.interview


def open_interview(interview: Interview) -> None:
    st.session_state.interview = interview
    st.session_state.opened_id = interview.id
    st.query_params["interview"] = interview.id


def restore_from_url() -> None:
    """Open the interview named in ?interview=<id>, once per session."""
    wanted = st.query_params.get("interview")
    if not wanted or wanted == st.session_state.opened_id:
        return
    st.session_state.opened_id = wanted
    store = get_store()
    interview = store.load(wanted) if is_valid_id(wanted) else None
    if interview is None:
        st.session_state.notice = (
            "That interview link does not match any saved interview (it may have been deleted, or the link is "
            "mistyped). Here is a fresh page."
        )
        st.session_state.interview = None
        del st.query_params["interview"]
        return
    st.session_state.interview = interview
    st.session_state.mode_choice = interview.mode
    st.session_state.level_choice = interview.level


def start(question: str, problem_id: str | None = None) -> Interview | None:
    try:
        settings = current_settings()
        interview = engine.start_interview(
            question,
            get_store(),
            constraints=engine.clean_input(st.session_state.constraints_input),
            mode=st.session_state.mode_choice,
            level=st.session_state.level_choice,
            length_minutes=int(st.session_state.length_input),
            provider=settings.provider,
            model=settings.model,
            problem_id=problem_id,
        )
    except (engine.InputError, ConfigError) as exc:
        st.warning(str(exc))
        return None
    open_interview(interview)
    return interview


def on_new_interview() -> None:
    st.session_state.interview = None
    st.session_state.opened_id = None
    st.session_state.retry_requested = False
    st.query_params.clear()


def on_mode_change() -> None:
    interview = active_interview()
    if interview is not None:
        engine.change_settings(interview, get_store(), mode=st.session_state.mode_choice)


def on_level_change() -> None:
    interview = active_interview()
    if interview is not None:
        engine.change_settings(interview, get_store(), level=st.session_state.level_choice)


def sidebar():
    problems = bank.load_bank()
    titles = {p.id: p.title for p in problems}
    with st.sidebar:
        st.header("Question")
        st.selectbox(
            "Question bank",
            options=[""] + list(titles),
            format_func=lambda key: titles.get(key, "Pick a question…"),
            key="bank_choice",
        )
        chosen = bank.find_problem(st.session_state.bank_choice)
        if chosen is not None:
            st.caption(f"{chosen.category} · {chosen.difficulty}")
        st.text_area(
            "Constraints (optional)",
            key="constraints_input",
            placeholder="Scale: 50M DAU, 10B messages/day; focus on delivery and ordering",
            height=80,
        )
        st.radio(
            "Mode", MODES, format_func=MODE_LABELS.get, key="mode_choice", horizontal=True, on_change=on_mode_change
        )
        st.selectbox("Level", LEVELS, key="level_choice", on_change=on_level_change)
        st.number_input("Interview length (minutes)", min_value=15, max_value=120, step=5, key="length_input")
        if chosen is not None:
            st.button(
                "Start this question",
                type="primary",
                width="stretch",
                key="start_question",
                on_click=request_start,
                args=(chosen.id,),
            )
        st.button("New interview", on_click=on_new_interview, width="stretch")
        st.divider()
        provider_sidebar()
        return st.container()  # filled last, so exports include the reply streamed on this run


def export_buttons(slot) -> None:
    interview = active_interview()
    if interview is None:
        return
    with slot:
        st.divider()
        st.header("Export")
        labels = ("Markdown transcript", "JSON transcript", "Printable HTML")
        download_buttons(interview, labels, (st, st, st), key_prefix="download_")


def provider_sidebar() -> None:
    st.header("Model")
    names = list(PRESETS)
    current = st.session_state.provider_name
    if current not in names:
        st.error(f"Unknown provider '{current}' in INTERVIEW_PROVIDER. Use one of: {', '.join(names)}.")
        current = "embedded"
    chosen = st.selectbox(
        "Provider", names, index=names.index(current), format_func=lambda n: PRESETS[n].label, key="provider_choice"
    )
    st.session_state.provider_name = chosen
    preset = PRESETS[chosen]
    try:
        settings = current_settings()
    except ConfigError as exc:
        st.error(str(exc))
        return
    if preset.base_url_editable:
        base = st.text_input(
            "Server address",
            value=settings.base_url,
            key=f"base_url_{chosen}",
            placeholder="http://localhost:8000/v1",
        )
        st.session_state.base_url_overrides[chosen] = base
    if preset.key_env:
        typed = st.text_input(
            f"API key ({preset.key_env})",
            type="password",
            key=f"api_key_{chosen}",
            help="Kept in this browser session only. Never saved or exported.",
        )
        if typed:
            st.session_state.session_keys[chosen] = typed
    settings = current_settings()
    if preset.in_process:
        embedded_notice()
    else:
        models = available_models(settings.provider, settings.base_url, bool(settings.api_key), _settings=settings)
        if models:
            current_model = settings.model if settings.model else models[0]
            options = models if current_model in models else [current_model, *models]
            model = st.selectbox("Model", options, index=options.index(current_model), key=f"model_pick_{chosen}")
        else:
            model = st.text_input("Model", value=settings.model, key=f"model_type_{chosen}")
        st.session_state.model_overrides[chosen] = model.strip()
    st.caption(f"Active: {preset.label} · `{current_settings().model or 'no model set'}`")


@st.cache_data(ttl=60, show_spinner=False)
def available_models(provider_name: str, base_url: str, has_key: bool, _settings) -> list[str]:
    """The server's GET /models list, when it offers one; cached per provider, address and key presence."""
    return make_provider(_settings).list_models()


def show_message(message: Message) -> None:
    avatar = "💡" if message.kind == "hint" else ROLE_AVATARS[message.role]
    with st.chat_message(message.role, avatar=avatar):
        if message.kind == "hint":
            st.markdown(f"**Hint:** {message.content}")
        elif message.kind == "question":
            st.markdown(f"**Question:** {message.content}")
        elif message.content:
            st.markdown(message.content)
        if not message.complete:
            st.warning(f"Incomplete reply. {message.error}", icon="⚠️")


def phase_bar(interview: Interview) -> None:
    index = interview.phase_index
    progress = (index + 1) / len(PHASES)
    st.progress(progress, text=f"Phase {index + 1} of {len(PHASES)}: {phase_title(interview.phase)}")
    timer(interview)


@st.fragment(run_every=30)
def timer(interview: Interview) -> None:
    clock = interview.clock()
    over = " (time is up for this phase)" if clock.phase_over else ""
    st.caption(
        f"⏱ {clock.elapsed_minutes:.0f} min elapsed · {clock.phase_minutes_left:.0f} min left in this phase{over} · "
        f"{clock.total_minutes_left:.0f} of {interview.length_minutes} min left"
    )


def controls(interview: Interview) -> None:
    cols = st.columns(3)
    if cols[0].button("Next phase", disabled=interview.is_last_phase, width="stretch", key="next_phase"):
        engine.advance_phase(interview, get_store())
        st.rerun()
    if cols[1].button("Hint", width="stretch", key="hint"):
        engine.next_hint(interview, get_store())
        st.rerun()
    label = "Score again" if interview.scorecard else "End interview & get feedback"
    if cols[2].button(label, width="stretch", key="end_interview"):
        finish_interview(interview)
        if interview.scorecard and label != "Score again":
            st.rerun()  # this button was drawn before the feedback existed: redraw it as "Score again"


def finish_interview(interview: Interview) -> None:
    """Score the interview; a model that cannot be reached only loses the wording of strengths and gaps."""
    try:
        settings = current_settings()
    except ConfigError as exc:
        st.error(str(exc))
        return
    # No preparing the offline model here: the scores come from the notes, and a small model is never asked to word
    # them, so ending an interview never waits for (or fails on) loading it.
    provider = make_provider(settings)
    # Scores come from the notes at once; a capable model may take a while to word strengths and gaps.
    with st.spinner("Scoring your interview from the notes…", show_time=True):
        engine.end_and_score(interview, provider, get_store())


def show_scorecard(card: Scorecard) -> None:
    st.subheader("Feedback")
    if card.is_prose:
        st.info(card.note or "The feedback is shown as the model wrote it.")
        st.markdown(card.prose)
        return
    rows = [
        {"Dimension": row.name, "Score (1–4)": row.score, "Evidence": " / ".join(row.evidence) or row.comment}
        for row in card.dimensions
    ]
    import pandas as pd  # only the scorecard needs it; importing it at the top slowed the first page

    left, right = st.columns([3, 2])
    left.dataframe(rows, hide_index=True, width="stretch")
    scores = pd.DataFrame(rows).set_index("Dimension")[["Score (1–4)"]]
    right.bar_chart(scores, x_label="Score (1–4)", horizontal=True)
    st.markdown(
        f"**Overall:** {card.overall or 0:.1f} / 4 · **Hire signal ({card.level}):** "
        f"{card.hire_signal} · Hints used: {card.hints_used}"
    )
    if card.strengths:
        st.markdown("**Strengths**")
        st.markdown("\n".join(f"- {item}" for item in card.strengths))
    if card.gaps:
        st.markdown("**Most important gaps**")
        st.markdown("\n".join(f"- {item}" for item in card.gaps))


def show_notes(interview: Interview) -> None:
    """The interviewer's notes behind the scores; hidden until the interview ends, so they never lead the candidate."""
    sections = shown_notes(interview)
    if not sections:
        return
    with st.expander("Interviewer's notes"):
        for title, items in sections:
            st.markdown(f"**{title}**")
            st.markdown("\n".join(f"- {item}" for item in items))


def provider_or_error() -> Provider | None:
    try:
        settings = current_settings()
    except ConfigError as exc:
        st.error(str(exc))
        return None
    if PRESETS[settings.provider].in_process and not prepare_embedded(settings):
        return None
    return make_provider(settings)


def stream_reply(interview: Interview) -> None:
    provider = provider_or_error()
    if provider is None:
        return
    engine.change_settings(interview, get_store(), provider=provider.name, model=provider.model)
    with st.chat_message("assistant", avatar=ROLE_AVATARS["assistant"]):
        with engine.reply(interview, provider, get_store()) as turn:
            st.write_stream(BlockStreamer(turn.chunks()))
        message = turn.message
        voice.queue_read_aloud(message)
        if not message.complete:
            st.warning(f"Incomplete reply. {message.error}", icon="⚠️")
        if turn.summarised:
            st.caption(f"ℹ️ {turn.summarised} older turns were summarised to fit the model's context window.")
    if message.complete and turn.marker.seen:
        st.rerun()  # show the new phase


def render() -> None:
    restore_from_url()  # before the sidebar, which holds widgets the restored interview sets
    export_slot = sidebar()
    try:
        conversation_view()
    finally:
        export_buttons(export_slot)


def matched_problem_note(interview: Interview) -> None:
    """Say which bank problem a typed question matched, so its facts and checklist are no surprise; offer to decline."""
    problem = engine.bank_match_to_confirm(interview)
    if problem is None:
        return
    note, button = st.columns([5, 1])
    note.caption(
        f"Matched to the question bank: **{problem.title}**. The interviewer uses its scale facts and checklist."
    )
    if button.button("Not this problem", key="decline_match", width="stretch"):
        engine.decline_bank_match(interview, get_store())
        st.rerun()


def conversation_view() -> None:
    st.title("System design interview")
    if st.session_state.notice:
        st.info(st.session_state.notice)
        st.session_state.notice = ""
    interview = active_interview()
    if interview is not None and st.query_params.get("interview") != interview.id:
        st.query_params["interview"] = interview.id
    if interview is None:
        st.markdown(
            "Type a design question below (for example *Design a URL shortener*), or pick one from the "
            "question bank in the sidebar. The interviewer will ask you questions; you design."
        )
        voice.show_hint()
    else:
        matched_problem_note(interview)
        if interview.mode == "interview":
            phase_bar(interview)
            controls(interview)
    chat = whiteboard.beside(interview)  # a column beside the board when the board is open, else the page
    with chat:
        interview = chat_history(interview)
    # The chat box stays outside the column, so Streamlit keeps it pinned to the bottom of the page.
    submitted = st.chat_input(
        "Your answer…" if interview else "Type a design question to start, e.g. Design a URL shortener",
        key="chat_input",
        **voice.chat_input_options(),
    )
    prompt = voice.submitted_text(submitted, interview, voice.transcription_client(current_settings))
    with chat:
        if prompt is not None:
            interview = answer(interview, prompt)
        if interview is not None and engine.last_user_turn_unanswered(interview):
            st.button("Retry the last reply", key="retry", icon="🔁", on_click=request_retry)
    voice.read_aloud()


def chat_history(interview: Interview | None) -> Interview | None:
    """The transcript and feedback, then a reply the last run asked for (a bank question's start, a retry)."""
    if interview is not None:
        if interview.summary:
            st.caption(
                "ℹ️ This interview is longer than the model's context window, so the oldest turns are sent to it "
                "as a short summary. Every turn is still kept here and in exports."
            )
        for message in interview.messages:
            show_message(message)
        if interview.scorecard:
            show_scorecard(interview.scorecard)
            show_notes(interview)
    if st.session_state.start_requested:
        problem = bank.find_problem(st.session_state.start_requested)
        st.session_state.start_requested = None
        interview = start(problem.title, problem.id) if problem else interview
        if interview is not None:
            show_message(interview.messages[-1])
            stream_reply(interview)
            st.rerun()  # draw the phase bar and controls the new interview needs
    elif interview is not None and st.session_state.retry_requested:
        st.session_state.retry_requested = False
        stream_reply(interview)
    return interview


def request_start(problem_id: str) -> None:
    on_new_interview()  # the old transcript must not show above the new question
    st.session_state.start_requested = problem_id


def request_retry() -> None:
    st.session_state.retry_requested = True


def answer(interview: Interview | None, prompt: str) -> Interview | None:
    """Record the candidate's message (or start an interview with it) and stream the reply."""
    try:
        text = engine.clean_input(prompt)
    except engine.InputError as exc:
        st.warning(str(exc))
        return interview
    if not text:
        return interview
    first = interview is None
    if first:
        interview = start(text)
        if interview is None:
            return None
    else:
        engine.answer(interview, text, get_store())
    show_message(interview.messages[-1])
    stream_reply(interview)
    if first:
        st.rerun()  # draw the phase bar and controls the new interview needs
    return interview
