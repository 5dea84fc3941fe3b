"""Long commands: their progress (rows done, time elapsed, an estimate of the time left), and
their writes made whole or not at all, also when interrupted."""

import sys
import time
from contextlib import contextmanager

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, transaction

# The shell's exit status for a command ended by Ctrl-C (SIGINT): 128 + 2.
INTERRUPTED = 130


@contextmanager
def all_or_nothing(interrupted: str, using: str = DEFAULT_DB_ALIAS):
    """A long command's writes in one transaction: Ctrl-C (SIGINT) rolls them all back, and the
    command ends with "Interrupted: <interrupted>" and status 130 rather than a traceback.
    Other processes read what was there before until the transaction commits."""
    try:
        with transaction.atomic(using=using):
            yield
    except KeyboardInterrupt:
        raise CommandError(f"Interrupted: {interrupted}", returncode=INTERRUPTED) from None


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
