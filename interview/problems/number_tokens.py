"""The tokens of one sentence for reading its numbers: numbers with their suffix, words, and punctuation."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"(?P<num>(?<![\w.,])\d+(?:\.\d+)?\s*[×x*·]\s*10\^\d+(?!\d)"
    r"|(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d|,\d)|(?<![\w.,])\d+(?:\.\d+)?)(?P<suffix>[A-Za-z]+)?"
    r"|(?P<word>[A-Za-z][A-Za-z0-9'\u2019]*(?:\.[A-Za-z0-9]+)*)"
    r"|(?P<punct>[^\sA-Za-z0-9])"
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
