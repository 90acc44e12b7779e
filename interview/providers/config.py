"""Provider presets and the auto-selection chain, read from the environment and `.env`."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

APP_NAME = "System Design Interview Coach"
APP_URL = "https://github.com/system-design-interview/mock-interview"


# Every variable the app reads; tests and benchmarks clear them so a developer's setup never leaks in.
APP_ENV_VARS = (
    "INTERVIEW_PROVIDER",
    "INTERVIEW_BASE_URL",
    "INTERVIEW_MODEL",
    "INTERVIEW_API_KEY",
    "INTERVIEW_DB",
    "INTERVIEW_CACHE_DIR",
    "INTERVIEW_CONTEXT_TOKENS",
    "INTERVIEW_TIMEOUT",
    "INTERVIEW_LOCAL_MODEL_PATH",
    "INTERVIEW_EMBEDDED_STATE_MB",
    "OPENAI_API_KEY",
    "OPENROUTER_API_KEY",
    "OLLAMA_BASE_URL",
)


@dataclass(frozen=True)
class Preset:
    """What the app knows about one provider: where it is, and how it differs from the others."""

    name: str
    label: str
    base_url: str
    default_model: str
    key_env: str = ""
    base_url_env: str = ""
    context_tokens: int = 16000
    needs_key: bool = False  # requests are refused without an API key
    base_url_editable: bool = False  # the sidebar offers a server address field
    reports_usage: bool = False  # asked for token usage at the end of each stream
    extra_headers: tuple[tuple[str, str], ...] = ()  # sent with every request
    in_process: bool = False  # runs inside the app: loaded here, no server and no model list
    start_command: str = ""  # how to start its local server, told when it cannot be reached
    pull_command: str = ""  # how to fetch a missing model, told with the model's name when it is not found


PRESETS: dict[str, Preset] = {
    "openai": Preset(
        "openai",
        "OpenAI",
        "https://api.openai.com/v1",
        "gpt-4o-mini",
        key_env="OPENAI_API_KEY",
        context_tokens=100_000,
        needs_key=True,
        reports_usage=True,
    ),
    "openrouter": Preset(
        "openrouter",
        "OpenRouter",
        "https://openrouter.ai/api/v1",
        "openai/gpt-4o-mini",
        key_env="OPENROUTER_API_KEY",
        context_tokens=100_000,
        needs_key=True,
        reports_usage=True,
        extra_headers=(("HTTP-Referer", APP_URL), ("X-Title", APP_NAME)),  # OpenRouter's app attribution
    ),
    "ollama": Preset(
        "ollama",
        "Ollama",
        "http://localhost:11434/v1",
        "llama3.2",
        base_url_env="OLLAMA_BASE_URL",
        context_tokens=4096,  # Ollama's default num_ctx cuts longer prompts silently
        base_url_editable=True,
        start_command="ollama serve",
        pull_command="ollama pull",
    ),
    "custom": Preset(
        "custom",
        "Custom OpenAI-compatible server",
        "",
        "",
        key_env="INTERVIEW_API_KEY",
        base_url_env="INTERVIEW_BASE_URL",
        context_tokens=8192,
        base_url_editable=True,
    ),
    "embedded": Preset(
        "embedded",
        "Embedded offline model",
        "",
        "qwen2.5-coder-1.5b-instruct-q4_k_m",
        context_tokens=8192,
        in_process=True,
    ),
}


@dataclass(frozen=True)
class ProviderSettings:
    """Everything needed to build a provider. `api_key` is held in memory only, never stored."""

    provider: str
    model: str
    base_url: str = ""
    api_key: str = ""
    context_tokens: int = 8192
    timeout_seconds: float = 60.0

    def __repr__(self) -> str:  # keep the key out of logs and tracebacks
        return f"ProviderSettings(provider={self.provider!r}, model={self.model!r}, base_url={self.base_url!r})"


def load_dotenv_file() -> None:
    """Read `.env` from the working directory without overriding the real environment."""
    from dotenv import load_dotenv

    load_dotenv(os.path.join(os.getcwd(), ".env"), override=False)


def _get(env: Mapping[str, str], name: str) -> str:
    return (env.get(name) or "").strip() if name else ""


def ollama_reachable(base_url: str, timeout: float = 0.4) -> bool:
    """True when an Ollama (or any OpenAI-compatible) server answers GET /models quickly."""
    try:
        with urllib.request.urlopen(base_url.rstrip("/") + "/models", timeout=timeout) as response:
            return response.status == 200
    except (OSError, ValueError, urllib.error.URLError):
        return False


def choose_provider(env: Mapping[str, str] | None = None, probe_ollama=ollama_reachable) -> str:
    """Explicit INTERVIEW_PROVIDER, then an OpenAI key, an OpenRouter key, a custom base URL, Ollama, embedded."""
    env = os.environ if env is None else env
    explicit = _get(env, "INTERVIEW_PROVIDER").lower()
    if explicit:
        return explicit
    if _get(env, "OPENAI_API_KEY"):
        return "openai"
    if _get(env, "OPENROUTER_API_KEY"):
        return "openrouter"
    if _get(env, "INTERVIEW_BASE_URL"):
        return "custom"
    if probe_ollama(_get(env, "OLLAMA_BASE_URL") or PRESETS["ollama"].base_url):
        return "ollama"
    return "embedded"


class ConfigError(ValueError):
    """A configuration problem, worded for the user."""


def settings_for(
    provider: str,
    env: Mapping[str, str] | None = None,
    *,
    model: str = "",
    api_key: str = "",
    base_url: str = "",
) -> ProviderSettings:
    """Settings for a preset; sidebar overrides win over the environment."""
    env = os.environ if env is None else env
    preset = PRESETS.get(provider)
    if preset is None:
        raise ConfigError(f"Unknown provider '{provider}' in INTERVIEW_PROVIDER. Use one of: {', '.join(PRESETS)}.")
    resolved_model = model.strip() or _get(env, "INTERVIEW_MODEL") or preset.default_model
    resolved_base = base_url.strip() or _get(env, preset.base_url_env) or preset.base_url
    context = _get(env, "INTERVIEW_CONTEXT_TOKENS")
    try:
        timeout = float(_get(env, "INTERVIEW_TIMEOUT") or 60)
    except ValueError as exc:
        raise ConfigError("INTERVIEW_TIMEOUT must be a number of seconds, for example 60.") from exc
    return ProviderSettings(
        provider=provider,
        model=resolved_model,
        base_url=resolved_base,
        api_key=api_key.strip() or _get(env, preset.key_env),
        context_tokens=int(context) if context.isdigit() else preset.context_tokens,
        timeout_seconds=timeout,
    )
