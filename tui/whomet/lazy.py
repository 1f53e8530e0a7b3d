"""Names a package offers from its modules, imported when first asked for."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any


def names_from_modules(package: str, homes: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that imports each name of ``homes`` (name → module
    of the package) on first use, and keeps it."""

    def attribute(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{homes[name]}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return attribute
