"""Term patterns from the knowledge data, and where they occur in what the candidate wrote.

A pattern is alternatives joined by "|". An alternative is a phrase (one or more words), or phrases joined by
"~", each following the previous one within two words. Parentheses list choices for one place in such a
sequence: "(one|single) ~ (mysql|database)" finds "one MySQL server" and "a single big database";
"before ~ (return*|respond*) | synchronous*" finds "before returning" or "synchronously". A word ending in "*"
matches any ending; other words also match their plural ("code" finds "codes", "query" finds "queries").
Case, hyphens, slashes and underscores don't matter: "Read-through" and "read through" are the same words.
A match right after a negation in the same clause ("no", "never", "instead of", "don't"...) does not count.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from interview.core.sentences import split_sentences

GAP = 2  # words allowed between two groups of a pattern
NEGATION_REACH = 3  # words before a match that a negation can sit in
_WORD = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*")
_PATTERN_WORD = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*\*?")
_PATTERN_PHRASE = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*\*?(?: [a-z0-9]+(?:['.][a-z0-9]+)*\*?)*")
# The whole grammar in one expression, so checking the bank's patterns at load needs no parse: phrases of words,
# "(a|b c)" choices for one place, places joined by "~", alternatives by "|". `_structure` parses the same language.
_PHRASE = r"\s*[a-z0-9]+(?:['.][a-z0-9]+)*\*?(?:\s+[a-z0-9]+(?:['.][a-z0-9]+)*\*?)*\s*"
_PLACE = rf"(?:{_PHRASE}|\s*\({_PHRASE}(?:\|{_PHRASE})*\)\s*)"
_VALID_PATTERN = re.compile(rf"{_PLACE}(?:~{_PLACE})*(?:\|{_PLACE}(?:~{_PLACE})*)*")
_FLAT_PARENTHESES = re.compile(r"[^()]*(?:\([^()]*\)[^()]*)*")  # balanced, none inside another
# A separator is inside parentheses exactly when the next parenthesis after it closes (they are flat).
_OUTSIDE_PARENTHESES = {separator: re.compile(rf"\{separator}(?![^(]*\))") for separator in "|~"}
_CLAUSE_BREAK = re.compile(r"[,;:()]|\s(?:but|and|while|whereas|so)\s")
_NEGATIONS = frozenset(
    "not no never without avoid avoids avoiding instead rather unlike neither nor cannot nothing none".split()
)


@dataclass(frozen=True)
class Pattern:
    """A checked term pattern; `source` is the text it came from."""

    source: str

    @functools.cached_property  # built on first match: the bank checks ~5,000 patterns at load and uses few
    def alternatives(self) -> tuple[tuple[tuple[tuple[tuple[str, bool], ...], ...], ...], ...]:
        """Alternatives -> places -> choices -> words, each word with whether it ends in "*"."""
        return _structure(self.source)


@dataclass(frozen=True)
class Sentence:
    text: str  # as the candidate wrote it
    words: tuple[str, ...]  # normalized
    clauses: tuple[int, ...]  # clause number of each word, for negation scope


def normalize(text: str) -> str:
    """Lower case with hyphens, slashes and underscores as spaces and curly apostrophes made straight."""
    return re.sub(r"[-_/–—]", " ", text.casefold().replace("\u2019", "'").replace("\u2018", "'"))


def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(normalize(text)))


def alternatives(source: str) -> list[str]:
    """A pattern's top-level alternatives ("a|b (c|d)" is "a" and "b (c|d)")."""
    return _split_top(source, "|", source)


def _split_top(text: str, separator: str, source: str) -> list[str]:
    """Split on `separator` outside parentheses."""
    if "(" not in text and ")" not in text:
        return text.split(separator)  # most patterns: no need to look for parentheses
    if not _FLAT_PARENTHESES.fullmatch(text):
        raise ValueError(f"pattern {source!r}: parentheses must be balanced and not nested")
    return _OUTSIDE_PARENTHESES[separator].split(text)


