"""End-of-interview feedback: a model-written scorecard, checked against the transcript by deterministic rules."""

from __future__ import annotations

import ast
import json
import math
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from interview import bank
from interview.engine import Store
from interview.heuristics import (
    assessable_turns,
    clean_quote,
    fold_for_matching,
    substantive_turns,
)
from interview.model import Interview, phase_title
from interview.prompts import LEVEL_EXPECTATIONS
from interview.providers.base import Provider, ProviderError, StreamInfo

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
PHASE_DIMENSIONS = {
    "requirements": "requirements",
    "estimates": "estimates",
    "high_level": "high_level",
    "deep_dive": "deep_dive",
    "scale": "scalability",
    "reliability": "reliability",
}

TRANSCRIPT_CHARS = 12_000  # about 3k tokens, so a small local model's context still fits the instructions
MESSAGE_CHARS = 3_000  # one huge paste must not push every other turn out of the transcript
ECHO_CHARS = 4_000  # how much of a bad reply the repair request sends back
MAX_QUOTES = 3
MAX_ITEMS = 5
MAX_COMMENT_CHARS = 500
MAX_JSON_STARTS = 30
MAX_REPAIR_TRIES = 200
MAX_DEPTH = 12
MAX_REPLY_CHARS = 60_000  # a scorecard is a few thousand characters; bound the work on a runaway reply

PROSE_NOTE = "The model's feedback could not be read as a scorecard, so here it is as written."
NOT_ASSESSED = "Not assessed"
# One or two on-topic phrases among gibberish are not an interview: with fewer assessable turns than this
# (see `assessable_turns`), every dimension is 1.
MIN_SUBSTANTIVE_TURNS = 2
NO_SUBSTANCE_COMMENT = "No substantive answer to assess."
TOO_LITTLE_DETAIL_COMMENT = "Too little technical detail to assess: no more than one answer named two technical terms."
NO_SUBSTANCE_GAPS = [
    "No substantive answers — a strong answer would clarify requirements, estimate load with numbers, "
    "sketch the main components and justify the trade-offs.",
]
NO_EVIDENCE_NOTE = "Capped at 2: no verbatim quote from the candidate backs this score."
HINT_NOTE = "Capped at 3: a specific hint was needed in this phase."

SCHEMA_EXAMPLE = (
    '{"dimensions":[{"key":"requirements","score":2,"evidence":["exact candidate words"],"comment":"one sentence"}],'
    '"strengths":["what went well"],"gaps":["what was missing — what a strong answer would have said"],'
    '"hire_signal":"Lean no hire"}'
)
REPAIR_REQUEST = (
    "Your reply could not be read as JSON.\n"
    "Reply again with only the JSON object in the shape given above.\n"
    "Start with { and end with }."
)

# --- The prompt ---------------------------------------------------------------------------------------------------


