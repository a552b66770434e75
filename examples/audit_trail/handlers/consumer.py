"""The audit trail's consumer: writes each queued audit event to its log group, one JSON line per event."""

from __future__ import annotations

import json
import logging
from typing import Any

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def handler(event: dict[str, Any], _context: object) -> dict[str, Any]:
    for record in event.get("Records", []):
        logger.info("audit event", extra={"audit": json.loads(record["body"])})
    return {"batchItemFailures": []}
