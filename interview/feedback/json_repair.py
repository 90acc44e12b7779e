"""A lenient JSON reader for model replies: fenced blocks, thinking blocks, trailing commas, cut-off output."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from typing import Any

MAX_JSON_STARTS = 30
MAX_REPAIR_TRIES = 200
MAX_DEPTH = 12
MAX_REPLY_CHARS = 60_000  # a scorecard is a few thousand characters; bound the work on a runaway reply

_THINK_BLOCK = re.compile(r"<think>.*?</think>", re.S | re.I)
_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)(?:```|\Z)", re.S)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def strip_thinking(text: str) -> str:
    """Drop reasoning blocks that distilled "thinking" models print before their answer."""
    text = _THINK_BLOCK.sub("", text)
    end = text.lower().rfind("</think>")
    return text[end + len("</think>") :] if end >= 0 else text


def _loads(text: str, python: bool = False) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        pass
    text = _TRAILING_COMMA.sub(r"\1", text)
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        pass
    if not python or "'" not in text:
        return None
    try:  # small models sometimes answer with a Python dict: single quotes, True, None
        value = ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, dict | list) else None


def _close(prefix: str, stack: str, in_string: bool, escaped: bool) -> str:
    """Close a cut-off JSON prefix: finish the open string, drop a dangling comma, close the open brackets."""
    if in_string:
        prefix = (prefix[:-1] if escaped else prefix) + '"'
    prefix = prefix.rstrip()
    if prefix.endswith(","):
        prefix = prefix[:-1]
    elif prefix.endswith(":"):
        prefix += " null"
    return prefix + "".join("}" if opener == "{" else "]" for opener in reversed(stack))


def _decode_from(text: str, start: int) -> Any:
    """The JSON value starting at `start`, repairing trailing commas, truncation and a bad tail when needed."""
    try:
        return json.JSONDecoder().raw_decode(text, start)[0]
    except (ValueError, RecursionError):
        pass
    # one scan records every place the value could be cut and closed again, and where it really ends
    cuts: list[tuple[int, str, bool, bool]] = []
    stack: list[str] = []
    in_string = escaped = False
    end = None
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "{[":
            stack.append(char)
            if len(stack) > MAX_DEPTH:
                return None  # a scorecard nests four deep; this is not one
            cuts.append((index + 1, "".join(stack), False, False))
        elif char in "}]":
            if stack:
                stack.pop()
            if not stack:
                end = index + 1
                break
            cuts.append((index + 1, "".join(stack), False, False))
        elif char == ",":
            cuts.append((index, "".join(stack), False, False))
    if end is None:  # cut off mid-value: the whole rest is the first thing to try closing
        cuts.append((len(text), "".join(stack), in_string, escaped))
    else:
        value = _loads(text[start:end], python=True)
        if value is not None:
            return value
    # Python-literal parsing is slow, so only the whole value gets that chance, not every cut of it
    for cut, open_stack, cut_in_string, cut_escaped in sorted(cuts, reverse=True)[:MAX_REPAIR_TRIES]:
        value = _loads(_close(text[start:cut], open_stack, cut_in_string, cut_escaped))
        if value is not None:
            return value
    return None


def json_values(text: str) -> Iterator[Any]:
    """Every JSON value that can be read out of a reply: fenced blocks first, then the whole text."""
    text = strip_thinking(text)[:MAX_REPLY_CHARS]
    sources = [match.group(1) for match in _FENCE.finditer(text) if match.group(1).strip()] + [text]
    for source in sources:
        starts = [index for index, char in enumerate(source) if char in "{["][:MAX_JSON_STARTS]
        for start in starts:
            value = _decode_from(source, start)
            if isinstance(value, dict | list) and value:
                yield value
