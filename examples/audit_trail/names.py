"""Every name the audit trail's two stacks agree on: the key policy names the groups the service makes."""

from __future__ import annotations

SERVICE = "audit-trail"
API_FUNCTION = f"{SERVICE}-api"
CONSUMER_FUNCTION = f"{SERVICE}-consumer"
LOG_GROUPS = {function: f"/aws/lambda/{function}" for function in (API_FUNCTION, CONSUMER_FUNCTION)}
QUEUE = f"{SERVICE}-events"
ALARM_TOPIC = f"{SERVICE}-alarms"
ALARM_PREFIX = f"{SERVICE}-"
REGION = "eu-west-1"
KEY_STACK = "keys"
SERVICE_STACK = "service"
