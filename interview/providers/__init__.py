"""Model backends behind one seam."""

from interview.providers.base import Provider, ProviderError, StreamInfo

__all__ = ["Provider", "ProviderError", "StreamInfo"]
