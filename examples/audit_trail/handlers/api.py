"""The audit trail's API: records one audit event by queueing it for the consumer."""

from __future__ import annotations

import json
from typing import Any

import boto3

QUEUE = "audit-trail-events"  # names.QUEUE: no environment variable, so no variable to encrypt


def handler(event: dict[str, Any], _context: object) -> dict[str, Any]:
    body = event.get("body") or "{}"
    record = json.loads(body)
    if not isinstance(record, dict) or not isinstance(record.get("action"), str):
        return {"statusCode": 400, "body": json.dumps({"error": "an audit event needs an action"})}
    sqs = boto3.client("sqs")
    sqs.send_message(QueueUrl=sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"], MessageBody=json.dumps(record))
    return {"statusCode": 202, "body": json.dumps({"queued": record["action"]})}
