"""Shorten the waits between Step Functions retries, without touching the definition.

moto's interpreter sleeps for real between Retry attempts (IntervalSeconds,
BackoffRate, jitter). Scaling the sleep instead of rewriting the definition
keeps the definition exactly as synthesized, so MaxAttempts, ErrorEquals and
the order of retriers are all exercised as deployed; only wall-clock time
changes, and every requested wait is recorded so the run can say so.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl


@dataclass
class ScaledRetryWaits:
    """Stands in for the ``time`` module inside moto's retrier, which only calls ``sleep``."""

    scale: float
    requested: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.requested.append(seconds)
        time.sleep(seconds * self.scale)


@contextmanager
def scaled_retry_waits(scale: float) -> Iterator[ScaledRetryWaits]:
    """Within the block, a Retry wait of N seconds lasts ``N * scale`` seconds."""
    waits = ScaledRetryWaits(scale)
    with mock.patch.object(retrier_decl, "time", waits):
        yield waits
