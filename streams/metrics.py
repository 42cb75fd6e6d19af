"""Every Prometheus metric of tweetpulse (one module creates them all).

Names: prefix ``tweetpulse_``, base units, ``_total`` counters. Labels are bounded: ``topic``
comes from the taxonomy, ``reason`` from fixed reason codes, ``mode``/``outcome`` from enums.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

TWEETS_INGESTED = Counter(
    "tweetpulse_tweets_ingested_total", "Valid tweets read from tweets.raw", registry=REGISTRY
)
TWEETS_ENRICHED = Counter(
    "tweetpulse_tweets_enriched_total", "Tweets written to tweets.enriched", registry=REGISTRY
)
TWEETS_DUPLICATE = Counter(
    "tweetpulse_tweets_duplicate_total",
    "Tweets dropped as duplicates (same id), by stage",
    ["stage"],
    registry=REGISTRY,
)
ADS = Counter("tweetpulse_ads_total", "Tweets classified as ads", registry=REGISTRY)
AD_REASONS = Counter(
    "tweetpulse_ad_reasons_total", "Ad verdict reasons", ["reason"], registry=REGISTRY
)
DLQ = Counter(
    "tweetpulse_dlq_total", "Malformed input sent to tweets.dlq", ["reason"], registry=REGISTRY
)
TOPIC_MENTIONS = Counter(
    "tweetpulse_topic_mentions_total",
    "Organic tweets tagged with a topic (counted once per tweet id)",
    ["topic"],
    registry=REGISTRY,
)
TWEETS_COUNTED = Counter(
    "tweetpulse_tweets_counted_total", "New tweet ids counted in Redis", registry=REGISTRY
)
LATE_TWEETS = Counter(
    "tweetpulse_late_tweets_total",
    "Tweets counted after their window had closed (kept)",
    registry=REGISTRY,
)
PIPELINE_LATENCY = Histogram(
    "tweetpulse_pipeline_latency_seconds",
    "From the raw record's Kafka timestamp to its counts being applied in Redis",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
    registry=REGISTRY,
)
BATCH_SIZE = Histogram(
    "tweetpulse_batch_size_tweets",
    "Tweets per record handled by the count agent",
    buckets=(1, 10, 50, 100, 200, 500, 1000, 2000, 5000),
    registry=REGISTRY,
)
REDIS_WRITE = Histogram(
    "tweetpulse_redis_write_seconds",
    "Time of one count-script call (one batch)",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1),
    registry=REGISTRY,
)
REDIS_ERRORS = Counter(
    "tweetpulse_redis_errors_total",
    "Redis calls that failed (connection/timeout) and were retried",
    registry=REGISTRY,
)
CAMPAIGN_POSTS_SENT = Counter(
    "tweetpulse_campaign_posts_sent_total",
    "Posts this worker's campaign detector added, shared with the other workers",
    registry=REGISTRY,
)
CAMPAIGN_POSTS_RECEIVED = Counter(
    "tweetpulse_campaign_posts_received_total",
    "Posts other workers shared, added to this worker's campaign detector",
    registry=REGISTRY,
)
WATERMARK_LAG = Gauge(
    "tweetpulse_watermark_lag_seconds",
    "Wall clock minus the event-time watermark",
    registry=REGISTRY,
)
WATERMARK = Gauge(
    "tweetpulse_watermark_timestamp_seconds",
    "Event-time watermark (epoch seconds)",
    registry=REGISTRY,
)
WINDOWS_CLOSED = Counter(
    "tweetpulse_windows_closed_total", "Day windows closed by this process", registry=REGISTRY
)
REPORTS = Counter(
    "tweetpulse_reports_total", "Daily reports written, by mode", ["mode"], registry=REGISTRY
)
REPORT_SECONDS = Histogram(
    "tweetpulse_report_generation_seconds",
    "Time to build and write one daily report",
    buckets=(0.5, 1, 2, 5, 10, 30, 60, 120, 300),
    registry=REGISTRY,
)
LAST_REPORT_SUCCESS = Gauge(
    "tweetpulse_last_report_success_timestamp_seconds",
    "When the last report was written (epoch seconds)",
    registry=REGISTRY,
)
LLM_REQUESTS = Counter(
    "tweetpulse_llm_requests_total", "LLM requests by outcome", ["outcome"], registry=REGISTRY
)
LLM_TOKENS = Counter(
    "tweetpulse_llm_tokens_total", "LLM tokens by kind", ["kind"], registry=REGISTRY
)
BURST_ZSCORE = Gauge(
    "tweetpulse_burst_zscore", "Current burst z-score per topic", ["topic"], registry=REGISTRY
)
BURST_OPEN = Gauge(
    "tweetpulse_burst_open",
    "1 while a burst is open for the topic (the detector's hysteresis), else 0",
    ["topic"],
    registry=REGISTRY,
)
BURST_EVENTS = Counter(
    "tweetpulse_burst_events_total",
    "Burst events sent to alerts.trends; kind: topic|term, event: open|close",
    ["kind", "event"],
    registry=REGISTRY,
)
BURST_GAP_BUCKETS = Counter(
    "tweetpulse_burst_gap_buckets_total",
    "Burst buckets without any tweet in a stream busy enough to expect some: a gap in the data "
    "(collector stopped), held without scoring (streams/bursts.py; a starting worker's history "
    "replay included)",
    registry=REGISTRY,
)
CONSUMER_LAG = Gauge(
    "tweetpulse_consumer_lag_records",
    "End offset minus committed offset of a partition this worker owns (remove on revoke)",
    ["topic", "partition"],
    registry=REGISTRY,
)
PRODUCER_RUNNING = Gauge(
    "tweetpulse_producer_running",
    "1 while a producer process is sending (0 once it has finished); source: replay|synthetic|xapi",
    ["source"],
    registry=REGISTRY,
)
PRODUCER_TWEETS_SENT = Counter(
    "tweetpulse_producer_tweets_sent_total",
    "Tweets a producer sent to tweets.raw",
    ["source"],
    registry=REGISTRY,
)

# Label values known in advance start at 0, so that rate()/increase() in the alert rules see the
# first event after a restart (a series born at 1 has no increase). Report modes are
# summarizer.report.Mode, outcomes summarizer.llm.Outcome (tests keep them in step).
REPORT_MODES = ("llm", "extractive", "fallback")
LLM_OUTCOMES = (
    "ok", "invalid_json", "invalid_schema", "ungrounded", "timeout", "http_error", "rate_limited"
)  # fmt: skip
for _mode in REPORT_MODES:
    REPORTS.labels(_mode)
for _outcome in LLM_OUTCOMES:
    LLM_REQUESTS.labels(_outcome)
for _kind in ("topic", "term"):
    for _event in ("open", "close"):
        BURST_EVENTS.labels(_kind, _event)
