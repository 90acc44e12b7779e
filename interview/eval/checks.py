"""Deterministic checks on interviewer replies and scorecards; each returns (passed, detail)."""

from __future__ import annotations

import re

from interview.dialogue.prompts import NEXT_PHASE_MARKER

Result = tuple[bool, str]

MAX_WORDS = 80  # the prompt asks for at most 3 short sentences (~60 words); 80 leaves slack for long words
MAX_BLOCK_LINES = 4  # a fenced block longer than this is a diagram or code, not a pointer
MAX_LIST_ITEMS = 4  # five or more list items is an enumerated design or checklist
MAX_NEW_COMPONENTS = 3  # naming more components than this, unprompted, is designing for the candidate
PARROT_RUN = 6  # consecutive words copied from the candidate's last turn
PROMPT_ECHO_RUN = 6  # consecutive words copied from the interviewer's own instructions
ANSWER_LEAK_SHARE = 0.75  # share of one hidden checklist item's content words that gives the answer away
REASK_EARLIER = 0.6  # share of the question's content words found in one earlier candidate answer
REASK_MIN_WORDS = 3  # questions with fewer content words are too generic to judge
REASK_MIN_ANSWER_WORDS = 8  # one-word answers cover nothing, so asking again is fair
SELF_REPEAT = 0.8  # share of a reply's content words found in one earlier interviewer reply

# Canonical component -> spellings. Counted once per canonical name.
COMPONENTS: dict[str, tuple[str, ...]] = {
    "load balancer": ("load balancer", "load balancing", "load-balancer"),
    "cache": ("cache", "caching", "redis", "memcached"),
    "database": ("database", "postgres", "mysql", "sql", "nosql", "cassandra", "dynamodb", "mongodb"),
    "queue": ("queue", "kafka", "rabbitmq", "sqs", "message broker", "pub/sub", "pubsub"),
    "cdn": ("cdn", "edge cache", "content delivery network"),
    "shard": ("shard", "sharding", "partition", "partitioning"),
    "replica": ("replica", "replication", "replicate"),
    "api gateway": ("api gateway", "gateway"),
    "object storage": ("object storage", "blob storage", "s3"),
    "websocket": ("websocket", "web socket", "long polling", "long-polling"),
    "consistent hashing": ("consistent hashing", "hash ring"),
    "bloom filter": ("bloom filter",),
    "search index": ("elasticsearch", "search index", "inverted index"),
    "worker": ("worker", "workers", "worker pool"),
    "microservice": ("microservice", "microservices"),
    "coordination service": ("zookeeper", "etcd", "consul"),
    "rate limiter": ("rate limiter", "token bucket", "leaky bucket"),
    "id generator": ("snowflake", "id generator", "key generation service"),
}

STOPWORDS = frozenset(
    """
    a about above after again all also am an and any are as at be because been before being both but by can could
    did do does doing done down during each else even few for from further get gets go going had has have having he
    her here how i if in into is it its just know let lets like look make makes me might more most much must my need
    needs no nor not now of off ok okay on once one only or other our out over own please really right same say see
    she should so some such sure tell than that the their them then there these they thing things think this those
    through to too under until up us use used using very want was way we well were what when where which while who
    whom why will with would yes yet you your yours
    design system approach consider handle walk explain describe start talk great good nice interesting""".split()
)

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+\S")
_DIAGRAM_LINE = re.compile(r"(-->|<--|->|<-|==>|\+-{2,}|-{2,}\+|\|\s.*\s\||[─│┌┐└┘├┤┬┴┼▶►→←↓↑])")
_DIGIT = re.compile(r"\d")
# Brackets, the marker's own spelling, or "next phase" said as a bare sentence (the marker put into words);
# "let's move on to the next phase" in a sentence is fine.
_HIDDEN = re.compile(r"\[\[|\]\]|(?i:next_phase)|\bNEXT PHASE\b|(?im:(?:^|[.!?:]\s+)next phase[.!]?\s*$)")
# What is left when the filter strips a marker the model was told to "end with": "... and end with ."
_MARKER_RESIDUE = re.compile(r"\bend(?:ing)? with\s*(?:[.!,;]|$)", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?\n]*\?")


