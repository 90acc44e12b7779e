"""Normalise what a model wrote into rubric rows: dimension names, scores, hire signals, quotes and lists."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from interview.core.quotes import clean_quote, fold_for_matching
from interview.core.scorecard import DIMENSION_KEYS, DIMENSIONS
from interview.feedback.json_repair import json_values

MAX_QUOTES = 3
MAX_ITEMS = 5
MAX_COMMENT_CHARS = 500


_ALIASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("trade_offs", ("tradeoff", "trade")),
    ("high_level", ("highlevel", "architecture", "overalldesign", "systemdesign", "api")),
    ("deep_dive", ("deepdive", "deep", "datamodel", "detail")),
    ("requirements", ("requirement", "clarif", "scope")),
    ("estimates", ("estimat", "capacity", "backofthe", "math", "numbers", "sizing")),
    ("scalability", ("scal", "bottleneck", "performance", "growth")),
    ("reliability", ("reliab", "fault", "availab", "resilien", "failure", "operation", "durab", "recovery")),
    ("communication", ("communicat", "clarity", "collaborat", "explain", "structure")),
)
_COMPACT_NAMES = {re.sub(r"[^a-z]", "", text.lower()): key for key, label in DIMENSIONS for text in (key, label)}


def match_dimension(name: Any) -> str | None:
    """The dimension key a model's name for it means ("High-level design", "Scale", "fault tolerance"), or None."""
    if not isinstance(name, str):
        return None
    compact = re.sub(r"[^a-z]", "", name.lower())
    if not compact:
        return None
    if compact in _COMPACT_NAMES:
        return _COMPACT_NAMES[compact]
    for key, aliases in _ALIASES:
        if any(alias in compact for alias in aliases):
            return key
    return None


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}


def parse_score(value: Any) -> int | None:
    """A 1–4 integer from whatever the model wrote ("3", 3.6, "3/4", "8/10", "three"); None when there is none."""
    if isinstance(value, bool):
        return None
    number: float | None = None
    if isinstance(value, int | float):
        # float() of a huge JSON integer would overflow; NaN and infinity fall through to None below
        number = float(value) if isinstance(value, float) else float(max(-(10**9), min(10**9, value)))
    elif isinstance(value, str):
        ratio = re.search(r"(-?\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)", value)
        plain = re.search(r"-?\d+(?:\.\d+)?", value)
        if ratio and float(ratio.group(2)) > 0:
            number = float(ratio.group(1)) / float(ratio.group(2)) * 4
        elif plain:
            number = float(plain.group())
        else:
            word = next((w for w in re.findall(r"[a-z]+", value.lower()) if w in _NUMBER_WORDS), None)
            number = float(_NUMBER_WORDS[word]) if word else None
    if number is None or not math.isfinite(number):
        return None
    return max(1, min(4, math.floor(number + 0.5)))


def match_hire_signal(value: Any) -> str | None:
    """One of HIRE_SIGNALS from the model's wording, or None."""
    if not isinstance(value, str):
        return None
    compact = re.sub(r"[^a-z]", "", value.lower())
    if "nohire" in compact or "nothire" in compact or "reject" in compact:
        return "Lean no hire" if "lean" in compact or "weak" in compact else "No hire"
    if "hire" not in compact:
        return None
    if "lean" in compact or "weak" in compact:
        return "Lean hire"
    return "Strong hire" if "strong" in compact else "Hire"


def implied_hire_signal(overall: float) -> str:
    """The hire signal a mean score supports."""
    if overall >= 3.5:
        return "Strong hire"
    if overall >= 3:
        return "Hire"
    if overall >= 2.5:
        return "Lean hire"
    if overall >= 2:
        return "Lean no hire"
    return "No hire"


def verify_quotes(quotes: Any, candidate_texts: list[str]) -> list[str]:
    """The quotes that appear verbatim in one of the candidate's turns (ignoring whitespace, case and curly quotes)."""
    if isinstance(quotes, str):
        quotes = [quotes]
    if not isinstance(quotes, list):
        return []
    haystacks = [fold_for_matching(text) for text in candidate_texts]
    kept: list[str] = []
    for quote in quotes:
        if not isinstance(quote, str):
            continue
        quote = clean_quote(quote)
        # the model may join fragments with an ellipsis; each fragment must then be in the same turn
        fragments = [fold_for_matching(part).strip(" \"'.,;:!?") for part in re.split(r"\.\.\.|…", quote)]
        fragments = [part for part in fragments if part]
        if not fragments or len(" ".join(fragments).split()) < 2:
            continue  # one word matches almost anything, so it proves nothing
        if any(all(part in haystack for part in fragments) for haystack in haystacks) and quote not in kept:
            kept.append(quote)
        if len(kept) == MAX_QUOTES:
            break
    return kept


