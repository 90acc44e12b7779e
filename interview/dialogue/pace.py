"""The interview follows the candidate: when their turn is already in a later phase, the interview moves there.

A real interviewer does not hold someone presenting gateways and databases in requirements. A turn's phase is
judged by what it covers: checklist items of a later phase (bank problems), or a design of named components (any
problem). Skipped ground that matters (no numbers at all before the design) is brought back once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from interview.core.phases import PHASE_KEYS, spoken_title
from interview.problems.detect import covered_items
from interview.problems.load import Problem
from interview.problems.terms import as_written, compile_pattern, find, matches, sentences

LATER_ITEMS = 2  # checklist items of one later phase a turn must cover to be in that phase
DESIGN_COMPONENTS = 3  # distinct kinds of component named in one turn make it a design presentation
# The wrap-up comes with time or Next phase: its words ("later", "extensions") are too common to move on by.
LAST_BY_CONTENT = "reliability"
BRING_BACK_KEY = "bring-back:estimates"
BRING_BACK = "Before we go on: what numbers are we designing for?"
TRANSITIONS = (
    "You're already into {phase}, so let's go on from there.",
    "That takes us into {phase}.",
    "Let's pick up {phase} from what you just said.",
)

# Components a design names; each entry is one component however it is worded.
_COMPONENTS = tuple(
    compile_pattern(pattern)
    for pattern in (
        "load balanc*|lb|reverse prox*|nginx|envoy|haproxy",
        "api server*|app server*|application server*|web server*|api tier|backend server*|stateless server*",
        "gateway*|api gateway*",
        "database*|db|dbs|postgres*|mysql|cassandra|dynamo*|mongo*|sql|datastore|data store|key value store|kv store",
        "cache*|caching|redis|memcache*",
        "queue*|kafka|rabbitmq|sqs|kinesis|pub sub|pubsub|message broker|broker*|event bus",
        "cdn|cloudfront|akamai|edge server*|edge cache*",
        "object stor*|blob stor*|s3|gcs|bucket*",
        "worker*|consumer*|scheduler*|cron",
        "registry|registries|directory service|service discovery|zookeeper|etcd",
        "websocket*|long poll*|sse|persistent connection*|connection server*",
        "search index*|elasticsearch|inverted index|solr|lucene",
        "shard*|partition*|replica*",
    )
)


@dataclass(frozen=True)
class PhaseMove:
    """Where the candidate's turn has taken the interview, and the line that says so."""

    phase: str
    lead: str
    bring_back: bool  # essential ground was skipped: ask for it once before going on


def named_components(text: str) -> int:
    """How many distinct kinds of component the text names."""
    said = sentences(text)
    return sum(1 for pattern in _COMPONENTS if any(matches(pattern, sentence) for sentence in said))


def content_phase(problem: Problem | None, current: str, text: str) -> str | None:
    """The furthest later phase the turn's content is in, or None when it stays in (or before) the current one."""
    start = PHASE_KEYS.index(current)
    here = len(covered_items(problem, current, text))
    furthest = None
    for key in PHASE_KEYS[start + 1 : PHASE_KEYS.index(LAST_BY_CONTENT) + 1]:
        found = len(covered_items(problem, key, text))
        if found >= LATER_ITEMS and found > here:  # mostly about that phase, not a passing word
            furthest = key
    design = PHASE_KEYS.index("high_level")
    if start < design and named_components(text) >= DESIGN_COMPONENTS:
        if furthest is None or PHASE_KEYS.index(furthest) < design:
            furthest = "high_level"
    if furthest is None:
        return None
    # One phase ahead at most, or straight to the high-level design: deep dives need a design to dive into.
    return PHASE_KEYS[min(PHASE_KEYS.index(furthest), max(start + 1, design))]


def follow_candidate(
    problem: Problem | None, current: str, text: str, numbers_said: bool, brought_back: bool, moves_made: int
) -> PhaseMove | None:
    """The phase move the candidate's turn calls for; changes nothing (the caller applies it)."""
    target = content_phase(problem, current, text)
    if target is None:
        return None
    skipped_estimates = PHASE_KEYS.index(current) <= PHASE_KEYS.index("estimates") < PHASE_KEYS.index(target)
    bring_back = skipped_estimates and not numbers_said and not brought_back
    title = spoken_title(target)
    lead = TRANSITIONS[moves_made % len(TRANSITIONS)].format(phase=title)
    return PhaseMove(target, lead, bring_back)


