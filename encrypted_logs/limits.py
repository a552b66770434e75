"""The values AWS and Terraform accept, as plain data with no provider import (settings readers use them too)."""

from __future__ import annotations

import re

# CloudWatch Logs PutRetentionPolicy accepts only these values. "Never expire" (no policy) is not offered: every
# group gets a retention policy (checkov CKV_AWS_66), and ten years (3653) is the longest CloudWatch Logs keeps.
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)
KEY_DELETION_WINDOW_DAYS = range(7, 31)  # KMS ScheduleKeyDeletion: PendingWindowInDays 7–30.
MIN_PROPAGATION_SECONDS = 1.0
MAX_PROPAGATION_SECONDS = 3600.0

# time_sleep takes a Go duration (time.ParseDuration): a sequence of decimal numbers with units. Digits are spelled
# [0-9]: Python's \d also takes other scripts' digits, which Go refuses.
_GO_DURATION_PART = re.compile(r"([0-9]{1,12}(?:\.[0-9]{0,12})?|\.[0-9]{1,12})(ns|us|µs|ms|s|m|h)")
_GO_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}

# KMS CreateAlias: "alias/" then 1-250 letters, digits, '/', '_' or '-'; "alias/aws/" is reserved for AWS-managed keys.
KEY_ALIAS = re.compile(r"alias/[A-Za-z0-9/_-]{1,250}")
RESERVED_ALIAS_PREFIX = "alias/aws/"
# CloudWatch Logs CreateLogGroup: 1-512 characters of a-z, A-Z, 0-9, '_', '-', '/', '.' and '#'.
LOG_GROUP_NAME = re.compile(r"[A-Za-z0-9_\-/.#]{1,512}")
# SNS CreateTopic: 1-256 letters, digits, '_' or '-' (a FIFO topic ends in ".fifo").
TOPIC_NAME = re.compile(r"[A-Za-z0-9_-]{1,256}(?:\.fifo)?")
# An IAM policy statement id: letters and digits only (IAM JSON policy elements: Sid).
STATEMENT_ID = re.compile(r"[A-Za-z0-9]{1,128}")


def go_duration_seconds(raw: str) -> float:
    """Seconds in a Go duration string such as "30s", "1m30s" or "1.5m"; ValueError when it is not one."""
    position, total = 0, 0.0
    for part in _GO_DURATION_PART.finditer(raw):
        if part.start() != position:
            break
        total += float(part.group(1)) * _GO_UNIT_SECONDS[part.group(2)]
        position = part.end()
    if not raw or position != len(raw):
        raise ValueError("is not a Go duration")
    return total

# A Terraform identifier (an output's name): a letter or underscore, then letters, digits, '_' or '-'.
TERRAFORM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")