def _phrase(text: str, source: str) -> tuple[tuple[str, bool], ...]:
    """One phrase's words, each with whether it ends in "*"; `text` is already normalized."""
    words = _phrase_words(text.strip())
    if words is None:
        pieces = text.split()
        if not pieces:
            raise ValueError(f"pattern {source!r} has an empty alternative")
        piece = next(piece for piece in pieces if not _PATTERN_WORD.fullmatch(piece))
        raise ValueError(f"pattern {source!r}: {piece!r} is not a word (letters, digits, optional *)")
    return words


@functools.lru_cache(maxsize=16384)  # phrases repeat across the bank ("cache*", "shard*")
def _phrase_words(text: str) -> tuple[tuple[str, bool], ...] | None:
    pieces = text.split()
    if not pieces or not _PATTERN_PHRASE.fullmatch(" ".join(pieces)):
        return None
    return tuple((piece[:-1], True) if piece.endswith("*") else (piece, False) for piece in pieces)


def _place(text: str, source: str) -> tuple[tuple[tuple[str, bool], ...], ...]:
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        choices = text[1:-1].split("|")
    elif "(" in text or ")" in text or "|" in text:
        raise ValueError(f"pattern {source!r}: put choices inside a sequence in parentheses, got {text!r}")
    else:
        choices = [text]
    if any("~" in choice for choice in choices):
        raise ValueError(f"pattern {source!r}: '~' can't be used inside parentheses")
    return tuple(_phrase(choice, source) for choice in choices)


@functools.lru_cache(maxsize=8192)  # the bank and its [match] tables compile the same sources; a Pattern is immutable
def compile_pattern(source: str) -> Pattern:
    """Check a pattern, or raise ValueError saying what is wrong with it."""
    if not isinstance(source, str) or not source.strip():
        raise ValueError("a term pattern must be a non-empty string")
    if not _VALID_PATTERN.fullmatch(normalize(source)):
        _structure(source)  # raises, saying what is wrong
        raise ValueError(f"pattern {source!r} is not a valid term pattern")
    return Pattern(source)


def _structure(source: str) -> tuple[tuple[tuple[tuple[tuple[str, bool], ...], ...], ...], ...]:
    text = normalize(source)  # once for the whole pattern: it leaves "|", "~", "(", ")" and "*" as they are
    if "(" not in text and ")" not in text:  # most patterns: each place is one phrase, no choices
        return tuple(tuple((_phrase(place, source),) for place in alt.split("~")) for alt in text.split("|"))
    alternatives = []
    for alternative in _split_top(text, "|", source):
        alternatives.append(tuple(_place(place, source) for place in _split_top(alternative, "~", source)))
    return tuple(alternatives)


def compile_patterns(sources: Iterable[str]) -> tuple[Pattern, ...]:
    return tuple(compile_pattern(source) for source in sources)


@functools.lru_cache(maxsize=256)
def sentences(text: str) -> tuple[Sentence, ...]:
    """The text split into sentences, each with its normalized words."""
    result = []
    for raw in split_sentences(text):
        found: list[str] = []
        clauses: list[int] = []
        for number, clause in enumerate(_CLAUSE_BREAK.split(f" {normalize(raw)} ")):
            clause_words = _WORD.findall(clause)
            found.extend(clause_words)
            clauses.extend([number] * len(clause_words))
        if found:
            result.append(Sentence(raw, tuple(found), tuple(clauses)))
    return tuple(result)


def _word_matches(word: str, prefix: bool, token: str) -> bool:
    if prefix:
        return token.startswith(word)
    if token in (word, word + "s", word + "es", word + "'s"):
        return True
    return word.endswith("y") and token == word[:-1] + "ies"


def _alternative_end(alternative: tuple[tuple[str, bool], ...], tokens: Sequence[str], start: int) -> int | None:
    if start + len(alternative) > len(tokens):
        return None
    for offset, (word, prefix) in enumerate(alternative):
        if not _word_matches(word, prefix, tokens[start + offset]):
            return None
    return start + len(alternative)


