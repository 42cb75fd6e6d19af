"""Process entry helpers: run the Faust worker, expose /metrics for non-Faust processes."""

from __future__ import annotations

import asyncio
import errno
import gc
import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import start_http_server

from streams import metrics as m
from streams.errors import ConfigError
from streams.settings import ENV_PREFIX, Settings

log = logging.getLogger("tweetpulse")


def run_worker(settings: Settings, *, loglevel: str = "info") -> int:
    """Run the worker until SIGTERM/SIGINT (faust's Worker shuts the app down cleanly)."""
    try:
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    except ImportError:  # pragma: no cover - uvloop is a dependency on Linux
        pass
    from faust.worker import Worker

    from streams.worker import build_worker

    host, port = settings.worker_web_host, settings.worker_web_port
    check_port_free(host, port, "worker_web_port", "--web-port")
    settings.faust_datadir.mkdir(parents=True, exist_ok=True)
    app = build_worker(settings)
    # Modules, the taxonomy's automata and the ad model live as long as the process: moved out
    # of the collector's generations, they are not traversed by every full collection.
    gc.freeze()
    worker = Worker(app, loglevel=loglevel, quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()  # exits the process via sys.exit when it stops
    return 0


def check_port_free(host: str, port: int, setting: str, flag: str | None = None) -> None:
    """Raise ConfigError naming ``setting`` when ``host:port`` cannot be listened on.

    Both web servers (Faust's aiohttp, prometheus-client's) bind with SO_REUSEADDR; so does
    the probe, so a port left in TIME_WAIT by a previous run counts as free, as it is for
    them. Without the probe a taken port ends the worker in a traceback after Kafka's start.
    """
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            why = "is in use" if exc.errno == errno.EADDRINUSE else f"cannot be bound ({exc})"
            env = f"{ENV_PREFIX}{setting.upper()}"
            named, choices = (f"{env} ({flag})", f"{env} or {flag}") if flag else (env, env)
            msg = (
                f"{named}: port {port} on {host} {why}. Fix: stop the process that holds it "
                f"(`ss -ltnp 'sport = :{port}'` names it) or set {choices} to a free port."
            )
            raise ConfigError(msg) from None


def serve_metrics(settings: Settings) -> None:
    """Expose this process's metrics on settings.metrics_port (0 = disabled)."""
    if settings.metrics_port:
        host, port = settings.metrics_host, settings.metrics_port
        check_port_free(host, port, "metrics_port")
        start_http_server(port, addr=host, registry=m.REGISTRY)
        log.info("metrics on http://%s:%d/metrics", host, port)


@contextmanager
def producing(settings: Settings, source: str) -> Iterator[None]:
    """Expose metrics and flag ``tweetpulse_producer_running{source}`` while a producer runs:
    the "ingest stalled" alert only fires while some producer says it is up."""
    serve_metrics(settings)
    running = m.PRODUCER_RUNNING.labels(source)
    running.set(1)
    try:
        yield
    finally:
        running.set(0)
