"""Where the reader has been and may go again, as a web browser keeps it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Location:
    """Where the reader is: the party whose timeline shows, the record in detail, the focus."""

    party: str | None
    item: str | None
    focus: str
    link: int | None = None


@dataclass
class History:
    """The places behind and ahead of the reader."""

    behind: list[Location] = field(default_factory=list)
    ahead: list[Location] = field(default_factory=list)

    def jump(self, here: Location, to: Location) -> None:
        """Going somewhere new from ``here``: it can be gone back to, and nothing is ahead."""
        if to != here:
            self.behind.append(here)
            self.ahead.clear()

    def back(self, here: Location) -> Location | None:
        """Where going back from ``here`` leads, or None when nothing is behind."""
        if not self.behind:
            return None
        self.ahead.append(here)
        return self.behind.pop()

    def forward(self, here: Location) -> Location | None:
        """Where going forward from ``here`` leads, or None when nothing is ahead."""
        if not self.ahead:
            return None
        self.behind.append(here)
        return self.ahead.pop()
