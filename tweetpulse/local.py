"""Local (no-Docker) Kafka and Redis for development, tests and CI.

``up`` starts Redis (Debian ``redis-server``, AOF on) and a one-node Apache Kafka 4.x broker (KRaft,
combined broker+controller, run straight from Maven jars) on 127.0.0.1, at the addresses of the
settings ``TWEETPULSE_KAFKA_BOOTSTRAP`` (first entry; the controller listens on that port + 1) and
``TWEETPULSE_REDIS_URL``. ``down`` stops what ``up`` started; ``status`` reports both.

Everything lives under ``TWEETPULSE_HOME`` (default ``.tweetpulse/`` in the current folder)::

    kafka/libs/          runtime jars copied once by Maven (``.complete`` marks a full copy)
    kafka/data/          broker storage (formatted once, with the id saved in kafka/cluster.id)
    kafka/logs/          server.log (log4j2: WARN + start-up lines), kafka.out (JVM stdout/stderr)
    kafka/server.properties, kafka/kafka.pid
    redis/               data (appendonly AOF), redis.conf, redis.log, redis.pid

The config templates come from ``deploy/local/`` of the repository (``server.properties.template``,
``log4j2.properties``, ``tools-log4j2.properties``, ``redis.conf.template``, ``pom.xml``).

Behaviour an operator can rely on:

* Idempotent: if an address already answers (Kafka ApiVersions, Redis PING), nothing is started,
  whoever runs that service. Only services whose pid file (written by ``up``) points at a live
  process of the right kind are stopped by ``down``; anything else is left alone.
* Services are started only on localhost (127.0.0.1, localhost, ::1). A remote address that does
  not answer is an error: fix the setting or start that service yourself.
* Every failure is a :class:`~streams.errors.ServiceError` that names the problem and the fix:

  - ``java`` missing: install a JDK/JRE 17+ (``apt-get install -y openjdk-17-jre-headless``);
  - ``mvn`` missing while the jars are not cached: ``apt-get install -y maven``, or copy the
    runtime jars into ``<home>/kafka/libs`` and create the empty file ``libs/.complete``;
  - ``redis-server`` missing: ``apt-get install -y redis-server``;
  - a port held by another program: free it, or point the setting at a free port;
  - a service that exits or is not ready in time: the message carries the tail of its log.

Logging goes to the ``tweetpulse.local`` logger.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import shutil
import signal
import socket
import ssl
import string
import struct
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from streams.errors import ServiceError
from streams.settings import Settings

__all__ = [
    "ServiceState",
    "down",
    "ensure_kafka_jars",
    "kafka_address",
    "kafka_jars_dir",
    "kafka_ready",
    "kafka_up",
    "redis_address",
    "redis_ready",
    "redis_up",
    "status",
    "up",
]

LOG = logging.getLogger("tweetpulse.local")

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
KAFKA_MAIN = "kafka.Kafka"
REDIS_MARK = "redis-server"
JARS_MARKER = ".complete"
KAFKA_HEAP = ("-Xms256m", "-Xmx512m")
MVN_TIMEOUT = 900.0  # seconds for the one-time jar copy (a cold ~/.m2 downloads ~60 MB)
FORMAT_TIMEOUT = 120.0
LOG_TAIL_LINES = 20
POLL = 0.2

INSTALL_JAVA = "apt-get install -y openjdk-17-jre-headless"
INSTALL_MAVEN = "apt-get install -y maven"
INSTALL_REDIS = "apt-get install -y redis-server"

# Processes started by this Python process, so they can be reaped (no zombies, no ResourceWarning).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class ServiceState:
    """What is known about one service. ``managed``: started by tweetpulse (live pid file)."""

    name: str
    address: str
    running: bool
    managed: bool
    pid: int | None
    detail: str


# --- addresses -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _RedisEndpoint:
    host: str
    port: int
    db: int
    username: str | None
    password: str | None
    tls: bool
    unix_path: str | None

    @property
    def address(self) -> str:
        return self.unix_path or _join_host_port(self.host, self.port)


def _join_host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _split_host_port(entry: str) -> tuple[str, int]:
    host, _, port = entry.strip().rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        msg = f"{entry!r} is not host:port (example: 127.0.0.1:9092)"
        raise ServiceError(msg)
    return host, int(port)


def kafka_address(settings: Settings) -> tuple[str, int]:
    """Host and port of the first entry of ``settings.kafka_bootstrap``."""
    return _split_host_port(settings.kafka_bootstrap.split(",")[0])


def _parse_redis_url(url: str) -> _RedisEndpoint:
    parts = urlsplit(url)
    query_db = None
    for item in parts.query.split("&"):
        key, _, value = item.partition("=")
        if key == "db" and value.isdigit():
            query_db = int(value)
    if parts.scheme == "unix":
        return _RedisEndpoint(
            host="",
            port=0,
            db=query_db or 0,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=False,
            unix_path=parts.path,
        )
    if parts.scheme not in ("redis", "rediss"):
        msg = f"TWEETPULSE_REDIS_URL {url!r} must start with redis://, rediss:// or unix://"
        raise ServiceError(msg)
    try:
        port = parts.port or 6379
    except ValueError as exc:
        msg = f"TWEETPULSE_REDIS_URL has a bad port: {exc}"
        raise ServiceError(msg) from None
    path_db = parts.path.strip("/")
    if path_db and not path_db.isdigit():
        msg = f"TWEETPULSE_REDIS_URL: database {path_db!r} is not a number (example: .../0)"
        raise ServiceError(msg)
    return _RedisEndpoint(
        host=parts.hostname or "127.0.0.1",
        port=port,
        db=int(path_db) if path_db else (query_db or 0),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=parts.scheme == "rediss",
        unix_path=None,
    )


def redis_address(settings: Settings) -> tuple[str, int]:
    """Host and port of ``settings.redis_url`` (redis:// or rediss://; default port 6379)."""
    endpoint = _parse_redis_url(settings.redis_url)
    if endpoint.unix_path is not None:
        msg = "TWEETPULSE_REDIS_URL is a unix:// socket; it has no host:port"
        raise ServiceError(msg)
    return endpoint.host, endpoint.port


def _bind_host(host: str) -> str:
    """The address a local service listens on for a configured host."""
    return "::1" if host == "::1" else "127.0.0.1"


# --- readiness probes ------------------------------------------------------------------------


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            msg = "connection closed"
            raise ConnectionError(msg)
        data += chunk
    return bytes(data)


def _kafka_probe(host: str, port: int, timeout: float) -> bool:
    """ApiVersions v0 request; True when the broker answers with error code 0."""
    correlation = 0x7470  # any value; the answer must echo it
    client_id = b"tweetpulse-probe"
    # request header v1: api_key=18 (ApiVersions), api_version=0, correlation_id, client_id
    request = struct.pack(">hhih", 18, 0, correlation, len(client_id)) + client_id
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            sock.sendall(struct.pack(">i", len(request)) + request)
            (size,) = struct.unpack(">i", _recv_exact(sock, 4))
            if not 6 <= size <= 1 << 20:
                return False
            echoed, error_code = struct.unpack(">ih", _recv_exact(sock, 6))
    except (OSError, struct.error):
        return False
    return bool(echoed == correlation and error_code == 0)


def kafka_ready(bootstrap: str, timeout: float = 2.0) -> bool:
    """True when a bootstrap entry (``host:port[,host:port]``) answers ApiVersions with no error.

    A Kafka broker opens its client port only once it is ready to serve, so this is also the
    start-up readiness check. Needs no Kafka client library.
    """
    for entry in bootstrap.split(","):
        if not entry.strip():
            continue
        try:
            host, port = _split_host_port(entry)
        except ServiceError:
            continue
        if _kafka_probe(host, port, timeout):
            return True
    return False


def _resp_command(*args: str) -> bytes:
    out = [f"*{len(args)}\r\n".encode()]
    for arg in args:
        raw = arg.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(raw), raw))
    return b"".join(out)