def _match_from(groups, tokens: Sequence[str], start: int) -> int | None:
    for alternative in groups[0]:
        end = _alternative_end(alternative, tokens, start)
        if end is None:
            continue
        if len(groups) == 1:
            return end
        for next_start in range(end, min(end + GAP, len(tokens) - 1) + 1):
            found = _match_from(groups[1:], tokens, next_start)
            if found is not None:
                return found
    return None


def _negated(sentence: Sentence, start: int, requirements: bool = False) -> bool:
    clause = sentence.clauses[start]
    for index in range(max(0, start - NEGATION_REACH), start):
        token = sentence.words[index]
        if sentence.clauses[index] != clause or not (token in _NEGATIONS or token.endswith("n't")):
            continue
        if requirements and token == "never" and index and sentence.words[index - 1] in _MODALS:
            if sentence.words[index + 1] not in _DECLINING_VERBS:
                continue  # "a seat must never be sold twice" states the requirement; it does not deny the topic
        return True
    return False


_MODALS = frozenset("must should shall can may will".split())
_DECLINING_VERBS = frozenset("need needs bother have use want".split())  # "we will never need a cache" declines it


def find(
    pattern: Pattern, sentence: Sentence, negated_too: bool = False, requirements: bool = False
) -> tuple[int, int] | None:
    """The word span of the first match of `pattern` in `sentence` that is not negated (or any), or None; once a
    match is negated, its clause holds no other. With `requirements`, "must never" and its like do not negate: what
    a design must never do is its topic."""
    denied: set[int] = set()  # clauses where the pattern's topic was negated: "we won't replicate it across zones"
    for start in range(len(sentence.words)):
        for places in pattern.alternatives:
            end = _match_from(places, sentence.words, start)
            if end is None:
                continue
            if negated_too:
                return start, end
            if _negated(sentence, start, requirements):
                denied.add(sentence.clauses[start])
            elif sentence.clauses[start] not in denied:
                return start, end
    return None


def mentions(pattern: Pattern, sentence: Sentence) -> bool:
    """True when the pattern occurs in the sentence, negated or not ("no monitoring" mentions monitoring)."""
    return find(pattern, sentence, negated_too=True) is not None


def matches(pattern: Pattern, sentence: Sentence) -> bool:
    return find(pattern, sentence) is not None


def any_in(patterns: Iterable[Pattern], text: str) -> bool:
    """True when any of the patterns occurs anywhere in the text."""
    found = sentences(text)
    return any(matches(pattern, sentence) for pattern in patterns for sentence in found)


def any_mentioned(patterns: Iterable[Pattern], text: str) -> bool:
    """True when any of the patterns occurs anywhere in the text, negated or not."""
    found = sentences(text)
    return any(mentions(pattern, sentence) for pattern in patterns for sentence in found)


def covering_quote(patterns: Sequence[Pattern], text: str, max_sentences: int = 3) -> str | None:
    """The shortest run of at most `max_sentences` sentences in which every pattern occurs, as quoted text."""
    found = sentences(text)
    hits = [[find(pattern, sentence, requirements=True) is not None for sentence in found] for pattern in patterns]
    best: tuple[int, int] | None = None
    for first in range(len(found)):
        for last in range(first, min(first + max_sentences, len(found))):
            if all(any(row[first : last + 1]) for row in hits):
                if best is None or last - first < best[1] - best[0]:
                    best = (first, last)
                break
    if best is None:
        return None
    return " ".join(sentence.text for sentence in found[best[0] : best[1] + 1])


def as_written(text: str, said: Sequence[str]) -> str:
    """Normalised words found again in the text as the candidate wrote them ("Redis cache"); "" when they are not
    there in that order, side by side."""
    pattern = r"[\W_]+".join(re.escape(word) for word in said)
    found = re.search(rf"(?<![\w]){pattern}(?![\w])", text, re.IGNORECASE)
    return found.group(0) if found else ""
