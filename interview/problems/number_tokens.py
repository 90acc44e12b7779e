"""The tokens of one sentence for reading its numbers: numbers with their suffix, words, and punctuation."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_CARDINAL = rf"(?:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_TEENS}|{_UNITS})"
_SCALE_AFTER = r"(?=\s+(?:thousand|million|billion|trillion)\b)"
# A number said in words, read as its digits would be: "a billion", "five hundred million", "twelve hundred", "half a
# million", "two point five TB", and a small one as an operand ("times fifty").
_SPELLED = (
    rf"\b(?:(?:{_CARDINAL}|a|an|one) hundred(?:(?: and)? {_CARDINAL}(?!-| hundred))?\b"
    rf"|(?:{_CARDINAL}) point(?: (?:{_UNITS}|zero))+\b(?=\s+(?:thousand|million|billion|trillion|[kmgtp]b|bytes?"
    r"|[kmgtp]bps|[a-z]+bytes)\b)"
    rf"|(?:{_CARDINAL}|half an?|a half|a couple|a|an){_SCALE_AFTER}"
    # a small one alone only as an operand ("users times fifty"): "a second or two" and "two zones" stay words
    rf"|(?:(?<=times )|(?<=\bx )|(?<=× )|(?<=by ))(?!one\b)(?:{_CARDINAL})\b(?!-)"
    rf"|(?!one\b)(?:{_CARDINAL})(?= (?:times|x|×) ))"
)
_TOKEN = re.compile(
    rf"(?P<spelled>{_SPELLED})"
    r"|(?P<num>(?<![\w.,])\d+(?:\.\d+)?\s*[×x*·]\s*10\^\d+(?!\d)"
    r"|(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d|,\d)|(?<![\w.,])\d+(?:\.\d+)?)(?P<suffix>[A-Za-z]+)?"
    r"|(?P<word>[A-Za-z][A-Za-z0-9'\u2019]*(?:\.[A-Za-z0-9]+)*)"
    r"|(?P<punct>[^\sA-Za-z0-9])",
    re.IGNORECASE,
)
_CLAUSE_WORDS = {"and", "but", "while", "whereas", "so"}
_CLAUSE_PUNCT = set(",;:()")


@dataclass
class Token:
    kind: str
    text: str
    start: int
    end: int
    suffix: str = ""

    @property
    def lower(self) -> str:
        return self.text.casefold().replace("\u2019", "'")


def tokens(sentence: str) -> list[Token]:
    tokens = []
    for found in _TOKEN.finditer(sentence):
        if found.lastgroup == "spelled":  # its digits stand in for the words; its span is still the words said
            tokens.append(Token("num", _digits(found.group(0)), found.start(), found.end()))
            continue
        kind = found.lastgroup if found.lastgroup != "suffix" else "num"
        text = found.group("num") if kind == "num" else found.group(0)
        tokens.append(Token(kind, text, found.start(), found.end(), found.group("suffix") or ""))
    return tokens


def clause_bounds(tokens: list[Token], index: int) -> tuple[int, int]:
    def is_break(token: Token) -> bool:
        return token.text in _CLAUSE_PUNCT or token.lower in _CLAUSE_WORDS

    start = index
    while start > 0 and not is_break(tokens[start - 1]):
        start -= 1
    end = index
    while end < len(tokens) - 1 and not is_break(tokens[end + 1]):
        end += 1
    return start, end


_WORD_VALUES = {word: value for value, word in enumerate(_UNITS.split("|"), start=1)}
_WORD_VALUES |= {word: value for value, word in enumerate(_TEENS.split("|"), start=10)}
_WORD_VALUES |= {word: value for value, word in zip(range(20, 100, 10), _TENS.split("|"), strict=True)}
_WORD_VALUES |= {"a": 1, "an": 1, "zero": 0}
_WHOLE_PHRASES = {"half a": "0.5", "half an": "0.5", "a half": "0.5", "a couple": "2"}


def _digits(spelled: str) -> str:
    """The value of a number said in words, as digits: "five hundred" is "500", "two point five" is "2.5"."""
    words = [w for w in re.split(r"[\s-]+", spelled.casefold()) if w != "and"]
    if " ".join(words) in _WHOLE_PHRASES:
        return _WHOLE_PHRASES[" ".join(words)]
    if "point" in words:
        whole, _, fraction = " ".join(words).partition(" point ")
        return f"{_digits(whole)}.{''.join(str(_WORD_VALUES[w]) for w in fraction.split())}"
    total = 0
    for word in words:
        total = total * 100 if word == "hundred" else total + _WORD_VALUES[word]
    return str(total)
