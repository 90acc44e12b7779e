"""The scorecard as data, and its one serializer: the JSON shape stored in the database and in exports.

Nothing here imports the rest of the app, so `interview.core.state` can hold a `Scorecard` without an import cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("requirements", "Requirements"),
    ("estimates", "Estimates"),
    ("high_level", "High-level design"),
    ("deep_dive", "Deep dive"),
    ("scalability", "Scalability"),
    ("reliability", "Reliability"),
    ("trade_offs", "Trade-offs"),
    ("communication", "Communication"),
)
DIMENSION_KEYS = tuple(key for key, _ in DIMENSIONS)
HIRE_SIGNALS = ("Strong hire", "Hire", "Lean hire", "Lean no hire", "No hire")  # best first
NOT_ASSESSED = "Not assessed"  # the comment on a dimension the model left unscored, unless it wrote its own

# The fields each shape stores, in the order they are written. Anything else in a stored card (say, from a newer
# release) is kept as it came in `extra` and written back unchanged.
SCORED_FIELDS = ("dimensions", "strengths", "gaps", "hire_signal", "level", "hints_used", "overall", "source")
PROSE_FIELDS = ("prose", "note", "hints_used", "level")
DIMENSION_FIELDS = ("key", "name", "score", "evidence", "comment", "assessed")


def _says_not_assessed(comment: str) -> bool:
    # Cards stored before the flag existed carry it only in the comment, which starts with NOT_ASSESSED.
    return comment.casefold().startswith(NOT_ASSESSED.casefold())


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _texts(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _number(value: Any) -> int | float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _extra(data: Mapping[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in known}


@dataclass
class DimensionScore:
    """One rubric row: a score with the candidate's own words as evidence."""

    name: str
    score: int | float | None  # 1–4 on cards this app makes; imported cards may hold other numbers
    evidence: list[str] = field(default_factory=list)
    comment: str = ""
    key: str | None = None  # one of DIMENSION_KEYS on cards this app makes
    assessed: bool = True  # False when the model gave no score and the row was filled in
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def shown_score(self) -> int | float | None:
        """The score to show: none for a row not assessed, whose 1 only stands in for it in the overall."""
        return self.score if self.assessed else None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {} if self.key is None else {"key": self.key}
        data |= {"name": self.name, "score": self.score, "evidence": list(self.evidence), "comment": self.comment}
        if self.assessed == _says_not_assessed(self.comment):  # only when the comment would misstate the flag
            data["assessed"] = self.assessed
        return data | self.extra

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DimensionScore:
        comment = _text(data.get("comment"))
        assessed = data.get("assessed")
        return cls(
            name=_text(data.get("name")),
            score=_number(data.get("score")),
            evidence=_texts(data.get("evidence")),
            comment=comment,
            key=data["key"] if isinstance(data.get("key"), str) else None,
            assessed=assessed if isinstance(assessed, bool) else not _says_not_assessed(comment),
            extra=_extra(data, DIMENSION_FIELDS),
        )


@dataclass
class Scorecard:
    """End-of-interview feedback: scored dimensions, or (`is_prose`) the model's words when no rubric could be read."""

    dimensions: list[DimensionScore] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    hire_signal: str = ""
    level: str = ""
    hints_used: int = 0
    overall: float | None = None  # mean dimension score
    source: str = ""  # model | repaired | rule
    prose: str = ""  # the prose fallback's text
    note: str = ""  # why the prose fallback is shown
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_prose(self) -> bool:
        return bool(self.prose)

    @property
    def overall_note(self) -> str:
        """Why the overall is below the shown scores' mean, when rows not assessed count in it as 1."""
        missing = sum(not row.assessed for row in self.dimensions)
        if not missing:
            return ""
        return (
            f"the {missing} dimension{'s' if missing > 1 else ''} not assessed count{'' if missing > 1 else 's'} as 1"
        )

    def to_dict(self) -> dict[str, Any]:
        """The stored JSON shape: the scored card's fields, or the prose fallback's."""
        if self.is_prose:
            data = {"prose": self.prose, "note": self.note, "hints_used": self.hints_used, "level": self.level}
        else:
            data = {
                "dimensions": [row.to_dict() for row in self.dimensions],
                "strengths": list(self.strengths),
                "gaps": list(self.gaps),
                "hire_signal": self.hire_signal,
                "level": self.level,
                "hints_used": self.hints_used,
                "overall": self.overall,
                "source": self.source,
            }
        return data | self.extra

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scorecard:
        """Read a stored card; fields of the wrong type read as empty, unknown fields are kept in `extra`."""
        hints_used = data.get("hints_used")
        common = {
            "level": _text(data.get("level")),
            "hints_used": hints_used if isinstance(hints_used, int) and not isinstance(hints_used, bool) else 0,
        }
        if isinstance(data.get("prose"), str) and data["prose"]:
            return cls(prose=data["prose"], note=_text(data.get("note")), extra=_extra(data, PROSE_FIELDS), **common)
        rows = data.get("dimensions")
        return cls(
            dimensions=[DimensionScore.from_dict(row) for row in rows if isinstance(row, Mapping)]
            if isinstance(rows, list)
            else [],
            strengths=_texts(data.get("strengths")),
            gaps=_texts(data.get("gaps")),
            hire_signal=_text(data.get("hire_signal")),
            overall=_number(data.get("overall")),
            source=_text(data.get("source")),
            extra=_extra(data, SCORED_FIELDS),
            **common,
        )
