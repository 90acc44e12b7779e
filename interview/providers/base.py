"""The provider seam: every model backend streams text chunks through this interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field

from interview.core.steering import CAPABLE, SteeringPolicy


@dataclass
class StreamInfo:
    """What a stream reports once it ends: why it stopped and what it cost."""

    finish_reason: str | None = None
    usage: dict = field(default_factory=dict)


class ProviderError(Exception):
    """A failure the candidate should read: `message` is plain words, `kind` is machine-readable."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


class Provider(ABC):
    """A chat model that streams a reply to a list of {role, content} messages."""

    name: str = "provider"
    model: str = ""
    context_tokens: int = 8192  # the prompt budget; older turns are summarised past it
    policy: SteeringPolicy = CAPABLE  # how much code steers this model's interviewing

    @abstractmethod
    def stream(self, messages: list[dict], info: StreamInfo) -> Iterator[str]:
        """Yield reply text chunks; fill `info` as the stream ends; raise ProviderError on failure."""

    def list_models(self) -> list[str]:
        """Models the backend offers, or [] when it cannot tell."""
        return []

    def count_tokens(self, text: str) -> int:
        """Estimated tokens: one per 3 characters, a deliberate overestimate (English averages about 4)."""
        return max(1, (len(text) + 2) // 3)

    def label(self) -> str:
        return f"{self.name} · {self.model}"
