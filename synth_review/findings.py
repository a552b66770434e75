"""A review rule that failed: what, where, and why it matters, in one line a platform engineer can act on.

Findings are data (rule id, stack, resource, statement, message) so other tools (a diff of two reviews) can compare
them; `line()` is how the verdict prints one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    rule: str  # short, stable, in the RULES of its rule module: "logs-key-condition", "sleep-bypassed", ...
    stack: str
    subject: str  # the Terraform address (or check id) the finding is about
    message: str  # what is wrong and the AWS reason it matters
    statement: str = ""  # the policy statement's Sid, for rules about one statement

    @property
    def resource(self) -> str:
        return self.subject

    def line(self) -> str:
        where = f"{self.subject} {self.statement}" if self.statement else self.subject
        return f"FAIL [{self.rule}] {self.stack}: {where}: {self.message}"
