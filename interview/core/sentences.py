"""One way to cut a candidate's turn into sentences, shared by detection, estimates and the feedback's quotes."""

from __future__ import annotations

import re

# A break follows ! ? … or a full stop, then a space, or is a new line. Not after "2." in "2.5 MB" (no space), an
# ellipsis right after a number ("divided by 86,400... roughly 2,300" goes on after a pause) or an abbreviation
# that sits inside a sentence ("shard by a key, e.g. the user ID").
_BREAK = re.compile(
    r"(?<=[!?])\s+"
    r"|(?<=[^.]\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bapprox\.)(?<!\bcf\.)\s+"
    r"|(?<![\d.]\.\.\.)(?<=\.\.\.)\s+|(?<!\d…)(?<=…)\s+|\n+",
    re.IGNORECASE,
)


def split_sentences(text: str) -> list[str]:
    """The text's sentences, stripped, with none empty."""
    return [part.strip() for part in _BREAK.split(text or "") if part.strip()]