def _read_line(sock: socket.socket, limit: int = 4096) -> str:
    data = bytearray()
    while not data.endswith(b"\r\n"):
        if len(data) >= limit:
            msg = "reply line too long"
            raise ConnectionError(msg)
        chunk = sock.recv(1)
        if not chunk:
            msg = "connection closed"
            raise ConnectionError(msg)
        data += chunk
    return data[:-2].decode("utf-8", "replace")


def _redis_ping(endpoint: _RedisEndpoint, timeout: float) -> str | None:
    """First RESP reply line to (AUTH +) PING, e.g. ``+PONG`` or ``-LOADING ...``; None if no
    RESP server answers."""
    try:
        if endpoint.unix_path is not None:
            raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            raw.settimeout(timeout)
            raw.connect(endpoint.unix_path)
        else:
            raw = socket.create_connection((endpoint.host, endpoint.port), timeout=timeout)
        sock: socket.socket = raw
        if endpoint.tls:
            sock = ssl.create_default_context().wrap_socket(raw, server_hostname=endpoint.host)
        with sock:
            sock.settimeout(timeout)
            if endpoint.password is not None:
                auth = [endpoint.username] if endpoint.username else []
                sock.sendall(_resp_command("AUTH", *auth, endpoint.password))
                reply = _read_line(sock)
                if not reply.startswith("+"):
                    return reply if reply.startswith("-") else None
            sock.sendall(_resp_command("PING"))
            reply = _read_line(sock)
    except (OSError, ConnectionError, UnicodeError):
        return None
    return reply if reply[:1] in ("+", "-") else None


