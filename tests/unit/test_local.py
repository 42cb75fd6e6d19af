"""Unit tests of tweetpulse.local: no Kafka, Redis, Java or Maven is started (fake servers only)."""

from __future__ import annotations

import hashlib
import os
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from streams.errors import ServiceError
from streams.settings import Settings
from tweetpulse import local

Handler = Callable[[socket.socket], None]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def free_kafka_port() -> int:
    """A free port whose successor (the KRaft controller's) is free too."""
    for _ in range(50):
        port = free_port()
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    msg = "no free pair of adjacent ports on 127.0.0.1"
    raise RuntimeError(msg)


@contextmanager
def fake_server(handler: Handler) -> Iterator[int]:
    """A TCP listener on 127.0.0.1 that runs ``handler`` for each connection; yields its port."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    handler(conn)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(srv.getsockname()[1])
    finally:
        stop.set()
        thread.join(2)
        srv.close()


def http_answer(conn: socket.socket) -> None:
    conn.recv(1024)
    conn.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")


def kafka_answer(error_code: int) -> Handler:
    def handle(conn: socket.socket) -> None:
        (size,) = struct.unpack(">i", conn.recv(4))
        request = conn.recv(size)
        api_key, version, correlation = struct.unpack(">hhi", request[:8])
        assert (api_key, version) == (18, 0)
        body = struct.pack(">ihi", correlation, error_code, 0)  # empty api_keys array
        conn.sendall(struct.pack(">i", len(body)) + body)

    return handle


def redis_answer(*replies: bytes) -> tuple[Handler, list[bytes]]:
    seen: list[bytes] = []

    def handle(conn: socket.socket) -> None:
        for reply in replies:
            seen.append(conn.recv(1024))
            conn.sendall(reply)

    return handle, seen


def settings_for(
    tmp_path: Path, kafka_port: int | None = None, redis_port: int | None = None
) -> Settings:
    return Settings(
        kafka_bootstrap=f"127.0.0.1:{kafka_port or free_kafka_port()}",
        redis_url=f"redis://127.0.0.1:{redis_port or free_port()}/0",
        home=tmp_path / "home",
    )


# --- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bootstrap", "expected"),
    [
        ("127.0.0.1:9092", ("127.0.0.1", 9092)),
        ("localhost:29092", ("localhost", 29092)),
        ("127.0.0.1:19092,10.0.0.2:9092", ("127.0.0.1", 19092)),
        (" kafka-1.internal:9094 , kafka-2:9094", ("kafka-1.internal", 9094)),
        ("[::1]:9092", ("::1", 9092)),
    ],
)
def test_kafka_address(bootstrap: str, expected: tuple[str, int]) -> None:
    assert local.kafka_address(Settings(kafka_bootstrap=bootstrap)) == expected


@pytest.mark.parametrize(
    ("url", "host", "port", "db", "password", "tls"),
    [
        ("redis://127.0.0.1:6379/0", "127.0.0.1", 6379, 0, None, False),
        ("redis://localhost", "localhost", 6379, 0, None, False),
        ("redis://127.0.0.1:26379/3", "127.0.0.1", 26379, 3, None, False),
        ("redis://:s3cret@127.0.0.1:6380/1", "127.0.0.1", 6380, 1, "s3cret", False),
        ("redis://user:p%40ss@redis.example:6379/2", "redis.example", 6379, 2, "p@ss", False),
        ("rediss://cache.example:6390", "cache.example", 6390, 0, None, True),
        ("redis://[::1]:6379/0", "::1", 6379, 0, None, False),
        ("redis://127.0.0.1:6379?db=5", "127.0.0.1", 6379, 5, None, False),
    ],
)
def test_redis_url_parsing(
    url: str, host: str, port: int, db: int, password: str | None, tls: bool
) -> None:
    endpoint = local._parse_redis_url(url)
    assert (endpoint.host, endpoint.port, endpoint.db, endpoint.password, endpoint.tls) == (
        host,
        port,
        db,
        password,
        tls,
    )
    assert local.redis_address(Settings(redis_url=url)) == (host, port)


def test_redis_address_rejects_unix_socket() -> None:
    with pytest.raises(ServiceError, match="unix"):
        local.redis_address(Settings(redis_url="unix:///run/redis.sock"))


def test_jars_dir_is_under_home(tmp_path: Path) -> None:
    assert local.kafka_jars_dir(Settings(home=tmp_path)) == tmp_path / "kafka" / "libs"


# --- readiness probes ------------------------------------------------------------------------


def test_kafka_ready_false_on_closed_port() -> None:
    assert local.kafka_ready(f"127.0.0.1:{free_port()}", timeout=0.5) is False


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        (kafka_answer(0), True),
        (kafka_answer(35), False),  # UNSUPPORTED_VERSION
        (http_answer, False),
    ],
    ids=["kafka-ok", "kafka-error", "http"],
)
def test_kafka_ready_against_fake_servers(handler: Handler, expected: bool) -> None:
    with fake_server(handler) as port:
        assert local.kafka_ready(f"127.0.0.1:{port}", timeout=1.0) is expected


def test_kafka_ready_tries_every_bootstrap_entry() -> None:
    with fake_server(kafka_answer(0)) as port:
        assert local.kafka_ready(f"127.0.0.1:{free_port()},127.0.0.1:{port}", timeout=1.0)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [(b"+PONG\r\n", True), (b"-LOADING Redis is loading\r\n", False), (b"HTTP/1.0 400\r\n", False)],
)
def test_redis_ready_against_fake_servers(reply: bytes, expected: bool) -> None:
    handler, seen = redis_answer(reply)
    with fake_server(handler) as port:
        assert local.redis_ready(f"redis://127.0.0.1:{port}/0", timeout=1.0) is expected
    assert seen == [b"*1\r\n$4\r\nPING\r\n"]


def test_redis_ready_authenticates_first() -> None:
    handler, seen = redis_answer(b"+OK\r\n", b"+PONG\r\n")
    with fake_server(handler) as port:
        assert local.redis_ready(f"redis://:pw@127.0.0.1:{port}/2", timeout=1.0)
    assert seen[0] == b"*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n"


def test_redis_ready_false_on_closed_port() -> None:
    assert local.redis_ready(f"redis://127.0.0.1:{free_port()}/0", timeout=0.5) is False


# --- refusing to start -----------------------------------------------------------------------


def test_kafka_up_port_in_use_by_something_else(tmp_path: Path) -> None:
    with fake_server(http_answer) as port:
        settings = settings_for(tmp_path, kafka_port=port)
        with pytest.raises(ServiceError, match=rf"port {port}\b.*TWEETPULSE_KAFKA_BOOTSTRAP"):
            local.kafka_up(settings, timeout=1)


def test_kafka_up_controller_port_in_use(tmp_path: Path) -> None:
    with fake_server(http_answer) as busy:
        settings = settings_for(tmp_path, kafka_port=busy - 1)
        with pytest.raises(ServiceError, match=rf"controller.*port {busy}\b"):
            local.kafka_up(settings, timeout=1)


def test_redis_up_port_in_use_by_something_else(tmp_path: Path) -> None:
    with fake_server(http_answer) as port:
        settings = settings_for(tmp_path, redis_port=port)
        with pytest.raises(ServiceError, match=rf"port {port}\b.*TWEETPULSE_REDIS_URL"):
            local.redis_up(settings, timeout=1)


def test_redis_up_refused_ping_names_the_url(tmp_path: Path) -> None:
    handler, _ = redis_answer(b"-NOAUTH Authentication required.\r\n")
    with fake_server(handler) as port:
        with pytest.raises(ServiceError, match=r"NOAUTH.*TWEETPULSE_REDIS_URL"):
            local.redis_up(settings_for(tmp_path, redis_port=port), timeout=1)


def test_already_running_services_are_not_started(tmp_path: Path) -> None:
    handler, _ = redis_answer(b"+PONG\r\n")
    with fake_server(kafka_answer(0)) as kport, fake_server(handler) as rport:
        states = local.up(settings_for(tmp_path, kafka_port=kport, redis_port=rport))
    assert [(s.name, s.running, s.managed, s.pid) for s in states] == [
        ("redis", True, False, None),
        ("kafka", True, False, None),
    ]
    assert not (tmp_path / "home").exists()  # nothing written, nothing started


@pytest.mark.parametrize(
    ("field", "value", "env"),
    [
        ("kafka_bootstrap", "kafka.example:9092", "TWEETPULSE_KAFKA_BOOTSTRAP"),
        ("redis_url", "redis://redis.example:6379/0", "TWEETPULSE_REDIS_URL"),
    ],
)
def test_remote_address_not_answering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str, value: str, env: str
) -> None:
    monkeypatch.setattr(local, "_kafka_probe", lambda *_: False)
    monkeypatch.setattr(local, "_redis_ping", lambda *_: None)
    settings = settings_for(tmp_path).model_copy(update={field: value})
    start = local.kafka_up if field == "kafka_bootstrap" else local.redis_up
    with pytest.raises(ServiceError, match=rf"{env}.*not reachable.*localhost"):
        start(settings, 1)


@pytest.fixture
def empty_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    return bin_dir


def test_missing_java(tmp_path: Path, empty_path: Path) -> None:
    with pytest.raises(ServiceError, match=r"`java` is not on PATH.*openjdk-17-jre-headless"):
        local.kafka_up(settings_for(tmp_path), timeout=1)


def test_missing_mvn_when_jars_not_cached(tmp_path: Path, empty_path: Path) -> None:
    java = empty_path / "java"
    java.write_text("#!/bin/sh\nexit 1\n")
    java.chmod(0o755)
    settings = settings_for(tmp_path)
    with pytest.raises(ServiceError, match=r"`mvn` is not on PATH.*apt-get install -y maven"):
        local.kafka_up(settings, timeout=1)


def test_missing_redis_server(tmp_path: Path, empty_path: Path) -> None:
    with pytest.raises(ServiceError, match=r"`redis-server` is not on PATH.*redis-server"):
        local.redis_up(settings_for(tmp_path), timeout=1)


# --- jar cache -------------------------------------------------------------------------------


def _pom_hash() -> str:
    return hashlib.sha256((local._deploy_dir() / "pom.xml").read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("marker", "reused"),
    [
        (None, False),  # jars without a marker: a half copy, copied again
        ("", True),  # jars put there by hand
        ("same-pom", True),
        ("0" * 64, False),  # pom.xml changed since the copy
    ],
)
def test_jar_cache_marker(
    tmp_path: Path, empty_path: Path, marker: str | None, reused: bool
) -> None:
    settings = settings_for(tmp_path)
    libs = local.kafka_jars_dir(settings)
    libs.mkdir(parents=True)
    (libs / "kafka_2.13-4.1.1.jar").write_bytes(b"")
    if marker is not None:
        (libs / ".complete").write_text(_pom_hash() if marker == "same-pom" else marker)
    if reused:
        assert local.ensure_kafka_jars(settings) == libs
    else:
        with pytest.raises(ServiceError, match="mvn"):
            local.ensure_kafka_jars(settings)


# --- state files -----------------------------------------------------------------------------


def test_cluster_id_is_generated_saved_and_reused(tmp_path: Path) -> None:
    paths = local._Paths(tmp_path)
    paths.kafka.mkdir()
    cid = local._cluster_id(paths)
    assert len(cid) == 22
    assert not cid.startswith("-")
    assert set(cid) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert paths.cluster_id.read_text().strip() == cid
    assert local._cluster_id(paths) == cid


def test_cluster_id_mismatch_with_formatted_storage(tmp_path: Path) -> None:
    paths = local._Paths(tmp_path)
    paths.kafka_data.mkdir(parents=True)
    (paths.kafka_data / "meta.properties").write_text(
        "node.id=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\n"
    )
    assert local._cluster_id(paths) == "AAAAAAAAAAAAAAAAAAAAAA"  # adopted from the storage
    paths.cluster_id.write_text("BBBBBBBBBBBBBBBBBBBBBB\n")
    with pytest.raises(ServiceError, match="formatted for cluster"):
        local._cluster_id(paths)


def test_templates_render(tmp_path: Path) -> None:
    props = tmp_path / "server.properties"
    local._render(
        "server.properties.template", props,
        bind_host="127.0.0.1", port="29092", controller_port="29093", data_dir="/d",
    )  # fmt: skip
    lines = set(props.read_text().splitlines())
    assert {
        "controller.quorum.voters=1@127.0.0.1:29093",
        "listeners=PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093",
        "advertised.listeners=PLAINTEXT://127.0.0.1:29092",
        "log.dirs=/d",
        "auto.create.topics.enable=false",
        "message.max.bytes=8388608",
        "log.retention.hours=168",
    } <= lines
    assert local._properties_port(props, "listeners", "PLAINTEXT") == 29092
    conf = tmp_path / "redis.conf"
    local._render(
        "redis.conf.template", conf, bind_host="127.0.0.1", port="26379", dir='"/r"', databases="16"
    )
    assert {"port 26379", "bind 127.0.0.1", 'dir "/r"', "appendonly yes", 'save ""'} <= set(
        conf.read_text().splitlines()
    )


# --- down / status ---------------------------------------------------------------------------


def _spawn_named(name: str, *, ignore_term: bool = False) -> subprocess.Popen[bytes]:
    """A sleeping Python process whose command line contains ``name``; ready when it returns."""
    code = "import signal, sys, time\n"
    if ignore_term:
        code += "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    code += "print('ready', flush=True)\ntime.sleep(30)\n"
    proc = subprocess.Popen([sys.executable, "-c", code, name], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stdout.readline() == b"ready\n"
    return proc


def test_down_stops_our_process_and_removes_pid_file(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    paths = local._paths(settings)
    paths.redis.mkdir(parents=True)
    proc = _spawn_named("redis-server")
    try:
        paths.redis_pid.write_text(f"{proc.pid}\n")
        assert local.status(settings)[1].managed
        kafka, redis = local.down(settings, timeout=5)
        assert (kafka.name, kafka.detail) == ("kafka", "not running")
        assert redis.detail == f"stopped (pid {proc.pid})"
        assert not paths.redis_pid.exists()
    finally:
        proc.kill()
        proc.communicate()


def test_down_kills_after_timeout(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    paths = local._paths(settings)
    paths.kafka.mkdir(parents=True)
    proc = _spawn_named("kafka.Kafka", ignore_term=True)
    try:
        paths.kafka_pid.write_text(f"{proc.pid}\n")
        kafka, _ = local.down(settings, timeout=0.3)
        assert kafka.detail == f"killed (SIGKILL) (pid {proc.pid})"
    finally:
        proc.kill()
        proc.communicate()


def test_down_leaves_reused_pid_alone(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    paths = local._paths(settings)
    paths.kafka.mkdir(parents=True)
    other = _spawn_named("python-not-kafka")
    try:
        paths.kafka_pid.write_text(f"{other.pid}\n")  # a pid now used by another program
        kafka, _ = local.down(settings, timeout=1)
        assert other.poll() is None
        assert not kafka.managed
        assert not paths.kafka_pid.exists()
    finally:
        other.kill()
        other.communicate()


def test_stale_pid_files_are_cleaned_silently(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    paths = local._paths(settings)
    paths.kafka.mkdir(parents=True)
    paths.redis.mkdir(parents=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    paths.kafka_pid.write_text(f"{dead.pid}\n")
    paths.redis_pid.write_text("garbage\n")
    assert "stale pid file" in local.status(settings)[0].detail
    states = local.down(settings)
    assert [s.detail for s in states] == ["not running", "not running"]
    assert not paths.kafka_pid.exists()
    assert not paths.redis_pid.exists()


def test_status_with_nothing_running(tmp_path: Path) -> None:
    states = local.status(settings_for(tmp_path))
    assert [(s.name, s.running, s.managed, s.pid, s.detail) for s in states] == [
        ("kafka", False, False, None, "not running"),
        ("redis", False, False, None, "not running"),
    ]


def test_pid_alive_on_own_process() -> None:
    assert local._pid_alive(os.getpid())


# --- start-up failures (fake java / redis-server scripts) ------------------------------------


def _fake_tool(bin_dir: Path, name: str, body: str) -> None:
    tool = bin_dir / name
    tool.write_text(f"#!/bin/sh\n{body}\n")
    tool.chmod(0o755)


def _prepared_kafka_home(settings: Settings) -> local._Paths:
    """Jars 'cached' and storage 'formatted', so kafka_up goes straight to starting the broker."""
    paths = local._paths(settings)
    paths.libs.mkdir(parents=True)
    (paths.libs / ".complete").write_text("")
    paths.kafka_data.mkdir(parents=True)
    paths.cluster_id.write_text("AAAAAAAAAAAAAAAAAAAAAA\n")
    (paths.kafka_data / "meta.properties").write_text("cluster.id=AAAAAAAAAAAAAAAAAAAAAA\n")
    return paths


@pytest.mark.parametrize(
    ("body", "timeout", "expected"),
    [
        # generous timeout: the fake exits at once, a loaded machine must not turn it into "hangs"
        ("echo 'Error: boom in the JVM'; exit 3", 30, r"(?s)exited with status 3.*boom in the JVM"),
        ("exec /bin/sleep 30", 1, r"(?s)not ready within 1 s.*kafka\.out"),
    ],
    ids=["exits", "hangs"],
)
def test_kafka_start_failures_carry_the_log_tail(
    tmp_path: Path, empty_path: Path, body: str, timeout: int, expected: str
) -> None:
    _fake_tool(empty_path, "java", body)
    settings = settings_for(tmp_path)
    paths = _prepared_kafka_home(settings)
    with pytest.raises(ServiceError, match=expected) as caught:
        local.kafka_up(settings, timeout=timeout)
    assert str(paths.kafka_out) in str(caught.value)
    assert not paths.kafka_pid.exists()  # a failed start leaves nothing behind
    assert "listeners=PLAINTEXT://127.0.0.1:" in paths.kafka_props.read_text()


def test_redis_start_failure_carries_the_log_tail(tmp_path: Path, empty_path: Path) -> None:
    _fake_tool(empty_path, "redis-server", "echo '*** FATAL CONFIG FILE ERROR ***'; exit 1")
    settings = settings_for(tmp_path)
    with pytest.raises(ServiceError, match=r"(?s)exited with status 1.*FATAL CONFIG FILE ERROR"):
        local.redis_up(settings, timeout=30)
    paths = local._paths(settings)
    assert not paths.redis_pid.exists()
    assert "appendonly yes" in paths.redis_conf.read_text()
