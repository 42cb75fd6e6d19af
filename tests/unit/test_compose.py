"""docker-compose.yml and the Dockerfile, checked without a Docker engine.

The file is validated against the Compose specification by the ``compose-spec`` parser (Rust
``compose_spec``), then its structure is checked: services, health checks, dependency order, a
scalable worker, and that every project service runs a real ``tweetpulse`` subcommand with real
settings. ``docker compose config`` runs too where the Docker CLI has the compose plugin.
"""

from __future__ import annotations

import json
import re
import tomllib
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import pytest
import yaml
from compose_spec import PyCompose

from streams.settings import ENV_PREFIX, Settings
from tweetpulse.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())  # resolves << merge keys
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
PROJECT = {"topics": "topics", "worker": "worker", "summarizer": "summarize", "producer": "produce"}
ONE_SHOT = {"topics", "producer"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}


def test_valid_compose_spec() -> None:
    parsed = PyCompose.from_json(json.dumps(COMPOSE))  # raises ValueError on any spec violation
    assert sorted(parsed.service_names()) == sorted(SERVICES)


@pytest.mark.parametrize(
    "change",
    [
        {"depends_on": {"kafka": {"condition": "service_hapy"}}},
        {"healthcheck": {"test": 5}},
        {"portz": ["6066:6066"]},
    ],
)
def test_the_spec_parser_rejects_mistakes(change: dict[str, Any]) -> None:
    bad = {**COMPOSE, "services": {**SERVICES, "worker": {**SERVICES["worker"], **change}}}
    with pytest.raises(ValueError):
        PyCompose.from_json(json.dumps(bad))


def test_the_stack_has_every_service() -> None:
    assert set(SERVICES) >= {"kafka", "redis", "prometheus", "grafana", *PROJECT}
    assert SERVICES["kafka"]["image"].startswith("apache/kafka:")


