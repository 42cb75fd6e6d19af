"""The Grafana provisioning and dashboard: valid JSON, the provisioned data source everywhere,
every query valid PromQL (promtool) over metrics the code exports or the rules record."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.unit.test_metrics_names import exported_series
from tests.unit.test_prometheus_rules import (
    BUILTIN_SERIES,
    RECORDED,
    promql_metric_names,
    run_promtool,
)

ROOT = Path(__file__).resolve().parents[2]
GRAFANA = ROOT / "deploy" / "grafana"
DASHBOARDS = sorted((GRAFANA / "dashboards").glob("*.json"))
# Grafana's own variables, replaced by what Grafana would send
GRAFANA_VARS = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "6h", "$topic": ".*"}


def datasource_uid() -> str:
    doc = yaml.safe_load((GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text())
    (ds,) = doc["datasources"]
    assert ds["type"] == "prometheus"
    assert ds["url"] == "http://prometheus:9090"  # the compose service and its port
    return str(ds["uid"])


def panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for p in dashboard["panels"]:
        out.append(p)
        out.extend(p.get("panels", []))  # collapsed rows
    return out


def queries() -> list[tuple[str, str]]:
    """(dashboard/panel title, PromQL) for every panel target."""
    out: list[tuple[str, str]] = []
    for path in DASHBOARDS:
        dash = json.loads(path.read_text())
        for p in panels(dash):
            out.extend((f"{path.stem}/{p['title']}", t["expr"]) for t in p.get("targets", []))
    return out


def test_there_is_a_dashboard() -> None:
    assert [p.name for p in DASHBOARDS] == ["tweetpulse.json"]


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_dashboard_structure(path: Path) -> None:
    dash = json.loads(path.read_text())
    uid = datasource_uid()
    assert dash["uid"] and dash["title"]
    ids = [p["id"] for p in panels(dash)]
    assert len(ids) == len(set(ids)), "panel ids are unique"
    for p in panels(dash):
        grid = p["gridPos"]
        assert grid["x"] + grid["w"] <= 24, p["title"]
        if p["type"] == "row":
            continue
        assert p["datasource"]["uid"] == uid, p["title"]
        assert p["targets"], f"{p['title']}: no query"
        for t in p["targets"]:
            assert t["datasource"]["uid"] == uid
            assert t["expr"].strip()
    for var in dash["templating"]["list"]:
        if var["type"] == "query":
            assert var["datasource"]["uid"] == uid
            (metric,) = re.findall(r"label_values\((\w+)", var["definition"])
            assert metric in exported_series()


def test_dashboard_covers_the_issue() -> None:
    """Tweets/s, ad share, topic rates, burst scores, latency p50/p99, lag, watermark, reports."""
    text = "\n".join(expr for _, expr in queries())
    for needle in [
        "tweetpulse_tweets_ingested_total",
        "tweetpulse_ads_total",
        "tweetpulse_topic_mentions_total",
        "tweetpulse_burst_zscore",
        "histogram_quantile(0.5, sum by (le) (rate(tweetpulse_pipeline_latency_seconds_bucket",
        "histogram_quantile(0.99, sum by (le) (rate(tweetpulse_pipeline_latency_seconds_bucket",
        "tweetpulse_consumer_lag_records",
        "tweetpulse:watermark_timestamp_seconds:max",
        "tweetpulse_last_report_success_timestamp_seconds",
        "tweetpulse_reports_total",
    ]:
        assert needle in text, needle


@pytest.mark.parametrize(("panel", "expr"), queries())
def test_query_metrics_are_exported(panel: str, expr: str) -> None:
    names = promql_metric_names(expr)
    assert names, f"{panel}: no metric in {expr!r}"
    unknown = names - exported_series() - RECORDED - BUILTIN_SERIES
    assert not unknown, f"{panel}: {unknown} not exported by streams.metrics nor recorded"


def test_queries_are_valid_promql(tmp_path: Path) -> None:
    """Every query, with Grafana's variables filled in, passes `promtool check rules`."""
    rules = []
    for i, (_, expr) in enumerate(queries()):
        for var, value in GRAFANA_VARS.items():
            expr = expr.replace(var, value)
        assert "$" not in expr, f"unknown Grafana variable in {expr!r}"
        rules.append({"record": f"dashboard:query:q{i}", "expr": expr})
    path = tmp_path / "dashboard.rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    out = run_promtool("check", "rules", str(path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"SUCCESS: {len(rules)} rules found" in out.stdout


def test_dashboard_provider_path() -> None:
    doc = yaml.safe_load((GRAFANA / "provisioning" / "dashboards" / "tweetpulse.yml").read_text())
    (provider,) = doc["providers"]
    assert provider["options"]["path"] == "/var/lib/grafana/dashboards"  # docker-compose.yml mount
