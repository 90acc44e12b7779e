"""Quotes: fold text so a model's quote can be found in what the candidate said."""

from __future__ import annotations

import re
from collections.abc import Iterable


def straighten_quotes(text: str) -> str:
    """Curly quotes and apostrophes as straight ones."""
    return (
        text.replace("\u2018", "'")
        .replace("\u2019", "'")
        .replace("\u201a", "'")
        .replace("\u201b", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u201e", '"')
        .replace("\u201f", '"')
    )


def fold_for_matching(text: str) -> str:
    """Straight quotes, case folded and whitespace collapsed: the form quotes are compared in."""
    return " ".join(straighten_quotes(text).casefold().split())


def clean_quote(quote: str) -> str:
    """A quote without a "Candidate:" label, curly quotes or outer punctuation."""
    quote = " ".join(quote.split())
    quote = re.sub(r"^(candidate|the candidate said)\s*:\s*", "", quote, flags=re.I)
    return straighten_quotes(quote).strip(" \"'`.,;:!?…")


def overlaps_any(quote: str, others: Iterable[str]) -> bool:
    """The quote is inside one of the others or holds one; an empty quote (older notes kept none) holds nothing."""
    return bool(quote) and any(quote in other or other in quote for other in others)
