"""Text shown through Streamlit's Markdown: a person's words as typed, and a model's dollars as dollars."""

from __future__ import annotations

import re

# A backslash before each of these shows it as itself, not as a mark: emphasis, code, a link, HTML or LaTeX.
_MARKS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&^=:])")
_INLINE_MARKS = re.compile(r"([\\`*_\[\]<>~$&|])")
# ...and these only at the start of a line: a heading, a list, a rule or a quote.
_LINE_MARKS = re.compile(r"^([ \t]*)([#+=-]|\d+[.)])", re.MULTILINE)
_LEADING_SPACE = re.compile(r"^[ \t]+", re.MULTILINE)
_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
# Streamlit turns these, between spaces, into typographic symbols ("<=" into ≤): a word joiner, invisible, after
# their first character keeps them as typed (`Gm` in its StreamlitMarkdown bundle).
_TYPOGRAPHY = re.compile(r"(?<!\S)(<->|->|<-|--|>=|<=|~=)(?!\S)")
_WORD_JOINER = "\u2060"


def escape_marks(text: str) -> str:
    """A one-line label with every Markdown mark escaped."""
    return _MARKS.sub(r"\\\1", text)


def as_typed(text: str) -> str:
    """What a person typed, shown as typed: marks escaped, line breaks and indents kept (no code blocks)."""
    as_said = _TYPOGRAPHY.sub(lambda m: m.group()[0] + _WORD_JOINER + m.group()[1:], text)
    escaped = _LINE_MARKS.sub(_escape_line_mark, _INLINE_MARKS.sub(r"\\\1", as_said))
    kept_indents = _LEADING_SPACE.sub(lambda m: "\u00a0" * len(m.group().expandtabs(4)), escaped)
    return kept_indents.replace("\n", "  \n")


def _escape_line_mark(match: re.Match) -> str:
    indent, mark = match.groups()
    return f"{indent}{mark[:-1]}\\{mark[-1]}"  # a list number keeps its digits: only its dot is escaped


def without_math(text: str) -> str:
    """A model's Markdown with each `$` escaped: Streamlit would typeset "$5 and $10 a month" as LaTeX."""
    return _UNESCAPED_DOLLAR.sub(r"\\$", text)
