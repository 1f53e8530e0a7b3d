"""A process's peak resident memory, as /proc keeps it: the one measure of memory the benchmarks
use, for whomet, its readers and visidata alike."""

from __future__ import annotations


def peak_mb(pid: int | str = "self") -> float | None:
    """The most resident memory process ``pid`` has held since the program it runs started
    (VmHWM), in MB; None when /proc cannot say (no /proc, or the process is gone). Not getrusage's
    peak: a child's starts at what its parent held when it started it."""
    try:
        with open(f"/proc/{pid}/status") as stream:
            for line in stream:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None
