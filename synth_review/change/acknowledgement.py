"""Destructive changes a person has accepted, by name: PAYMENT_REVIEW_ALLOW_REPLACE or --allow-replace.

A name is `<stack>/<subject>` as the review prints it (`app/aws_dynamodb_table.ledger_table_BE9C0D06`,
`encryption/backend`), or the subject alone when only one stack has it. A name that is not a destructive change of
this review is an error, not a no-op: a typo, or an acknowledgement left over from another change, must not pass
silently, and an acknowledgement means "I saw this replacement", not "replace whatever".
"""

from __future__ import annotations

from collections.abc import Sequence

from synth_review.change.change_set import Change
from synth_review.report.table import truncate

SETTING = "PAYMENT_REVIEW_ALLOW_REPLACE"


class AcknowledgementError(Exception):
    """One line naming the setting, the name that matched nothing, and what may be named."""


def parse(raw: str | None) -> list[str]:
    return [name.strip() for name in (raw or "").split(",") if name.strip()]


def acknowledged(names: Sequence[str], destructive: Sequence[Change]) -> set[str]:
    """The destructive changes (by `Change.name`) the names accept; AcknowledgementError for a name that accepts
    nothing, or that could mean changes in several stacks."""
    accepted: set[str] = set()
    for name in names:
        matches = [c for c in destructive if name in (c.name, c.subject)]
        if len({c.name for c in matches}) > 1:
            raise AcknowledgementError(
                f"{SETTING} names {name!r}, which is destructive in several stacks; "
                f"name one: {', '.join(sorted({c.name for c in matches}))}")
        if not matches:
            allowed = ", ".join(sorted({c.name for c in destructive})) or "none: this change destroys nothing"
            raise AcknowledgementError(
                f"{SETTING} names {truncate(name, 80)!r}, which this change does not replace or remove; "
                f"destructive here: {allowed}")
        accepted.add(matches[0].name)
    return accepted
