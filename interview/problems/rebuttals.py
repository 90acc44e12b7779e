"""A candidate's answer to a challenge: that the interviewer misread them ("No, that's the option I ruled out", "I
already covered that: the frontier checks a Bloom filter first"), a defence ("It's fine:"), or a change after granting
it ("Fair. Let me fix that: …")."""

from __future__ import annotations

import re

from interview.problems.terms import sentences

OPENING_SENTENCES = 2  # a correction comes first; further on, the turn goes on with the design
_NEGATED_SAYING = (
    r"(i|we)\s*(didn't|did not|never|wasn't|was not|am not|'m not|are not|aren't|weren't|were not|don't|do not"
    r"|won't|will not)\s+(ever\s+)?(say|said|saying|propos\w*|suggest\w*|plan|planned|planning|recommend\w*|mean|meant"
    r"|advocat\w*|intend\w*|go(ing)? with|pick\w*|choos\w*|chose|us(e|ing) that|do(ing)? that|doing (it|this) that way)"
)
# "I didn't say we need a relational DB" denies a requirement, not the option: a defence as often as not.
_REQUIRED = r"(that\s+)?(\w+\s+)?(need|needs|needed|has to|have to|must|should|require\w*)\b"
_MINE = r"(what\s+(i|we)\b|(my|our) (design|plan|proposal|idea|approach|suggestion|point)\b)"
# Said in so many words: the option was not theirs, or it was turned down, or the concern was already answered.
_MISREAD = re.compile(
    rf"\b{_NEGATED_SAYING}\b(?!\s+(how|what|when|where|which|why|anything|much|enough|{_REQUIRED}))"
    rf"|\b(that's|that is|this is|that was|it's|it is|it was|that|this|it)\s*(not|isn't|wasn't)\s+{_MINE}"
    r"|\bnot what (i|we)\s*('m|am|are|'re|was|were)?\s*(said|say|saying|mean|meant|propos\w*|suggest\w*|describ\w*"
    r"|wrote|doing|do|building|build)\b"
    r"|\b(i|we)\s+(explicitly\s+|specifically\s+|actually\s+)?(rejected|ruled|dismissed|discarded|threw|turned|crossed"
    r"|argued|warned|cautioned)\b"
    r"|\b(ruled out|argued against|said no to|warned against)\b"  # not "rejected calls get a 429": a design's words
    r"|\bmis(read|understood|understanding|heard|interpret\w*|characteri[sz]\w*|quot\w*)\b"
    r"|\b(you|you've|you have|you may have|you might have|i think you)\s+(missed|overlooked|skipped)\b"
    r"|\b(i|we)\s+(already|did|have already|had already|just)\s+(cover\w*|address\w*|handl\w*|mention\w*|said|explain\w*"
    r"|account\w*|solv\w*|deal\w*|take care|took care|describ\w*)\b"
    # not "(The rest stays as I described.)", which says what does not change
    r"|(?<!\bstays )(?<!\bstay )(?<!\bremains )(?<!\bremain )\b(as|like) (i|we) (said|mentioned|explained|described|wrote)\b"
    r"|\b(that's|that is|this is|that was)\s+(exactly\s+|precisely\s+)?(why|the reason)\s+(i|we)\b"
    r"|\b(exactly|precisely) (why|what) (i|we)\b"
    r"|\b(as|the|a) (strawman|straw man|counterexample|counter-example|non-starter)\b"
    # "I covered that", "the shard leases I mentioned", "see what I said about the frontier", "I said UDP, not TCP"
    r"|(?<!\bas )\b(i|we) (covered|mentioned|described|outlined|laid out|carved out|excluded|avoided|designed (out|around))\b"
    r"|(^|[-–—:;,]\s*)see (what|the|my)\b|\b(i|we) (specifically |explicitly |actually |clearly )?said\b[^.;]*,\s*not\b"
    r"|\b(repeat(ing)? myself|to repeat|already answered)\b"
    # "that's covered", "that's what the hybrid is for", "my codes aren't random"
    r"|\bexactly what (the|my|our)\b|\bis exactly (that|this|what)\b"
    r"|^\s*(no|actually no|nope)\b[^.;]*\b(isn't|aren't|is not|are not)\b"
    r"|^\s*(no|actually no|actually)\b[,.!\s–-]+(i|we) (specifically |explicitly )?said\b"
    r"|\b(i|we) (specifically |explicitly )?said (i|we)\s*(wouldn't|would not|won't|don't|didn't|never)\b"
    r"|\b(that's|that is|it's|it is|this is) (already |exactly )?(covered|handled|addressed|taken care of)\b"
    r"|\bwhat (the|my|our) [\w -]+ (is|are) (there )?for\b"
    r"|\bmy \w+( \w+)? (isn't|aren't|is not|are not|wasn't|weren't)\b"
    r"|\b(the|that) (naive|simple|obvious|first|bad|wrong) (option|approach|version|design|idea|one)\s+(i|we)\b",
    re.IGNORECASE,
)
# The challenge was right and the candidate takes it: never a misreading, whatever else the turn says.
_CONCEDED = re.compile(
    r"\b(you're right|you are right|good point|fair point|good catch|great catch|nice catch|valid point|point taken"
    r"|i missed|i'd missed|i overlooked|i forgot|i hadn't (thought|considered)|didn't think (about|of|through)"
    r"|didn't consider|hadn't considered|never thought|let me (fix|revise|change|rethink|correct)|i stand corrected"
    r"|my mistake|oops|i was wrong|that's a (real )?(problem|issue|gap|bug)|you've got a point|true, )\b",
    re.IGNORECASE,
)