def _one_line(text: str, limit: int = MESSAGE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rstrip() + " …"


def _transcript(interview: Interview) -> tuple[str, bool]:
    """Labelled transcript lines, keeping the most recent TRANSCRIPT_CHARS; True when earlier turns were cut."""
    lines = []
    for message in interview.messages:
        if not message.content.strip() or message.kind == "question":
            continue
        if message.role == "assistant" and not message.complete:
            continue  # a half-streamed reply is noise to the grader
        if message.kind == "hint":
            label = "Hint"
        else:
            label = "Candidate" if message.role == "user" else "Interviewer"
        lines.append(f"{label}: {_one_line(message.content)}")
    text = "\n".join(lines)
    if len(text) <= TRANSCRIPT_CHARS:
        return text, False
    tail = text[-TRANSCRIPT_CHARS:]
    newline = tail.find("\n")
    return (tail[newline + 1 :] if 0 <= newline < len(tail) - 1 else tail), True


def _hints_line(interview: Interview) -> str:
    if not interview.hints:
        return "Hints used: none."
    tiers: dict[str, list[str]] = {}
    for hint in interview.hints:
        tiers.setdefault(str(hint.get("phase", "")), []).append(str(hint.get("tier", "")))
    parts = []
    for phase, used in tiers.items():
        try:
            title = phase_title(phase)
        except KeyError:
            title = phase
        parts.append(f"{title}: {', '.join(used)}")
    return f"Hints used: {len(interview.hints)} ({'; '.join(parts)})."


def _level_line(level: str) -> str:
    expectation = LEVEL_EXPECTATIONS.get(level, LEVEL_EXPECTATIONS["senior"])
    # only the expectation sentence; the rest tells an interviewer how to probe, which a grader does not need
    return f"Calibrate to the level. {expectation.split('. ')[0].rstrip('.')}."


def scorecard_messages(interview: Interview) -> list[dict]:
    """The grading request: a short system prompt asking for JSON only, then the problem and the transcript."""
    system = "\n".join(
        [
            "You are a strict, fair system design interviewer writing feedback after an interview.",
            _level_line(interview.level),
            "Judge only what the candidate said in Candidate lines.",
            "Reply with only one JSON object. No Markdown. No text before or after it.",
            "Use exactly this shape:",
            SCHEMA_EXAMPLE,
            f"Give all {len(DIMENSIONS)} dimensions in this order: {', '.join(DIMENSION_KEYS)}.",
            "score is a whole number: 1 poor, 2 weak, 3 good, 4 excellent.",
            "evidence lists short quotes copied word for word from Candidate lines.",
            "Never invent or reword a quote.",
            "If no quote supports a dimension, use [] and score it 1 or 2.",
            "Empty, off-topic or nonsense answers score 1.",
            "Needing a hint lowers the matching score.",
            "comment is one short sentence.",
            "strengths lists what the candidate did well.",
            "Each gap reads: what was missing — what a strong answer would have said.",
            f"hire_signal is one of: {', '.join(HIRE_SIGNALS)}.",
        ]
    )
    problem = bank.find_problem(interview.problem_id or "")
    lines = [f"Question: {_one_line(problem.prompt if problem else interview.question)}"]
    if interview.constraints.strip():
        lines.append(f"Constraints: {_one_line(interview.constraints)}")
    lines.append(f"Level: {interview.level}")
    if problem:
        lines.append("What a strong answer covers:")
        for phase, items in problem.checklist.items():
            lines.append(f"- {phase_title(phase)}: {'; '.join(items)}")
    lines.append(_hints_line(interview))
    transcript, cut = _transcript(interview)
    if cut and interview.summary.strip():
        lines.append(f"Summary of earlier turns: {_one_line(interview.summary)}")
    lines.append("Transcript:" + (" (earlier turns omitted)" if cut else ""))
    lines.append(transcript or "(no answers)")
    lines.append("End of transcript. Reply with the JSON scorecard only.")
    return [{"role": "system", "content": system}, {"role": "user", "content": "\n".join(lines)}]


def repair_messages(messages: list[dict], reply: str) -> list[dict]:
    """The one retry: the original request, the unreadable reply, and a request for just the JSON."""
    echo = reply.strip()[:ECHO_CHARS] or "(empty reply)"
    return [*messages, {"role": "assistant", "content": echo}, {"role": "user", "content": REPAIR_REQUEST}]


# --- Reading the model's reply ------------------------------------------------------------------------------------

_THINK_BLOCK = re.compile(r"<think>.*?</think>", re.S | re.I)
_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)(?:```|\Z)", re.S)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def _strip_thinking(text: str) -> str:
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


def _json_values(text: str) -> Iterator[Any]:
    """Every JSON value that can be read out of a reply: fenced blocks first, then the whole text."""
    text = _strip_thinking(text)[:MAX_REPLY_CHARS]
    sources = [match.group(1) for match in _FENCE.finditer(text) if match.group(1).strip()] + [text]
    for source in sources:
        starts = [index for index, char in enumerate(source) if char in "{["][:MAX_JSON_STARTS]
        for start in starts:
            value = _decode_from(source, start)
            if isinstance(value, dict | list) and value:
                yield value


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


def _dimension_rows(data: dict) -> dict[str, dict]:
    """Dimension key -> {score, evidence, comment} from the shapes small models produce."""
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
    rows: dict[str, dict] = {}
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
        rows[key] = {"score": score, "evidence": evidence, "comment": comment}
    return rows


def rule_scorecard(interview: Interview) -> dict:
    """The deterministic card for an interview with too little to assess: every dimension 1, No hire."""
    comment = TOO_LITTLE_DETAIL_COMMENT if substantive_turns(interview) else NO_SUBSTANCE_COMMENT
    return {
        "dimensions": [
            {"key": key, "name": label, "score": 1, "evidence": [], "comment": comment} for key, label in DIMENSIONS
        ],
        "strengths": [],
        "gaps": list(NO_SUBSTANCE_GAPS),
        "hire_signal": "No hire",
        "level": interview.level,
        "hints_used": len(interview.hints),
        "overall": 1.0,
        "source": "rule",
    }


def _card(data: dict, rows: dict[str, dict], interview: Interview) -> dict:
    """Apply the honesty rules to the model's rows and build the output card."""
    if len(assessable_turns(interview)) < MIN_SUBSTANTIVE_TURNS:
        return rule_scorecard(interview)
    candidate_texts = substantive_turns(interview)
    hinted = {
        PHASE_DIMENSIONS[hint.get("phase")]
        for hint in interview.hints
        if hint.get("tier") == "specific" and hint.get("phase") in PHASE_DIMENSIONS
    }
    adjusted = False
    dimensions = []
    for key, label in DIMENSIONS:
        row = rows.get(key)
        if row is None or row["score"] is None:
            adjusted = True
            comment = (row or {}).get("comment") or NOT_ASSESSED
            dimensions.append({"key": key, "name": label, "score": 1, "evidence": [], "comment": comment})
            continue
        score = row["score"]
        evidence = verify_quotes(row["evidence"], candidate_texts)
        notes = []
        if not evidence and score > 2:
            score, adjusted = 2, True
            notes.append(NO_EVIDENCE_NOTE)
        if key in hinted and score > 3:
            score, adjusted = 3, True
            notes.append(HINT_NOTE)
        comment = " ".join(part for part in (row["comment"], *notes) if part)
        dimensions.append({"key": key, "name": label, "score": score, "evidence": evidence, "comment": comment})
    overall = round(sum(row["score"] for row in dimensions) / len(dimensions), 2)
    implied = implied_hire_signal(overall)
    signal = match_hire_signal(_first(data, "hire_signal", "hire", "recommendation", "decision", "verdict"))
    if signal is None:
        signal = implied
    elif adjusted:
        # a rule lowered or filled in a score, so the model's verdict may no longer be earned
        signal = HIRE_SIGNALS[max(HIRE_SIGNALS.index(signal), HIRE_SIGNALS.index(implied))]
    return {
        "dimensions": dimensions,
        "strengths": _text_list(_first(data, "strengths", "strong_points", "positives")),
        "gaps": [
            re.sub(r"\s+-{1,2}\s+", " — ", gap, count=1) for gap in _text_list(_first(data, "gaps", "weaknesses"))
        ],
        "hire_signal": signal,
        "level": interview.level,
        "hints_used": len(interview.hints),
        "overall": overall,
        "source": "model",
    }


def parse_scorecard(text: str, interview: Interview) -> dict | None:
    """The scorecard in a model reply, checked against the transcript; None when nothing usable is in it."""
    if not isinstance(text, str) or not text.strip():
        return None
    for value in _json_values(text):
        data = {"dimensions": value} if isinstance(value, list) else value
        candidates = [data] + [inner for inner in data.values() if isinstance(inner, dict)]
        for candidate in candidates:  # a model may wrap everything in {"scorecard": {...}}
            rows = _dimension_rows(candidate)
            if any(row["score"] is not None for row in rows.values()):
                return _card(candidate, rows, interview)
    return None


def prose_scorecard(interview: Interview, text: str) -> dict:
    """The fallback when no scorecard can be read: the model's words as written, with a note saying so."""
    prose = _strip_thinking(text).strip() or "(The model sent an empty reply.)"
    return {"prose": prose, "note": PROSE_NOTE, "hints_used": len(interview.hints), "level": interview.level}


def _complete(provider: Provider, messages: list[dict]) -> str:
    try:
        return "".join(chunk for chunk in provider.stream(messages, StreamInfo()) if isinstance(chunk, str))
    except ProviderError:
        raise
    except Exception as exc:  # a provider bug reaches the UI as a readable error, like a chat turn's would
        raise ProviderError("internal", f"The model backend failed unexpectedly ({type(exc).__name__}).") from exc


def generate_scorecard(
    interview: Interview, provider: Provider, store: Store, clock: Callable[[], float] = time.time
) -> dict:
    """Ask the model for the scorecard (one repair retry), apply the rules, store it on the interview and save."""
    if len(assessable_turns(interview)) < MIN_SUBSTANTIVE_TURNS:
        # the rules fix every score here whatever the model says, so don't make the candidate wait for it
        card = rule_scorecard(interview)
    else:
        messages = scorecard_messages(interview)
        reply = _complete(provider, messages)
        card = parse_scorecard(reply, interview)
        if card is None:
            second = _complete(provider, repair_messages(messages, reply))
            card = parse_scorecard(second, interview)
            if card is not None:
                card["source"] = "repaired"
            else:
                card = prose_scorecard(interview, reply if reply.strip() else second)
    interview.scorecard = card
    interview.ended_at = interview.ended_at or clock()
    store.save_interview(interview)
    return card
