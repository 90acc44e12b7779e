"""Login through Streamlit's own OIDC support, when `[auth]` is configured in `.streamlit/secrets.toml`.

Without `[auth]` the app is single-person and local: every interview belongs to LOCAL_OWNER, as before login
existed. With it, a visitor who is not logged in sees only the login, and each person's interviews are theirs
alone: the owner is the login's issuer and subject (`iss` + `sub` of the ID token), which never change for one
account, unlike an email address.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from interview.store import LOCAL_OWNER, owner_id

# Settings of `[auth]` itself; any other table inside it is a named provider (`[auth.google]`, ...).
SHARED_SETTINGS = {"redirect_uri", "cookie_secret", "expose_tokens"}


def login_configured() -> bool:
    return bool(st.secrets.load_if_toml_exists() and st.secrets.get("auth"))


def providers() -> list[str | None]:
    """Named providers, or [None] when `[auth]` configures one provider directly."""
    section = st.secrets.get("auth") or {}
    named = [name for name, value in section.items() if isinstance(value, Mapping) and name not in SHARED_SETTINGS]
    return named or [None]


def current_owner() -> str:
    """The owner of what this session reads and writes; call only once `require_login()` has let the run through."""
    if not login_configured():
        return LOCAL_OWNER
    try:
        return owner_id(str(st.user.get("iss") or ""), str(st.user.get("sub") or ""))
    except ValueError:
        st.error("Your login did not say who you are (no issuer or subject). Log out and try another account.")
        st.button("Log out", on_click=st.logout)
        st.stop()


def require_login() -> None:
    """With `[auth]`: a visitor who is not logged in sees the login and nothing else; a logged-in one gets a
    logout button in the sidebar. Without `[auth]`: nothing."""
    if not login_configured():
        return
    if not st.user.get("is_logged_in"):
        st.title("System design interview coach")
        st.write("Log in to practise. Your interviews are private: only you can see them.")
        for provider in providers():
            label = "Log in" if provider is None else f"Log in with {provider.title()}"
            st.button(label, key=f"login_{provider}", type="primary", on_click=st.login, args=(provider,))
        st.stop()
    with st.sidebar:
        who = st.user.get("name") or st.user.get("email") or st.user.get("sub")
        st.caption(f"Logged in as {who}")
        st.button("Log out", key="logout", on_click=st.logout)