def redis_ready(url: str, timeout: float = 2.0) -> bool:
    """True when the Redis at ``url`` (redis://[user:pass@]host[:port][/db], rediss://, unix://)
    answers PING with PONG (a Redis still loading its AOF answers -LOADING: not ready)."""
    try:
        endpoint = _parse_redis_url(url)
    except ServiceError:
        return False
    return _redis_ping(endpoint, timeout) == "+PONG"


def _port_in_use(host: str, port: int) -> bool:
    """True when something listens on (or holds) host:port: connect test, then bind test."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        if probe.connect_ex((host, port)) == 0:
            return True
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # SO_REUSEADDR: connections in TIME_WAIT do not count, a listener does (as for Java/Redis).
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


# --- files, processes ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Paths:
    home: Path

    @property
    def kafka(self) -> Path:
        return self.home / "kafka"

    @property
    def libs(self) -> Path:
        return self.kafka / "libs"

    @property
    def kafka_data(self) -> Path:
        return self.kafka / "data"

    @property
    def kafka_logs(self) -> Path:
        return self.kafka / "logs"

    @property
    def kafka_props(self) -> Path:
        return self.kafka / "server.properties"

    @property
    def kafka_pid(self) -> Path:
        return self.kafka / "kafka.pid"

    @property
    def kafka_out(self) -> Path:
        return self.kafka_logs / "kafka.out"

    @property
    def kafka_log(self) -> Path:
        return self.kafka_logs / "server.log"

    @property
    def cluster_id(self) -> Path:
        return self.kafka / "cluster.id"

    @property
    def redis(self) -> Path:
        return self.home / "redis"

    @property
    def redis_conf(self) -> Path:
        return self.redis / "redis.conf"

    @property
    def redis_pid(self) -> Path:
        return self.redis / "redis.pid"

    @property
    def redis_log(self) -> Path:
        return self.redis / "redis.log"


def _paths(settings: Settings) -> _Paths:
    return _Paths(settings.home.expanduser().resolve())


def _deploy_dir() -> Path:
    path = Path(__file__).resolve().parents[1] / "deploy" / "local"
    if not path.is_dir():
        msg = (
            f"{path} is missing: tweetpulse/local.py needs the config templates of the "
            "repository's deploy/local/ folder; run from a full checkout of tweetpulse"
        )
        raise ServiceError(msg)
    return path


def _deploy_file(name: str) -> Path:
    path = _deploy_dir() / name
    if not path.is_file():
        msg = f"{path} is missing; restore it from the repository (git checkout -- deploy/local)"
        raise ServiceError(msg)
    return path


def _render(template: str, target: Path, **values: str) -> None:
    text = string.Template(_deploy_file(template).read_text()).substitute(values)
    _write_atomic(target, text)


def _write_atomic(path: Path, text: str, mode: int = 0o644) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    tmp.chmod(mode)
    tmp.replace(path)


def _tool(name: str, action: str) -> str:
    found = shutil.which(name)
    if found is None:
        msg = f"`{name}` is not on PATH; {action}"
        raise ServiceError(msg)
    return found


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"--- {path}: (no file)"
    body = "\n".join(text.splitlines()[-lines:]) or "(empty)"
    return f"--- last {lines} lines of {path}:\n{body}"


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() and int(text) > 0 else None


def _cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode("utf-8", "replace")


def _pid_alive(pid: int) -> bool:
    child = _CHILDREN.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        del _CHILDREN[pid]
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        state = stat.rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    if state in ("Z", "X"):
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        return False
    return True


def _managed_pid(pid_file: Path, marker: str) -> tuple[int | None, str]:
    """(pid, "") when the pid file names a live process whose command line has ``marker``;
    otherwise (None, why)."""
    pid = _read_pid(pid_file)
    if pid is None:
        return None, "no pid file" if not pid_file.exists() else "unreadable pid file"
    if not _pid_alive(pid):
        return None, f"stale pid file (pid {pid} is gone)"
    if marker not in _cmdline(pid):
        return None, f"stale pid file (pid {pid} is now another program)"
    return pid, ""


def _clean_stale(pid_file: Path, marker: str) -> int | None:
    pid, _ = _managed_pid(pid_file, marker)
    if pid is None:
        pid_file.unlink(missing_ok=True)
    return pid


def _spawn(argv: list[str], log_path: Path, cwd: Path) -> subprocess.Popen[bytes]:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} start: {' '.join(argv)}\n".encode())
        log.flush()
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _CHILDREN[proc.pid] = proc
    return proc


def _stop_pid(pid: int, timeout: float) -> str:
    """SIGTERM, wait up to ``timeout``, then SIGKILL. Returns how it ended."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return "stopped"
        time.sleep(0.1)
    LOG.warning("pid %d did not stop in %.0f s after SIGTERM; sending SIGKILL", pid, timeout)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    for _ in range(50):
        if not _pid_alive(pid):
            break
        time.sleep(0.1)
    return "killed (SIGKILL)"


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    """Serialise concurrent ``up`` calls for one service (released when the process dies)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            LOG.info("waiting for another `tweetpulse local up` (lock %s)", path)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _wait_ready(
    name: str,
    ready: Callable[[], bool],
    proc: subprocess.Popen[bytes] | None,
    pid: int,
    timeout: float,
    logs: tuple[Path, ...],
) -> float:
    """Poll ``ready`` until it is true; fail fast when the process exits. Returns seconds taken."""
    start = time.monotonic()
    deadline = start + timeout
    while True:
        if ready():
            return time.monotonic() - start
        exited = proc.poll() if proc is not None else (None if _pid_alive(pid) else -1)
        if exited is not None:
            tails = "\n".join(_tail(p) for p in logs)
            msg = f"{name} (pid {pid}) exited with status {exited} during start-up.\n{tails}"
            raise ServiceError(msg)
        if time.monotonic() >= deadline:
            tails = "\n".join(_tail(p) for p in logs)
            msg = f"{name} (pid {pid}) was not ready within {timeout:.0f} s.\n{tails}"
            raise ServiceError(msg)
        time.sleep(POLL)


def _free_port(host: str, start: int, pair: bool = False) -> int | None:
    """The first port from ``start`` up that is free on ``host`` (with ``pair``: and the next)."""
    for port in range(start, min(start + 200, 65535 if pair else 65536)):
        if not _port_in_use(host, port) and not (pair and _port_in_use(host, port + 1)):
            return port
    return None


def _port_busy_error(kind: str, host: str, port: int, env: str, example: str) -> ServiceError:
    return ServiceError(
        f"port {port} on {host} is in use by a program that is not {kind}; stop that program "
        f"(`ss -ltnp 'sport = :{port}'` shows it) or set {env} to a free port (e.g. {example})"
    )


# --- Kafka -----------------------------------------------------------------------------------


def kafka_jars_dir(settings: Settings) -> Path:
    """Folder of the Kafka runtime jars: ``settings.home / "kafka" / "libs"``."""
    return settings.home / "kafka" / "libs"


def ensure_kafka_jars(settings: Settings) -> Path:
    """Copy Kafka's runtime jars with Maven once; reuse them while ``libs/.complete`` is present.

    The marker holds the sha256 of ``deploy/local/pom.xml``: a changed pom copies again. An empty
    marker (jars put there by hand) is always trusted. Maven copies into ``libs.partial`` and the
    folder is renamed only when complete, so an interrupted copy is redone.
    """
    libs = kafka_jars_dir(settings)
    pom = _deploy_file("pom.xml")
    want = hashlib.sha256(pom.read_bytes()).hexdigest()
    marker = libs / JARS_MARKER
    if marker.is_file():
        have = marker.read_text().strip()
        if have in ("", want):
            return libs
        LOG.info("%s changed since the Kafka jars were copied; copying them again", pom)
    mvn = shutil.which("mvn")
    if mvn is None:
        msg = (
            f"`mvn` is not on PATH and the Kafka jars are not cached in {libs}; install Maven "
            f"({INSTALL_MAVEN}), or copy the runtime jars of org.apache.kafka:kafka_2.13 (see "
            f"{pom}) into {libs} and create the empty file {marker}"
        )
        raise ServiceError(msg)
    partial = libs.with_name("libs.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    argv = [
        mvn,
        "-q",
        "-B",
        "-f",
        str(pom),
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={partial.resolve()}",
    ]
    LOG.info("copying the Kafka jars with Maven into %s (once)", libs)
    started = time.monotonic()
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=MVN_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        msg = f"Maven did not copy the Kafka jars in {MVN_TIMEOUT:.0f} s: {' '.join(argv)}"
        raise ServiceError(msg) from None
    jars = sorted(partial.glob("*.jar"))
    if done.returncode != 0 or not any(j.name.startswith("kafka_2.13-") for j in jars):
        output = "\n".join((done.stdout + done.stderr).splitlines()[-LOG_TAIL_LINES:])
        msg = (
            f"Maven could not copy the Kafka jars (exit {done.returncode}); check that Maven "
            f"Central is reachable (proxy: ~/.m2/settings.xml). Command: {' '.join(argv)}\n{output}"
        )
        raise ServiceError(msg)
    (partial / JARS_MARKER).write_text(want + "\n")
    if libs.exists():
        shutil.rmtree(libs)
    partial.rename(libs)
    LOG.info("copied %d Kafka jars in %.1f s", len(jars), time.monotonic() - started)
    return libs


def _new_cluster_id() -> str:
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not cid.startswith("-"):
            return cid


def _meta_cluster_id(data_dir: Path) -> str | None:
    try:
        lines = (data_dir / "meta.properties").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        key, _, value = line.partition("=")
        if key.strip() == "cluster.id":
            return value.strip()
    return None


def _cluster_id(paths: _Paths) -> str:
    """The saved cluster id; else the one the storage was formatted with; else a new one."""
    try:
        saved = paths.cluster_id.read_text().strip()
    except OSError:
        saved = ""
    formatted = _meta_cluster_id(paths.kafka_data)
    if saved and formatted and saved != formatted:
        msg = (
            f"{paths.cluster_id} says {saved} but {paths.kafka_data} was formatted for cluster "
            f"{formatted}; delete one of them (deleting {paths.kafka_data} loses all topics)"
        )
        raise ServiceError(msg)
    cid = saved or formatted or _new_cluster_id()
    if cid != saved:
        _write_atomic(paths.cluster_id, cid + "\n")
    return cid


def _java_argv(java: str, libs: Path, log_dir: Path, log4j: Path, main: str) -> list[str]:
    return [
        java,
        *KAFKA_HEAP,
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true",
        f"-Dkafka.logs.dir={log_dir}",
        f"-Dlog4j2.configurationFile={log4j}",
        "-cp",
        f"{libs}/*",
        main,
    ]


def _format_storage(java: str, paths: _Paths, cluster_id: str) -> None:
    if _meta_cluster_id(paths.kafka_data) == cluster_id:
        return  # formatted before (format -g would only say so, in ~1.5 s of JVM start)
    argv = _java_argv(
        java,
        paths.libs,
        paths.kafka_logs,
        _deploy_file("tools-log4j2.properties"),
        "kafka.tools.StorageTool",
    )
    argv += ["format", "-t", cluster_id, "-c", str(paths.kafka_props), "-g"]
    LOG.info("formatting Kafka storage %s (cluster %s)", paths.kafka_data, cluster_id)
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=FORMAT_TIMEOUT,
            check=False,
            cwd=paths.kafka,
        )
    except subprocess.TimeoutExpired:
        msg = f"formatting Kafka storage took over {FORMAT_TIMEOUT:.0f} s: {' '.join(argv)}"
        raise ServiceError(msg) from None
    if done.returncode != 0:
        output = "\n".join((done.stdout + done.stderr).splitlines()[-LOG_TAIL_LINES:])
        msg = f"formatting Kafka storage failed (exit {done.returncode}): {' '.join(argv)}"
        msg += f"\n{output}"
        raise ServiceError(msg)


def _properties_port(path: Path, key: str, listener: str) -> int | None:
    """The port of ``listener`` in ``key=`` of a rendered server.properties, if any."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        name, _, value = line.partition("=")
        if name.strip() != key:
            continue
        for item in value.split(","):
            if item.strip().startswith(f"{listener}://"):
                port = item.rsplit(":", 1)[-1]
                return int(port) if port.isdigit() else None
    return None


