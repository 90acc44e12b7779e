"""The interview page's sidebar: the question bank, the interview's settings, the model, and the exports."""

from __future__ import annotations

import streamlit as st

from interview.core.state import LEVELS, MODES, STYLE_NAMES, STYLES, Interview
from interview.dialogue import engine
from interview.problems import browse, catalog
from interview.providers.config import PRESETS, ConfigError, settings_for
from interview.providers.factory import make_provider
from ui.downloads import download_buttons
from ui.resources import embedded_notice, get_store

MODE_LABELS = {"interview": "Interview me", "explain": "Explain a design"}


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


def on_new_interview() -> None:
    st.session_state.interview = None
    st.session_state.opened_id = None
    st.session_state.retry_requested = False
    st.query_params.clear()


def on_setting_change(setting: str) -> None:
    """Save a changed interview setting (mode, level, style, curveballs) from its widget, `<setting>_choice`."""
    interview = active_interview()
    if interview is not None:
        engine.change_settings(interview, get_store(), **{setting: st.session_state[f"{setting}_choice"]})


def question_picker() -> catalog.Listing | None:
    """The question bank grouped by category, narrowed by a search box; returns the problem picked."""
    bank = list(catalog.listings())  # the listing only: drawing the page validates nothing
    st.text_input(
        "Search the question bank",
        key="bank_search",
        placeholder="Title, category, name or difficulty, e.g. Dropbox",
    )
    query = st.session_state.bank_search
    found = browse.search(bank, query)
    if not found:
        st.session_state.bank_choice = ""
        st.info("No bank problem matches that search. Try another word, or type your own question in the chat box.")
        return None
    grouped = [problem for _, problems in browse.by_category(found) for problem in problems]
    by_id = {problem.id: problem for problem in grouped}
    if st.session_state.bank_choice not in by_id:
        st.session_state.bank_choice = ""  # the pick is hidden by the search: nothing is picked
    if len(found) == 1 and st.session_state.get("bank_search_seen") != query:
        st.session_state.bank_choice = found[0].id  # a search that finds one problem picks it, once per search
    st.session_state.bank_search_seen = query
    prompt = (
        "Pick a question…"
        if len(found) == len(bank)
        else "Pick the one match…"
        if len(found) == 1
        else f"Pick one of {len(found)} matches…"
    )
    st.selectbox(
        "Question bank",
        options=["", *by_id],
        format_func=lambda key: browse.label(by_id[key], browse.found_as(by_id[key], query)) if key else prompt,
        key="bank_choice",
    )
    chosen = by_id.get(st.session_state.bank_choice)
    if chosen is not None:
        st.caption(f"{chosen.title} · {chosen.category} · {chosen.difficulty}")  # in full: the box cuts long titles
    return chosen


def sidebar():
    with st.sidebar:
        st.header("Question")
        chosen = question_picker()
        st.text_area(
            "Constraints (optional)",
            key="constraints_input",
            placeholder="Scale: 50M DAU, 10B messages/day; focus on delivery and ordering",
            height=80,
        )
        if chosen is not None:  # under the pick and its constraints, in view; the settings below have defaults
            running = active_interview() is not None and not active_interview().ended_at
            st.button(
                "Start this question",
                type="secondary" if running else "primary",  # mid-interview, the chat is what to act on
                help="Starts a new interview; the one under way stays in History." if running else None,
                width="stretch",
                key="start_question",
                on_click=request_start,
                args=(chosen.id,),
            )
        st.radio(
            "Mode",
            MODES,
            format_func=MODE_LABELS.get,
            key="mode_choice",
            horizontal=True,
            on_change=on_setting_change,
            args=("mode",),
        )
        st.selectbox("Level", LEVELS, key="level_choice", on_change=on_setting_change, args=("level",))
        st.selectbox(
            "Interviewer",
            STYLES,
            format_func=STYLE_NAMES.get,
            key="style_choice",
            on_change=on_setting_change,
            args=("style",),
            help="Coach: hints after two thin answers and names what went well. Standard: a realistic interviewer. "
            "Bar raiser: challenges vague claims, asks what you rejected and why, and keeps strictly to time.",
        )
        st.toggle(
            "Requirement changes",
            key="curveballs_choice",
            on_change=on_setting_change,
            args=("curveballs",),
            help="Midway, the interviewer may change one requirement, as real interviewers do, to see the design bend.",
        )
        st.number_input("Interview length (minutes)", min_value=15, max_value=120, step=5, key="length_input")
        st.button(
            "New interview",
            on_click=on_new_interview,
            width="stretch",
            help="Clears the page for a question of your own, typed in the chat box. The interview on the page stays "
            "in History.",
        )
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


def request_start(problem_id: str) -> None:
    on_new_interview()  # the old transcript must not show above the new question
    st.session_state.start_requested = problem_id
