"""Every log group's key and retention, and the two rules the original deployment broke.

- A log group without `kms_key_id` stores payment logs unencrypted by our key.
- A key ARN that does not come through the encryption stack's time_sleep lets CreateLogGroup race the key policy
  ("The specified KMS key does not exist or is not allowed to be used with Arn ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from synth_review.cross_stack import parse_remote_output, producer_of, sleep_behind
from synth_review.findings import Finding
from synth_review.references import whole_reference
from synth_review.synthesized import Block, Stack, SynthesizedApp

LOG_GROUP = "aws_cloudwatch_log_group"
_DATA_KEY_ARN = re.compile(r"^data\.aws_kms_key\.(?P<name>[\w-]+)\.arn$")


@dataclass(frozen=True)
class KeySource:
    """Where a log group's key ARN comes from, as a reviewer reads it; `problem` is None when it is sound."""

    description: str
    problem: str | None


@dataclass(frozen=True)
class LogGroupRow:
    stack: str
    address: str
    name: str
    key: KeySource | None  # None: no kms_key_id at all
    retention: str


def log_group_rows(app: SynthesizedApp) -> list[LogGroupRow]:
    rows = []
    for stack in app.stacks:
        for group in stack.resources(LOG_GROUP):
            key = group.body.get("kms_key_id")
            retention = group.body.get("retention_in_days")
            rows.append(LogGroupRow(
                stack=stack.name,
                address=group.address,
                name=str(group.body.get("name", group.body.get("name_prefix", "?"))),
                key=key_source(app, stack, key) if key else None,
                retention=f"{retention} day{'s' if retention != 1 else ''}" if retention else "never expires",
            ))
    return rows


def log_group_findings(app: SynthesizedApp) -> list[Finding]:
    findings = []
    for row in log_group_rows(app):
        if row.key is None:
            findings.append(Finding("unencrypted-log-group", row.stack, row.address,
                                    f"{row.name} has no kms_key_id: its logs are not encrypted with the logs key"))
        elif row.key.problem:
            findings.append(Finding("sleep-bypassed", row.stack, row.address, row.key.problem))
    return findings


def key_source(app: SynthesizedApp, stack: Stack, value: object) -> KeySource:
    """Follow a kms_key_id to the encryption stack's output, allowing one hop through a `data aws_kms_key` check."""
    expression = whole_reference(value)
    if expression is None:
        return KeySource(repr(value), f"kms_key_id is {value!r}, not the encryption stack's output read through "
                                      "its time_sleep: a literal or composed value skips the propagation wait")
    data_key = _DATA_KEY_ARN.match(expression)
    if data_key:
        checked = _block(stack.data_sources("aws_kms_key"), data_key.group("name"))
        if checked is None:
            return KeySource(expression, f"{expression} names no data source in the stack")
        inner = key_source(app, stack, checked.body.get("key_id"))
        return KeySource(f"{checked.address} <- {inner.description}", inner.problem)
    remote = parse_remote_output(expression)
    if remote is None:
        return KeySource(expression, f"kms_key_id reads {expression} directly, not the encryption stack's output "
                                     "through its time_sleep: the log group can race the key policy")
    reader = _block(stack.data_sources("terraform_remote_state"), remote.reader)
    producer = producer_of(app, stack, reader) if reader else None
    if producer is None:
        return KeySource(expression, f"{expression} reads a state no stack in cdktf.out writes")
    sleep = sleep_behind(producer, remote.output, remote.key)
    description = f"{producer.name}.output.{remote.output}"
    if sleep is None:
        published = producer.outputs().get(remote.output, {}).get("value")
        return KeySource(description, f"{description} is {published!r}, not a time_sleep trigger: the key ARN is "
                                      "published before the key policy has had time to propagate")
    return KeySource(f"{description} <- {sleep.address}.triggers.{sleep.trigger} ({sleep.create_duration})", None)


def _block(blocks: list[Block], name: str) -> Block | None:
    return next((b for b in blocks if b.name == name), None)
