"""Every metric in streams.metrics follows the Prometheus naming rules (and DESIGN.md's).

https://prometheus.io/docs/practices/naming/: an application prefix, snake_case, base units
(seconds, bytes) as a suffix, ``_total`` on counters only, ``_timestamp_seconds`` for times, and
labels with a bounded set of values (here: label *names* from an allow-list whose values come
from enums, the taxonomy or the partition count).

:func:`exported_series` is also used by the rule and dashboard tests: the series names a scrape
of the registry can carry.
"""

from __future__ import annotations

import re

import pytest
from prometheus_client.metrics import MetricWrapperBase

from streams import metrics

NAME = re.compile(r"^tweetpulse_[a-z][a-z0-9]*(_[a-z0-9]+)*$")
# label name → where its values come from (every one is a small, closed set)
LABELS = {
    "topic": "taxonomy ids",
    "reason": "fixed reason codes",
    "stage": "ingest|count",
    "mode": "llm|extractive|fallback",
    "outcome": "summarizer.llm.Outcome",
    "kind": "enums (token kinds, burst key kinds)",
    "event": "open|close",
    "partition": "0..partitions-1 (settings, <= 1024)",
    "source": "producer kinds",
}
# units a histogram must end with (base units, or the thing it counts)
UNITS = {"seconds", "bytes", "ratio", "records", "tweets"}
NOT_BASE_UNITS = {
    "ms", "msec", "millis", "milliseconds", "us", "microseconds", "ns", "minutes", "hours",
    "days", "kb", "kib", "mb", "mib", "percent", "pct",
}  # fmt: skip
TIME_WORDS = {"latency", "duration", "time", "seconds", "elapsed", "write", "generation"}
SUFFIXES = {
    "counter": ("_total", "_created"),
    "gauge": ("",),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("_count", "_sum", "_created", ""),
}


def wrappers() -> list[MetricWrapperBase]:
    """Every metric object the module defines (their ``_name``, ``_type``, ``_labelnames`` are
    prometheus_client attributes without a public accessor)."""
    return [v for v in vars(metrics).values() if isinstance(v, MetricWrapperBase)]


def full_name(w: MetricWrapperBase) -> str:
    """The name as written in PromQL (prometheus_client keeps counters without ``_total``)."""
    name = str(w._name)
    return name + "_total" if w._type == "counter" else name


def exported_series() -> frozenset[str]:
    """Every series name a scrape of streams.metrics.REGISTRY can carry."""
    names: set[str] = set()
    for family in metrics.REGISTRY.collect():
        names.update(family.name + s for s in SUFFIXES[family.type])
    return frozenset(names)


WRAPPERS = {full_name(w): w for w in wrappers()}


def test_every_metric_is_registered_once() -> None:
    assert len(WRAPPERS) == len(wrappers())
    registered = {f.name for f in metrics.REGISTRY.collect()}
    assert {w._name for w in wrappers()} == registered


@pytest.mark.parametrize("name", sorted(WRAPPERS))
def test_name(name: str) -> None:
    w = WRAPPERS[name]
    kind = str(w._type)
    words = name.split("_")
    assert NAME.match(name), f"{name}: tweetpulse_ prefix and snake_case"
    assert not NOT_BASE_UNITS & set(words), f"{name}: use base units (_seconds, _bytes)"
    assert w._documentation.strip(), f"{name}: needs help text"
    if kind == "counter":
        assert name.endswith("_total")
        assert not name.removesuffix("_total").endswith("_total")
    else:
        assert not name.endswith(("_total", "_count", "_sum", "_bucket")), name
    if kind == "histogram":
        assert words[-1] in UNITS, f"{name}: a histogram ends with its unit ({sorted(UNITS)})"
    if TIME_WORDS & set(words):
        assert name.endswith("_seconds"), f"{name}: a time is in _seconds"
    if "timestamp" in words:
        assert name.endswith("_timestamp_seconds"), name


@pytest.mark.parametrize("name", sorted(WRAPPERS))
def test_labels_are_bounded(name: str) -> None:
    labels: tuple[str, ...] = WRAPPERS[name]._labelnames
    unknown = set(labels) - LABELS.keys()
    assert not unknown, f"{name}: label(s) {unknown} not in the allow-list of bounded labels"
    assert not {"le", "quantile", "instance", "job"} & set(labels)


@pytest.mark.parametrize(
    "name",
    [
        # DESIGN.md's list and issue 6
        "tweetpulse_tweets_ingested_total",
        "tweetpulse_tweets_enriched_total",
        "tweetpulse_ads_total",
        "tweetpulse_dlq_total",
        "tweetpulse_topic_mentions_total",
        "tweetpulse_pipeline_latency_seconds_bucket",
        "tweetpulse_batch_size_tweets_bucket",
        "tweetpulse_redis_write_seconds_bucket",
        "tweetpulse_watermark_lag_seconds",
        "tweetpulse_windows_closed_total",
        "tweetpulse_reports_total",
        "tweetpulse_report_generation_seconds_bucket",
        "tweetpulse_last_report_success_timestamp_seconds",
        "tweetpulse_llm_requests_total",
        "tweetpulse_llm_tokens_total",
        "tweetpulse_burst_zscore",
        "tweetpulse_consumer_lag_records",
    ],
)
def test_design_metrics_exist(name: str) -> None:
    assert name in exported_series()


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("tweetpulse_pipeline_latency_seconds", True),
        ("tweetpulse_pipeline_latency_ms", False),
        ("tweetpulse_TweetsIngested_total", False),
        ("pipeline_latency_seconds", False),
        ("tweetpulse__double", False),
    ],
)
def test_name_pattern(name: str, ok: bool) -> None:
    """The rules above can fail: bad names are caught."""
    bad_unit = bool(NOT_BASE_UNITS & set(name.split("_")))
    assert (bool(NAME.match(name)) and not bad_unit) is ok


def test_preset_report_modes_match_the_report_model() -> None:
    from typing import get_args

    from summarizer.report import Mode

    assert set(metrics.REPORT_MODES) == set(get_args(Mode))


def test_preset_llm_outcomes_match_the_llm_client() -> None:
    from typing import get_args

    llm = pytest.importorskip("summarizer.llm")
    assert set(metrics.LLM_OUTCOMES) == set(get_args(llm.Outcome))


@pytest.mark.parametrize(
    ("metric", "values"),
    [
        (metrics.REPORTS, [(m,) for m in metrics.REPORT_MODES]),
        (metrics.LLM_REQUESTS, [(o,) for o in metrics.LLM_OUTCOMES]),
    ],
)
def test_known_label_values_start_at_zero(
    metric: MetricWrapperBase, values: list[tuple[str, ...]]
) -> None:
    """So that increase() in the alert rules sees the first failure after a restart."""
    family = next(iter(metric.collect()))
    present = {tuple(s.labels.values()) for s in family.samples if s.name.endswith("_total")}
    assert set(values) <= present