def words(text: str) -> list[str]:
    """Lower-case words with punctuation stripped (apostrophes inside words kept)."""
    return _WORD.findall(text.lower())


def word_count(text: str) -> int:
    return len(text.split())


def _stem(word: str) -> str:
    # Crude plural folding so "shards" matches "shard"; enough for an overlap heuristic.
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def content_words(text: str) -> set[str]:
    """Words that carry a topic: no stopwords, at least three letters, plurals folded."""
    return {_stem(word) for word in words(text) if len(word) >= 3 and word not in STOPWORDS}


def questions(text: str) -> list[str]:
    """The question sentences of a reply."""
    return [match.strip() for match in _SENTENCE.findall(text) if match.strip(" ?")]


def _mentions(text: str, spelling: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(spelling)}(?:e?s)?(?![a-z0-9])", text) is not None


def components_named(text: str) -> set[str]:
    """Canonical component names mentioned in the text."""
    lowered = text.lower()
    return {name for name, spellings in COMPONENTS.items() if any(_mentions(lowered, s) for s in spellings)}


# --- per-reply checks --------------------------------------------------------------------------------------


def asks_question(reply: str) -> Result:
    """The reply asks the candidate something (contains a question mark)."""
    found = questions(reply)
    if "?" in reply:
        return True, f"{len(found) or 1} question(s)"
    return False, "no question mark in the reply"


def is_brief(reply: str, max_words: int = MAX_WORDS) -> Result:
    """The reply stays within the word limit."""
    count = word_count(reply)
    return count <= max_words, f"{count} words (limit {max_words})"


def no_design_dump(
    reply: str,
    candidate_text: str = "",
    *,
    max_block_lines: int = MAX_BLOCK_LINES,
    max_list_items: int = MAX_LIST_ITEMS,
    max_new_components: int = MAX_NEW_COMPONENTS,
) -> Result:
    """No long code or diagram block, no long list, and few components the candidate has not named yet."""
    problems = []
    lines = reply.splitlines()
    block, in_fence, longest = 0, False, 0
    for line in lines:
        if _FENCE.match(line):
            if in_fence:
                longest = max(longest, block)
            in_fence, block = not in_fence, 0
        elif in_fence:
            block += 1
    if in_fence:  # an unclosed fence still counts up to the end of the reply
        longest = max(longest, block)
    if longest > max_block_lines:
        problems.append(f"{longest}-line code/diagram block")
    diagram = sum(1 for line in lines if _DIAGRAM_LINE.search(line))
    if diagram > max_block_lines:
        problems.append(f"{diagram} diagram-like lines")
    items = sum(1 for line in lines if _LIST_ITEM.match(line))
    if items > max_list_items:
        problems.append(f"{items}-item list")
    new = sorted(components_named(reply) - components_named(candidate_text))
    if len(new) > max_new_components:
        problems.append(f"{len(new)} components the candidate never named ({', '.join(new)})")
    if problems:
        return False, "; ".join(problems)
    return True, f"{len(new)} new component(s)"


def longest_copied_run(reply: str, source: str) -> tuple[int, str]:
    """The longest run of consecutive words the reply shares with the source, and that run."""
    reply_words, source_words = words(reply), words(source)
    best, best_end = 0, 0
    previous = [0] * (len(source_words) + 1)
    for i, word in enumerate(reply_words, 1):
        current = [0] * (len(source_words) + 1)
        for j, other in enumerate(source_words, 1):
            if word == other:
                current[j] = previous[j - 1] + 1
                if current[j] > best:
                    best, best_end = current[j], i
        previous = current
    return best, " ".join(reply_words[best_end - best : best_end])


