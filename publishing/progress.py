"""Progress of a long command: rows done, time elapsed, an estimate of the time left."""

import sys
import time


class Progress:
    """One line per step with the rows written so far and an estimate of the time left, from the
    rate so far: plain lines read well in CI logs, where a redrawn bar does not."""

    def __init__(self, total_rows: int, out=sys.stdout, min_interval: float = 2.0):
        self.total = max(total_rows, 1)
        self.done = 0
        self.out = out
        self.min_interval = min_interval
        self.started = time.monotonic()
        self.last_printed = float("-inf")

    def advance(self, rows: int, step: str, step_done: int, step_total: int) -> None:
        self.done += rows
        now = time.monotonic()
        if now - self.last_printed < self.min_interval and step_done < step_total:
            return
        self.last_printed = now
        elapsed = now - self.started
        left = elapsed / self.done * max(self.total - self.done, 0) if self.done else 0
        share = min(self.done / self.total, 1)
        # One write per line: a management command's stdout adds a newline to each write of its own.
        self.out.write(
            f"  [{share:4.0%}] {step} {step_done:,}/{step_total:,} · {elapsed:5.1f} s elapsed, "
            f"about {left:4.0f} s left\n"
        )
        self.out.flush()
