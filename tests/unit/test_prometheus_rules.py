"""The Prometheus rules: promtool checks and unit tests pass, every alert is documented and tested
both ways, and every metric a rule reads is one the code exports.

promtool comes from the Debian package ``prometheus`` (deploy/local/ensure-system.sh installs it).
Without it these tests skip locally and fail under CI=true.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.unit.test_metrics_names import exported_series

ROOT = Path(__file__).resolve().parents[2]
PROM = ROOT / "deploy" / "prometheus"
RULE_FILES = sorted((PROM / "rules").glob("*.yml"))
TEST_FILES = sorted((PROM / "tests").glob("*.yml"))
RUNBOOK = ROOT / "docs" / "runbook.md"
# series Prometheus itself makes (scrape health, alert state)
BUILTIN_SERIES = {"up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds"}
SEVERITIES = {"critical", "warning", "info"}

# --- a PromQL metric-name extractor (no full parser: promtool checks the syntax) ---------------

_KEYWORDS = {
    "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
    "offset", "bool", "inf", "nan", "atan2",
}  # fmt: skip
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_IDENT = re.compile(r"(?<![\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?")


def promql_metric_names(expr: str) -> set[str]:
    """Metric names an expression selects (functions, keywords, labels and durations left out).

    Grafana variables (``$__rate_interval``, ``$topic``, ``${x}``) are removed first.
    """
    text = re.sub(r"\$\{[^}]*\}|\$\w+", "", expr)
    text = _STRINGS.sub('""', text)
    text = re.sub(r"\{[^}]*\}", "{}", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", "[]", text)  # ranges and subqueries
    text = _GROUPING.sub(" ", text)
    text = re.sub(r"\b\d[\w.]*", " ", text)  # numbers and durations (5m, 1e3, 0.99)
    names = set()
    for m in _IDENT.finditer(text):
        name, call = m.group(1), m.group(2)
        if not call and name.lower() not in _KEYWORDS:
            names.add(name)
    return names


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        ("up", {"up"}),
        ('sum by (topic) (rate(tp_mentions_total{topic=~"a|b"}[5m]))', {"tp_mentions_total"}),
        ("histogram_quantile(0.99, sum by (le) (rate(x_bucket[$__rate_interval])))", {"x_bucket"}),
        ("a:b:rate5m > 0.05 and on () sum(increase(c_total[10m])) >= 2", {"a:b:rate5m", "c_total"}),
        ("(sum(rate(a[10m])) or on () vector(0)) == 0 and on () max(b) == 1", {"a", "b"}),
        ('x{job="by (y)"} offset 1h unless ignoring (instance) z', {"x", "z"}),
        ("time() - max(ts > 0) > 26 * 3600", {"ts"}),
        ("max_over_time(deriv(g[10m:1m])[1h:]) / 1e3", {"g"}),
        ("sum without (le) (h) * on (topic) group_left (label) info", {"h", "info"}),
        ("count(m) by (topic)", {"m"}),  # trailing grouping clause
    ],
)  # fmt: skip
def test_promql_metric_names(expr: str, names: set[str]) -> None:
    assert promql_metric_names(expr) == names


# --- rules ------------------------------------------------------------------------------------


def load_rules() -> list[dict[str, Any]]:
    rules = []
    for path in RULE_FILES:
        for group in yaml.safe_load(path.read_text())["groups"]:
            rules.extend(group["rules"])
    return rules


RULES = load_rules()
ALERTS = sorted({r["alert"] for r in RULES if "alert" in r})
RECORDED = {r["record"] for r in RULES if "record" in r}


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("promtool missing: run deploy/local/ensure-system.sh (Debian `prometheus`)")
        pytest.skip("promtool missing (apt-get install prometheus)")
    return path


def run_promtool(*args: str, cwd: Path = PROM) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [promtool(), *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_expected_alerts_exist() -> None:
    assert set(ALERTS) >= {
        "TweetpulseTopicBurst",
        "TweetpulseIngestStalled",
        "TweetpulseConsumerLagGrowing",
        "TweetpulseDLQRateHigh",
        "TweetpulseAdShareAbnormal",
        "TweetpulseDailyReportMissing",
        "TweetpulseLLMFailing",
        "TweetpulseWatermarkStuck",
    }


def test_promtool_check_rules() -> None:
    out = run_promtool("check", "rules", *(str(p) for p in RULE_FILES))
    assert out.returncode == 0, out.stdout + out.stderr


def test_promtool_check_config() -> None:
    """The compose stack's prometheus.yml is valid and loads the same rule files."""
    out = run_promtool("check", "config", "prometheus.yml")
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"SUCCESS: {len(RULE_FILES)} rule files found" in out.stdout


