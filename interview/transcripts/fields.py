"""Typed, bounded access to an untrusted JSON object's fields; every failure is an `ImportFailed` a user can act on."""

from __future__ import annotations

import math
import re
from typing import Any

# Longest accepted text per field, in characters.
LIMITS = {
    "question": 20_000,
    "constraints": 20_000,
    "provider": 100,
    "model": 300,
    "problem_id": 200,
    "summary": 100_000,
    "content": 100_000,
    "error": 2_000,
    "reason": 200,
    "hint": 5_000,
    "name": 200,
    "item": 5_000,
    "prose": 100_000,
    "hire_signal": 500,
    "extra": 10_000,
}

EARLIEST, LATEST = 0.0, 4_102_444_800.0  # timestamps from 1970 to 2100; wider values break date formatting

_SHOWABLE = re.compile(r"[\w .:/-]{1,40}")


class ImportFailed(ValueError):
    """An import we refuse, with the reason in words a user understands; nothing was stored."""


def fail(problem: str) -> ImportFailed:
    return ImportFailed(f"Cannot import this file: {problem}. Nothing was imported.")


def kind_of(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else type(value).__name__


def shown(value: Any) -> str:
    """A value quoted back to the user only when it is short and plain, so hostile text is never echoed."""
    text = str(value)
    return f"'{text}'" if isinstance(value, (str, int, float)) and _SHOWABLE.fullmatch(text) else "an unexpected value"


def check_text(value: str, where: str, limit: int) -> str:
    if len(value) > limit:
        raise fail(f"{where} is {len(value):,} characters long; the limit is {limit:,}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise fail(f"{where} contains characters that are not valid text") from None
    return value


def check_plain_json(value: Any, where: str) -> None:
    """Fields we keep without knowing them: text must still be valid and of sane length."""
    if isinstance(value, str):
        check_text(value, where, LIMITS["extra"])
    elif isinstance(value, float) and not math.isfinite(value):
        raise fail(f"{where} is not a finite number")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key, f"a field name in {where}", LIMITS["name"])
            check_plain_json(item, f"{where} → {key}")
    elif isinstance(value, list):
        for index, item in enumerate(value, 1):
            check_plain_json(item, f"{where} item {index}")


class Fields:
    """Typed access to one JSON object's fields, failing with the object's name and the field's name."""

    def __init__(self, data: Any, where: str):
        if not isinstance(data, dict):
            raise fail(f"{where} should be an object, but it is {kind_of(data)}")
        self.data = data
        self.where = where

    def _get(self, key: str, required: bool) -> tuple[bool, Any]:
        if key in self.data:
            return True, self.data[key]
        if required:
            raise fail(f"{self.where} is missing the field '{key}'")
        return False, None

    def _wrong(self, key: str, expected: str, value: Any) -> ImportFailed:
        return fail(f"in {self.where}, '{key}' should be {expected}, but it is {kind_of(value)}")

    def text(
        self,
        key: str,
        limit: int,
        *,
        default: str | None = "",
        required: bool = False,
        nullable: bool = False,
        nonblank: bool = False,
    ) -> str | None:
        present, value = self._get(key, required)
        if not present or (value is None and nullable):
            return default if not present else None
        if not isinstance(value, str):
            raise self._wrong(key, "text", value)
        if nonblank and not value.strip():
            raise fail(f"in {self.where}, '{key}' is empty")
        return check_text(value, f"'{key}' in {self.where}", limit)

    def number(
        self,
        key: str,
        *,
        low: float,
        high: float,
        default: float | None = None,
        required: bool = False,
        nullable: bool = False,
        integer: bool = False,
        expected: str = "",
    ) -> float | int | None:
        present, value = self._get(key, required)
        if not present or (value is None and nullable):
            return default if not present else None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._wrong(key, "a whole number" if integer else "a number", value)
        expected = expected or f"{'a whole number' if integer else 'a number'} from {low:g} to {high:g}"
        if not math.isfinite(value) or not low <= value <= high or (integer and value != int(value)):
            raise fail(f"in {self.where}, '{key}' is {shown(value)}; expected {expected}")
        return int(value) if integer else float(value)

    def time(
        self, key: str, *, default: float | None = None, required: bool = False, nullable: bool = False
    ) -> float | None:
        return self.number(
            key,
            low=EARLIEST,
            high=LATEST,
            default=default,
            required=required,
            nullable=nullable,
            expected="a time in seconds since 1970, before the year 2100",
        )

    def choice(self, key: str, choices: tuple[str, ...], *, default: str | None = None, required: bool = False) -> str:
        present, value = self._get(key, required)
        if not present:
            return default
        if not isinstance(value, str) or value not in choices:
            raise fail(f"in {self.where}, '{key}' is {shown(value)}; expected one of {', '.join(choices)}")
        return value

    def flag(self, key: str, default: bool) -> bool:
        present, value = self._get(key, False)
        if not present:
            return default
        if not isinstance(value, bool):
            raise self._wrong(key, "true or false", value)
        return value

    def items(self, key: str, limit: int, *, required: bool = False) -> list:
        present, value = self._get(key, required)
        if not present:
            return []
        if not isinstance(value, list):
            raise self._wrong(key, "a list", value)
        if len(value) > limit:
            raise fail(f"in {self.where}, '{key}' has {len(value):,} entries; the limit is {limit:,}")
        return value

    def texts(self, key: str, limit: int, length: int) -> None:
        for index, item in enumerate(self.items(key, limit), 1):
            if not isinstance(item, str):
                raise fail(f"in {self.where}, entry {index} of '{key}' should be text, but it is {kind_of(item)}")
            check_text(item, f"entry {index} of '{key}' in {self.where}", length)