# The candidate keeps what was challenged and says it does no harm: a defence, whatever else the turn says.
_DEFENDED = re.compile(
    r"\b(it's fine|that's fine|is fine|not a (real |big )?(problem|issue|concern|risk|deal)|won't happen|negligible"
    r"|good enough|doesn't matter|does not matter|overkill|premature"
    r"|(don't|do not) (think|see) (that's|that is|it's|it is|this is|that as|it as|this as) (a|an) (real |big )?"
    r"(problem|issue|concern|risk))\b",
    re.IGNORECASE,
)


def defends(text: str) -> bool:
    """The turn keeps what was challenged and says it does no harm ("It's fine:", "I don't think that's a problem")."""
    return _DEFENDED.search(text) is not None


def misread_claim(text: str) -> str:
    """The opening sentence in which the candidate says the interviewer misread them; "" when none does, or when
    they concede or defend."""
    if _CONCEDED.search(text) or defends(text):
        return ""
    return next((s.text for s in sentences(text)[:OPENING_SENTENCES] if _MISREAD.search(s.text)), "")


# "Fair.", "Ah, I see -", "No wait, you're right": a turn that opens by granting the challenge
_GRANTS = re.compile(r"^\s*(fair|ah|i see|hmm|no wait|oh|agreed|true|yes|yeah|right)\b", re.IGNORECASE)
# What the candidate will do now: "Let me fix it: batch points…", "Then I'd have each upload include the revision…"
_WILL_CHANGE = re.compile(
    r"\b(i'd|i would|i'll|i will|we'd|we would|we'll|we will|let me|let's|i should|we should|i need to|we need to"
    r"|i'd rather|better to|instead)\b",
    re.IGNORECASE,
)
# "You're right, but I'd keep it as is for now" grants the point and keeps the design.
_KEEPS = re.compile(r"\b(keep (it|that|this)|stick with|leave (it|that|this)|as is|for now)\b", re.IGNORECASE)


def _says_a_change(sentence: str) -> bool:
    """The sentence says what the candidate will do ("Let me fix that: batch the points on the phone"), not a
    question."""
    return bool(_WILL_CHANGE.search(sentence)) and not sentence.rstrip().endswith("?")


def conceded_change(text: str) -> str:
    """The sentence in which the candidate, having granted the challenge, says what they will do instead ("Fair. Let
    me fix that: Redis becomes a hint for search only."); "" when they defend, keep it, or only ask."""
    said = sentences(text)
    if not said or defends(text) or _KEEPS.search(text):
        return ""
    if not (_CONCEDED.search(text) or _GRANTS.match(said[0].text)):
        return ""
    return next((s.text for s in said if _says_a_change(s.text)), "")