_STOP = frozenset(
    "a an the and or but so of to for with that which in on at by as is are was be from into than then this it its "
    "we i you they our your their would will could should can do does how what when where why who there here each "
    "every any all some one two about more most just also not no if".split()
)
_LEADING_SKIP = frozenset("a an the our my your their this that each every one single its".split())


def content_words(text: str) -> set[str]:
    return {word.rstrip("s") for sentence in sentences(text) for word in sentence.words if word not in _STOP}


def closest(options: list[tuple[str, str]], text: str) -> int:
    """Index of the (item, probe) sharing most content words with the text; 0 (the first) on a tie or none."""
    said = content_words(text)
    scores = [len(said & content_words(f"{item} {probe}")) for item, probe in options]
    best = max(scores, default=0)
    return scores.index(best) if best else 0


def component_phrase(text: str, near: str) -> str:
    """The candidate's own words for a component in the sentence of `text` closest to `near`, or ""."""
    wanted = content_words(near)
    scored = [(len(wanted & {w.rstrip("s") for w in s.words}), s) for s in sentences(text)]
    score, sentence = max(scored, key=lambda row: row[0], default=(0, None))
    if not score or sentence is None:
        return ""
    spans = []
    for pattern in _COMPONENTS:
        span = find(pattern, sentence)
        if (
            span is not None
            and not _used_as_verb(sentence.words, span[1])
            and not _participle(sentence.words[span[1] - 1])
        ):
            start, end = span
            while start > 0 and end - start < 3 and _proper_noun(sentence.words[start - 1], sentence.text):
                start -= 1  # "Redis registry", "Cassandra cluster": keep the candidate's product name
            spans.append((start, end))
    whole = [a for a in spans if not any(b != a and b[0] <= a[0] and a[1] <= b[1] for b in spans)]
    if not whole:
        return ""
    # the component the question is most about; on a tie, the one named first (the sentence's subject)
    best = max(
        whole, key=lambda span: (len(wanted & {w.rstrip("s") for w in sentence.words[span[0] : span[1]]}), -span[0])
    )
    return as_written(sentence.text, sentence.words[best[0] : best[1]])  # "" when not side by side as written


# After a component word, these show it is a verb ("shard the store", "replicate it 3 ways", "partition by user").
_AFTER_A_VERB = frozenset("the a an it them this that these those our their each every by".split())


def _used_as_verb(words: tuple[str, ...], end: int) -> bool:
    return end < len(words) and words[end] in _AFTER_A_VERB


def _participle(word: str) -> bool:
    """ "a sharded cache tier", "replicated": a component word made an adjective or a verb, not a component ("feed")."""
    return word.endswith("ed") and not word.endswith("eed")


def mention(text: str, near: str) -> str:
    """How to name the candidate's component in a lead: "Kafka" for a product they named, else "the Redis registry"."""
    phrase = component_phrase(text, near)
    if not phrase:
        return ""
    if phrase.lower() in _PRODUCTS:
        return _PRODUCTS[phrase.lower()]  # "postgres" as typed is still a name: "You mentioned Postgres."
    named = " " not in phrase and phrase[:1].isupper() and not phrase.isupper()
    mid_sentence = re.search(rf"(?<![.!?]\s)(?<=\s){re.escape(phrase)}(?!\w)", text) is not None
    return phrase if named and mid_sentence else f"the {phrase}"


# Products a candidate may type in lower case; a name takes no article ("the postgres", "the cron" read oddly).
_PRODUCTS = {
    name.lower(): name
    for name in (
        "Postgres PostgreSQL MySQL Redis Kafka Cassandra DynamoDB MongoDB Memcached ZooKeeper etcd Elasticsearch "
        "RabbitMQ SQS Kinesis NGINX Envoy HAProxy CloudFront Akamai S3 GCS Solr Lucene cron crontab"
    ).split()
}


def _proper_noun(word: str, text: str) -> bool:
    """True when the word is written capitalised mid-sentence ("a Redis registry"), not a verb ("we use Redis")."""
    if word == "i" or word.startswith("i'"):
        return False  # "I'd partition": the pronoun is capitalised, not a product
    found = re.search(rf"(?<=\s){re.escape(word)}(?![\w])", text, re.IGNORECASE)
    return found is not None and found.group(0)[:1].isupper() and word not in _STOP | _LEADING_SKIP
