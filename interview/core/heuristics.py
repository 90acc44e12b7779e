"""Word-overlap heuristics about what was said: scale questions, echoes, checklist items not yet touched."""

from __future__ import annotations

import re

from interview.core.phases import ANSWERED_BY

# "users" or "requests" alone do not ask for numbers ("Should users pick their own codes?"); a count or a rate does.
_SCALE_WORDS = re.compile(
    r"\b(how (many|much|big|large)|number of|qps|rps|tps|dau|mau|traffic|scale|throughput|volume|load|"
    r"(per|each) (second|minute|hour|day|month)|user base|(millions|billions|thousands|a lot|lots) of|"
    r"(storage|data|dataset) size|size of|(what|which|any) (numbers|figures)|concurrent\w*)\b",
    re.I,
)
# Things a system counts; a bare "pages?" or "users?" asks how many, and so does one "a second" ("links a day?").
_COUNTED_WORDS = (
    r"(pages?|messages?|posts?|tweets?|urls?|links?|events?|writes?|reads?|files?|videos?|photos?|orders?|"
    r"bookings?|tickets?|rides?|keys?|items?|objects?|clicks?|visits?|users?|requests?)"
)
_COUNTED = re.compile(rf"\b{_COUNTED_WORDS}\b", re.I)
_RATE = re.compile(rf"\b{_COUNTED_WORDS} a (second|minute|hour|day|month)\b", re.I)


# A sentence that asks: its "?" ends a word, not a SQL placeholder ("WHERE id = ?") or a lone "?" in an expression.
_ASKING = re.compile(r"[^.!?\n]*[\w)\"'’”]\?+(?=[\s\"'’”)!]|$)")


def questions_in(text: str) -> str:
    """The sentences of the text that ask something, joined; "" when none does."""
    return " ".join(found.group(0).strip() for found in _ASKING.finditer(text))


# What goes on asking after a question ("What scale? I'd like rides per day…"), rather than answering it.
_STILL_ASKING = re.compile(
    r"^\s*(?:i'?d (?:like|want|love)|i (?:want|need)|i'm (?:looking|interested|curious)|please|specifically"
    r"|in particular|roughly|also|and|or|e\.?g|for (?:example|instance|context)|such as|things like|plus"
    r"|especially|mainly|ideally|if (?:you|possible)|anything|any\b|like\b|i (?:suspect|guess|imagine)"
    # or moves on without an answer ("…a hard cap? anyway, for now I'll bucket by month")
    r"|anyway|either way|regardless|in any case"
    # or gives the question's reason ("How many users? Just want to size it right.")
    r"|(?:i )?(?:just )?(?:want|need|trying|hoping|asking|checking)\b|so (?:i|we) (?:can|know)\b|because\b"
    r"|(?:that|this|it|the answer)(?:'ll| will| would)? (?:drives?|decides?|determines?|matters?|shapes?|affects?"
    r"|changes?|tells?)\b|(?:that|it)(?:'s| is) (?:what|for|to)\b)",
    re.IGNORECASE,
)
_PARTS = re.compile(r"(?<=[.!?])\s+|\n+")


def answered_by_themselves(text: str) -> bool:
    """True when every question in the turn is followed by the candidate's own answer ("Per second? 233K / 86,400
    is ~3."): thinking aloud, not a question for the interviewer."""
    parts = [part for part in _PARTS.split(text) if part.strip()]
    asking = [index for index, part in enumerate(parts) if questions_in(part)]
    return bool(asking) and all(index + 1 < len(parts) and _an_answer(parts[index + 1]) for index in asking)


# A question put to the interviewer in any phase: "is 500 a hard cap, by the way?", "should I go deeper there?"
_TO_THE_INTERVIEWER = re.compile(
    r"\b(?:by the way|btw|quick question|just to (?:check|confirm)|(?:is|are) (?:that|those|these) (?:right|ok|okay"
    r"|fine|correct)|should i|can i assume|may i assume|am i right|do you want)\b",
    re.IGNORECASE,
)


def asks_the_interviewer(text: str, scoping: bool) -> bool:
    """The turn puts a question to the interviewer: it ends with one; or one it does not answer itself, while
    `scoping` (requirements, estimates) or when it says it is for them ("is 500 a hard cap, by the way?")."""
    asked = questions_in(text)
    if not asked:
        return False
    if text.rstrip().endswith("?"):
        return True
    return (scoping or bool(_TO_THE_INTERVIEWER.search(asked))) and not answered_by_themselves(text)


_ASKS_WITHOUT_A_MARK = re.compile(r"\b(?:how (?:many|much|big|large|long|often|fast|stale)|whether)\b", re.IGNORECASE)


def _an_answer(part: str) -> bool:
    """A statement after a question that answers it, not one that goes on asking ("…, how many distinct items")."""
    return not (questions_in(part) or _STILL_ASKING.match(part) or _ASKS_WITHOUT_A_MARK.search(part))


def asks_about_scale(text: str) -> bool:
    """A candidate question about numbers: users, traffic, data volume, or a bare "pages?"."""
    if not questions_in(text) or answered_by_themselves(text):
        return False  # a "?" that asks nothing, such as a SQL placeholder, or one they answer themselves
    # The numbers may be named around the question: "What volumes should I plan for? I'd like rides per day, …"
    if _SCALE_WORDS.search(text) or _RATE.search(text):
        return True
    return len(text.split()) <= 4 and bool(_COUNTED.search(text))


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z0-9]+", text.lower()) if len(word) >= 4}


def mostly_repeats(sentence: str, sources: list[str], share: float = 0.6) -> bool:
    """True when most of the sentence's key words come from one of the sources: an echo, not a reaction."""
    words = _words(sentence)
    return bool(words) and any(len(words & _words(source)) >= share * len(words) for source in sources if source)


def uncovered_items(items: tuple[str, ...] | list[str], candidate_text: str) -> list[str]:
    """Checklist items the candidate has not yet touched (at least half their key words missing)."""
    said = _words(candidate_text)
    open_items = []
    for item in items:
        keys = _words(item)
        if keys and len(keys & said) * 2 < len(keys):
            open_items.append(item)
    return open_items


def answered(question: str, candidate_text: str) -> bool:
    """The candidate already answered this generic phase question in their own words (`phases.ANSWERED_BY`); for a
    question without such words, most of its own key words were said."""
    pattern = ANSWERED_BY.get(question)
    if pattern is not None:
        return re.search(pattern, candidate_text, re.IGNORECASE) is not None
    return not uncovered_items((question,), candidate_text)


# Words any question has; what is left says what it asks about.
_QUESTION_WORDS = frozenset(
    "what which does would should could look like have with there where when make much many more your about here them "
    "through first".split()
)


def asked_in_other_words(question: str, replies: list[str]) -> bool:
    """An earlier reply asked this question in its own words: most of what it asks about is in one reply."""
    keys = _words(question) - _QUESTION_WORDS
    return bool(keys) and any(len(keys & _words(reply)) * 2 > len(keys) for reply in replies)
