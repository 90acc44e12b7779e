"""Build the provider for a settings object; the only place that picks a backend class."""

from __future__ import annotations

from interview.providers.base import Provider
from interview.providers.config import ProviderSettings


def make_provider(settings: ProviderSettings) -> Provider:
    if settings.provider == "embedded":
        from interview.providers.embedded import EmbeddedProvider  # imports llama_cpp: only when chosen

        return EmbeddedProvider(settings)
    from interview.providers.openai_compat import OpenAICompatibleProvider

    return OpenAICompatibleProvider(settings)
