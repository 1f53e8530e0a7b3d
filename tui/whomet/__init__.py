"""whomet: a terminal browser for who met whom and what they said about it."""

__version__ = "0.1.0"
