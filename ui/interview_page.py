"""The interview page: sidebar settings, replayed history, chat input, streamed reply."""

from __future__ import annotations

import streamlit as st

from interview.core.phases import PHASES
from interview.core.state import Interview, Message, is_valid_id, phase_title
from interview.dialogue import engine
from interview.problems import catalog
from interview.providers.base import Provider
from interview.providers.config import PRESETS, ConfigError
from interview.providers.factory import make_provider
from ui import voice, whiteboard
from ui.alerts import alert, show_alerts, take_held_alerts
from ui.feedback_view import FEEDBACK_ANCHOR, show_notes, show_scorecard
from ui.markdown_text import as_typed, without_math
from ui.resources import get_store, prepare_embedded
from ui.sidebar import active_interview, current_settings, export_buttons, request_start, sidebar
from ui.streaming import BlockStreamer, after_waiting

ROLE_AVATARS = {"user": "🧑‍💻", "assistant": "🧑‍🏫"}


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
    st.session_state.style_choice = interview.style
    st.session_state.curveballs_choice = interview.curveballs


def start(question: str, problem_id: str | None = None) -> Interview | None:
    try:
        settings = current_settings()
        interview = engine.start_interview(
            question,
            get_store(),
            constraints=engine.clean_input(st.session_state.constraints_input),
            mode=st.session_state.mode_choice,
            level=st.session_state.level_choice,
            style=st.session_state.style_choice,
            curveballs=st.session_state.curveballs_choice,
            length_minutes=int(st.session_state.length_input),
            provider=settings.provider,
            model=settings.model,
            problem_id=problem_id,
        )
    except (engine.InputError, ConfigError) as exc:
        alert("warning", str(exc))
        return None
    open_interview(interview)
    engine.warm_up(interview)
    return interview


def show_message(message: Message) -> None:
    avatar = "💡" if message.kind == "hint" else ROLE_AVATARS[message.role]
    with st.chat_message(message.role, avatar=avatar):
        if message.kind == "hint":
            st.markdown(f"**Hint:** {without_math(message.content)}")
        elif message.kind == "question":
            st.markdown(f"**Question:** {as_typed(message.content)}")
        elif message.role == "user":
            st.markdown(as_typed(message.content))
        elif message.content:
            st.markdown(without_math(message.content))
        if not message.complete:
            st.warning(f"{fault_label(message)} {message.error}", icon="⚠️")


def fault_label(message: Message) -> str:
    """What a failed reply is: cut off part-way, or nothing received at all."""
    return "Incomplete reply." if message.content else "No reply."


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


SAME_CARD = (
    "Scored again: the card is the same. The scores come from the interviewer's notes, and nothing said since the "
    "last score changed them."
)


def controls(interview: Interview) -> None:
    held = st.session_state.replying  # a click mid-reply would cut the reply off
    cols = st.columns(3)
    if cols[0].button("Next phase", disabled=interview.is_last_phase or held, width="stretch", key="next_phase"):
        engine.advance_phase(interview, get_store())
        st.rerun()
    if cols[1].button("Hint", disabled=held, width="stretch", key="hint"):
        engine.next_hint(interview, get_store())
        st.rerun()
    label = "Score again" if interview.scorecard else "End interview & get feedback"
    if cols[2].button(label, disabled=held, width="stretch", key="end_interview"):
        before = interview.scorecard
        finish_interview(interview)
        if interview.scorecard and label != "Score again":
            st.rerun()  # this button was drawn before the feedback existed: redraw it as "Score again"
        elif before is not None and interview.scorecard == before:
            st.info(SAME_CARD, icon="ℹ️")  # else the click looks like it did nothing


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


def provider_or_error() -> Provider | None:
    try:
        settings = current_settings()
    except ConfigError as exc:
        alert("error", str(exc))
        return None
    if PRESETS[settings.provider].in_process and not prepare_embedded(settings):
        return None
    return make_provider(settings)


def _thinking():
    """Shown in the reply's bubble until its first words arrive, so a slow start does not look like a hang."""
    return st.spinner("The interviewer is thinking…", show_time=True)


def stream_reply(interview: Interview) -> None:
    provider = provider_or_error()
    if provider is None:
        return
    engine.change_settings(interview, get_store(), provider=provider.name, model=provider.model)
    phase = interview.phase  # the reply may move it on, in code or by the model's marker
    with st.chat_message("assistant", avatar=ROLE_AVATARS["assistant"]):
        with engine.reply(interview, provider, get_store()) as turn:
            st.write_stream(BlockStreamer(map(without_math, after_waiting(turn.chunks(), _thinking))))
        message = turn.message
        voice.queue_read_aloud(message)
        if not message.complete:
            st.warning(f"{fault_label(message)} {message.error}", icon="⚠️")
        if turn.summarised:
            alert("caption", f"ℹ️ {turn.summarised} older turns were summarised to fit the model's context window.")
    if message.complete and interview.phase != phase:
        st.rerun()  # the phase bar above was drawn before the reply moved the phase on


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


