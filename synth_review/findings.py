"""A review rule that failed: what, where, and why it matters, in one line a platform engineer can act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    rule: str  # short, stable: "unencrypted-log-group", "sleep-bypassed", "wildcard-action", "checkov"
    stack: str
    subject: str  # the Terraform address (or check id) the finding is about
    message: str

    def line(self) -> str:
        return f"FAIL [{self.rule}] {self.stack}: {self.subject}: {self.message}"