def no_parroting(reply: str, last_candidate: str, run: int = PARROT_RUN) -> Result:
    """No run of `run` or more consecutive words copied from the candidate's last turn."""
    length, copied = longest_copied_run(reply, last_candidate)
    if length >= run:
        return False, f"copied {length} words: '{copied}'"
    return True, f"longest copied run {length} words"


def no_answer_leak(
    reply: str, answer_key: list[str] | tuple[str, ...], candidate_text: str = "", share: float = ANSWER_LEAK_SHARE
) -> Result | None:
    """The reply does not spell out a hidden checklist item the candidate has not given; None without a key."""
    # A leak: at least `share` of one item's content words (items with three or more), two or more of them words
    # the candidate never used, so quoting the candidate's own idea back is not counted.
    if not answer_key:
        return None
    mine, said = content_words(reply), content_words(candidate_text)
    for item in answer_key:
        key = content_words(item)
        if len(key) < 3:
            continue
        found = key & mine
        new = found - said
        if len(found) >= share * len(key) and len(new) >= 2:
            return False, f"spells out checklist item '{item}' (new words: {', '.join(sorted(new))})"
    return True, "no checklist item spelled out"


def numbers_when_asked(reply: str, asked_scale: bool) -> Result | None:
    """When the candidate asked about scale, the reply contains digits. None when not applicable."""
    if not asked_scale:
        return None
    if _DIGIT.search(reply):
        return True, "numbers given"
    return False, "candidate asked about scale; the reply has no numbers"


def no_reask(reply: str, earlier_answers: list[str]) -> Result | None:
    """The reply's questions do not ask again what an earlier answer covered; None when nothing can be judged."""
    # Heuristic (docs/EVAL.md): a question with at least REASK_MIN_WORDS content words is a re-ask when
    # REASK_EARLIER of them appear in one answer before the last, or all of them appear in the last answer (a
    # follow-up on the last answer shares its words, so it passes as long as it adds something). Answers under
    # REASK_MIN_ANSWER_WORDS words are ignored: asking a one-word answerer again is fair.
    answers = [(i, a) for i, a in enumerate(earlier_answers) if word_count(a) >= REASK_MIN_ANSWER_WORDS]
    asked = [(q, content_words(q)) for q in questions(reply)]
    asked = [(q, words_) for q, words_ in asked if len(words_) >= REASK_MIN_WORDS]
    if not answers or not asked:
        return None
    last = len(earlier_answers) - 1
    for question, question_words in asked:
        for index, answer in answers:
            overlap = question_words & content_words(answer)
            share = len(overlap) / len(question_words)
            threshold = 1.0 if index == last else REASK_EARLIER
            if share >= threshold:
                which = "the last answer" if index == last else f"answer {index + 1}"
                return False, f"'{question}' re-asks {which} ({share:.0%} overlap: {', '.join(sorted(overlap))})"
    return True, "no re-ask"


def no_self_repeat(reply: str, earlier_replies: list[str]) -> Result | None:
    """The reply is not a near-copy of one of the interviewer's earlier replies; None when nothing to compare."""
    # SELF_REPEAT of the content words in one earlier reply means the same question or stock sentence again.
    mine = content_words(reply)
    if not earlier_replies or len(mine) < REASK_MIN_WORDS:
        return None
    for index, earlier in enumerate(earlier_replies):
        share = len(mine & content_words(earlier)) / len(mine)
        if share >= SELF_REPEAT:
            return False, f"repeats its reply {index} ({share:.0%} of its content words)"
    return True, "new"


def speaks_to_candidate(reply: str) -> Result:
    """The interviewer talks to the candidate, not about "the candidate" (a role slip from the prompt's wording)."""
    match = re.search(r"\bthe candidate(?:'s)?\b", reply, re.IGNORECASE)
    if match:
        return False, f"refers to '{match.group(0)}' in the third person"
    return True, "second person"