def test_dependency_order() -> None:
    graph = {}
    for name, svc in SERVICES.items():
        deps = svc.get("depends_on", {})
        assert isinstance(deps, dict), f"{name}: depends_on with conditions"
        for dep, spec in deps.items():
            assert dep in SERVICES, f"{name} depends on unknown {dep}"
            cond = spec["condition"]
            assert cond in CONDITIONS
            if cond == "service_healthy":
                assert "healthcheck" in SERVICES[dep], f"{dep} has no healthcheck"
            if cond == "service_completed_successfully":
                assert dep in ONE_SHOT, f"{dep} is not a one-shot service"
        graph[name] = set(deps)
    order = list(TopologicalSorter(graph).static_order())  # raises CycleError on a cycle
    assert order.index("kafka") < order.index("topics") < order.index("worker")
    worker = SERVICES["worker"]["depends_on"]
    assert worker["kafka"]["condition"] == "service_healthy"
    assert worker["redis"]["condition"] == "service_healthy"
    assert worker["topics"]["condition"] == "service_completed_successfully"
    assert SERVICES["grafana"]["depends_on"]["prometheus"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_long_running_services_have_healthchecks(name: str) -> None:
    svc = SERVICES[name]
    if name in ONE_SHOT:
        assert svc.get("restart") == "no"
        return
    test = svc["healthcheck"]["test"]
    assert test[0] in {"CMD", "CMD-SHELL"} and len(test) > 1


def test_worker_scales() -> None:
    """`docker compose up --scale worker=3` needs no fixed name and no host port."""
    for name, svc in SERVICES.items():
        assert "container_name" not in svc, f"{name}: container_name blocks --scale"
    worker = SERVICES["worker"]
    assert "ports" not in worker
    env = worker["environment"]
    assert env["TWEETPULSE_WORKER_WEB_HOST"] == "0.0.0.0"  # Prometheus scrapes from outside
    port = int(env["TWEETPULSE_WORKER_WEB_PORT"])
    assert str(port) in {str(p) for p in worker["expose"]}
    prom = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
    jobs = {j["job_name"]: j for j in prom["scrape_configs"]}
    (sd,) = jobs["tweetpulse-worker"]["dns_sd_configs"]
    assert sd["names"] == ["worker"] and sd["port"] == port


@pytest.mark.parametrize(("name", "command"), sorted(PROJECT.items()))
def test_project_services_run_the_cli(name: str, command: str) -> None:
    svc = SERVICES[name]
    assert svc["build"] == "." and svc["image"] == SERVICES["worker"]["image"]
    args = build_parser().parse_args(svc["command"])  # exits (SystemExit) on a bad command
    assert args.command == command
    assert callable(args.func)


@pytest.mark.parametrize("name", sorted(PROJECT))
def test_project_settings_are_real(name: str) -> None:
    """Every TWEETPULSE_* variable names a Settings field and has a valid value."""
    env = SERVICES[name]["environment"]
    fields = {k.removeprefix(ENV_PREFIX).lower(): v for k, v in env.items()}
    unknown = set(fields) - set(Settings.model_fields)
    assert not unknown, f"{name}: no such setting {unknown}"
    settings = Settings.load(**fields)
    assert settings.kafka_bootstrap == "kafka:9092"
    assert settings.redis_url.startswith("redis://redis:")


def _template_properties() -> dict[str, str]:
    text = (ROOT / "deploy/local/server.properties.template").read_text()
    props = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            props[key.strip()] = value.strip()
    return props


def _env_name(prop: str) -> str:
    """apache/kafka image: . → _, _ → __, - → ___, upper case, KAFKA_ prefix."""
    return "KAFKA_" + prop.replace("_", "__").replace("-", "___").replace(".", "_").upper()


@pytest.mark.parametrize("prop", sorted(_template_properties()))
def test_kafka_matches_the_local_broker(prop: str) -> None:
    value = _template_properties()[prop]
    env = {k: str(v) for k, v in SERVICES["kafka"]["environment"].items()}
    got = env.get(_env_name(prop))
    assert got is not None, f"{prop} is not set in docker-compose.yml"
    if "${" not in value and prop != "listener.security.protocol.map":
        assert got == value, prop
        return
    # host-specific lists: every entry of the template, placeholders filled with anything
    entries = got.split(",")
    for want in value.split(","):
        pattern = re.sub(r"\\\$\\\{\w+\\\}", ".*", re.escape(want))
        assert any(re.fullmatch(pattern, e) for e in entries), (prop, want, got)


def test_kafka_is_reachable_as_configured() -> None:
    env = SERVICES["kafka"]["environment"]
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    assert SERVICES["kafka"]["hostname"] == "kafka"


def test_redis_keeps_an_append_only_file() -> None:
    cmd = SERVICES["redis"]["command"]
    assert cmd[cmd.index("--appendonly") + 1] == "yes"
    assert any(v.endswith(":/data") for v in SERVICES["redis"]["volumes"])


def test_prometheus_and_grafana_mounts() -> None:
    prom = SERVICES["prometheus"]
    assert "./deploy/prometheus:/etc/prometheus:ro" in prom["volumes"]
    assert "--config.file=/etc/prometheus/prometheus.yml" in prom["command"]
    graf = SERVICES["grafana"]["volumes"]
    assert "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro" in graf
    assert "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro" in graf
    for volume in [*prom["volumes"], *graf]:
        source = volume.split(":")[0]
        if source.startswith("./"):
            assert (ROOT / source).is_dir(), source
        else:
            assert source in COMPOSE["volumes"], f"undeclared volume {source}"


def test_dockerfile() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r'^ENTRYPOINT \["tweetpulse"\]$', text, re.M)
    assert re.search(r"^USER (?!root)\w+", text, re.M), "runs as a non-root user"
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    for pattern in packages["packages"]["find"]["include"]:
        pkg = pattern.rstrip("*")
        assert re.search(rf"^COPY {pkg} \./{pkg}$", text, re.M), f"{pkg} is not copied"
        assert (ROOT / pkg).is_dir()
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", ".git", ".tweetpulse"} <= set(ignored)
