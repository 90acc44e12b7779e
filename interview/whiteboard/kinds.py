"""Component kinds for the whiteboard: which words and shapes make a node a database, a queue, a cache and so on."""

from __future__ import annotations

import re

# Kinds, checked in this order against the label and id: the first whose words appear wins.
KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cdn", ("cdn", "cloudfront", "akamai", "fastly", "edge cache")),
    (
        "load_balancer",
        ("load balancer", "load-balancer", "loadbalancer", "lb", "elb", "alb", "nlb", "haproxy", "nginx"),
    ),
    ("gateway", ("gateway", "api gw", "apigw", "ingress", "reverse proxy", "proxy")),
    ("cache", ("cache", "redis", "memcache", "memcached", "varnish")),
    (
        "queue",
        (
            "queue",
            "queues",
            "kafka",
            "sqs",
            "rabbitmq",
            "rabbit",
            "pubsub",
            "pub/sub",
            "kinesis",
            "topic",
            "broker",
            "event bus",
            "event stream",
            "message bus",
        ),
    ),  # fmt: skip
    ("storage", ("object storage", "object store", "blob", "s3", "gcs", "bucket", "file storage", "hdfs")),
    ("search", ("search", "elasticsearch", "opensearch", "solr", "index")),
    (
        "database",
        (
            "database",
            "db",
            "sql",
            "postgres",
            "postgresql",
            "mysql",
            "cassandra",
            "dynamo",
            "dynamodb",
            "mongo",
            "mongodb",
            "spanner",
            "cockroach",
            "hbase",
            "bigtable",
            "datastore",
            "data store",
            "kv store",
            "key-value",
            "key value",
            "store",
            "table",
            "ledger",
            "replica",
            "replicas",
        ),
    ),  # fmt: skip
    ("service", ("service", "services", "microservice", "server", "servers", "api", "backend", "application")),
    (
        "client",
        (
            "client",
            "clients",
            "user",
            "users",
            "browser",
            "mobile",
            "app user",
            "web app",
            "frontend",
            "front end",
            "visitor",
            "visitors",
            "customer",
            "customers",
            "driver",
            "rider",
        ),
    ),  # fmt: skip
    (
        "worker",
        (
            "worker",
            "workers",
            "consumer",
            "consumers",
            "processor",
            "job",
            "jobs",
            "cron",
            "scheduler",
            "crawler",
            "fetcher",
        ),
    ),  # fmt: skip
)
REPLICATION_WORDS = ("replica", "replicas", "replicated", "replication", "cluster", "shard", "shards", "sharded", "primary", "secondary", "follower", "followers", "leader", "multi-az", "multi az", "quorum", "nodes", "partitioned", "partitions")  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+(?:[-/][a-z0-9]+)*")


def kind_of(node_id: str, label: str, shape: str) -> str:
    """The component kind from the words in its label and id, or its shape (a cylinder is a database)."""
    words = f"{label} {_split_camel(node_id)}"
    named = next((kind for kind, names in KIND_WORDS if has_any(words, names)), "service")
    if shape == "cylinder" and named in ("service", "client", "worker"):
        return "database"  # a cylinder is a store unless its words say which kind ("Redis cache")
    return named


def _split_camel(text: str) -> str:
    return re.sub(r"([a-z])([A-Z])", r"\1 \2", text).replace("_", " ").replace("-", " ")


def has_any(text: str, names: tuple[str, ...]) -> bool:
    lowered = " " + " ".join(_WORD.findall(text.lower())) + " "
    return any(f" {name} " in lowered for name in names)
