"""The names two Terraform states agree on: stack ids and the outputs one stack reads from the other.

Kept free of provider imports, so small tools (the state probe, the review) can use them without loading the AWS
provider bindings.
"""

from __future__ import annotations

ENCRYPTION_STACK = "encryption"
APP_STACK = "app"
STATE_BUCKET_STACK = "state-bucket"  # the app of its own that `make bootstrap-state` deploys (state_bucket.py)

# The app stack reads these through terraform_remote_state.
LOGS_KEY_ARN_OUTPUT = "logs_key_arn"
DATA_KEY_ARN_OUTPUT = "data_key_arn"
ALERTS_KEY_ARN_OUTPUT = "alerts_key_arn"