def _kafka_state(settings: Settings, running: bool, detail: str) -> ServiceState:
    pid, _ = _managed_pid(_paths(settings).kafka_pid, KAFKA_MAIN)
    detail += f" (started by tweetpulse, pid {pid})" if pid else " (not started by tweetpulse)"
    return ServiceState(
        name="kafka",
        address=_join_host_port(*kafka_address(settings)),
        running=running,
        managed=pid is not None,
        pid=pid,
        detail=detail,
    )


def kafka_up(settings: Settings, timeout: float = 90.0) -> ServiceState:
    """Start the local Kafka broker unless ``settings.kafka_bootstrap`` already answers.

    ``timeout`` bounds the wait for readiness after the JVM starts (the one-time Maven copy of the
    jars has its own limit).
    """
    host, port = kafka_address(settings)
    address = _join_host_port(host, port)
    if kafka_ready(settings.kafka_bootstrap):
        return _kafka_state(settings, True, "already running")
    if host not in LOCAL_HOSTS:
        msg = (
            f"TWEETPULSE_KAFKA_BOOTSTRAP={settings.kafka_bootstrap} is not reachable, and "
            "tweetpulse only starts Kafka on localhost (127.0.0.1, localhost, ::1); start that "
            "broker, or set TWEETPULSE_KAFKA_BOOTSTRAP=127.0.0.1:9092 for a local one"
        )
        raise ServiceError(msg)
    paths = _paths(settings)
    bind = _bind_host(host)
    controller_port = port + 1
    with _lock(paths.kafka / ".up.lock"):
        if kafka_ready(settings.kafka_bootstrap):  # another `up` won the lock and started it
            return _kafka_state(settings, True, "already running")
        logs = (paths.kafka_log, paths.kafka_out)
        pid = _clean_stale(paths.kafka_pid, KAFKA_MAIN)
        if pid is not None:
            started_for = _properties_port(paths.kafka_props, "listeners", "PLAINTEXT")
            if started_for is not None and started_for != port:
                msg = (
                    f"the Kafka broker tweetpulse started earlier (pid {pid}) listens on port "
                    f"{started_for}, not on {port} of TWEETPULSE_KAFKA_BOOTSTRAP; run "
                    "`tweetpulse local down` first"
                )
                raise ServiceError(msg)
            LOG.info("Kafka broker pid %d (started earlier) is not ready yet; waiting", pid)
            try:
                waited = _wait_ready(
                    "Kafka broker",
                    lambda: kafka_ready(settings.kafka_bootstrap),
                    None,
                    pid,
                    timeout,
                    logs,
                )
            except ServiceError as exc:
                msg = f"{exc}\nRun `tweetpulse local down` and `tweetpulse local up` again."
                raise ServiceError(msg) from None
            return _kafka_state(settings, True, f"ready after {waited:.1f} s, started earlier")
        if controller_port > 65535:
            msg = f"TWEETPULSE_KAFKA_BOOTSTRAP port {port} leaves no room for the controller port"
            raise ServiceError(msg)
        for busy, what in ((port, "client port"), (controller_port, "controller port (+1)")):
            if _port_in_use(bind, busy):
                example = _join_host_port(host, _free_port(bind, busy + 1, pair=True) or 29092)
                err = _port_busy_error("Kafka", bind, busy, "TWEETPULSE_KAFKA_BOOTSTRAP", example)
                msg = f"Kafka {what}: {err}"
                raise ServiceError(msg)
        java = _tool("java", f"install a JDK/JRE 17 or newer, e.g. `{INSTALL_JAVA}`")
        ensure_kafka_jars(settings)
        for folder in (paths.kafka_data, paths.kafka_logs):
            folder.mkdir(parents=True, exist_ok=True)
        _render(
            "server.properties.template",
            paths.kafka_props,
            bind_host=f"[{bind}]" if ":" in bind else bind,
            port=str(port),
            controller_port=str(controller_port),
            data_dir=str(paths.kafka_data),
        )
        cluster_id = _cluster_id(paths)
        _format_storage(java, paths, cluster_id)
        argv = _java_argv(
            java, paths.libs, paths.kafka_logs, _deploy_file("log4j2.properties"), KAFKA_MAIN
        )
        argv.append(str(paths.kafka_props))
        proc = _spawn(argv, paths.kafka_out, paths.kafka)
        _write_atomic(paths.kafka_pid, f"{proc.pid}\n")
        LOG.info("started Kafka broker pid %d on %s; waiting until it is ready", proc.pid, address)
        try:
            waited = _wait_ready(
                "Kafka broker",
                lambda: kafka_ready(settings.kafka_bootstrap),
                proc,
                proc.pid,
                timeout,
                logs,
            )
        except ServiceError:
            if proc.poll() is None:
                _stop_pid(proc.pid, 10.0)
            paths.kafka_pid.unlink(missing_ok=True)
            raise
    LOG.info("Kafka broker ready on %s in %.1f s (pid %d)", address, waited, proc.pid)
    return ServiceState(
        name="kafka",
        address=address,
        running=True,
        managed=True,
        pid=proc.pid,
        detail=f"started, ready in {waited:.1f} s (logs: {paths.kafka_logs})",
    )


