"""The compiled build's C extensions, for the tests that compare them with their Python
references: the object, or a failure under CI (``make test`` builds first, so CI must test the
code the pipeline runs) and a skip elsewhere (a build is optional outside CI)."""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import NoReturn, TypeVar

import pytest

T = TypeVar("T")


def missing(what: str) -> NoReturn:
    """Fail under CI, skip elsewhere: ``what`` is not built in this process."""
    msg = f"{what} is not built in this process (`make native`)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{msg}: CI must test the code the pipeline runs", pytrace=False)
    pytest.skip(msg)


def built(thing: T | None, what: str) -> T:
    """``thing`` (an object a compiled build provides), or :func:`missing` when it is None."""
    if thing is None:
        missing(what)
    return thing


def extension(module: str, what: str) -> ModuleType:
    """The C extension ``module`` (e.g. ``streams._segcut``), or :func:`missing`."""
    try:
        return importlib.import_module(module)
    except ImportError:
        missing(what)
