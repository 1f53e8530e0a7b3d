"""The Textual browser over a casefile."""

from .app import WhometApp

__all__ = ["WhometApp"]
