"""Progress of a long scan, on one line of standard error: files done / total, MB/s, findings so far.

Shown only when asked (the command line asks when standard error is a terminal, or with
--progress), never mixed into a report: the report goes to standard output or a file. Redrawn at
most ten times a second and only once the run has lasted a moment, then erased at the end.
"""

from __future__ import annotations

import time
from typing import Callable, TextIO


class ProgressLine:
    """Callable as audit's progress hook; `close()` erases the line."""

    def __init__(self, out: TextIO, *, delay: float = 0.5, every: float = 0.1,
                 clock: Callable[[], float] = time.monotonic, width: int = 80):
        self.out, self.delay, self.every, self.clock, self.width = out, delay, every, clock, width
        self.started = clock()
        self.last = -1.0
        self.bytes = 0
        self.drawn = False

    def __call__(self, size: int | None, done: int, total: int, findings: int) -> None:
        """After an input of `size` bytes; None: the copies are compared next."""
        if size is not None:
            self.bytes += size
        now = self.clock()
        elapsed = now - self.started
        if size is not None and (elapsed < self.delay or now - self.last < self.every) and done != total:
            return
        if elapsed < self.delay:
            return
        self.last = now
        rate = self.bytes / 1e6 / elapsed if elapsed > 0 else 0.0
        if size is None:
            line = f"comparing copies of {total:,} files · {findings:,} findings so far"
        else:
            line = f"scanning {done:,}/{total:,} files · {rate:.1f} MB/s · {findings:,} findings"
        self.out.write("\r\x1b[K" + line[: self.width - 1])
        self.out.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.out.write("\r\x1b[K")
            self.out.flush()
            self.drawn = False
