"""What the payment workflow's key checks say when a key is unusable; the check itself is the library's
(encrypted_logs.key_check)."""

from __future__ import annotations

UNUSABLE_LOGS_KEY_MESSAGE = (
    "The log-group KMS key is not an enabled symmetric ENCRYPT_DECRYPT key, so CloudWatch Logs cannot encrypt "
    "with it. Deploy the encryption stack first (cdktf deploy encryption); if the key is disabled or pending "
    "deletion, enable it or cancel the deletion (aws kms enable-key / cancel-key-deletion) and plan again."
)
UNUSABLE_ALERTS_KEY_MESSAGE = (
    "The alerts KMS key is not an enabled symmetric ENCRYPT_DECRYPT key, so SNS cannot encrypt alarm notifications "
    "with it and every alarm action would fail. Deploy the encryption stack first (cdktf deploy encryption); if the "
    "key is disabled or pending deletion, enable it or cancel the deletion (aws kms enable-key / cancel-key-deletion) "
    "and plan again."
)
