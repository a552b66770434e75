"""The audit trail: a key stack and a service stack, each with its own local state; the library does the keys.

Run as a script, so names.py and service.py beside it import as modules: from this repository
`PYTHONPATH=. .venv/bin/python examples/audit_trail/main.py` (encrypted_logs from the sources); elsewhere with the
library installed from its wheel (tests/examples/wheel_synth.py does exactly that). Deploy `keys`, then `service`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import names
from cdktf import App
from cdktf_cdktf_provider_time.provider import TimeProvider
from service import AuditService, stack

import encrypted_logs as el

STATE_DIR = str(Path(__file__).parent / "terraform-state")
try:  # every prop is validated here, before any construct is built
    logs_key = el.LogGroupsKeyProps(alias="alias/audit-trail-logs", log_group_names=tuple(names.LOG_GROUPS.values()))
    alarms_key = el.TopicKeyProps(alias="alias/audit-trail-alarms", topic_name=names.ALARM_TOPIC,
                                  publishers=(el.TopicPublisher.alarms(f"{names.ALARM_PREFIX}*"),))
    retention = el.EncryptedLogGroupsProps(retention_days=365)
except el.PropsError as error:
    print(f"error: {error}", file=sys.stderr)
    raise SystemExit(2) from None

app = App()
keys = stack(app, names.KEY_STACK, STATE_DIR)
TimeProvider(keys, "time")
el.LogGroupsKey(keys, "logs_key", logs_key)
el.TopicKey(keys, "alarms_key", alarms_key)

service = stack(app, names.SERVICE_STACK, STATE_DIR)
published = el.read_local_state(service, "keys", names.KEY_STACK, STATE_DIR)
logs = el.KeyFromStack(service, "logs_key", state=published, output_name=logs_key.output_name)
alarms = el.KeyFromStack(service, "alarms_key", state=published, output_name=alarms_key.output_name)
log_groups = el.EncryptedLogGroups(service, "log_groups", retention, kms_key_arn=logs.arn, wait_for=[logs.check])
topic = el.EncryptedTopic(service, "alarms", alarms_key, kms_key_arn=alarms.arn, wait_for=[alarms.check])
AuditService(service, "audit", log_groups=log_groups, alarm_topic_arn=topic.arn)
service.add_dependency(keys)
app.synth()