# --- Redis -----------------------------------------------------------------------------------


def _redis_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _redis_state(settings: Settings, running: bool, detail: str) -> ServiceState:
    pid, _ = _managed_pid(_paths(settings).redis_pid, REDIS_MARK)
    detail += f" (started by tweetpulse, pid {pid})" if pid else " (not started by tweetpulse)"
    return ServiceState(
        name="redis",
        address=_parse_redis_url(settings.redis_url).address,
        running=running,
        managed=pid is not None,
        pid=pid,
        detail=detail,
    )


def _wait_loading(endpoint: _RedisEndpoint, url: str, timeout: float) -> float:
    """An existing Redis answered -LOADING: wait for it to finish loading its data."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if redis_ready(url):
            return time.monotonic() - start
        time.sleep(POLL)
    msg = f"Redis at {endpoint.address} is still loading its data after {timeout:.0f} s"
    raise ServiceError(msg)


def redis_up(settings: Settings, timeout: float = 30.0) -> ServiceState:
    """Start a local Redis (AOF on) unless ``settings.redis_url`` already answers PING."""
    url = settings.redis_url
    endpoint = _parse_redis_url(url)
    reply = _redis_ping(endpoint, 2.0)
    if reply == "+PONG":
        return _redis_state(settings, True, "already running")
    if reply is not None and reply.startswith("-LOADING"):
        waited = _wait_loading(endpoint, url, timeout)
        return _redis_state(settings, True, f"ready after loading its data for {waited:.1f} s")
    if reply is not None:
        msg = (
            f"the Redis at {endpoint.address} refuses PING: {reply!r}; put the right user and "
            "password into TWEETPULSE_REDIS_URL (redis://user:password@host:port/db)"
        )
        raise ServiceError(msg)
    if endpoint.unix_path is not None or endpoint.tls or endpoint.host not in LOCAL_HOSTS:
        msg = (
            f"TWEETPULSE_REDIS_URL ({endpoint.address}) is not reachable, and tweetpulse only "
            "starts Redis over plain TCP on localhost (127.0.0.1, localhost, ::1); start that "
            "Redis, or set TWEETPULSE_REDIS_URL=redis://127.0.0.1:6379/0 for a local one"
        )
        raise ServiceError(msg)
    paths = _paths(settings)
    bind = _bind_host(endpoint.host)
    with _lock(paths.redis / ".up.lock"):
        if redis_ready(url):
            return _redis_state(settings, True, "already running")
        pid = _clean_stale(paths.redis_pid, REDIS_MARK)
        if pid is not None:
            LOG.info("Redis pid %d (started earlier) is not ready yet; waiting", pid)
            try:
                waited = _wait_ready(
                    "Redis", lambda: redis_ready(url), None, pid, timeout, (paths.redis_log,)
                )
            except ServiceError as exc:
                msg = (
                    f"{exc}\nIf you changed TWEETPULSE_REDIS_URL, run `tweetpulse local down` "
                    "and `tweetpulse local up` again."
                )
                raise ServiceError(msg) from None
            return _redis_state(settings, True, f"ready after {waited:.1f} s, started earlier")
        if _port_in_use(bind, endpoint.port):
            free = _free_port(bind, endpoint.port + 1) or 26379
            example = f"redis://{_join_host_port(endpoint.host, free)}/{endpoint.db}"
            err = _port_busy_error("Redis", bind, endpoint.port, "TWEETPULSE_REDIS_URL", example)
            raise err
        server = _tool("redis-server", f"install Redis 7, e.g. `{INSTALL_REDIS}`")
        paths.redis.mkdir(parents=True, exist_ok=True)
        _render(
            "redis.conf.template",
            paths.redis_conf,
            bind_host=bind,
            port=str(endpoint.port),
            dir=_redis_quote(str(paths.redis)),
            databases=str(max(16, endpoint.db + 1)),
        )
        if endpoint.password is not None:
            user = endpoint.username or "default"
            extra = (
                f"requirepass {_redis_quote(endpoint.password)}\n"
                if user == "default"
                else f"user {user} on {_redis_quote('>' + endpoint.password)} ~* &* +@all\n"
            )
            _write_atomic(paths.redis_conf, paths.redis_conf.read_text() + extra, mode=0o600)
        proc = _spawn([server, str(paths.redis_conf)], paths.redis_log, paths.redis)
        _write_atomic(paths.redis_pid, f"{proc.pid}\n")
        LOG.info("started Redis pid %d on %s; waiting for it", proc.pid, endpoint.address)
        try:
            waited = _wait_ready(
                "Redis", lambda: redis_ready(url), proc, proc.pid, timeout, (paths.redis_log,)
            )
        except ServiceError:
            if proc.poll() is None:
                _stop_pid(proc.pid, 10.0)
            paths.redis_pid.unlink(missing_ok=True)
            raise
    LOG.info("Redis ready on %s in %.1f s (pid %d)", endpoint.address, waited, proc.pid)
    return ServiceState(
        name="redis",
        address=endpoint.address,
        running=True,
        managed=True,
        pid=proc.pid,
        detail=f"started, ready in {waited:.1f} s (data and log: {paths.redis})",
    )


# --- both ------------------------------------------------------------------------------------


def up(settings: Settings, timeout: float = 90.0) -> list[ServiceState]:
    """Start Redis, then Kafka (each only if its address does not answer yet): [redis, kafka]."""
    return [redis_up(settings, timeout=timeout), kafka_up(settings, timeout=timeout)]


def _down_one(
    name: str, address: str, pid_file: Path, marker: str, ready: Callable[[], bool], timeout: float
) -> ServiceState:
    pid, why = _managed_pid(pid_file, marker)
    if pid is None:
        pid_file.unlink(missing_ok=True)
        running = ready()
        detail = "running, not started by tweetpulse: left alone" if running else "not running"
        if why.startswith("stale"):
            LOG.debug("%s: removed %s (%s)", name, pid_file, why)
        return ServiceState(name, address, running, False, None, detail)
    LOG.info("stopping %s (pid %d)", name, pid)
    how = _stop_pid(pid, timeout)
    pid_file.unlink(missing_ok=True)
    running = ready()
    detail = f"{how} (pid {pid})"
    if running:
        detail += "; the address still answers (another server?)"
    return ServiceState(name, address, running, False, None, detail)


def down(settings: Settings, timeout: float = 30.0) -> list[ServiceState]:
    """Stop the Kafka broker, then Redis, if tweetpulse started them: [kafka, redis].

    Only processes named by our pid files are signalled (SIGTERM, then SIGKILL after
    ``timeout`` seconds), and only when their command line still shows Kafka / redis-server.
    """
    paths = _paths(settings)
    return [
        _down_one(
            "kafka",
            _join_host_port(*kafka_address(settings)),
            paths.kafka_pid,
            KAFKA_MAIN,
            lambda: kafka_ready(settings.kafka_bootstrap, 1.0),
            timeout,
        ),
        _down_one(
            "redis",
            _parse_redis_url(settings.redis_url).address,
            paths.redis_pid,
            REDIS_MARK,
            lambda: redis_ready(settings.redis_url, 1.0),
            timeout,
        ),
    ]


def _status_one(
    name: str, address: str, pid_file: Path, marker: str, running: bool
) -> ServiceState:
    pid, why = _managed_pid(pid_file, marker)
    if running:
        detail = f"running (started by tweetpulse, pid {pid})" if pid else "running (external)"
    elif pid is not None:
        detail = f"process {pid} started by tweetpulse is alive but not answering"
    else:
        detail = "not running" + (f"; {why}" if why.startswith("stale") else "")
    return ServiceState(name, address, running, pid is not None, pid, detail)


def status(settings: Settings) -> list[ServiceState]:
    """State of Kafka and Redis at the configured addresses: [kafka, redis]. Changes nothing."""
    paths = _paths(settings)
    return [
        _status_one(
            "kafka",
            _join_host_port(*kafka_address(settings)),
            paths.kafka_pid,
            KAFKA_MAIN,
            kafka_ready(settings.kafka_bootstrap),
        ),
        _status_one(
            "redis",
            _parse_redis_url(settings.redis_url).address,
            paths.redis_pid,
            REDIS_MARK,
            redis_ready(settings.redis_url),
        ),
    ]