def test_promtool_unit_tests() -> None:
    out = run_promtool("test", "rules", *(p.name for p in TEST_FILES), cwd=PROM / "tests")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("SUCCESS") == len(TEST_FILES), out.stdout


def _anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens."""
    out = set()
    for line in markdown.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            out.add(re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", title)))
    return out


@pytest.mark.parametrize("rule", [r for r in RULES if "alert" in r], ids=lambda r: r["alert"])
def test_alert_is_documented(rule: dict[str, Any]) -> None:
    ann = rule.get("annotations", {})
    assert ann.get("summary") and ann.get("description"), "summary and description"
    assert rule.get("labels", {}).get("severity") in SEVERITIES
    url = ann.get("runbook_url", "")
    assert url.startswith("docs/runbook.md#"), url
    anchor = url.split("#", 1)[1]
    runbook = RUNBOOK.read_text()
    assert anchor in _anchors(runbook), f"{anchor}: no such section in docs/runbook.md"
    assert rule["alert"] in runbook, "the runbook section names the alert"


def _alert_tests() -> dict[str, dict[str, int]]:
    """alert name → number of test groups where it fires / stays quiet at every eval time."""
    seen: dict[str, dict[str, int]] = {a: {"fire": 0, "quiet": 0} for a in ALERTS}
    for path in TEST_FILES:
        for group in yaml.safe_load(path.read_text())["tests"]:
            by_alert: dict[str, list[bool]] = {}
            for case in group.get("alert_rule_test", []):
                by_alert.setdefault(case["alertname"], []).append(bool(case.get("exp_alerts")))
            for alert, fired in by_alert.items():
                assert alert in seen, f"{path.name}: unknown alert {alert}"
                seen[alert]["fire" if any(fired) else "quiet"] += 1
    return seen


@pytest.mark.parametrize("alert", ALERTS)
def test_alert_has_a_firing_and_a_quiet_test(alert: str) -> None:
    counts = _alert_tests()[alert]
    assert counts["fire"] >= 1, f"{alert}: no promtool test makes it fire"
    assert counts["quiet"] >= 1, f"{alert}: no promtool test keeps it quiet"


def _rule_exprs() -> list[tuple[str, str]]:
    out = [(r.get("alert") or r["record"], r["expr"]) for r in RULES]
    for r in RULES:  # queries inside annotation templates: {{ with query "..." }}
        for text in r.get("annotations", {}).values():
            out.extend((r["alert"], q) for q in re.findall(r'query\s+"((?:[^"\\]|\\.)*)"', text))
    return out


@pytest.mark.parametrize(("rule", "expr"), _rule_exprs())
def test_rule_metrics_are_exported(rule: str, expr: str) -> None:
    names = promql_metric_names(expr)
    assert names, f"{rule}: no metric found in {expr!r}"
    unknown = names - exported_series() - RECORDED - BUILTIN_SERIES
    assert not unknown, f"{rule}: {unknown} not exported by streams.metrics nor recorded"


def test_recording_rule_names() -> None:
    """level:metric:operations (https://prometheus.io/docs/practices/rules/)."""
    for name in RECORDED:
        assert re.fullmatch(r"[a-z]+:[a-z0-9_]+:[a-z0-9_]+", name), name
