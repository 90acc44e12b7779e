"""Credentials never travel: the check that finds a key named like one, at any depth of plain data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_SECRET_KEY = re.compile(r"api[\W_]*key|secret|passw(or)?d|authorization|bearer", re.IGNORECASE)


def find_secret_key(value: Any, where: str = "") -> str | None:
    """The path of the first mapping key, at any depth, that names a credential such as an API key."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if isinstance(key, str) and _SECRET_KEY.search(key):
                return path
            found = find_secret_key(item, path)
            if found:
                return found
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = find_secret_key(item, f"{where}[{index}]")
            if found:
                return found
    return None
