"""The ingest hot path compiled to C with mypyc, loaded only while it matches the sources.

The ad classifier, the tagger and their helpers (:data:`MODULES`) are plain, fully typed
Python. ``tweetpulse native build`` (run by ``make``; it needs a C compiler and the
Python headers) compiles them with mypyc, the compiler that ships with mypy, into
``build/native/`` next to the package, and records a digest of the sources it compiled. The
compiled code is the same code: no verdict changes, only less interpreter overhead per tweet
(``python -m tests.bench.ads``). The same build compiles the C extensions of :data:`EXTENSIONS`:
``streams/_segcut.c`` cuts Chinese for the keyphrases exactly as rjieba does, but builds only the
tokens they keep (:meth:`streams.segment.Segmenter.words`; tests/unit/test_segcut.py).

When ``streams`` is imported, :func:`activate` puts the compiled modules in front of the sources
**only when the recorded digest equals the digest of the sources on disk** (and the Python
version matches). Edit ``streams/ads.py`` and the next import runs the edited Python; ``make``
(or the build command) compiles it again. Without a build, or with
``TWEETPULSE_PURE_PYTHON=1`` in the environment (read here, at import, because the choice must be
made before the modules load), everything runs as pure Python.

``tweetpulse native status`` says which one a process would load, and why.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# The modules compiled, relative to the repository root. They import each other natively; the
# rest of ``streams`` (settings, parsers, the Faust app) stays Python.
MODULES: tuple[str, ...] = (
    "streams/ad_features.py",
    "streams/ad_model.py",
    "streams/ads.py",
    "streams/campaigns.py",
    "streams/keyphrases.py",
    "streams/segment.py",
    "streams/taxonomy.py",
)
# C extensions built next to them: (module, source). streams/_segcut.c is jieba's cut for
# keyphrases, returning only the tokens they keep (streams.segment.Segmenter.words).
EXTENSIONS: tuple[tuple[str, str], ...] = (
    ("streams._segcut", "streams/_segcut.c"),
    # the ad model's word sums without a string per token (streams.ad_model.AdModel.logit_of)
    ("streams._wordweights", "streams/_wordweights.c"),
    # a campaign template's SimHash without a string per feature (streams.campaigns.simhash)
    ("streams._simhash", "streams/_simhash.c"),
    # normalize_text's common case from a per-character table (streams.taxonomy.fold_table)
    ("streams._textfold", "streams/_textfold.c"),
    # the keyphrases' run-of-names scan and is_chinese (streams.keyphrases, streams.segment)
    ("streams._textscan", "streams/_textscan.c"),
)
GROUP = "tweetpulse_native"  # mypyc's shared library: ``tweetpulse_native__mypyc*.so``
MANIFEST = "manifest.json"
PURE_ENV = "TWEETPULSE_PURE_PYTHON"
PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # the repository (or site-packages)
DEFAULT_DIR = PACKAGE_ROOT / "build" / "native"


@dataclass(frozen=True)
class Status:
    """Whether the compiled modules would load, and why (for ``status`` and the logs)."""

    usable: bool
    reason: str


def sources_digest(root: Path = PACKAGE_ROOT) -> str:
    """SHA-256 over the compiled modules' and C extensions' paths and bytes, and the
    interpreter's cache tag."""
    digest = hashlib.sha256(sys.implementation.cache_tag.encode())
    for relative in (*MODULES, *(source for _, source in EXTENSIONS)):
        digest.update(relative.encode() + b"\0")
        digest.update((root / relative).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def check(native_dir: Path = DEFAULT_DIR, root: Path = PACKAGE_ROOT) -> Status:
    """Whether ``native_dir`` holds a build of exactly the sources under ``root``."""
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        return Status(False, f"{PURE_ENV} is set")
    manifest = native_dir / MANIFEST
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Status(False, f"no build in {native_dir} (run `tweetpulse native build`)")
    except (OSError, ValueError) as exc:
        return Status(False, f"{manifest} is unreadable ({exc}); build again")
    try:
        current = sources_digest(root)
    except OSError as exc:  # an installed package without its sources next to it
        return Status(False, f"sources unreadable ({exc})")
    if not isinstance(recorded, dict) or recorded.get("digest") != current:
        return Status(
            False,
            f"the build in {native_dir} is older than the sources (run `make native` or "
            "`tweetpulse native build`)",
        )
    return Status(True, f"compiled modules from {native_dir}")


def activate(package_path: list[str], native_dir: Path = DEFAULT_DIR) -> Status:
    """Called by ``streams/__init__.py``: load the compiled modules when they are current.

    ``package_path`` is the package's ``__path__``: the compiled package directory goes in
    front of it, and the build directory at the end of ``sys.path`` (for mypyc's shared
    library). Nothing is imported here."""
    status = check(native_dir)
    if status.usable:
        compiled = str(native_dir / "streams")
        if compiled not in package_path:
            package_path.insert(0, compiled)
        if str(native_dir) not in sys.path:
            sys.path.append(str(native_dir))
    elif (native_dir / MANIFEST).exists():
        log.info("running the ingest hot path as pure Python: %s", status.reason)
    return status


def active() -> bool:
    """True when this process runs the compiled modules (checked on :mod:`streams.ads`)."""
    import streams.ads

    return not (streams.ads.__file__ or "").endswith(".py")


def build(native_dir: Path = DEFAULT_DIR, root: Path = PACKAGE_ROOT) -> Path:
    """Compile :data:`MODULES` with mypyc into ``native_dir`` (replaced only on success).

    mypyc runs in a scratch directory holding a link to the package, so that neither the
    project's ``pyproject.toml`` nor the build's C files land in the working tree."""
    if importlib.util.find_spec("mypyc") is None:
        msg = "mypyc is not installed: pip install 'tweetpulse[dev]' (mypyc ships with mypy)"
        raise RuntimeError(msg)
    digest = sources_digest(root)
    with tempfile.TemporaryDirectory(prefix="tweetpulse-native-") as scratch:
        work = Path(scratch)
        (work / "streams").symlink_to(root / "streams", target_is_directory=True)
        staging = work / "out"
        script = (
            "import sys\n"
            "from mypyc.build import mypycify\n"
            "from setuptools import Extension, setup\n"
            f"modules = {list(MODULES)!r}\n"
            f"extensions = [Extension(name, [source], extra_compile_args=['-O3'])"
            f" for name, source in {list(EXTENSIONS)!r}]\n"
            f"setup(name='{GROUP}', ext_modules=mypycify(modules, opt_level='3',"
            f" group_name='{GROUP}') + extensions,\n"
            "      script_args=['-q', 'build_ext', '--build-lib', sys.argv[1],"
            " '--build-temp', sys.argv[2]])\n"
        )
        (work / "setup_native.py").write_text(script, encoding="utf-8")
        command = [sys.executable, "setup_native.py", str(staging), str(work / "tmp")]
        result = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
            msg = f"mypyc build failed (exit {result.returncode}):\n{tail}"
            raise RuntimeError(msg)
        built = sorted(p.name for p in (staging / "streams").glob("*.so"))
        expected = {Path(m).stem for m in MODULES} | {n.rsplit(".", 1)[1] for n, _ in EXTENSIONS}
        if {name.split(".", 1)[0] for name in built} != expected:
            msg = f"the build made {built}, expected one library per module of {sorted(expected)}"
            raise RuntimeError(msg)
        manifest = {
            "digest": digest,
            "modules": list(MODULES),
            "extensions": [name for name, _ in EXTENSIONS],
            "built_at": time.time(),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        if native_dir.exists():
            shutil.rmtree(native_dir)
        native_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging), str(native_dir))
    return native_dir


def clean(native_dir: Path = DEFAULT_DIR) -> None:
    """Delete the build (the next import runs pure Python)."""
    shutil.rmtree(native_dir, ignore_errors=True)