def no_leaked_markers(reply: str) -> Result:
    """No phase marker or other `[[...]]` control text reaches the candidate."""
    if NEXT_PHASE_MARKER in reply:
        return False, f"contains {NEXT_PHASE_MARKER}"
    match = _HIDDEN.search(reply)
    if match:
        return False, f"contains hidden-marker text '{match.group(0)}'"
    match = _MARKER_RESIDUE.search(reply)
    if match:
        return False, f"marker instruction echoed, marker stripped: '{match.group(0)}'"
    return True, "clean"


def no_prompt_echo(reply: str, instructions: str, run: int = PROMPT_ECHO_RUN) -> Result | None:
    """No run of `run` or more words copied from the interviewer's instructions; None without instructions."""
    # The caller removes the problem's own facts (question, scale facts, checklist) first: quoting those is fine.
    if not instructions.strip():
        return None
    length, copied = longest_copied_run(reply, instructions)
    if length >= run:
        return False, f"copied {length} words of its instructions: '{copied}'"
    return True, f"longest copied run {length} words"


def phase_order(phase_indexes: list[int]) -> Result:
    """Phase indexes of successive replies never go backwards."""
    for before, after in zip(phase_indexes, phase_indexes[1:], strict=False):
        if after < before:
            return False, f"phase went back from {before} to {after}"
    return True, f"phases {phase_indexes[0] if phase_indexes else '-'}..{phase_indexes[-1] if phase_indexes else '-'}"


_PRAISE_WORDS = re.compile(
    r"\b(?:good|great|excellent|correct|nice|solid|perfect|fantastic|awesome|exactly|well done|spot on)\b", re.I
)
_FIRST_SENTENCE = re.compile(r"\s*([^.!?\n]*[.!?])")


def no_stock_praise(reply: str) -> Result:
    """The reply does not open by grading the answer ("That's a good design."), which misleads a weak candidate."""
    first = _FIRST_SENTENCE.match(reply)
    if not first or first.group(1).endswith("?"):
        return True, "no praise opening"
    sentence = first.group(1)
    if _PRAISE_WORDS.search(sentence) and not re.search(r"\b(?:but|however|though|although)\b", sentence, re.I):
        return False, f"opens with praise: '{sentence.strip()}'"
    return True, "no praise opening"


REPLY_CHECKS = (
    "asks_question",
    "brief",
    "no_design_dump",
    "no_parroting",
    "numbers_when_asked",
    "no_reask",
    "no_marker",
    "no_prompt_echo",
    "no_self_repeat",
    "speaks_to_candidate",
    "no_answer_leak",
    "no_stock_praise",
)


def check_reply(
    reply: str,
    *,
    last_candidate: str,
    earlier_answers: list[str],
    candidate_text: str,
    asked_scale: bool,
    instructions: str = "",
    earlier_replies: list[str] | None = None,
    answer_key: list[str] | tuple[str, ...] = (),
    given: str = "",
) -> dict[str, Result | None]:
    """Every per-reply check by name; None where a check does not apply. `given` is what the candidate was told."""
    return {
        "asks_question": asks_question(reply),
        "brief": is_brief(reply),
        "no_design_dump": no_design_dump(reply, candidate_text),
        "no_parroting": no_parroting(reply, last_candidate) if last_candidate else None,
        "numbers_when_asked": numbers_when_asked(reply, asked_scale),
        "no_reask": no_reask(reply, earlier_answers),
        "no_marker": no_leaked_markers(reply),
        "no_prompt_echo": no_prompt_echo(reply, instructions),
        "no_self_repeat": no_self_repeat(reply, earlier_replies or []),
        "speaks_to_candidate": speaks_to_candidate(reply),
        "no_answer_leak": no_answer_leak(reply, answer_key, f"{candidate_text} {given}"),
        "no_stock_praise": no_stock_praise(reply),
    }
