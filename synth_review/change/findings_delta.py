"""The whole-tree review's findings of the base against the head's: which are new, fixed, or still failing.

Both lists come from the same `rules.findings`, so every rule of the whole-tree review (and any rule added to it
later) takes part without this module knowing it. A finding is identified by its rule, stack, subject and message.
"""

from __future__ import annotations

from dataclasses import dataclass

from synth_review.findings import Finding


@dataclass(frozen=True)
class FindingsDelta:
    new: tuple[Finding, ...]  # failing in the head only: this change weakened something
    fixed: tuple[Finding, ...]  # failing in the base only
    still_failing: tuple[Finding, ...]

    @property
    def failing(self) -> tuple[Finding, ...]:
        return self.new + self.still_failing


def compare(base: list[Finding], head: list[Finding]) -> FindingsDelta:
    before, after = set(base), set(head)
    return FindingsDelta(
        new=tuple(f for f in head if f not in before),
        fixed=tuple(f for f in base if f not in after),
        still_failing=tuple(f for f in head if f in before),
    )
