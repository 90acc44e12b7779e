"""Interview phases and their time budgets, kept in code rather than left to the model."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phase:
    key: str
    title: str
    share: float  # fraction of the interview length
    goal: str  # what the interviewer covers, in words a small model can act on
    nudge: str  # the first-tier hint
    questions: tuple[str, ...] = ()  # asked in code when a reply forgot to ask anything


PHASES: tuple[Phase, ...] = (
    Phase(
        "requirements",
        "Requirements clarification",
        0.11,
        "Let the candidate pin down functional and non-functional requirements and what is out of scope.",
        "Before designing, what must the system do, and which qualities (latency, availability, consistency) matter most?",
        (
            "What would you like to clarify first?",
            "Which features are in scope for the first version?",
            "Which matters most here: latency, availability or consistency?",
            "What is explicitly out of scope?",
        ),
    ),
    Phase(
        "estimates",
        "Capacity estimates",
        0.11,
        "Have the candidate estimate traffic, storage and bandwidth with numbers.",
        "Try a back-of-the-envelope: requests per second, data per day, and storage over a few years.",
        (
            "What traffic should we plan for, in requests per second?",
            "How much data do we store per day, and over five years?",
            "What peak-to-average ratio would you assume?",
        ),
    ),
    Phase(
        "high_level",
        "High-level design",
        0.20,
        "Have the candidate sketch the main components, the data flow and the API.",
        "Walk through one request end to end: which components does it touch, and where is data stored?",
        (
            "Can you walk me through the main components and how a request flows through them?",
            "What does the API look like?",
            "Where is the data stored, and why there?",
        ),
    ),
    Phase(
        "deep_dive",
        "Deep dive",
        0.24,
        "Pick the hardest component and probe the candidate's data model, algorithms and trade-offs.",
        "Which part of your design is hardest to get right? Go one level deeper there.",
        (
            "Which component is hardest to get right, and how would you build it?",
            "What does the data model look like?",
            "What trade-off did you make there, and what is the alternative?",
        ),
    ),
    Phase(
        "scale",
        "Scale and bottlenecks",
        0.15,
        "Ask where the design breaks at 10x load and how the candidate would scale it.",
        "What breaks first if traffic grows tenfold? Think about hot keys, sharding and caching.",
        (
            "What breaks first at ten times the load?",
            "How would you shard or partition the data?",
            "Where would you add caching, and how do you keep it fresh?",
        ),
    ),
    Phase(
        "reliability",
        "Fault tolerance and operations",
        0.12,
        "Probe failures, replication, recovery, monitoring and deployment.",
        "What happens when a machine, a zone or a dependency fails? How would you notice?",
        (
            "What happens when a node or a whole zone fails?",
            "How do you detect problems in production?",
            "How do you deploy changes safely?",
        ),
    ),
    Phase(
        "wrap_up",
        "Wrap-up",
        0.07,
        "Ask the candidate to summarise the design and its main trade-offs, then invite their questions.",
        "Summarise your design in a few sentences and name the trade-off you are least sure about.",
        (
            "Can you summarise your design and its main trade-offs?",
            "What would you improve with more time?",
            "Do you have any questions for me?",
        ),
    ),
)

PHASE_KEYS = tuple(phase.key for phase in PHASES)
DEFAULT_LENGTH_MINUTES = 45


def phase_by_key(key: str) -> Phase:
    for phase in PHASES:
        if phase.key == key:
            return phase
    raise KeyError(key)


# How the interviewer names a phase mid-sentence: "Let's pick up the deep dive", not "Let's pick up deep dive".
_SPOKEN = {
    "requirements": "the requirements",
    "estimates": "the capacity estimates",
    "high_level": "the high-level design",
    "deep_dive": "the deep dive",
    "scale": "scale and bottlenecks",
    "reliability": "fault tolerance and operations",
    "wrap_up": "the wrap-up",
}


def spoken_title(key: str) -> str:
    """The phase's name as said inside a sentence, with its article."""
    return _SPOKEN.get(key) or phase_by_key(key).title.lower()


def phase_budgets(length_minutes: float) -> dict[str, float]:
    """Minutes for each phase; they add up to the interview length."""
    return {phase.key: phase.share * length_minutes for phase in PHASES}


@dataclass(frozen=True)
class Clock:
    """Where the interview stands in time, computed from timestamps."""

    phase_minutes_left: float
    total_minutes_left: float
    elapsed_minutes: float
    phase_over: bool


def clock(length_minutes: float, started_at: float, phase_key: str, phase_started_at: float, now: float) -> Clock:
    budget = phase_budgets(length_minutes)[phase_key]
    phase_left = budget - (now - phase_started_at) / 60
    elapsed = (now - started_at) / 60
    return Clock(
        phase_minutes_left=max(0.0, phase_left),
        total_minutes_left=max(0.0, length_minutes - elapsed),
        elapsed_minutes=elapsed,
        phase_over=phase_left <= 0,
    )


# What an answer to each generic phase question contains: a question already answered in the candidate's own words is
# not asked ("Which matters most here…?" after "strong consistency for bookings, availability for search").
ANSWERED_BY = {
    "Which features are in scope for the first version?": r"\b(?:in scope|scope|features?|functional|v1|mvp)\b",
    "Which matters most here: latency, availability or consistency?": r"\b(?:latency|availab\w*|consisten\w*)\b",
    "What is explicitly out of scope?": r"\b(?:out of scope|not in scope|non-goals?|leave out|excluded?)\b",
    "What traffic should we plan for, in requests per second?": (
        r"\d\S*\s+(?:\w+\s+)?(?:per second|a second|/s|qps|rps|per day|a day|[gmt]bps)"
    ),
    "How much data do we store per day, and over five years?": r"\d\s*(?:[kmgtpe]b|bytes?)\b",
    "What peak-to-average ratio would you assume?": r"\bpeak\b",
    "Can you walk me through the main components and how a request flows through them?": (
        r"(?s)^(?=.*\b(?:gateway|load balancer|services?|servers?)\b)"
        r"(?=.*\b(?:database|db|postgres\w*|mysql|store|storage|cache|queue|kafka|s3|cdn)\b)"
    ),
    "What does the API look like?": r"\b(?:endpoints?|(?:get|post|put|patch|delete) /|grpc|graphql|rest api)",
    "Where is the data stored, and why there?": (
        r"\b(?:postgres\w*|mysql|cassandra|dynamo\w*|s3|object storage|blob store|database|key-value|bigtable|"
        r"hbase|mongo\w*|redis|warehouse)\b"
    ),
    "What does the data model look like?": r"\b(?:tables?|schema|columns?|keyed by|primary key|partition key)\b",
    "What trade-off did you make there, and what is the alternative?": (
        r"\b(?:trade[- ]?offs?|instead of|rather than|at the cost of|versus|vs)\b"
    ),
    "What breaks first at ten times the load?": r"\b(?:bottlenecks?|breaks? first|hot ?spots?|saturat\w*)\b",
    "How would you shard or partition the data?": r"\b(?:shard\w*|partition\w*)\b",
    "Where would you add caching, and how do you keep it fresh?": r"\b(?:cach\w*|cdn)\b",
    "What happens when a node or a whole zone fails?": r"\b(?:fail\w*|replica\w*|zones?|regions?)\b",
    "How do you detect problems in production?": r"\b(?:monitor\w*|alert\w*|metrics?|dashboards?|tracing)\b",
    "How do you deploy changes safely?": r"\b(?:deploy\w*|canary|rollouts?|roll ?backs?|blue[- ]green)\b",
}