def close_problem_offer(interview: Interview) -> None:
    """Offer the bank problems near a typed question that matched none, each started with one click."""
    near = engine.close_problems_to_offer(interview)
    if not near:
        return
    st.caption(
        "This question is not in the question bank, so the interviewer has general knowledge only. It is close to "
        + (" and ".join(f"**{problem.title}**" for problem in near))
        + ", which the interviewer knows in depth (scale facts, a checklist, common mistakes). "
        + ("Practise it instead?" if len(near) == 1 else "Practise one instead?")
    )
    for problem in near:
        st.button(
            f"Practise: {problem.title}",
            key=f"practise_{problem.id}",
            icon="🎯",
            on_click=request_start,
            args=(problem.id,),
        )


def hold_submission() -> None:
    """Take what the chat box sent before the run starts, so the run can draw the box held while it replies."""
    st.session_state.submission = st.session_state.chat_input


def conversation_view() -> None:
    submission, st.session_state.submission = st.session_state.submission, None
    st.session_state.replying = replying = bool(
        submission is not None or st.session_state.start_requested or st.session_state.retry_requested
    )
    held_alerts = take_held_alerts()
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
        close_problem_offer(interview)
        if interview.mode == "interview":
            phase_bar(interview)
            controls(interview)
        if interview.scorecard:  # drawn below a transcript that can be long
            st.markdown(f"The interview has ended. [Jump to your feedback ↓](#{FEEDBACK_ANCHOR})")
    chat = whiteboard.beside(interview)  # a column beside the board when the board is open, else the page
    # Outside the column, so Streamlit keeps it pinned to the bottom of the page. Drawn before any reply streams and
    # held while one does: a message sent mid-reply would stop the reply part-way.
    st.chat_input(
        REPLYING_PLACEHOLDER if replying else _chat_placeholder(interview),
        key="chat_input",
        disabled=replying,
        on_submit=hold_submission,
        **voice.chat_input_options(),
    )
    make_client = voice.transcription_client(current_settings)
    with chat:
        interview = chat_history(interview)
        show_alerts(held_alerts)
        prompt = voice.submitted_text(submission, interview, make_client)
        if prompt is not None:
            interview = answer(interview, prompt)
        if interview is not None and engine.last_user_turn_unanswered(interview):
            st.button("Retry the last reply", key="retry", icon="🔁", on_click=request_retry)
    if replying:
        st.rerun()  # give the chat box back; what this run warned about is shown again after it
    if interview is not None and interview.scorecard:  # full width: beside the board its table is unreadable
        show_scorecard(interview.scorecard)
        show_notes(interview)
    voice.read_aloud()


ENDED_PLACEHOLDER = "The interview has ended. You can still answer, then press Score again"
REPLYING_PLACEHOLDER = "The interviewer is replying…"


def _chat_placeholder(interview: Interview | None) -> str:
    """What the chat box says it is for: a question to start, an answer, or more after the end (scored again)."""
    if interview is None:
        return "Type a design question to start, e.g. Design a URL shortener"
    return ENDED_PLACEHOLDER if interview.scorecard else "Your answer…"


def chat_history(interview: Interview | None) -> Interview | None:
    """The transcript and feedback, then a reply the last run asked for (a bank question's start, a retry)."""
    if interview is not None:
        show_transcript(interview)
    return requested_reply(interview)


def show_transcript(interview: Interview) -> None:
    """Every message so far (the feedback is drawn below, at the page's full width)."""
    if interview.summary:
        st.caption(
            "ℹ️ This interview is longer than the model's context window, so the oldest turns are sent to it "
            "as a short summary. Every turn is still kept here and in exports."
        )
    for message in interview.shown_messages(retrying=st.session_state.retry_requested):
        show_message(message)


def requested_reply(interview: Interview | None) -> Interview | None:
    """Start the bank question a button asked for, or retry the last reply, streaming the interviewer's turn."""
    if st.session_state.start_requested:
        problem = catalog.find_problem(st.session_state.start_requested)
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


def request_retry() -> None:
    st.session_state.retry_requested = True


def answer(interview: Interview | None, prompt: str) -> Interview | None:
    """Record the candidate's message (or start an interview with it) and stream the reply."""
    try:
        text = engine.clean_input(prompt)
    except engine.InputError as exc:
        alert("warning", str(exc))
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
