"""Process entry helpers: run the Faust worker, expose /metrics for non-Faust processes."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import start_http_server

from streams import metrics as m
from streams.settings import Settings

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

    settings.faust_datadir.mkdir(parents=True, exist_ok=True)
    app = build_worker(settings)
    # Modules, the taxonomy's automata and the ad model live as long as the process: moved out
    # of the collector's generations, they are not traversed by every full collection.
    gc.freeze()
    worker = Worker(app, loglevel=loglevel, quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()  # exits the process via sys.exit when it stops
    return 0


def serve_metrics(settings: Settings) -> None:
    """Expose this process's metrics on settings.metrics_port (0 = disabled)."""
    if settings.metrics_port:
        host, port = settings.metrics_host, settings.metrics_port
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