def _text_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    items = []
    for item in value:
        if isinstance(item, dict):
            gap = next(
                (
                    item[k]
                    for k in ("gap", "missing", "issue", "weakness", "strength", "point", "text", "description")
                    if k in item
                ),
                "",
            )
            better = next(
                (item[k] for k in ("strong_answer", "strong", "better", "ideal", "should", "fix") if k in item), ""
            )
            item = " — ".join(str(part).strip() for part in (gap, better) if isinstance(part, str) and part.strip())
        if isinstance(item, str) and item.strip():
            items.append(" ".join(item.split()))
        if len(items) == MAX_ITEMS:
            break
    return items


def _first(mapping: dict, *names: str) -> Any:
    return next((mapping[name] for name in names if name in mapping), None)


@dataclass
class ModelRow:
    """One dimension as the model wrote it, before the rules check it against the transcript."""

    score: int | None
    evidence: Any  # quotes as the model gave them; `verify_quotes` decides which count
    comment: str


@dataclass
class ModelFeedback:
    """The model's scorecard, normalised but not yet checked against the transcript."""

    rows: dict[str, ModelRow]
    strengths: list[str]
    gaps: list[str]
    hire_signal: str | None  # one of HIRE_SIGNALS, or None when the model gave none we recognise


def _dimension_rows(data: dict) -> dict[str, ModelRow]:
    """Dimension key -> the model's row, from the shapes small models produce."""
    raw = _first(data, "dimensions", "scores", "ratings", "scorecard", "evaluation", "assessment")
    entries: list[tuple[Any, Any]] = []
    if isinstance(raw, list):
        for index, item in enumerate(raw):
            if isinstance(item, dict):
                name = _first(item, "key", "name", "dimension", "label", "area", "category")
                if name is None and index < len(DIMENSION_KEYS):
                    name = DIMENSION_KEYS[index]  # no name at all: trust the order we asked for
                entries.append((name, item))
    elif isinstance(raw, dict):
        entries = list(raw.items())
    elif "score" in data and _first(data, "key", "name", "dimension") is not None:
        entries = [(_first(data, "key", "name", "dimension"), data)]  # a lone dimension object
    else:
        entries = list(data.items())
    rows: dict[str, ModelRow] = {}
    for name, item in entries:
        key = match_dimension(name)
        if key is None or key in rows:
            continue
        if isinstance(item, dict):
            score = parse_score(_first(item, "score", "rating", "value", "grade"))
            evidence = _first(item, "evidence", "quotes", "quote")
            comment = _first(item, "comment", "feedback", "reason", "justification", "notes")
        else:
            score, evidence, comment = parse_score(item), None, None
        comment = " ".join(comment.split())[:MAX_COMMENT_CHARS] if isinstance(comment, str) else ""
        rows[key] = ModelRow(score, evidence, comment)
    return rows


def _read_object(data: dict) -> ModelFeedback | None:
    rows = _dimension_rows(data)
    if not any(row.score is not None for row in rows.values()):
        return None
    gaps = _text_list(_first(data, "gaps", "weaknesses"))
    return ModelFeedback(
        rows=rows,
        strengths=_text_list(_first(data, "strengths", "strong_points", "positives")),
        gaps=[re.sub(r"\s+-{1,2}\s+", " — ", gap, count=1) for gap in gaps],
        hire_signal=match_hire_signal(_first(data, "hire_signal", "hire", "recommendation", "decision", "verdict")),
    )


def read_reply(text: str) -> ModelFeedback | None:
    """The first scorecard in a model reply that scores any dimension; None when there is none."""
    if not isinstance(text, str) or not text.strip():
        return None
    for value in json_values(text):
        data = {"dimensions": value} if isinstance(value, list) else value
        candidates = [data] + [inner for inner in data.values() if isinstance(inner, dict)]
        for candidate in candidates:  # a model may wrap everything in {"scorecard": {...}}
            feedback = _read_object(candidate)
            if feedback is not None:
                return feedback
    return None
