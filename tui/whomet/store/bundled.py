"""Where the bundled Sessions–Kislyak casefile lives."""

from __future__ import annotations

from pathlib import Path


def bundled_casefile() -> Path:
    """The ``records/`` folder that ships beside the ``tui`` folder that holds the ``whomet`` package."""
    return Path(__file__).resolve().parents[3] / "records"
