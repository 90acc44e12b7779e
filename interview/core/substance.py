"""Substance: a deterministic check that a candidate turn says something technical in real words."""

from __future__ import annotations

import re

from interview.core.quotes import straighten_quotes
from interview.core.state import Interview

_STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren as at be because been before being below
    between both but by can cannot could couldn d did didn do does doesn doing don down during each else even ever
    every few for from further had hadn has hasn have haven having he her here hers herself him himself his how i if
    in into is isn it its itself just let ll m me might more most much must mustn my myself no nor not now o of off
    on once only or other our ours ourselves out over own re s same shan she should shouldn so some such t than that
    the their theirs them themselves then there these they this those through to too under until up upon us ve very
    was wasn we were weren what when where which while who whom why will with won would wouldn y you your yours
    yourself yourselves maybe probably perhaps basically actually really still already either neither whether
    like need needs want wants make makes made use uses used using get gets got put take takes go goes going
    think say said know see look way thing things something anything nothing everything first second third next
    last one two three four five six seven eight nine ten hundred good better best bad worse worst new old big small
    large high low fast slow many lot lots less least fewer around roughly approximately assume assuming each per
    able handle handles handling work works keep keeps keeping give gives give time times case cases part parts
    because since though although however instead plus minus both same different other another kind sort type
    length lengths strength strengths depth depths
    """.split()
)
_FILLER = frozenset(
    """
    idk dunno lol lmao rofl ok okay k kk yes yeah yep yup no nope nah sure hmm hm um uh er erm pass skip whatever
    thanks thank thx hi hello hey cool nice fine great wow oops sorry please
    """.split()
)
_TECH_WORDS = frozenset(
    """
    api apis sql nosql db dbs cdn dns qps rps tps dau mau p50 p90 p95 p99 ttl lru lfu fifo id ids uuid guid url urls
    uri tcp udp http https grpc rpc rest json xml protobuf aws gcp azure s3 ec2 vm vms kv ack etl sla slo sli cap
    acid base gb tb mb kb pb ms ns cpu gpu ram ssd hdd io iops www ip ipv4 ipv6 tls ssl jwt oauth sso ui ux ci cd
    k8s kubernetes docker lambda redis memcached kafka rabbitmq sqs sns kinesis spark flink hadoop hdfs postgres
    postgresql mysql cassandra dynamodb mongodb mongo hbase bigtable spanner cockroachdb elasticsearch lucene solr
    zookeeper etcd raft paxos nginx envoy haproxy cloudfront akamai websocket websockets webhook webhooks sse
    server servers service services client clients endpoint endpoints schema schemas table tables column columns
    row rows record records query queries database databases datastore storage store stores stored blob blobs
    object objects file files bucket buckets cache caches cached caching key keys value values hash hashes hashing
    index indexes indices indexing queue queues shard shards sharded sharding partition partitions partitioning
    replica replicas replication replicate replicated leader follower followers primary secondary master slave
    backup backups snapshot snapshots durable durability persistent persistence memory disk disks network
    bandwidth throughput latency latencies traffic request requests response responses read reads write writes
    writing reader writer load loads balancer balancers balancing proxy gateway region regions zone zones
    datacenter datacenters cluster clusters node nodes host hosts machine machines instance instances container
    user users customer customers account accounts session sessions token tokens cookie cookies login auth
    authentication authorization password encryption encrypt encrypted compress compression dedup deduplication
    link links redirect redirects redirection shorten shortener short alias aliases code codes base62 base64
    feed feeds timeline post posts tweet tweets follow message messages messaging chat video videos stream streams
    streaming upload uploads download downloads search autocomplete trie ranking rank recommendation payment
    payments order orders inventory booking location geo geohash quadtree map notification notifications push
    publish subscribe pubsub subscriber subscribers producer consumer consumers event events log logs logging
    metric metrics monitoring monitor alert alerts alerting dashboard tracing trace deploy deployment deployments
    rollback rollout canary requirement requirements functional nonfunctional scope availability available
    consistency consistent eventual eventually strong stale staleness scale scaling scalable scalability horizontal
    vertical bottleneck bottlenecks hot hotspot spike spikes burst peak average percentile uptime downtime outage
    failure failures fail fails failover fallback crash recover recovery redundancy redundant retry retries
    backoff timeout timeouts heartbeat quorum consensus gossip election idempotent idempotency transaction
    transactions lock locks locking mutex concurrency concurrent race sync async asynchronous synchronous batch
    batches batching worker workers job jobs cron scheduler pipeline algorithm design architecture component
    components system systems microservice microservices monolith tradeoff tradeoffs trade cost costs expensive
    cheap million millions billion billions thousand thousands estimate estimates estimation capacity bytes byte
    megabytes gigabytes terabytes petabytes evict eviction expire expiry expiration invalidate invalidation
    collision collisions counter counters sequence snowflake checksum encode encoding decode serialize
    rate limit limits limiter limiting throttle throttling window sliding denormalize normalize join joins
    analytics pagination paginate cursor offset timestamp timestamps clock clocks version versioning conflict
    conflicts merge ordering ordered fanout websocket polling poll tier tiers cold warm storage secure security
    abuse spam malware phishing validate validation ratio ratios availability sla
    """.split()
)
_TECH_STEMS = (
    "cach",
    "replic",
    "partition",
    "shard",
    "latenc",
    "throughp",
    "databas",
    "queu",
    "index",
    "encod",
    "serializ",
    "distribut",
    "redundan",
    "idempot",
    "authenti",
    "authoriz",
    "encrypt",
    "compress",
    "dedup",
    "normaliz",
    "monitor",
    "deploy",
    "microservic",
    "subscri",
    "paginat",
    "timestamp",
    "consisten",
    "availab",
    "scalab",
    "estimat",
    "throttl",
    "invalidat",
    "synchron",
    "bottleneck",
    "algorithm",
    "architect",
    "infrastruct",
    "kubernet",
    "terabyte",
    "gigabyte",
    "megabyte",
    "petabyte",
)
_UNIT_NUMBER = re.compile(r"\d[\d.,]*(k|m|b|bn|x|ms|s|gb|tb|mb|kb|pb|qps|rps|tps|mbps|gbps)")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")
_KEYBOARD_RUNS = tuple(row for rows in _KEYBOARD_ROWS for row in (rows, rows[::-1]))
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")
_REPEATED_CHUNK = re.compile(r"(.{2,5})\1+")


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", straighten_quotes(text).casefold())


def _is_tech(token: str) -> bool:
    if token in _TECH_WORDS or token.startswith(_TECH_STEMS) or _UNIT_NUMBER.fullmatch(token):
        return True
    for suffix, replacement in (
        ("s", ""),
        ("es", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("ies", "y"),
    ):
        if token.endswith(suffix) and len(token) > len(suffix) + 2:
            if token[: -len(suffix)] + replacement in _TECH_WORDS:
                return True
    return False


def _is_mash(token: str) -> bool:
    """A token that looks like keyboard mashing rather than a word someone could mean."""
    if len(token) < 3 or any(ch.isdigit() for ch in token):
        return False
    if any(token in run for run in _KEYBOARD_RUNS) or any(
        token[i : i + 5] in run for run in _KEYBOARD_RUNS for i in range(len(token) - 4)
    ):
        return True
    if not re.search(r"[aeiouy]", token) or _CONSONANT_RUN.search(token) or re.search(r"(.)\1\1", token):
        return True
    return bool(_REPEATED_CHUNK.fullmatch(token))


MIN_ON_TOPIC_WORDS = 5  # distinct words a turn needs before the question's words count as technical in it


def everyday(token: str) -> bool:
    """A function word or filler: no sign of a technical answer, whatever the question was."""
    return token in _STOPWORDS or token in _FILLER


def has_substance(text: str, on_topic: frozenset[str] = frozenset()) -> bool:
    """True when a candidate turn says something technical in real words (not filler, gibberish or off-topic).

    `on_topic`: words that count as technical here, such as the question just asked ("with more time").
    """
    tokens = _tokens(text or "")
    words = [token for token in tokens if not (len(token) == 1 and token not in "aio")]
    if len(words) < 3:
        return False

    # the question's words make a real sentence on topic, not a word said back ("crawl crawl crawl")
    on_topic = on_topic if len(set(words)) >= MIN_ON_TOPIC_WORDS else frozenset()

    def technical(token: str) -> bool:
        return _is_tech(token) or token in on_topic or token.removesuffix("s") in on_topic

    tech = sum(1 for token in tokens if technical(token))
    if not tech:
        return False
    known = sum(
        1
        for token in tokens
        if len(token) == 1 or token in _STOPWORDS or token in _FILLER or technical(token) or token[0].isdigit()
    )
    mash = sum(1 for token in tokens if _is_mash(token) and not _is_tech(token) and token not in _FILLER)
    # real answers are roughly half function words or technical terms; mashing and made-up words are not
    return known * 10 >= len(tokens) * 4 and mash * 10 <= len(tokens) * 3


def substantive_turns(interview: Interview) -> list[str]:
    """The candidate's own chat turns that pass `has_substance`."""
    return [message.content for message in interview.candidate_messages() if has_substance(message.content)]


def assessable_turns(interview: Interview) -> list[str]:
    """Substantive turns that name at least two distinct technical terms: enough to grade, unlike "rate limit? lol"."""
    return [text for text in substantive_turns(interview) if len({t for t in _tokens(text) if _is_tech(t)}) >= 2]
